"""Key-type registry: one small class per algorithm (Ed25519 via PyNaCl, NIST curves via cryptography).

A key type knows its raw public/secret byte forms, its JWK members (RFC 7517/7518/8037), its multicodec
codes and how to sign/verify. Adding P-384 is one ``_NistCurve`` subclass plus ``register_key_type``.
"""

from __future__ import annotations

import hmac
from abc import ABC, abstractmethod
from typing import Any, ClassVar

import nacl.exceptions
import nacl.signing
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from vc.encoding import multicodec
from vc.encoding.base64url import b64url_decode, b64url_encode
from vc.errors import InvalidKeyError, MalformedError, UnsupportedKeyTypeError

__all__ = [
    "KEY_TYPES",
    "Ed25519",
    "KeyType",
    "P256",
    "key_type",
    "key_type_for_jwk",
    "key_type_for_multicodec",
    "register_key_type",
]


class KeyType(ABC):
    """One signature algorithm's key encodings and primitives. Instances are stateless singletons."""

    name: ClassVar[str]  # "Ed25519", "P-256"
    jose_alg: ClassVar[str]  # "EdDSA", "ES256"
    jwk_kty: ClassVar[str]
    jwk_crv: ClassVar[str]
    multicodec_public: ClassVar[int]
    multicodec_private: ClassVar[int]
    secret_size: ClassVar[int]

    @abstractmethod
    def normalize_public(self, raw: bytes) -> bytes:
        """Validate public key bytes and return the canonical raw form (InvalidKeyError if invalid)."""

    @abstractmethod
    def load_public(self, raw: bytes) -> Any:
        """The library object for a canonical raw public key (decoded once, cached by PublicKey)."""

    @abstractmethod
    def verify(self, handle: Any, signature: bytes, message: bytes) -> bool:
        """True when ``signature`` is valid; False for any bad signature (never raises)."""

    @abstractmethod
    def public_jwk(self, raw: bytes) -> dict[str, str]:
        """The RFC 7638 required members of the public JWK, in lexicographic order."""

    @abstractmethod
    def public_from_jwk(self, jwk: dict[str, Any]) -> bytes:
        """Raw public key bytes from a JWK whose kty/crv already matched (InvalidKeyError if bad)."""

    @abstractmethod
    def load_secret(self, secret: bytes) -> tuple[Any, bytes]:
        """``(signing handle, raw public key)`` for a raw secret (InvalidKeyError if invalid)."""

    @abstractmethod
    def generate_secret(self) -> bytes:
        """A fresh random raw secret from the OS CSPRNG."""

    @abstractmethod
    def sign(self, handle: Any, message: bytes) -> bytes:
        """Sign ``message`` with a handle from ``load_secret``."""

    def secret_from_jwk(self, jwk: dict[str, Any]) -> bytes:
        """Raw secret from the JWK ``d`` member."""
        secret = _jwk_bytes(jwk, "d")
        if len(secret) != self.secret_size:
            raise InvalidKeyError(f"JWK 'd' must be {self.secret_size} bytes for {self.name}")
        return secret

    def secret_jwk(self, secret: bytes) -> dict[str, str]:
        """The private JWK member(s) for a raw secret."""
        return {"d": b64url_encode(secret)}


def _jwk_bytes(jwk: dict[str, Any], member: str) -> bytes:
    value = jwk.get(member)
    if not isinstance(value, str):
        raise InvalidKeyError(f"JWK member '{member}' is missing or not a string")
    try:
        return b64url_decode(value)
    except MalformedError as exc:
        raise InvalidKeyError(f"JWK member '{member}' is not valid base64url: {exc.message}") from None


class Ed25519(KeyType):
    """Ed25519 (RFC 8032) with PyNaCl; JWK per RFC 8037 (kty OKP); secret = 32-byte seed."""

    name = "Ed25519"
    jose_alg = "EdDSA"
    jwk_kty = "OKP"
    jwk_crv = "Ed25519"
    multicodec_public = multicodec.ED25519_PUB
    multicodec_private = multicodec.ED25519_PRIV
    secret_size = 32

    def normalize_public(self, raw: bytes) -> bytes:
        if len(raw) != 32:
            raise InvalidKeyError("an Ed25519 public key must be 32 bytes", length=len(raw))
        return raw

    def load_public(self, raw: bytes) -> Any:
        return nacl.signing.VerifyKey(raw)

    def verify(self, handle: Any, signature: bytes, message: bytes) -> bool:
        if len(signature) != 64:
            return False
        try:
            handle.verify(bytes(message), bytes(signature))
        except (nacl.exceptions.BadSignatureError, nacl.exceptions.CryptoError, ValueError, TypeError):
            return False
        return True

    def public_jwk(self, raw: bytes) -> dict[str, str]:
        return {"crv": self.jwk_crv, "kty": self.jwk_kty, "x": b64url_encode(raw)}

    def public_from_jwk(self, jwk: dict[str, Any]) -> bytes:
        return self.normalize_public(_jwk_bytes(jwk, "x"))

    def load_secret(self, secret: bytes) -> tuple[Any, bytes]:
        if len(secret) == 64:
            # libsodium-style secret key = seed || public key; keep the seed, check the half we drop
            seed, public = secret[:32], secret[32:]
            handle = nacl.signing.SigningKey(seed)
            if not hmac.compare_digest(bytes(handle.verify_key), public):
                raise InvalidKeyError("Ed25519 64-byte secret key: the public half does not match the seed")
            return handle, public
        if len(secret) != 32:
            raise InvalidKeyError("an Ed25519 private key (seed) must be 32 bytes", length=len(secret))
        handle = nacl.signing.SigningKey(bytes(secret))
        return handle, bytes(handle.verify_key)

    def generate_secret(self) -> bytes:
        return bytes(nacl.signing.SigningKey.generate())

    def sign(self, handle: Any, message: bytes) -> bytes:
        return handle.sign(bytes(message)).signature


class _NistCurve(KeyType):
    """ECDSA on a NIST curve with ``cryptography``; raw public = SEC1 compressed point;
    signatures are IEEE P1363 ``r || s`` (as JOSE and Data Integrity use)."""

    curve: ClassVar[type[ec.EllipticCurve]]
    hash_algorithm: ClassVar[type[hashes.HashAlgorithm]]
    jwk_kty = "EC"

    @property
    def coordinate_size(self) -> int:
        return self.secret_size

    def _ecdsa(self) -> ec.ECDSA:
        # the signature algorithm object is immutable; made once per key type, not per signature
        algorithm = self.__dict__.get("_algorithm")
        if algorithm is None:
            algorithm = self.__dict__["_algorithm"] = ec.ECDSA(self.hash_algorithm())
        return algorithm

    def normalize_public(self, raw: bytes) -> bytes:
        size = self.coordinate_size
        if len(raw) not in (size + 1, 2 * size + 1):
            raise InvalidKeyError(
                f"a {self.name} public key must be a {size + 1}-byte compressed or "
                f"{2 * size + 1}-byte uncompressed SEC1 point",
                length=len(raw),
            )
        try:
            key = ec.EllipticCurvePublicKey.from_encoded_point(self.curve(), bytes(raw))
        except ValueError:
            raise InvalidKeyError(f"the {self.name} public key is not a point on the curve") from None
        return _compressed(key)

    def load_public(self, raw: bytes) -> Any:
        return ec.EllipticCurvePublicKey.from_encoded_point(self.curve(), raw)

    def verify(self, handle: Any, signature: bytes, message: bytes) -> bool:
        size = self.coordinate_size
        if len(signature) != 2 * size:
            return False
        r = int.from_bytes(signature[:size], "big")
        s = int.from_bytes(signature[size:], "big")
        try:
            handle.verify(encode_dss_signature(r, s), bytes(message), ec.ECDSA(self.hash_algorithm()))
        except (InvalidSignature, ValueError):
            return False
        return True

    def public_jwk(self, raw: bytes) -> dict[str, str]:
        numbers = self.load_public(raw).public_numbers()
        size = self.coordinate_size
        return {
            "crv": self.jwk_crv,
            "kty": self.jwk_kty,
            "x": b64url_encode(numbers.x.to_bytes(size, "big")),
            "y": b64url_encode(numbers.y.to_bytes(size, "big")),
        }

    def public_from_jwk(self, jwk: dict[str, Any]) -> bytes:
        x, y = _jwk_bytes(jwk, "x"), _jwk_bytes(jwk, "y")
        size = self.coordinate_size
        # RFC 7518 section 6.2.1.2: coordinates are the full size, never shortened
        if len(x) != size or len(y) != size:
            raise InvalidKeyError(f"JWK 'x' and 'y' must each be {size} bytes for {self.name}")
        return self.normalize_public(b"\x04" + x + y)

    def load_secret(self, secret: bytes) -> tuple[Any, bytes]:
        if len(secret) != self.secret_size:
            raise InvalidKeyError(
                f"a {self.name} private key must be {self.secret_size} bytes", length=len(secret)
            )
        try:
            handle = ec.derive_private_key(int.from_bytes(secret, "big"), self.curve())
        except ValueError:
            raise InvalidKeyError(f"the {self.name} private key is out of range") from None
        return handle, _compressed(handle.public_key())

    def generate_secret(self) -> bytes:
        key = ec.generate_private_key(self.curve())
        return key.private_numbers().private_value.to_bytes(self.secret_size, "big")

    def sign(self, handle: Any, message: bytes) -> bytes:
        der = handle.sign(bytes(message), self._ecdsa())
        r, s = decode_dss_signature(der)
        size = self.coordinate_size
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def _compressed(key: ec.EllipticCurvePublicKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return key.public_bytes(Encoding.X962, PublicFormat.CompressedPoint)


class P256(_NistCurve):
    """ECDSA P-256 with SHA-256 (JOSE ES256); multicodec p256-pub 0x1200 / p256-priv 0x1306."""

    name = "P-256"
    jose_alg = "ES256"
    jwk_crv = "P-256"
    curve = ec.SECP256R1
    hash_algorithm = hashes.SHA256
    multicodec_public = multicodec.P256_PUB
    multicodec_private = multicodec.P256_PRIV
    secret_size = 32


KEY_TYPES: dict[str, KeyType] = {}
_BY_JWK: dict[tuple[str, str], KeyType] = {}
_BY_CODEC: dict[int, tuple[KeyType, bool]] = {}


def register_key_type(kt: KeyType) -> KeyType:
    """Add a key type to the registry (by name, JWK kty/crv, and multicodec codes)."""
    KEY_TYPES[kt.name] = kt
    _BY_JWK[(kt.jwk_kty, kt.jwk_crv)] = kt
    _BY_CODEC[kt.multicodec_public] = (kt, False)
    _BY_CODEC[kt.multicodec_private] = (kt, True)
    return kt


for _kt in (Ed25519(), P256()):
    register_key_type(_kt)


def key_type(name: str) -> KeyType:
    """The registered key type called ``name``; UnsupportedKeyTypeError otherwise."""
    kt = KEY_TYPES.get(name) if isinstance(name, str) else None
    if kt is None:
        raise UnsupportedKeyTypeError(
            f"key type is not supported; use one of {sorted(KEY_TYPES)}", alg=str(name)
        )
    return kt


def key_type_for_jwk(jwk: dict[str, Any]) -> KeyType:
    """The key type named by a JWK's ``kty``/``crv``; UnsupportedKeyTypeError otherwise."""
    if not isinstance(jwk, dict):
        raise InvalidKeyError("a JWK must be a JSON object")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    kt = _BY_JWK.get((kty, crv)) if isinstance(kty, str) and isinstance(crv, str) else None
    if kt is None:
        raise UnsupportedKeyTypeError(
            "JWK 'kty'/'crv' is not supported; use OKP/Ed25519 or EC/P-256",
            kty=str(kty),
            crv=str(crv),
        )
    return kt


def key_type_for_multicodec(code: int) -> tuple[KeyType, bool]:
    """``(key type, is_private)`` for a multicodec key code; UnsupportedKeyTypeError otherwise."""
    found = _BY_CODEC.get(code)
    if found is None:
        raise UnsupportedKeyTypeError(f"multicodec key code {code:#x} is not supported", multicodec=code)
    return found
