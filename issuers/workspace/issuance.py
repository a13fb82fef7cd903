"""Issuing one catalog credential: validate, register its status, sign, in one process.

``Issuer`` holds what signing needs (the key, the verification method, the JSON-LD loader, a registry
connection) so a batch worker builds it once and calls ``issue_many`` per chunk of rows (their
registrations in one registry transaction). ``Workspace.issue`` uses the same path for one credential
and also records the signing key in the workspace ledger.

Re-issuing with the same record key (``record_key``) is idempotent: the registry returns the first
registration, and the credential is rebuilt with its id, status indexes and validity period, so the
copy a crashed run may have lost is the same credential (same id, same status entries).

Logs name the credential id, type, format and key, never a claim value.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from issuers.catalog import CertificateType, build_credential
from issuers.registry import (
    Registration,
    RegistrationRequest,
    StatusRegistry,
    idempotency_digest,
    purposes_for_format,
)
from vc.errors import UsageError, VcError, WorkspaceError
from vc.jsonld import DocumentLoader
from vc.keys import KeyPair
from vc.model import parse_datetime

from .formats import CredentialFormat, SignRequest, get_format
from .holder import Holder, HolderInput, resolve_holder

__all__ = ["IssueRequest", "IssuedCredential", "Issuer", "check_issuer_kinds", "idempotency_key"]

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


@dataclass(frozen=True, slots=True)
class IssueRequest:
    """One credential for ``Issuer.issue_many``: its claims and the per-credential options of ``issue``."""

    claims: Mapping[str, Any]
    holder: HolderInput = None
    record_key: str | None = None
    valid_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class _Draft:
    """A credential checked and built, not yet registered nor signed; ``registration`` is what the registry
    gets (a fresh id, the record key, the validity end)."""

    claims: Mapping[str, Any]
    holder: Holder
    unsigned: dict[str, Any]
    registration: RegistrationRequest


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
        now = _second(now or datetime.now(timezone.utc))
        draft = self._draft(ctype, fmt, IssueRequest(claims, holder, record_key, valid_until), now, validated=False)
        registration = None
        if status and self.registry is not None:
            registration = self.registry.register_many([draft.registration], now=now)[0]
        return self._sign(ctype, fmt, draft, registration, now)

    def issue_many(
        self,
        ctype: CertificateType,
        requests: Sequence[IssueRequest],
        *,
        format: str | None = None,
        status: bool = True,
        now: datetime | None = None,
        validated: bool = False,
    ) -> list[IssuedCredential | VcError]:
        """``issue`` for each request, with their registrations in one registry transaction (a batch chunk).

        One outcome per request, in order: the credential, or the VcError that stopped it (the others go
        on). When the chunk's registration fails as a whole (one request conflicts), each is registered
        alone so only the failing ones fail. ``validated=True``: the caller has just checked every
        request's claims (``claim_problems``), so they are not checked again. Format and kind problems,
        the same for every request, raise.
        """
        fmt = self.format_for(ctype, format)
        self.check_allowed(ctype)
        now = _second(now or datetime.now(timezone.utc))
        outcomes: list[_Draft | VcError] = []
        for request in requests:
            try:
                outcomes.append(self._draft(ctype, fmt, request, now, validated=validated))
            except VcError as exc:
                outcomes.append(exc)
        drafts = [d for d in outcomes if isinstance(d, _Draft)]
        registered: dict[int, Registration | VcError] = {}
        if status and self.registry is not None and drafts:
            registered = self._register(drafts, now)
        results: list[IssuedCredential | VcError] = []
        for outcome in outcomes:
            if isinstance(outcome, VcError):
                results.append(outcome)
                continue
            registration = registered.get(id(outcome))
            if isinstance(registration, VcError):
                results.append(registration)
                continue
            try:
                results.append(self._sign(ctype, fmt, outcome, registration, now))
            except VcError as exc:
                results.append(exc)
        return results

    def _register(self, drafts: list[_Draft], now: datetime) -> dict[int, Registration | VcError]:
        assert self.registry is not None
        try:
            made = self.registry.register_many([d.registration for d in drafts], now=now)
            return {id(d): r for d, r in zip(drafts, made, strict=True)}
        except VcError:
            pass  # the whole chunk was rolled back: find the requests at fault one by one
        out: dict[int, Registration | VcError] = {}
        for draft in drafts:
            try:
                out[id(draft)] = self.registry.register_many([draft.registration], now=now)[0]
            except VcError as exc:
                out[id(draft)] = exc
        return out

    def _draft(self, ctype: CertificateType, fmt: CredentialFormat, request: IssueRequest, now: datetime, *,
               validated: bool) -> _Draft:
        bound = resolve_holder(request.holder)
        if fmt.needs_holder_key and bound.subject_id is not None and bound.jwk is None:
            raise WorkspaceError(
                f"{fmt.name} binds the credential to the holder's key, and this holder DID does not carry one; "
                "pass the holder's public key (a JWK, did:key or did:jwk)", code="HOLDER_KEY_REQUIRED")
        unsigned = build_credential(ctype, request.claims, issuer=self.issuer_did, valid_from=now,
                                    valid_until=request.valid_until, subject_id=bound.subject_id, validated=validated)
        key = idempotency_key(ctype.id, fmt.name, request.record_key) if request.record_key is not None else None
        registration = RegistrationRequest(f"urn:uuid:{uuid.uuid4()}", ctype.credential_type, fmt.name,
                                           purposes_for_format(fmt.name), key, _until(unsigned))
        return _Draft(request.claims, bound, unsigned, registration)

    def _sign(self, ctype: CertificateType, fmt: CredentialFormat, draft: _Draft, registration: Registration | None,
              now: datetime) -> IssuedCredential:
        unsigned, until = draft.unsigned, draft.registration.valid_until
        credential_id, created = draft.registration.credential_id, True
        if registration is not None:
            credential_id, created = registration.credential_id, registration.created
            if not created:  # the same credential again: its first validity period (claims checked just now)
                until = registration.valid_until
                unsigned = build_credential(ctype, draft.claims, issuer=self.issuer_did,
                                            valid_from=registration.issued_at, valid_until=until,
                                            subject_id=draft.holder.subject_id, validated=True)
        unsigned = {"@context": unsigned["@context"], "id": credential_id,
                    **{k: v for k, v in unsigned.items() if k != "@context"}}
        signed = fmt.sign(SignRequest(credential=unsigned, ctype=ctype, key=self.key,
                                      verification_method=self.verification_method, registration=registration,
                                      holder=draft.holder, now=now, loader=self.loader))
        log.info("signed %s type=%s format=%s kid=%s%s", credential_id, ctype.id, fmt.name, self.kid,
                 "" if created else " (re-issue of a recorded credential)")
        key = draft.registration.idempotency_key
        return IssuedCredential(credential_id=credential_id, format=fmt.name, credential=signed, type=ctype.id,
                                kid=self.kid, valid_until=until, registration=registration,
                                record_hash=idempotency_digest(key) if key is not None else None, created=created)


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
