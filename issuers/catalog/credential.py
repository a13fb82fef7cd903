"""From claims to an unsigned VCDM 2.0 credential of a catalog type (pure: no signing, no clock, no randomness).

>>> ctype = Catalog.load().get("ResidentRecord")
>>> credential = build_credential(ctype, claims, issuer="did:web:city.example.jp",
...                               valid_from=datetime(2025, 4, 1, tzinfo=timezone.utc), subject_id=holder_did)
>>> sd_paths(ctype)          # what SD-JWT makes selectively disclosable by default
[('familyName',), ('givenName',), ..., ('members', None)]
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from vc.errors import CatalogError, UsageError
from vc.model import CREDENTIALS_V2_CONTEXT, format_datetime

from .certificate_type import CertificateType, Sensitivity
from .claim_paths import ClaimPath, format_path
from .validation import validate_claims

__all__ = [
    "ClaimInfo",
    "JST",
    "build_credential",
    "credential_schema_document",
    "derive_predicates",
    "describe_claims",
    "opt_in_paths",
    "sd_paths",
]

#: Japan Standard Time: the default "as of" date of derived predicates is the validFrom date in JST
JST = timezone(timedelta(hours=9), "JST")


def build_credential(
    ctype: CertificateType,
    claims: Mapping[str, Any],
    *,
    issuer: str | Mapping[str, Any],
    valid_from: datetime,
    subject_id: str | None = None,
    valid_until: datetime | None = None,
    credential_id: str | None = None,
    as_of: date | None = None,
    derive: bool = True,
    validated: bool = False,
) -> dict[str, Any]:
    """The unsigned credential: ``@context`` [v2, the type's context], ``type``, ``issuer``, ``validFrom``,
    ``validUntil`` (``valid_until`` or ``valid_from`` + the type's default validity), ``credentialSchema``
    and ``credentialSubject`` (``subject_id`` as its ``id``, the claims, derived predicates).

    Claims are validated first (CatalogError FORBIDDEN_CLAIM / CLAIMS_INVALID naming each bad field) and copied
    exactly: no character is normalised. Derived predicates are computed ``as_of`` (default: the validFrom date
    in JST); a predicate the caller already gave must agree with the derived value. ``validated=True`` skips the
    validation, for a caller that has just checked these very claims (batch issuance checks every row first).
    """
    if valid_from.tzinfo is None or (valid_until is not None and valid_until.tzinfo is None):
        raise UsageError("valid_from and valid_until must be timezone-aware datetimes")
    if not validated:
        validate_claims(ctype, claims)
    subject_claims = copy.deepcopy(dict(claims))
    if derive:
        day = as_of or valid_from.astimezone(JST).date()
        subject_claims = derive_predicates(ctype, subject_claims, as_of=day)
    until = valid_until
    if until is None and ctype.default_validity is not None:
        until = ctype.default_validity.add_to(valid_from)
    if until is not None and until <= valid_from:
        raise UsageError("valid_until must be later than valid_from")
    credential: dict[str, Any] = {"@context": [CREDENTIALS_V2_CONTEXT, ctype.context_url]}
    if credential_id is not None:
        credential["id"] = credential_id
    credential["type"] = ["VerifiableCredential", ctype.credential_type]
    credential["name"] = _language_values(ctype.name)
    credential["description"] = _language_values(ctype.description)
    credential["issuer"] = copy.deepcopy(dict(issuer)) if isinstance(issuer, Mapping) else issuer
    credential["validFrom"] = format_datetime(valid_from)
    if until is not None:
        credential["validUntil"] = format_datetime(until)
    credential["credentialSchema"] = {"id": ctype.schema_url, "type": "JsonSchema"}
    subject: dict[str, Any] = {"id": subject_id} if subject_id is not None else {}
    subject.update(subject_claims)
    credential["credentialSubject"] = subject
    return credential


def derive_predicates(ctype: CertificateType, claims: Mapping[str, Any], *, as_of: date) -> dict[str, Any]:
    """``claims`` plus every predicate of ``ctype`` whose sources are present (a new dict).

    CatalogError CLAIMS_INVALID when a given predicate disagrees with the value derived from its sources.
    """
    out = dict(claims)
    disagree: list[str] = []
    for name, predicate in ctype.predicates.items():
        value = predicate.derive(claims, as_of=as_of)
        if value is None:
            continue
        if name in out and out[name] != value:
            disagree.append(name)
            continue
        out[name] = value
    if disagree:
        raise CatalogError(
            f"claims for {ctype.id}: " + "; ".join(
                f"claim '{n}' disagrees with the value derived from "
                + ", ".join(f"'{s}'" for s in ctype.predicates[n].source_text)
                + "; leave it out and jitsuin derives it" for n in disagree),
            code="CLAIMS_INVALID", type=ctype.id,
            errors=[{"path": n, "rule": "predicate", "reason": "disagrees with its derived value"} for n in disagree])
    return out  # derived values fit the schema: the loader checked each predicate's output type and values


def credential_schema_document(ctype: CertificateType) -> dict[str, Any]:
    """The JSON Schema published at ``credentialSchema.id`` (VC JSON Schema: it validates the whole credential).

    ``credentialSubject`` must hold the type's claims; ``type`` must include the credential type.
    """
    claims = {k: copy.deepcopy(v) for k, v in ctype.schema.items() if k not in ("$schema", "$id", "$defs")}
    defs = copy.deepcopy(dict(ctype.schema.get("$defs", {})))
    defs["Claims"] = claims
    return {
        "$schema": ctype.schema["$schema"],
        "$id": ctype.schema_url,
        "title": ctype.name.get("en", ctype.id),
        "description": ctype.description.get("en", ""),
        "type": "object",
        "properties": {
            "type": {"type": "array", "contains": {"const": ctype.credential_type}},
            "credentialSubject": {"$ref": "#/$defs/Claims"},
        },
        "required": ["type", "credentialSubject"],
        "$defs": defs,
    }


@dataclass(frozen=True, slots=True)
class ClaimInfo:
    """What a wallet, the CLI or issuer metadata shows about one claim."""

    path: ClaimPath
    labels: Mapping[str, str]
    sensitivity: Sensitivity
    required: bool
    selectively_disclosable: bool
    opt_in: bool  # H: the holder confirms each disclosure
    derived: bool


def describe_claims(ctype: CertificateType) -> list[ClaimInfo]:
    """Every claim in display order (top-level ``order``, nested claims after their parent)."""
    rank = {name: i for i, name in enumerate(ctype.order)}
    nodes = sorted(ctype.claims, key=lambda n: rank.get(n.path[0], len(rank)))
    out = []
    for node in nodes:
        level = ctype.sensitivity_of(node.path)
        text = format_path(node.path)
        labels = ctype.labels.get(text) or ctype.labels.get(node.name) or {}
        out.append(ClaimInfo(path=node.path, labels=dict(labels), sensitivity=level, required=node.required,
                             selectively_disclosable=level in ("H", "M"), opt_in=level == "H",
                             derived=len(node.path) == 1 and node.name in ctype.predicates))
    return out


def sd_paths(ctype: CertificateType) -> list[ClaimPath]:
    """The claim paths selectively disclosable by default (sensitivity H or M), relative to the claims.

    Paths are tuples in the ``vc.sdjwt`` syntax (``None`` = each array element), parents before children, so
    a nested path (``("qualification", "registrationNumber")``) is its own disclosure inside a plain parent.
    """
    return _paths(ctype, ("H", "M"))


def opt_in_paths(ctype: CertificateType) -> list[ClaimPath]:
    """The H paths: a wallet asks the holder to opt in each time one of these is disclosed."""
    return _paths(ctype, ("H",))


def _paths(ctype: CertificateType, levels: tuple[str, ...]) -> list[ClaimPath]:
    rank = {name: i for i, name in enumerate(ctype.order)}
    chosen = [path for path, level in ctype.sensitivity.items() if level in levels]
    return sorted(chosen, key=lambda p: (rank.get(p[0] or "", len(rank)), len(p), format_path(p)))


def _language_values(texts: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"@value": texts[lang], "@language": lang} for lang in sorted(texts)]
