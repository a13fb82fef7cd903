"""Unpadded base64url (RFC 4648 section 5, as used by JOSE, RFC 7515 section 2).

>>> b64url_encode(b"\\xfb\\xff")
'-_8'
>>> b64url_decode("-_8")
b'\\xfb\\xff'
"""

from __future__ import annotations

import base64
import binascii
import re

from vc.errors import MalformedError

__all__ = ["b64url_decode", "b64url_encode"]

_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")


def b64url_encode(data: bytes) -> str:
    """Encode bytes as base64url without padding."""
    return base64.urlsafe_b64encode(bytes(data)).rstrip(b"=").decode("ascii")


def b64url_decode(value: str | bytes) -> bytes:
    """Decode unpadded base64url strictly: no padding, no other characters, canonical trailing bits.

    Raises ``MalformedError`` otherwise, so two different strings never decode to the same bytes.
    """
    if isinstance(value, (bytes, bytearray)):
        try:
            value = bytes(value).decode("ascii")
        except UnicodeDecodeError:
            raise MalformedError("base64url value contains non-ASCII bytes") from None
    if not isinstance(value, str):
        raise MalformedError("base64url value must be a string")
    if _ALPHABET.fullmatch(value) is None:
        raise MalformedError(
            "base64url value has characters outside A-Z a-z 0-9 '-' '_' (padding '=' is not allowed)"
        )
    if len(value) % 4 == 1:
        raise MalformedError("base64url value has an impossible length")
    try:
        data = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):  # pragma: no cover - the checks above exclude this
        raise MalformedError("base64url value cannot be decoded") from None
    # non-zero unused trailing bits would make a second spelling of the same bytes
    if b64url_encode(data) != value:
        raise MalformedError("base64url value is not canonical (non-zero trailing bits)")
    return data
