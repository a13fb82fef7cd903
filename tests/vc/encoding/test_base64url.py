import pytest
from hypothesis import given, strategies as st

from vc.encoding import b64url_decode, b64url_encode
from vc.errors import MalformedError

# RFC 4648 section 10 test vectors, in the URL-safe alphabet without padding
RFC4648 = [(b"", ""), (b"f", "Zg"), (b"fo", "Zm8"), (b"foo", "Zm9v"), (b"foob", "Zm9vYg"),
           (b"fooba", "Zm9vYmE"), (b"foobar", "Zm9vYmFy")]


@pytest.mark.parametrize(("raw", "encoded"), RFC4648)
def test_rfc4648_vectors(raw, encoded):
    assert b64url_encode(raw) == encoded
    assert b64url_decode(encoded) == raw


def test_uses_url_safe_alphabet():
    assert b64url_encode(b"\xfb\xff") == "-_8"
    assert b64url_decode("-_8") == b"\xfb\xff"


@given(st.binary(max_size=200))
def test_round_trip(data):
    encoded = b64url_encode(data)
    assert "=" not in encoded
    assert b64url_decode(encoded) == data
    assert b64url_decode(encoded.encode("ascii")) == data


@pytest.mark.parametrize(
    "bad",
    ["Zg==", "Zm8=", "+_8", "/w", "Zm9v Yg", "Zm9v\n", "Z", "Zm9vY", "-_9", "Zh", "Zm9", "é"],
    ids=["pad2", "pad1", "plus", "slash", "space", "newline", "len1", "len5", "trailing-bits-3",
         "trailing-bits-2", "trailing-bits-m9", "non-ascii"],
)
def test_rejects_non_canonical_or_foreign_input(bad):
    with pytest.raises(MalformedError):
        b64url_decode(bad)


def test_rejects_non_string():
    with pytest.raises(MalformedError):
        b64url_decode(123)  # type: ignore[arg-type]
