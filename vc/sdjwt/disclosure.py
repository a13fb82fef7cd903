"""SD-JWT Disclosures and their digests (RFC 9901 sections 4.2 and 4.2.3).

A Disclosure is ``base64url(JSON([salt, name, value]))`` for an object property or
``base64url(JSON([salt, value]))`` for an array element; the payload holds the digest of the
base64url string (not of the decoded JSON), under ``_sd`` or as ``{"...": digest}``.

>>> d = make_disclosure("_26bc4LT-ac6q2KI6cBW5es", "family_name", "Möbius")
>>> d.digest()  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from vc.encoding.base64url import b64url_encode
from vc.errors import JoseError
from vc.jose.json_codec import compact_dumps, strict_loads

__all__ = [
    "Disclosure",
    "HASH_ALGORITHMS",
    "SD_DIGESTS_KEY",
    "SD_LIST_KEY",
    "SaltSource",
    "b64_digest",
    "make_disclosure",
    "new_salt",
    "parse_disclosure",
]

_B64URL = re.compile(r"[A-Za-z0-9_-]+")
_TO_STANDARD = str.maketrans("-_", "+/")

SD_DIGESTS_KEY = "_sd"
SD_LIST_KEY = "..."

# IANA "Named Information Hash Algorithm" names (RFC 9901 section 4.1.1)
HASH_ALGORITHMS: dict[str, Callable[[bytes], Any]] = {
    "sha-256": hashlib.sha256,
    "sha-384": hashlib.sha384,
    "sha-512": hashlib.sha512,
    "sha3-256": hashlib.sha3_256,
    "sha3-384": hashlib.sha3_384,
    "sha3-512": hashlib.sha3_512,
}


class SaltSource(Protocol):
    """Randomness for salts and decoys; ``random.Random(seed)`` fits (reproducible tests)."""

    def getrandbits(self, k: int, /) -> int: ...

    def randint(self, a: int, b: int, /) -> int: ...


def new_salt(rng: SaltSource | None = None) -> str:
    """128 random bits, base64url (RFC 9901 section 9.3); from the OS CSPRNG unless ``rng`` is given.

    With ``rng`` the bytes are drawn one ``getrandbits(8)`` at a time, as the reference
    implementation (sd-jwt-python) does in its reproducible mode, so ``random.Random(0)``
    recreates the specification's examples.
    """
    if rng is None:
        return b64url_encode(secrets.token_bytes(16))
    return b64url_encode(bytes(rng.getrandbits(8) for _ in range(16)))


def b64_digest(encoded: str, alg: str = "sha-256") -> str:
    """base64url(hash(ASCII(encoded))): the digest the payload holds for a Disclosure or decoy."""
    digest = HASH_ALGORITHMS[alg](encoded.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")  # hot path: one call, no layers


@dataclass(frozen=True, slots=True)
class Disclosure:
    """One Disclosure: its exact base64url form and what it discloses (``name`` None = array element)."""

    encoded: str
    salt: str
    name: str | None
    value: Any

    def digest(self, alg: str = "sha-256") -> str:
        return b64_digest(self.encoded, alg)


def make_disclosure(
    salt: str, name: str | None, value: Any, *, dumps: Callable[[Any], str] = compact_dumps
) -> Disclosure:
    """A Disclosure for an object property (``name`` given) or an array element (``name`` None)."""
    data = [salt, value] if name is None else [salt, name, value]
    return Disclosure(b64url_encode(dumps(data).encode("utf-8")), salt, name, value)


def parse_disclosure(encoded: str) -> Disclosure:
    """Decode a Disclosure; ``MALFORMED_DISCLOSURE`` unless it is a 2- or 3-element JSON array
    with a string salt (and a string claim name)."""
    # strict alphabet, no padding; the canonical-trailing-bits check of vc.encoding is not needed:
    # the payload commits to the digest of these exact characters, so no second spelling matches
    if not isinstance(encoded, str) or _B64URL.fullmatch(encoded) is None or len(encoded) % 4 == 1:
        raise JoseError("a Disclosure is not unpadded base64url", code="MALFORMED_DISCLOSURE")
    try:
        raw = binascii.a2b_base64((encoded + "=" * (-len(encoded) % 4)).translate(_TO_STANDARD))
    except (binascii.Error, ValueError):  # pragma: no cover - excluded by the checks above
        raise JoseError("a Disclosure is not unpadded base64url", code="MALFORMED_DISCLOSURE") from None
    data = strict_loads(raw, code="MALFORMED_DISCLOSURE", what="a Disclosure")
    if not isinstance(data, list) or len(data) not in (2, 3) or not isinstance(data[0], str):
        raise JoseError(
            "a Disclosure must be a JSON array [salt, value] or [salt, name, value]", code="MALFORMED_DISCLOSURE"
        )
    if len(data) == 3:
        if not isinstance(data[1], str):
            raise JoseError("a Disclosure's claim name must be a string", code="MALFORMED_DISCLOSURE")
        return Disclosure(encoded, data[0], data[1], data[2])
    return Disclosure(encoded, data[0], None, data[1])
