"""KeyPair: a signing key (Ed25519 seed or P-256 scalar) with its PublicKey.

>>> pair = KeyPair.from_seed(bytes(32))
>>> pair.public.verify(pair.sign(b"hello"), b"hello")
True
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Any

from vc.encoding import multicodec
from vc.encoding.multibase import encode_base58btc
from vc.errors import InvalidKeyError, MalformedError
from vc.keys.jwk import jwk_thumbprint
from vc.keys.public_key import PublicKey, _decode_multikey
from vc.keys.types import key_type, key_type_for_jwk, key_type_for_multicodec

__all__ = ["KeyPair"]


@dataclass(frozen=True)
class KeyPair:
    """A private key and its public key. ``secret`` is the raw private key: the 32-byte seed for
    Ed25519, the 32-byte big-endian scalar for P-256. Build it with the class methods."""

    public: PublicKey
    secret: bytes = field(repr=False)
    _handle: Any = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        kt = self.public.key_type
        handle, public_raw = kt.load_secret(bytes(self.secret))
        if not hmac.compare_digest(public_raw, self.public.raw):
            raise InvalidKeyError("the public key does not belong to the private key")
        object.__setattr__(self, "secret", bytes(self.secret)[: kt.secret_size])
        object.__setattr__(self, "_handle", handle)  # decoded once, reused by sign()

    # immutable: copies are the object itself; pickling rebuilds from (public, secret)
    def __copy__(self) -> KeyPair:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> KeyPair:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (KeyPair, (self.public, self.secret))

    @property
    def alg(self) -> str:
        """The key type name ("Ed25519" | "P-256")."""
        return self.public.alg

    @property
    def jose_alg(self) -> str:
        """The JOSE ``alg`` ("EdDSA" | "ES256")."""
        return self.public.jose_alg

    def sign(self, message: bytes) -> bytes:
        """Sign: Ed25519 (deterministic, 64 bytes) or ECDSA P-256/SHA-256 as P1363 ``r || s``."""
        return self.public.key_type.sign(self._handle, bytes(message))

    def verify(self, signature: bytes, message: bytes) -> bool:
        """Same as ``self.public.verify``."""
        return self.public.verify(signature, message)

    def to_jwk(self, *, private: bool = True) -> dict[str, str]:
        """The JWK (with ``d`` unless ``private=False``) and ``kid`` = RFC 7638 thumbprint."""
        jwk = self.public._jwk_members()
        if private:
            jwk.update(self.public.key_type.secret_jwk(self.secret))
        jwk["kid"] = jwk_thumbprint(jwk)
        return jwk

    def to_private_multibase(self) -> str:
        """Private multikey (``privateKeyMultibase``): 0x1300 + seed for Ed25519, 0x1306 + scalar for P-256."""
        return encode_base58btc(multicodec.add_prefix(self.public.key_type.multicodec_private, self.secret))

    @classmethod
    def from_secret(cls, secret: bytes, alg: str = "Ed25519") -> KeyPair:
        """Build from raw private key bytes of key type ``alg``."""
        kt = key_type(alg)
        _, public_raw = kt.load_secret(bytes(secret))
        return cls(PublicKey(kt.name, public_raw), bytes(secret))

    @classmethod
    def from_seed(cls, seed: bytes, alg: str = "Ed25519") -> KeyPair:
        """Deterministic key: the Ed25519 32-byte seed, or the P-256 32-byte private scalar."""
        return cls.from_secret(seed, alg)

    @classmethod
    def generate(cls, alg: str = "Ed25519") -> KeyPair:
        """A fresh key pair from the OS CSPRNG."""
        return cls.from_secret(key_type(alg).generate_secret(), alg)

    @classmethod
    def from_jwk(cls, jwk: dict[str, Any]) -> KeyPair:
        """Read a private JWK; its public members, if present, must match ``d``."""
        kt = key_type_for_jwk(jwk)
        if "d" not in jwk:
            raise InvalidKeyError("the JWK has no private member 'd'; a private key is needed to sign")
        pair = cls.from_secret(kt.secret_from_jwk(jwk), kt.name)
        if PublicKey.from_jwk(jwk) != pair.public:
            raise InvalidKeyError("the JWK public members do not match its private key 'd'")
        return pair

    @classmethod
    def from_multibase(cls, private_multibase: str) -> KeyPair:
        """Read a private multikey (``z...``, Ed25519 0x1300 or P-256 0x1306)."""
        try:
            code, secret = multicodec.split_prefix(_decode_multikey(private_multibase))
        except MalformedError as exc:
            raise InvalidKeyError(f"private multikey value: {exc.message}") from None
        kt, private = key_type_for_multicodec(code)
        if not private:
            raise InvalidKeyError("the multikey value holds a public key where a private key is expected")
        return cls.from_secret(secret, kt.name)
