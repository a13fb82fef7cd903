"""A trust list published as a credential: a ``TrustListCredential`` signed with Data Integrity.

A ministry (the publisher) signs the list; a verifier checks the proof, the validity period and
that the signer is one of the publishers it accepts, and only then uses the entries. The terms
live in the bundled context ``https://w3id.org/jitsuin/trust-list/v1`` (``contexts/``):

    {"@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/jitsuin/trust-list/v1"],
     "type": ["VerifiableCredential", "TrustListCredential"],
     "issuer": "did:web:digital.example.go.jp",
     "credentialSubject": {"listName": "...", "trustedIssuers": [
         {"issuerDid": "did:web:hospital.example.jp", "credentialTypes": ["BirthCertificateCredential"],
          "trustedUntil": "2027-03-31T14:59:59Z", "issuerName": {"ja": "例示病院"}},
         {"didWebDomain": "*.lg.jp", "credentialTypes": ["ResidentRecordCredential"]}]}}

>>> signed = sign_trust_list(trust, ministry_key, issuer="did:web:digital.example.go.jp",
...                          verification_method="did:web:digital.example.go.jp#key-1")
>>> verify_trust_list_credential(signed, publishers=["did:web:digital.example.go.jp"]).entries
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from vc.credentials import issue_credential, verify_credential
from vc.errors import PolicyError, VcError
from vc.jsonld import DocumentLoader, default_loader
from vc.keys import KeyPair
from vc.model import CREDENTIALS_V2_CONTEXT, format_datetime, parse_datetime

from .trust import TrustEntry, TrustList

__all__ = [
    "TRUST_LIST_CONTEXT_URL",
    "TRUST_LIST_CREDENTIAL_TYPE",
    "register_trust_list_context",
    "sign_trust_list",
    "trust_list_credential",
    "verify_trust_list_credential",
]

TRUST_LIST_CONTEXT_URL = "https://w3id.org/jitsuin/trust-list/v1"
TRUST_LIST_CREDENTIAL_TYPE = "TrustListCredential"
_CONTEXT_FILE = Path(__file__).parent / "contexts" / "trust-list-v1.jsonld"
# pinned so a changed file is noticed: a context's meaning must not change under signed lists
_CONTEXT_SHA256 = "c1dac67a2b8bc78286f09a7ace1eba9bab4a44329c27a4880f2b224d01190ef0"


def register_trust_list_context(loader: DocumentLoader | None = None) -> DocumentLoader:
    """Serve the trust-list context from ``loader`` (default: the process-wide loader); returns the loader."""
    loader = loader if loader is not None else default_loader()
    loader.register(TRUST_LIST_CONTEXT_URL, _CONTEXT_FILE.read_bytes(), sha256=_CONTEXT_SHA256)
    return loader


def trust_list_credential(
    trust_list: TrustList,
    *,
    issuer: str,
    credential_id: str | None = None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> dict[str, Any]:
    """The unsigned ``TrustListCredential`` for ``trust_list``."""
    subject: dict[str, Any] = {}
    if trust_list.name is not None:
        subject["listName"] = trust_list.name
    subject["trustedIssuers"] = [_entry_object(e) for e in trust_list.entries]
    credential: dict[str, Any] = {
        "@context": [CREDENTIALS_V2_CONTEXT, TRUST_LIST_CONTEXT_URL],
        "type": ["VerifiableCredential", TRUST_LIST_CREDENTIAL_TYPE],
        "issuer": issuer,
    }
    if credential_id is not None:
        credential["id"] = credential_id
    if valid_from is not None:
        credential["validFrom"] = format_datetime(valid_from)
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until)
    credential["credentialSubject"] = subject
    return credential


def sign_trust_list(
    trust_list: TrustList,
    key: KeyPair,
    *,
    issuer: str,
    verification_method: str | None = None,
    valid_until: datetime | None = None,
    credential_id: str | None = None,
    cryptosuite: str = "eddsa-rdfc-2022",
    now: datetime | None = None,
    loader: DocumentLoader | None = None,
) -> dict[str, Any]:
    """The ``TrustListCredential`` for ``trust_list``, signed by ``key`` for ``issuer`` (the publisher)."""
    loader = register_trust_list_context(loader)
    now = now or datetime.now(timezone.utc)
    unsigned = trust_list_credential(trust_list, issuer=issuer, credential_id=credential_id, valid_from=now,
                                     valid_until=valid_until)
    return issue_credential(unsigned, key, cryptosuite=cryptosuite, verification_method=verification_method, now=now,
                            loader=loader)


def verify_trust_list_credential(
    credential: Mapping[str, Any],
    *,
    publishers: Collection[str],
    resolver: Any = None,
    loader: DocumentLoader | None = None,
    now: datetime | None = None,
) -> TrustList:
    """The trust list in a signed ``TrustListCredential``, after verifying it.

    ``publishers``: who may sign trust lists (DIDs, or did:web domain patterns such as ``digital.go.jp``).
    PolicyError TRUST_LIST_INVALID (proof, validity or content; ``detail["codes"]`` lists the failed checks)
    or TRUST_LIST_UNTRUSTED_PUBLISHER.
    """
    loader = register_trust_list_context(loader)
    now = now or datetime.now(timezone.utc)
    if not isinstance(credential, Mapping):
        raise PolicyError("a signed trust list must be a JSON object (a TrustListCredential)", code="TRUST_LIST_INVALID")
    document = dict(credential)
    result = verify_credential(document, resolver=resolver, loader=loader, now=now)
    if not result.verified:
        codes = list(result.codes)
        raise PolicyError("the signed trust list did not verify (" + ", ".join(codes) + "); do not use it",
                          code="TRUST_LIST_INVALID", codes=codes)
    types = document.get("type")
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or TRUST_LIST_CREDENTIAL_TYPE not in types:
        raise PolicyError(f"the credential is not a {TRUST_LIST_CREDENTIAL_TYPE}", code="TRUST_LIST_INVALID")
    issuer = document.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    allowed = [_publisher_entry(p) for p in publishers]
    if not isinstance(issuer, str) or not any(e.matches_issuer(issuer) for e in allowed):
        raise PolicyError(f"the trust list is signed by {issuer}, which is not an accepted trust list publisher",
                          code="TRUST_LIST_UNTRUSTED_PUBLISHER")
    subject = document.get("credentialSubject")
    if not isinstance(subject, Mapping):
        raise PolicyError("a TrustListCredential has one credentialSubject object", code="TRUST_LIST_INVALID")
    entries = subject.get("trustedIssuers", [])
    entries = entries if isinstance(entries, list) else [entries]
    try:
        parsed = tuple(_entry_from_object(e) for e in entries)
        expires = parse_datetime(document["validUntil"], what="validUntil") if "validUntil" in document else None
    except VcError as exc:
        raise PolicyError(f"the trust list content is invalid: {exc.message}", code="TRUST_LIST_INVALID") from None
    name = subject.get("listName")
    return TrustList(entries=parsed, name=name if isinstance(name, str) else None, publisher=issuer, expires=expires)


def _publisher_entry(publisher: str) -> TrustEntry:
    if publisher.startswith("did:"):
        return TrustEntry(types=frozenset({"*"}), did=publisher)
    return TrustEntry(types=frozenset({"*"}), domain=publisher)


def _entry_object(entry: TrustEntry) -> dict[str, Any]:
    out: dict[str, Any] = {"issuerDid": entry.did} if entry.did is not None else {"didWebDomain": entry.domain}
    out["credentialTypes"] = sorted(entry.types)
    if entry.valid_from is not None:
        out["trustedFrom"] = format_datetime(entry.valid_from)
    if entry.valid_until is not None:
        out["trustedUntil"] = format_datetime(entry.valid_until)
    if entry.name:
        out["issuerName"] = dict(entry.name)
    return out


def _entry_from_object(value: Any) -> TrustEntry:
    if not isinstance(value, Mapping):
        raise PolicyError("each trustedIssuers entry must be an object", code="TRUST_LIST_INVALID")
    types = value.get("credentialTypes", [])
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise PolicyError("credentialTypes must be a list of strings", code="TRUST_LIST_INVALID")
    name = value.get("issuerName", {})
    if not isinstance(name, Mapping) or not all(isinstance(v, str) for v in name.values()):
        raise PolicyError("issuerName must be a language map", code="TRUST_LIST_INVALID")
    return TrustEntry(
        types=frozenset(types),
        did=value.get("issuerDid"),
        domain=value.get("didWebDomain"),
        valid_from=parse_datetime(value["trustedFrom"], what="trustedFrom") if "trustedFrom" in value else None,
        valid_until=parse_datetime(value["trustedUntil"], what="trustedUntil") if "trustedUntil" in value else None,
        name=dict(name),
    )


def context_sha256() -> str:
    """The SHA-256 of the bundled trust-list context file (a test checks it against the pinned value)."""
    return hashlib.sha256(_CONTEXT_FILE.read_bytes()).hexdigest()
