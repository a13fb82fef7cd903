"""Issuing one catalog credential: validate, register its status, sign, in one process.

``Issuer`` holds what signing needs (the key, the verification method, the JSON-LD loader, a registry
connection) so a batch worker builds it once and calls ``issue`` per row. ``Workspace.issue`` uses the
same path and also records the signing key in the workspace ledger.

Re-issuing with the same record key (``record_key``) is idempotent: the registry returns the first
registration, and the credential is rebuilt with its id, status indexes and validity period, so the
copy a crashed run may have lost is the same credential (same id, same status entries).

Logs name the credential id, type, format and key, never a claim value.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from issuers.catalog import CertificateType, build_credential
from issuers.registry import Registration, StatusRegistry, idempotency_digest, purposes_for_format
from vc.errors import UsageError, WorkspaceError
from vc.jsonld import DocumentLoader
from vc.keys import KeyPair
from vc.model import parse_datetime

from .formats import CredentialFormat, SignRequest, get_format
from .holder import HolderInput, resolve_holder

__all__ = ["IssuedCredential", "Issuer", "check_issuer_kinds", "idempotency_key"]

log = logging.getLogger("jitsuin.issuance")


@dataclass(frozen=True, slots=True)
class IssuedCredential:
    """A signed credential: a JSON object (Data Integrity) or a compact string (``vc+jwt``, ``dc+sd-jwt``).

    ``kid`` is the workspace key that signed it (``key-1``), ``registration`` its registry row (None when
    issued without status), ``created`` False when a record key found an earlier issuance.
    """

    credential_id: str
    format: str
    credential: dict[str, Any] | str
    type: str = ""
    kid: str = ""
    valid_until: datetime | None = None
    registration: Registration | None = field(default=None, repr=False)
    record_hash: str | None = field(default=None, repr=False)
    created: bool = True

    def serialize(self) -> str:
        """The credential as file content: pretty JSON, or the compact form on one line."""
        if isinstance(self.credential, str):
            return self.credential + "\n"
        return json.dumps(self.credential, ensure_ascii=False, indent=2) + "\n"


def idempotency_key(type_id: str, format_name: str, record_key: str) -> str:
    """The registry idempotency key of an institution's record: one credential per type, format and record."""
    if not isinstance(record_key, str) or not record_key:
        raise UsageError("record_key must be a non-empty string")
    return f"{type_id}/{format_name}/{record_key}"


class Issuer:
    """Signs catalog credentials as ``issuer_did`` with ``key`` (the workspace's active key ``kid``)."""

    def __init__(
        self,
        *,
        issuer_did: str,
        key: KeyPair,
        kid: str,
        verification_method: str,
        loader: DocumentLoader,
        registry: StatusRegistry | None,
        kinds: Collection[str] = (),
        default_format: str | None = None,
    ) -> None:
        self.issuer_did = issuer_did
        self.key = key
        self.kid = kid
        self.verification_method = verification_method
        self.loader = loader
        self.registry = registry
        self.kinds = frozenset(kinds)
        self.default_format = default_format

    def format_for(self, ctype: CertificateType, name: str | None = None) -> CredentialFormat:
        """The format to use: ``name``, else the workspace default, else the type's default; checked
        against the signing key type."""
        fmt = get_format(name or self.default_format or ctype.default_format)
        fmt.check_key(self.key.alg)
        return fmt

    def check_allowed(self, ctype: CertificateType) -> None:
        """WorkspaceError TYPE_NOT_ALLOWED when the workspace's issuer kinds may not issue ``ctype``."""
        check_issuer_kinds(self.kinds, ctype)

    def issue(
        self,
        ctype: CertificateType,
        claims: Mapping[str, Any],
        *,
        format: str | None = None,
        holder: HolderInput = None,
        status: bool = True,
        record_key: str | None = None,
        valid_until: datetime | None = None,
        now: datetime | None = None,
    ) -> IssuedCredential:
        """Validate ``claims`` for ``ctype``, register status (when ``status`` and a registry), sign.

        Raises CatalogError (claims, naming each bad field), WorkspaceError (format, key, holder, kind),
        RegistryError (registry).
        """
        fmt = self.format_for(ctype, format)
        self.check_allowed(ctype)
        bound = resolve_holder(holder)
        if fmt.needs_holder_key and bound.subject_id is not None and bound.jwk is None:
            raise WorkspaceError(
                f"{fmt.name} binds the credential to the holder's key, and this holder DID does not carry one; "
                "pass the holder's public key (a JWK, did:key or did:jwk)", code="HOLDER_KEY_REQUIRED")
        now = _second(now or datetime.now(timezone.utc))
        unsigned = build_credential(ctype, claims, issuer=self.issuer_did, valid_from=now, valid_until=valid_until,
                                    subject_id=bound.subject_id)
        until = _until(unsigned)
        record_hash = None
        key = idempotency_key(ctype.id, fmt.name, record_key) if record_key is not None else None
        if key is not None:
            record_hash = idempotency_digest(key)
        registration: Registration | None = None
        credential_id = f"urn:uuid:{uuid.uuid4()}"
        created = True
        if status and self.registry is not None:
            registration = self.registry.register(
                credential_id=credential_id, credential_type=ctype.credential_type, format=fmt.name,
                purposes=purposes_for_format(fmt.name), idempotency_key=key, valid_until=until, now=now)
            credential_id, created = registration.credential_id, registration.created
            if not created:  # the same credential again: its first validity period
                until = registration.valid_until
                unsigned = build_credential(ctype, claims, issuer=self.issuer_did, valid_from=registration.issued_at,
                                            valid_until=until, subject_id=bound.subject_id)
        unsigned = {"@context": unsigned["@context"], "id": credential_id,
                    **{k: v for k, v in unsigned.items() if k != "@context"}}
        signed = fmt.sign(SignRequest(credential=unsigned, ctype=ctype, key=self.key,
                                      verification_method=self.verification_method, registration=registration,
                                      holder=bound, now=now, loader=self.loader))
        log.info("signed %s type=%s format=%s kid=%s%s", credential_id, ctype.id, fmt.name, self.kid,
                 "" if created else " (re-issue of a recorded credential)")
        return IssuedCredential(credential_id=credential_id, format=fmt.name, credential=signed, type=ctype.id,
                                kid=self.kid, valid_until=until, registration=registration, record_hash=record_hash,
                                created=created)


def check_issuer_kinds(kinds: Collection[str], ctype: CertificateType) -> None:
    """WorkspaceError TYPE_NOT_ALLOWED unless one of ``kinds`` may issue ``ctype`` (no kinds: no limit)."""
    if kinds and not set(kinds) & set(ctype.issuer_kinds):
        raise WorkspaceError(
            f"{ctype.id} may be issued by {', '.join(ctype.issuer_kinds)}; this workspace is a "
            f"{', '.join(sorted(kinds))} (its kinds in jitsuin.toml)", code="TYPE_NOT_ALLOWED", type=ctype.id)


def _until(credential: Mapping[str, Any]) -> datetime | None:
    value = credential.get("validUntil")
    return parse_datetime(value, what="validUntil") if value else None


def _second(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise UsageError("now must be a timezone-aware datetime")
    return moment.astimezone(timezone.utc).replace(microsecond=0)
