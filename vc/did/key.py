"""did:key (W3C CCG did:key v0.9) for Ed25519 and P-256 Multikeys.

The document matches what Digital Bazaar's did-method-key resolver returns: contexts DID v1 and
Multikey v1, one ``Multikey`` verification method ``did:key:z...#z...`` referenced from
``authentication``, ``assertionMethod``, ``capabilityDelegation`` and ``capabilityInvocation``.
No derived X25519 ``keyAgreement`` key is added.

>>> did_key_document("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")["verificationMethod"][0]["type"]
'Multikey'
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from vc.errors import InvalidDidError, KeyMaterialError
from vc.keys.public_key import PublicKey
from vc.did.url import parse_did

__all__ = ["DID_KEY_CONTEXTS", "did_key", "did_key_document", "did_key_public_key"]

DID_KEY_CONTEXTS = ("https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1")
_RELATIONSHIPS = ("authentication", "assertionMethod", "capabilityDelegation", "capabilityInvocation")


def did_key(public: PublicKey) -> str:
    """The did:key for a public key (``did:key:z6Mk...`` / ``did:key:zDn...``)."""
    return "did:key:" + public.to_multibase()


def did_key_public_key(did: str) -> PublicKey:
    """The public key a did:key encodes; InvalidDidError if it is not a supported did:key."""
    parsed = parse_did(did)
    if parsed.method != "key":
        raise InvalidDidError("not a did:key")
    try:
        return PublicKey.from_multibase(parsed.method_specific_id)
    except KeyMaterialError as exc:
        raise InvalidDidError(f"did:key does not encode a supported public key: {exc.message}") from None


def did_key_document(did: str) -> dict[str, Any]:
    """The DID document for a did:key (Multikey form)."""
    return copy.deepcopy(_document(did))


@lru_cache(maxsize=256)
def _document(did: str) -> dict[str, Any]:
    public = did_key_public_key(did)
    multibase = public.to_multibase()
    if did != "did:key:" + multibase:
        raise InvalidDidError("did:key is not in canonical form")  # pragma: no cover - base58 is bijective
    vm_id = f"{did}#{multibase}"
    document: dict[str, Any] = {
        "@context": list(DID_KEY_CONTEXTS),
        "id": did,
        "verificationMethod": [
            {"id": vm_id, "type": "Multikey", "controller": did, "publicKeyMultibase": multibase}
        ],
    }
    for relationship in _RELATIONSHIPS:
        document[relationship] = [vm_id]
    return document
