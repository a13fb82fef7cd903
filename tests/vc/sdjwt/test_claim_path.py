import pytest

from vc.errors import UsageError
from vc.sdjwt import format_path, parse_path, parse_paths


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("credentialSubject.address.locality", ("credentialSubject", "address", "locality")),
        ("nationalities[0]", ("nationalities", 0)),
        ("degrees[*].type", ("degrees", None, "type")),
        ("a[0][12].b", ("a", 0, 12, "b")),
        ("age_equal_or_over.18", ("age_equal_or_over", "18")),
        ("住所.市区町村", ("住所", "市区町村")),
    ],
)
def test_string_form(text: str, path: tuple) -> None:
    assert parse_path(text) == path
    assert parse_path(format_path(path)) == path


def test_empty_brackets_are_a_wildcard() -> None:
    assert parse_path("degrees[].type") == ("degrees", None, "type")


@pytest.mark.parametrize("bad", ["", "a..b", ".a", "a.", "[0]", "a[x]", "a]", "a[-1]", ("a", -1), ("a", True), ()])
def test_refused(bad) -> None:
    with pytest.raises(UsageError):
        parse_path(bad)


def test_many() -> None:
    assert parse_paths("a.b") == [("a", "b")]
    assert parse_paths(["a", ("b", 0)]) == [("a",), ("b", 0)]
