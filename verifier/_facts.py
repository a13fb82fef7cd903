"""What a verified credential says about itself: issuer, types, subject, disclosed claims, dates.

VCDM formats (``ldp_vc``, ``vc+jwt``, ``jwt_vc_json``, ``vc+sd-jwt``) read the credential; SD-JWT VCs
(``dc+sd-jwt``) read the processed payload: ``iss``, ``vct`` as the type, ``sub``, ``cnf``, ``iat``/``exp``,
and every other member as a claim.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from vc.errors import VcError
from vc.model import parse_datetime
from vc.results import VerificationResult

from .policy.identity import cnf_identifiers, subject_identifiers

__all__ = ["Facts", "facts_of"]

VCDM_FORMATS = frozenset({"ldp_vc", "vc+jwt", "jwt_vc_json", "vc+sd-jwt"})
SD_JWT_VC_FORMATS = frozenset({"dc+sd-jwt", "sd-jwt"})
# SD-JWT VC members that describe the credential, not its subject
_SD_JWT_META = frozenset({"iss", "iat", "nbf", "exp", "vct", "vct#integrity", "cnf", "status", "sub", "jti", "aud",
                          "_sd_alg", "aka_vcts"})


@dataclass(frozen=True, slots=True)
class Facts:
    format: str
    document: Mapping[str, Any] | None = None
    issuer: str | None = None
    types: tuple[str, ...] = ()
    claims: Mapping[str, Any] = field(default_factory=dict)
    subject_id: str | None = None
    subject_ids: frozenset[str] = field(default_factory=frozenset)
    cnf_ids: frozenset[str] = field(default_factory=frozenset)
    credential_id: str | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    has_status: bool = False


def _id(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _when(value: Any, what: str) -> datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=timezone.utc)
    if isinstance(value, str):
        try:
            return parse_datetime(value, what=what)
        except VcError:
            return None
    return None


def facts_of(result: VerificationResult) -> Facts:
    """The facts of one credential's ``vc`` result (what there is of them when it failed early)."""
    doc = result.document
    if not isinstance(doc, Mapping):
        return Facts(result.format)
    if result.format in SD_JWT_VC_FORMATS:
        vct = doc.get("vct")
        sub = doc.get("sub") if isinstance(doc.get("sub"), str) else None
        return Facts(
            format=result.format, document=doc, issuer=_id(doc.get("iss")),
            types=(vct,) if isinstance(vct, str) else (),
            claims={k: v for k, v in doc.items() if k not in _SD_JWT_META},
            subject_id=sub, subject_ids=subject_identifiers([{"id": sub}]) if sub else frozenset(),
            cnf_ids=cnf_identifiers(doc), credential_id=_id(doc.get("jti")),
            valid_from=_when(doc.get("iat"), "iat") or _when(doc.get("nbf"), "nbf"),
            valid_until=_when(doc.get("exp"), "exp"), has_status="status" in doc,
        )
    types = doc.get("type", [])
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    subjects = doc.get("credentialSubject", [])
    subjects = [s for s in (subjects if isinstance(subjects, list) else [subjects]) if isinstance(s, Mapping)]
    claims: Mapping[str, Any] = {}
    if len(subjects) == 1:
        claims = {k: v for k, v in subjects[0].items() if k != "id"}
    elif subjects:
        claims = {"credentialSubject": [dict(s) for s in subjects]}
    return Facts(
        format=result.format, document=doc, issuer=_id(doc.get("issuer")),
        types=tuple(t for t in types if isinstance(t, str) and t != "VerifiableCredential"),
        claims=claims, subject_id=_id(subjects[0]) if len(subjects) == 1 else None,
        subject_ids=subject_identifiers(subjects), cnf_ids=cnf_identifiers(doc), credential_id=_id(doc.get("id")),
        valid_from=_when(doc.get("validFrom"), "validFrom") or _when(doc.get("issuanceDate"), "issuanceDate"),
        valid_until=_when(doc.get("validUntil"), "validUntil") or _when(doc.get("expirationDate"), "expirationDate"),
        has_status="credentialStatus" in doc,
    )
