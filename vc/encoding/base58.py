"""Base58 with the Bitcoin alphabet (draft-msporny-base58), on Python's big integers.

The bytes are one big-endian number written in base 58; each leading zero byte is one leading
``1``. Encoding divides by 58² and looks the two digits up in a table (half the big-number
divisions of the per-digit loop); decoding multiplies in ten-digit chunks. This matters because
every proof carries a base58 ``proofValue`` and every did:key is base58.

    >>> b58encode(b"\\x00yes mani !")
    '17paNL19xttacUY'
    >>> b58decode("17paNL19xttacUY")
    b'\\x00yes mani !'
"""

from __future__ import annotations

__all__ = ["ALPHABET", "b58decode", "b58encode"]

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

_ALPHABET_BYTES = ALPHABET.encode("ascii")
_PAIRS = tuple(high + low for high in ALPHABET for low in ALPHABET)  # value 0..3363 -> two digits
_PAIR = 58 * 58
_CHUNK = 58**10
_DIGIT_VALUES = bytes.maketrans(_ALPHABET_BYTES, bytes(range(58)))  # digit character -> its value


def b58encode(data: bytes) -> str:
    """``data`` in base58 (no multibase prefix)."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    pairs = _PAIRS
    digits = []
    while number:
        number, pair = divmod(number, _PAIR)
        digits.append(pairs[pair])
    digits.reverse()
    # the first pair may start with a zero digit ('1'), which is not part of the number
    return "1" * zeros + "".join(digits).lstrip("1")


def b58decode(text: str) -> bytes:
    """The bytes a base58 string encodes; ValueError for any character outside the alphabet."""
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        raise ValueError("base58 text holds a non-ASCII character") from None
    if raw.translate(None, _ALPHABET_BYTES):  # what is left after deleting every valid digit
        raise ValueError("base58 text holds a character outside the Bitcoin alphabet")
    digits = raw.translate(_DIGIT_VALUES)
    zeros = len(raw) - len(raw.lstrip(b"1"))
    head = len(digits) % 10
    number = 0
    for digit in digits[:head]:
        number = number * 58 + digit
    for start in range(head, len(digits), 10):
        d0, d1, d2, d3, d4, d5, d6, d7, d8, d9 = digits[start:start + 10]
        number = number * _CHUNK + (
            ((((((((d0 * 58 + d1) * 58 + d2) * 58 + d3) * 58 + d4) * 58 + d5) * 58 + d6) * 58 + d7) * 58 + d8)
            * 58 + d9
        )
    return b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")
