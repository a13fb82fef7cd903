"""Base58 (Bitcoin alphabet): the draft-msporny-base58 examples, round trips, strict decoding, and the
same output as the reference ``base58`` package for any bytes."""

from __future__ import annotations

import base58
import pytest
from hypothesis import given, strategies as st

from vc.encoding.base58 import ALPHABET, b58decode, b58encode

# draft-msporny-base58-03 section 5, and leading-zero cases from the multiformats multibase tests
EXAMPLES = [
    (b"Hello World!", "2NEpo7TZRRrLZSi2U"),
    (b"The quick brown fox jumps over the lazy dog.", "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z"),
    (b"\x00\x00\x28\x7f\xb4\xcd", "11233QC4"),
    (b"yes mani !", "7paNL19xttacUY"),
    (b"\x00yes mani !", "17paNL19xttacUY"),
    (b"\x00\x00yes mani !", "117paNL19xttacUY"),
    (b"", ""),
    (b"\x00", "1"),
    (b"\x00\x00\x00", "111"),
    (b"\x39", "z"),
    (b"\x3a", "21"),
]


@pytest.mark.parametrize(("raw", "encoded"), EXAMPLES)
def test_examples(raw: bytes, encoded: str) -> None:
    assert b58encode(raw) == encoded
    assert b58decode(encoded) == raw


@given(st.binary(max_size=300))
def test_round_trip_and_reference(data: bytes) -> None:
    encoded = b58encode(data)
    assert encoded == base58.b58encode(data).decode("ascii")
    assert b58decode(encoded) == data


@given(st.text(alphabet=ALPHABET, max_size=200))
def test_decodes_every_digit_string_like_the_reference(text: str) -> None:
    decoded = b58decode(text)
    assert decoded == base58.b58decode(text.encode("ascii"))
    assert b58encode(decoded) == text  # base58 is a bijection between bytes and digit strings


@given(st.binary(min_size=1, max_size=80), st.integers(min_value=0, max_value=12))
def test_leading_zero_bytes_are_leading_ones(data: bytes, zeros: int) -> None:
    padded = b"\0" * zeros + data.lstrip(b"\0")
    assert b58encode(padded).startswith("1" * zeros)
    assert b58decode(b58encode(padded)) == padded


@pytest.mark.parametrize("bad", ["0", "O", "I", "l", "abc0", "+", "2NEpo 7T", "2NEpo\n", "é", "２", "\x00"])
def test_rejects_characters_outside_the_alphabet(bad: str) -> None:
    with pytest.raises(ValueError):
        b58decode(bad)
