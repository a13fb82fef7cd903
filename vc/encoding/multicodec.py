"""Multicodec prefixes (unsigned varint, multiformats/unsigned-varint) for key bytes.

>>> add_prefix(ED25519_PUB, b"k").hex()
'ed016b'
>>> split_prefix(bytes.fromhex("ed016b"))
(237, b'k')
"""

from __future__ import annotations

from vc.errors import MalformedError

__all__ = [
    "ED25519_PRIV",
    "ED25519_PUB",
    "P256_PRIV",
    "P256_PUB",
    "P384_PRIV",
    "P384_PUB",
    "X25519_PUB",
    "add_prefix",
    "decode_varint",
    "encode_varint",
    "split_prefix",
]

# codes from multiformats/multicodec table.csv
ED25519_PUB = 0xED
X25519_PUB = 0xEC
P256_PUB = 0x1200
P384_PUB = 0x1201
ED25519_PRIV = 0x1300
P256_PRIV = 0x1306
P384_PRIV = 0x1307

_MAX_VARINT_BYTES = 9  # the unsigned-varint spec caps values at 2**63 - 1


def encode_varint(value: int) -> bytes:
    """Encode a non-negative integer as an unsigned LEB128 varint."""
    if value < 0 or value >= 1 << 63:
        raise ValueError("multicodec varint must be in 0 .. 2**63-1")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def decode_varint(data: bytes) -> tuple[int, int]:
    """Decode a minimal unsigned varint at the start of ``data``; return ``(value, length)``."""
    value = 0
    for i, byte in enumerate(data[:_MAX_VARINT_BYTES]):
        value |= (byte & 0x7F) << (7 * i)
        if not byte & 0x80:
            # a trailing zero group means a longer spelling of a shorter varint
            if i > 0 and byte == 0:
                raise MalformedError("multicodec varint is not minimally encoded")
            return value, i + 1
    raise MalformedError("multicodec varint is truncated or too long")


def add_prefix(code: int, data: bytes) -> bytes:
    """Prefix ``data`` with the varint multicodec ``code``."""
    return encode_varint(code) + bytes(data)


def split_prefix(data: bytes) -> tuple[int, bytes]:
    """Split multicodec-prefixed bytes into ``(code, rest)``; ``MalformedError`` if no valid varint."""
    code, length = decode_varint(bytes(data))
    return code, bytes(data[length:])
