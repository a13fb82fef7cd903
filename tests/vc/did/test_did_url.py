import pytest

from vc.did import absolute_id, parse_did, parse_did_url
from vc.errors import InvalidDidError


@pytest.mark.parametrize(
    ("value", "did", "path", "query", "fragment"),
    [
        ("did:key:z6Mk", "did:key:z6Mk", "", None, None),
        ("did:key:z6Mk#z6Mk", "did:key:z6Mk", "", None, "z6Mk"),
        ("did:web:example.com?versionId=1#key-1", "did:web:example.com", "", "versionId=1", "key-1"),
        ("did:web:example.com%3A8443:u:alice/path?x=1", "did:web:example.com%3A8443:u:alice", "/path", "x=1", None),
        ("did:web:example.com#", "did:web:example.com", "", None, ""),
        ("did:example:a#frag?not-a-query", "did:example:a", "", None, "frag?not-a-query"),
    ],
)
def test_parse_did_url(value, did, path, query, fragment):
    parsed = parse_did_url(value)
    assert (parsed.did, parsed.path, parsed.query, parsed.fragment) == (did, path, query, fragment)
    assert str(parsed) == value


@pytest.mark.parametrize(
    "bad",
    ["", "did:", "did:key", "did:key:", "did:KEY:z6Mk", "did:key:a b", "did:web:example.com:", "key:z6Mk",
     "did:web:exa/mple", "did:web:%zz", "did:key:" + "a" * 9000, None],
)
def test_invalid(bad):
    with pytest.raises(InvalidDidError):
        parse_did_url(bad) if bad != "did:web:exa/mple" else parse_did(bad)


def test_parse_did_refuses_url_parts():
    with pytest.raises(InvalidDidError):
        parse_did("did:key:z6Mk#z6Mk")


def test_absolute_id():
    assert absolute_id("#key-1", "did:web:example.com") == "did:web:example.com#key-1"
    assert absolute_id("did:web:other.example#k", "did:web:example.com") == "did:web:other.example#k"
