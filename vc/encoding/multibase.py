"""Multibase strings (multiformats/multibase): ``z`` base58btc and ``u`` base64url only.

>>> encode_base58btc(b"yes mani !")
'z7paNL19xttacUY'
>>> decode_multibase("ueWVzIG1hbmkgIQ")
b'yes mani !'
"""

from __future__ import annotations

import base58

from vc.encoding.base64url import b64url_decode, b64url_encode
from vc.errors import MalformedError

__all__ = [
    "decode_base58btc",
    "decode_multibase",
    "encode_base58",
    "encode_base58btc",
    "encode_base64url_multibase",
]

_BASE58_ALPHABET = frozenset(base58.BITCOIN_ALPHABET.decode("ascii"))


def encode_base58(data: bytes) -> str:
    """Plain base58 (Bitcoin alphabet), no multibase prefix (as in ``publicKeyBase58``)."""
    return base58.b58encode(bytes(data)).decode("ascii")


def decode_base58btc(value: str) -> bytes:
    """Decode plain base58 (Bitcoin alphabet); ``MalformedError`` on other characters."""
    if not isinstance(value, str) or not value or not set(value) <= _BASE58_ALPHABET:
        raise MalformedError("base58 value is empty or has characters outside the Bitcoin alphabet")
    return base58.b58decode(value.encode("ascii"))


def encode_base58btc(data: bytes) -> str:
    """Multibase base58btc: ``"z" + base58(data)``."""
    return "z" + encode_base58(data)


def encode_base64url_multibase(data: bytes) -> str:
    """Multibase base64url (no padding): ``"u" + base64url(data)``."""
    return "u" + b64url_encode(data)


def _decode_u(body: str) -> bytes:
    return b64url_decode(body)


# registry of supported multibase prefixes; anything else is refused (fail closed)
_DECODERS = {"z": decode_base58btc, "u": _decode_u}


def decode_multibase(value: str) -> bytes:
    """Decode a ``z`` (base58btc) or ``u`` (base64url) multibase string; others raise ``MalformedError``."""
    if not isinstance(value, str) or not value:
        raise MalformedError("multibase value must be a non-empty string")
    decoder = _DECODERS.get(value[0])
    if decoder is None:
        raise MalformedError(
            "multibase prefix is not supported; use 'z' (base58btc) or 'u' (base64url)",
            prefix=value[0],
        )
    return decoder(value[1:])
