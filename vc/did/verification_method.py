"""Public keys from DID verification methods, by VM ``type`` (a registry).

Supported: ``Multikey`` (W3C Controlled Identifiers 1.0), ``JsonWebKey`` / ``JsonWebKey2020``
(``publicKeyJwk``), and the older ``Ed25519VerificationKey2020`` (``publicKeyMultibase``) and
``Ed25519VerificationKey2018`` (``publicKeyBase58``) found in older DID documents.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from vc.errors import InvalidKeyError, MalformedError, UnsupportedKeyTypeError
from vc.encoding.multibase import decode_base58btc
from vc.keys.jwk import PRIVATE_JWK_MEMBERS
from vc.keys.public_key import PublicKey

__all__ = ["VERIFICATION_METHOD_TYPES", "verification_method_key"]


def _member(vm: dict[str, Any], name: str) -> str:
    value = vm.get(name)
    if not isinstance(value, str):
        raise InvalidKeyError(f"verification method of type '{vm.get('type')}' needs a string '{name}'")
    return value


def _multikey(vm: dict[str, Any]) -> PublicKey:
    return _cached_multibase(_member(vm, "publicKeyMultibase"))


def _json_web_key(vm: dict[str, Any]) -> PublicKey:
    jwk = vm.get("publicKeyJwk")
    if not isinstance(jwk, dict):
        raise InvalidKeyError("verification method needs an object 'publicKeyJwk'")
    if PRIVATE_JWK_MEMBERS & jwk.keys():
        # a published private key is compromised by definition; never use it
        raise InvalidKeyError("'publicKeyJwk' contains private key members; refusing it")
    return _cached_jwk(json.dumps(jwk, sort_keys=True))


def _ed25519_2020(vm: dict[str, Any]) -> PublicKey:
    key = _multikey(vm)
    if key.alg != "Ed25519":
        raise InvalidKeyError("Ed25519VerificationKey2020 'publicKeyMultibase' is not an Ed25519 key")
    return key


def _ed25519_2018(vm: dict[str, Any]) -> PublicKey:
    return _cached_base58_ed25519(_member(vm, "publicKeyBase58"))


@lru_cache(maxsize=1024)
def _cached_multibase(value: str) -> PublicKey:
    # keys are immutable; decoding (and P-256 point decompression) happens once per key
    return PublicKey.from_multibase(value)


@lru_cache(maxsize=1024)
def _cached_jwk(canonical: str) -> PublicKey:
    return PublicKey.from_jwk(json.loads(canonical))


@lru_cache(maxsize=1024)
def _cached_base58_ed25519(value: str) -> PublicKey:
    try:
        raw = decode_base58btc(value)
    except MalformedError as exc:
        raise InvalidKeyError(f"'publicKeyBase58': {exc.message}") from None
    return PublicKey("Ed25519", raw)


VERIFICATION_METHOD_TYPES: dict[str, Callable[[dict[str, Any]], PublicKey]] = {
    "Multikey": _multikey,
    "JsonWebKey": _json_web_key,
    "JsonWebKey2020": _json_web_key,
    "Ed25519VerificationKey2020": _ed25519_2020,
    "Ed25519VerificationKey2018": _ed25519_2018,
}


def verification_method_key(vm: dict[str, Any]) -> PublicKey:
    """The public key of a verification method object.

    UnsupportedKeyTypeError for an unknown VM ``type``; InvalidKeyError for bad key material.
    """
    if not isinstance(vm, dict):
        raise InvalidKeyError("a verification method must be a JSON object")
    vm_type = vm.get("type")
    reader = VERIFICATION_METHOD_TYPES.get(vm_type) if isinstance(vm_type, str) else None
    if reader is None:
        raise UnsupportedKeyTypeError(
            f"verification method type is not supported; use one of {sorted(VERIFICATION_METHOD_TYPES)}",
            type=str(vm_type),
        )
    return reader(vm)
