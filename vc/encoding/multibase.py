"""Multibase strings (multiformats/multibase): ``z`` base58btc and ``u`` base64url only.

>>> encode_base58btc(b"yes mani !")
'z7paNL19xttacUY'
>>> decode_multibase("ueWVzIG1hbmkgIQ")
b'yes mani !'
"""

from __future__ import annotations

from vc.encoding.base58 import b58decode, b58encode
from vc.encoding.base64url import b64url_decode, b64url_encode
from vc.errors import MalformedError

__all__ = [
    "decode_base58btc",
    "decode_multibase",
    "encode_base58",
    "encode_base58btc",
    "encode_base64url_multibase",
]


def encode_base58(data: bytes) -> str:
    """Plain base58 (Bitcoin alphabet), no multibase prefix (as in ``publicKeyBase58``)."""
    return b58encode(bytes(data))


def decode_base58btc(value: str) -> bytes:
    """Decode plain base58 (Bitcoin alphabet); ``MalformedError`` on other characters."""
    if isinstance(value, str) and value:
        try:
            return b58decode(value)
        except ValueError:
            pass
    raise MalformedError("base58 value is empty or has characters outside the Bitcoin alphabet")


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
