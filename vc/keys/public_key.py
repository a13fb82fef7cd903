"""PublicKey: a verification key with its JWK (RFC 7517/8037, kid = RFC 7638) and Multikey forms.

>>> key = PublicKey.from_multibase("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")
>>> key.alg, key.jose_alg, key.to_multibase()[:4]
('Ed25519', 'EdDSA', 'z6Mk')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vc.encoding import multicodec
from vc.encoding.multibase import decode_multibase, encode_base58btc
from vc.errors import InvalidKeyError, MalformedError
from vc.keys.jwk import jwk_thumbprint
from vc.keys.types import KeyType, key_type, key_type_for_jwk, key_type_for_multicodec

__all__ = ["PublicKey"]


@dataclass(frozen=True)
class PublicKey:
    """A public key: ``alg`` names the key type ("Ed25519" | "P-256"); ``raw`` is 32 bytes for
    Ed25519 and the 33-byte SEC1 compressed point for P-256 (an uncompressed point is compressed)."""

    alg: str
    raw: bytes
    _handle: Any = field(init=False, repr=False, compare=False, hash=False)
    _multibase: str | None = field(init=False, repr=False, compare=False, hash=False, default=None)

    def __post_init__(self) -> None:
        kt = key_type(self.alg)
        raw = kt.normalize_public(bytes(self.raw))
        object.__setattr__(self, "raw", raw)
        # decode once: verification reuses the library object
        object.__setattr__(self, "_handle", kt.load_public(raw))

    def __repr__(self) -> str:
        return f"PublicKey(alg={self.alg!r}, multibase={self.to_multibase()!r})"

    # immutable: copies are the object itself; pickling rebuilds from (alg, raw), not the library handle
    def __copy__(self) -> PublicKey:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> PublicKey:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (PublicKey, (self.alg, self.raw))

    @property
    def key_type(self) -> KeyType:
        """The registry entry for this key's algorithm."""
        return key_type(self.alg)

    @property
    def jose_alg(self) -> str:
        """The JOSE ``alg`` for signatures by this key ("EdDSA" | "ES256")."""
        return self.key_type.jose_alg

    def verify(self, signature: bytes, message: bytes) -> bool:
        """True if ``signature`` over ``message`` is valid; never raises for a bad signature.

        P-256 signatures are IEEE P1363 ``r || s`` (64 bytes) over SHA-256.
        """
        if not isinstance(signature, (bytes, bytearray)) or not isinstance(message, (bytes, bytearray)):
            return False
        return self.key_type.verify(self._handle, bytes(signature), bytes(message))

    def to_jwk(self) -> dict[str, str]:
        """Public JWK with ``kid`` = RFC 7638 thumbprint."""
        jwk = self._jwk_members()
        return {**jwk, "kid": jwk_thumbprint(jwk)}

    def _jwk_members(self) -> dict[str, str]:
        members = self.key_type.public_jwk(self.raw)
        order = ("kty", "crv", "x", "y")  # conventional order for readability; thumbprint sorts
        return {name: members[name] for name in order if name in members}

    def thumbprint(self) -> str:
        """RFC 7638 JWK thumbprint (SHA-256, base64url)."""
        return jwk_thumbprint(self.key_type.public_jwk(self.raw))

    def to_multicodec(self) -> bytes:
        """Multicodec-prefixed key bytes (0xed Ed25519 / 0x1200 P-256 compressed)."""
        return multicodec.add_prefix(self.key_type.multicodec_public, self.raw)

    def to_multibase(self) -> str:
        """Multikey ``publicKeyMultibase`` ("z6Mk..." / "zDn...")."""
        multibase = self._multibase
        if multibase is None:
            # derived once per key: every did:key and default verification method id needs it
            multibase = encode_base58btc(self.to_multicodec())
            object.__setattr__(self, "_multibase", multibase)
        return multibase

    @classmethod
    def from_jwk(cls, jwk: dict[str, Any]) -> PublicKey:
        """Read a public JWK (private members are ignored).

        Raises UnsupportedKeyTypeError for another kty/crv, InvalidKeyError for bad members.
        """
        kt = key_type_for_jwk(jwk)
        return cls(kt.name, kt.public_from_jwk(jwk))

    @classmethod
    def from_multicodec(cls, data: bytes) -> PublicKey:
        """Read multicodec-prefixed public key bytes."""
        try:
            code, raw = multicodec.split_prefix(data)
        except MalformedError as exc:
            raise InvalidKeyError(f"multikey value: {exc.message}") from None
        kt, private = key_type_for_multicodec(code)
        if private:
            raise InvalidKeyError("the multikey value holds a private key where a public key is expected")
        return cls(kt.name, raw)

    @classmethod
    def from_multibase(cls, value: str) -> PublicKey:
        """Read a Multikey ``publicKeyMultibase`` (base58btc ``z...``)."""
        return cls.from_multicodec(_decode_multikey(value))


def _decode_multikey(value: str) -> bytes:
    # Multikey (W3C Controlled Identifiers section 2.2.2) mandates base58btc
    if not isinstance(value, str) or not value.startswith("z"):
        raise InvalidKeyError("a Multikey value must be a base58btc multibase string starting with 'z'")
    try:
        return decode_multibase(value)
    except MalformedError as exc:
        raise InvalidKeyError(f"multikey value: {exc.message}") from None
