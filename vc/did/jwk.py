"""did:jwk (quartzjer/did-jwk): a DID that is a base64url-encoded public JWK.

``did_jwk`` encodes the RFC 7638 member set (sorted, no whitespace), which reproduces the spec's
P-256 example exactly. Resolution follows the spec's template: ``#0`` of type ``JsonWebKey2020``
with the decoded JWK as ``publicKeyJwk``; ``use: "sig"`` drops ``keyAgreement``, ``use: "enc"``
keeps only ``keyAgreement``.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from vc.did.url import parse_did
from vc.encoding.base64url import b64url_decode, b64url_encode
from vc.errors import InvalidDidError, VcError
from vc.input import load_json
from vc.keys.jwk import PRIVATE_JWK_MEMBERS, canonical_public_jwk_json
from vc.keys.public_key import PublicKey

__all__ = ["DID_JWK_CONTEXTS", "did_jwk", "did_jwk_document", "did_jwk_public_jwk"]

DID_JWK_CONTEXTS = ("https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1")
_SIGNING = ("assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation")
_MAX_JWK_BYTES = 4096


def did_jwk(public: PublicKey) -> str:
    """The did:jwk of a public key (canonical RFC 7638 JWK members, base64url)."""
    jwk = public.key_type.public_jwk(public.raw)
    return "did:jwk:" + b64url_encode(canonical_public_jwk_json(jwk).encode("utf-8"))


def did_jwk_public_jwk(did: str) -> dict[str, Any]:
    """The JWK a did:jwk encodes (checked to be a public JWK)."""
    parsed = parse_did(did)
    if parsed.method != "jwk" or ":" in parsed.method_specific_id:
        raise InvalidDidError("not a did:jwk")
    try:
        jwk = load_json(b64url_decode(parsed.method_specific_id), max_bytes=_MAX_JWK_BYTES, max_depth=4)
    except VcError as exc:
        raise InvalidDidError(f"did:jwk value is not base64url-encoded JSON: {exc.message}") from None
    if not isinstance(jwk, dict) or not isinstance(jwk.get("kty"), str):
        raise InvalidDidError("did:jwk value is not a JWK object with 'kty'")
    if PRIVATE_JWK_MEMBERS & jwk.keys():
        raise InvalidDidError("did:jwk holds private key members; a did:jwk must hold a public key only")
    return jwk


def did_jwk_document(did: str) -> dict[str, Any]:
    """The DID document for a did:jwk."""
    return copy.deepcopy(_document(did))


@lru_cache(maxsize=256)
def _document(did: str) -> dict[str, Any]:
    jwk = did_jwk_public_jwk(did)
    vm_id = did + "#0"
    document: dict[str, Any] = {
        "@context": list(DID_JWK_CONTEXTS),
        "id": did,
        "verificationMethod": [
            {"id": vm_id, "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": jwk}
        ],
    }
    use = jwk.get("use")
    if use != "enc":
        for relationship in _SIGNING:
            document[relationship] = [vm_id]
    if use != "sig":
        document["keyAgreement"] = [vm_id]
    return document
