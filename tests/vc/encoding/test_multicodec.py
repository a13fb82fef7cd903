import pytest
from hypothesis import given, strategies as st

from vc.encoding import add_prefix, split_prefix
from vc.encoding.multicodec import ED25519_PRIV, ED25519_PUB, P256_PUB, decode_varint, encode_varint
from vc.errors import MalformedError


@pytest.mark.parametrize(
    ("code", "prefix"),
    [(ED25519_PUB, "ed01"), (P256_PUB, "8024"), (ED25519_PRIV, "8026"), (0, "00"), (0x7F, "7f"), (0x80, "8001")],
)
def test_known_prefixes(code, prefix):
    assert add_prefix(code, b"\x01").hex() == prefix + "01"
    assert split_prefix(bytes.fromhex(prefix) + b"\x01") == (code, b"\x01")


@given(st.integers(min_value=0, max_value=2**63 - 1), st.binary(max_size=8))
def test_round_trip(code, rest):
    assert split_prefix(add_prefix(code, rest)) == (code, rest)


@pytest.mark.parametrize("bad", ["", "80", "ff", "8000", "ed81", "ffffffffffffffffff01"])
def test_rejects_truncated_non_minimal_or_too_long(bad):
    with pytest.raises(MalformedError):
        split_prefix(bytes.fromhex(bad))


def test_varint_range():
    assert decode_varint(encode_varint(300)) == (300, 2)
    with pytest.raises(ValueError):
        encode_varint(-1)
