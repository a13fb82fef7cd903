"""VC-API issuing and status updates (w3c-ccg/vc-api ``POST /credentials/issue``, ``/credentials/status``).

The credential comes from the caller (VCDM 2.0, or 1.1 to which the Data Integrity context is appended),
not from the catalog: it is signed as it is, after the same safe-mode JSON-LD checks as every credential
(an undefined term or a redefined protected term is refused). Signers by cryptosuite: the workspace key
for the suites its key type fits; a did:key issuer per key type (``did_key_issuers``) for the others and
for the per-suite routes the W3C test suites call. Status: when the workspace issuer signs and the input
has no ``credentialStatus``, the registry allocates ``BitstringStatusListEntry`` indexes (revocation and
suspension) and the service serves those lists.
"""

from __future__ import annotations

import copy
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from issuers.registry import Registration, StatusRegistry, credential_status_entries, purposes_for_format
from vc.credentials import DI_FORMATS, default_verification_method, issue_credential
from vc.did import did_key
from vc.errors import DataModelError, MalformedError, StatusError, StatusTransitionError
from vc.jsonld import DocumentLoader, check_safe
from vc.keys import KeyPair
from vc.model import data_model_version, format_datetime, parse_datetime, validate_credential
from vc.proofs import get_cryptosuite
from vc.status import bitstring_status_entry

__all__ = ["STATUS_V1_CONTEXT", "Signer", "VcApiIssuer"]

STATUS_V1_CONTEXT = "https://www.w3.org/ns/credentials/status/v1"  # BSL terms for VCDM 1.1 credentials
DATA_INTEGRITY_CONTEXT = "https://w3id.org/security/data-integrity/v2"
_SUITE_CONTEXT_11 = {"Ed25519Signature2020": "https://w3id.org/security/suites/ed25519-2020/v1"}


@dataclass(frozen=True, slots=True)
class Signer:
    """Who signs: issuer id, key, verification method; ``registry`` when this issuer's credentials get status."""

    issuer_id: str
    key: KeyPair
    verification_method: str
    with_status: bool = False

    @classmethod
    def did_key(cls, key: KeyPair) -> Signer:
        """A signer whose issuer is the key's own did:key (no status: its lists would need its own issuer)."""
        issuer = did_key(key.public)
        return cls(issuer, key, default_verification_method(key, issuer), with_status=False)


class VcApiIssuer:
    """Signs VC-API issue requests and applies VC-API status updates.

    ``default_cryptosuite`` is used when a request names none; ``did_key_issuers`` maps key types
    (``Ed25519``, ``P-256``) to did:key signers.
    """

    def __init__(
        self,
        *,
        workspace_signer: Signer,
        registry: StatusRegistry | None,
        loader: DocumentLoader,
        default_cryptosuite: str,
        did_key_issuers: Mapping[str, Signer] | None = None,
    ) -> None:
        self.workspace_signer = workspace_signer
        self.registry = registry
        self.loader = loader
        self.default_cryptosuite = default_cryptosuite
        self.did_key_issuers = dict(did_key_issuers or {})
        self._lock = threading.Lock()  # one signature at a time: signing holds the GIL anyway

    def suites(self) -> list[str]:
        """The cryptosuites some signer here can use."""
        return [s for s in DI_FORMATS if self._signer_or_none(s, did_key_only=False) is not None]

    def signer_for(self, cryptosuite: str, *, did_key_only: bool = False) -> Signer:
        """The workspace signer when its key fits ``cryptosuite`` (and not ``did_key_only``), else the did:key
        signer for the suite's key type; DataModelError (400) when there is none."""
        if cryptosuite not in DI_FORMATS:
            raise DataModelError(f"unknown cryptosuite {cryptosuite!r}; this issuer signs with "
                                 + ", ".join(self.suites()), code="UNSUPPORTED_CRYPTOSUITE")
        found = self._signer_or_none(cryptosuite, did_key_only=did_key_only)
        if found is None:
            raise DataModelError(f"this issuer has no key for {cryptosuite}; it signs with " + ", ".join(self.suites()),
                                 code="UNSUPPORTED_CRYPTOSUITE")
        return found

    def _named_signer(self, issuer: Any, cryptosuite: str) -> Signer | None:
        """The did:key signer the credential names as its issuer, when its key fits ``cryptosuite``."""
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        if cryptosuite not in DI_FORMATS or not isinstance(issuer_id, str):
            return None
        algs = get_cryptosuite(cryptosuite).key_algs
        return next((s for s in self.did_key_issuers.values()
                     if s.issuer_id == issuer_id and s.key.alg in algs), None)

    def _signer_or_none(self, cryptosuite: str, *, did_key_only: bool) -> Signer | None:
        algs = get_cryptosuite(cryptosuite).key_algs
        if not did_key_only and self.workspace_signer.key.alg in algs:
            return self.workspace_signer
        return next((s for alg, s in self.did_key_issuers.items() if alg in algs), None)

    # --- issue ----------------------------------------------------------------------------

    def issue(self, credential: Any, options: Any, *, now: datetime, route_suite: str | None = None) -> dict[str, Any]:
        """The signed credential for a ``{credential, options}`` request; unknown options are ignored.

        ``route_suite`` (a per-suite route) fixes the cryptosuite and its did:key issuer.
        """
        if not isinstance(credential, dict):
            raise MalformedError("'credential' must be a JSON object (the unsecured credential)")
        options = options if isinstance(options, dict) else {}
        suite = route_suite or options.get("cryptosuite") or self.default_cryptosuite
        if not isinstance(suite, str):
            raise DataModelError("'options.cryptosuite' must be a string", code="UNSUPPORTED_CRYPTOSUITE")
        signer = self._named_signer(credential.get("issuer"), suite) or self.signer_for(
            suite, did_key_only=route_suite is not None)
        doc = copy.deepcopy(credential)
        _set_issuer(doc, signer.issuer_id)
        credential_id = options.get("credentialId")
        if credential_id is not None and not isinstance(credential_id, str):
            raise DataModelError("'options.credentialId' must be a string", code="INVALID_ID")
        with self._lock:
            if signer.with_status and self.registry is not None and "credentialStatus" not in doc:
                # check before registering: a refused credential must not take an id or an index
                self._precheck(doc, suite, now)
                self._add_status(doc, suite, credential_id, now)
            return issue_credential(doc, signer.key, cryptosuite=suite, verification_method=signer.verification_method,
                                    now=now, loader=self.loader)

    def _precheck(self, doc: dict[str, Any], suite: str, now: datetime) -> None:
        """Run the data model and safe-mode checks signing will run, on a copy with a sample status entry."""
        probe = copy.deepcopy(doc)
        probe.pop("proof", None)
        version = data_model_version(probe)
        probe.setdefault("validFrom" if version == "2.0" else "issuanceDate", format_datetime(now))
        probe.setdefault("id", "urn:uuid:00000000-0000-4000-8000-000000000000")
        probe["credentialStatus"] = [bitstring_status_entry(status_list_credential="https://example.invalid/status/1",
                                                            index=0, purpose="revocation")]
        if version == "1.1" and isinstance(probe.get("@context"), list):
            probe["@context"] += [STATUS_V1_CONTEXT, _SUITE_CONTEXT_11.get(suite, DATA_INTEGRITY_CONTEXT)]
        validate_credential(probe)
        check_safe(probe, loader=self.loader)

    def _add_status(self, doc: dict[str, Any], suite: str, credential_id: str | None, now: datetime) -> None:
        assert self.registry is not None
        version = data_model_version(doc)
        if isinstance(doc.get("id"), str):
            credential_id = doc["id"]
        elif credential_id is None:
            # the registry needs an id to change status later; the caller gets it back in the credential
            credential_id = f"urn:uuid:{uuid.uuid4()}"
            doc["id"] = credential_id
        until_text = doc.get("validUntil" if version == "2.0" else "expirationDate")
        until = parse_datetime(until_text, what="validUntil") if isinstance(until_text, str) else None
        registration = self.registry.register(
            credential_id=credential_id, credential_type=_most_specific_type(doc), format=suite,
            purposes=purposes_for_format(suite), valid_until=until, now=now)
        doc["credentialStatus"] = credential_status_entries(registration)
        if version == "1.1" and isinstance(doc.get("@context"), list) and STATUS_V1_CONTEXT not in doc["@context"]:
            doc["@context"].append(STATUS_V1_CONTEXT)

    # --- status ---------------------------------------------------------------------------

    def update_status(self, request: Mapping[str, Any], *, now: datetime, reason: str | None = None) -> Registration:
        """Apply ``{credentialId, credentialStatus: {type, statusPurpose}, status}``: revocation ``true``
        revokes (final); suspension ``true`` suspends and ``false`` reinstates."""
        if self.registry is None:
            raise StatusError("this issuer keeps no status registry", code="STATUS_UNSUPPORTED")
        credential_id = request.get("credentialId")
        entry = request.get("credentialStatus")
        status = request.get("status")
        if not isinstance(credential_id, str) or not credential_id:
            raise DataModelError("'credentialId' must be the id of an issued credential", code="INVALID_ID")
        if not isinstance(entry, dict) or not isinstance(status, bool):
            raise DataModelError("the request needs 'credentialStatus' {type, statusPurpose} and a boolean 'status'",
                                 code="INVALID_STATUS_REQUEST")
        if entry.get("type") not in ("BitstringStatusList", "BitstringStatusListEntry"):
            raise DataModelError("'credentialStatus.type' must be BitstringStatusList", code="INVALID_STATUS_REQUEST")
        purpose = entry.get("statusPurpose")
        extra = {"reason": reason} if reason else {}
        if purpose == "revocation":
            current = self.registry.get(credential_id)
            if status:
                return self.registry.revoke(credential_id, now=now, **extra)
            if current.status == "revoked":
                raise StatusTransitionError("the credential is revoked; revocation is final and cannot be undone",
                                            code="CREDENTIAL_REVOKED")
            return current
        if purpose == "suspension":
            if status:
                return self.registry.suspend(credential_id, now=now, **extra)
            return self.registry.reinstate(credential_id, now=now, **extra)
        raise DataModelError("'credentialStatus.statusPurpose' must be revocation or suspension",
                             code="INVALID_STATUS_REQUEST")


def _set_issuer(doc: dict[str, Any], issuer_id: str) -> None:
    """Fill a missing issuer; an issuer other than this one is a 400 (VC-API: does not match the configuration)."""
    issuer = doc.get("issuer")
    if issuer is None:
        doc["issuer"] = issuer_id
        return
    if isinstance(issuer, dict) and "id" not in issuer:
        issuer["id"] = issuer_id
        return
    given = issuer.get("id") if isinstance(issuer, dict) else issuer
    if given != issuer_id:
        raise DataModelError(f"'issuer' must be this issuer ({issuer_id}) or absent", code="INVALID_ISSUER")


def _most_specific_type(doc: Mapping[str, Any]) -> str:
    types = doc.get("type")
    types = [types] if isinstance(types, str) else list(types) if isinstance(types, list) else []
    specific = [t for t in types if isinstance(t, str) and t != "VerifiableCredential"]
    return specific[-1] if specific else "VerifiableCredential"
