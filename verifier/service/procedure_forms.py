"""From an OpenID4VP outcome to a procedure's filled form and an audit record.

The form is filled from the accepted credentials only, each carrying only the claims the request
asked for (``verifier.requests.project_claims``), so a field can never show a claim the resident
was not asked to disclose. The audit record holds the verdict, codes, issuers and types, never a
claim value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from vc.results import CheckResult, VerificationResult
from verifier.requests import AcceptedCredential, AuthorizationRequest, ResponseOutcome
from verifier.results import VerifiedCredential, VerifierResult

__all__ = ["audit_outcome", "fill_procedure_form", "outcome_result"]

_W3C = ("ldp_vc", "jwt_vc_json")


def _subject_claims(accepted: AcceptedCredential) -> dict[str, Any]:
    """The kept claims as a procedure reads them: the subject's (VCDM) or the SD-JWT VC's own."""
    if accepted.format in _W3C:
        subject = accepted.claims.get("credentialSubject", {})
        if isinstance(subject, list):
            subject = next((s for s in subject if isinstance(s, Mapping)), {})
        return dict(subject) if isinstance(subject, Mapping) else {}
    return dict(accepted.claims)


def _verified_credential(index: int, accepted: AcceptedCredential, requirement: str | None) -> VerifiedCredential:
    claims = _subject_claims(accepted)
    presented = accepted.presented
    source = presented.source if presented is not None else None
    if isinstance(source, VerifiedCredential):
        return dataclasses.replace(source, index=index, claims=claims, query_id=accepted.query_id,
                                   requirement=requirement or source.requirement, ignored=False)
    result = presented.result if presented is not None and presented.result is not None else None
    if result is None:
        result = VerificationResult(checks=(CheckResult.ok("presentation"),), format=accepted.format)
    return VerifiedCredential(index=index, format=accepted.format, issuer=accepted.issuer, types=accepted.types,
                              claims=claims, result=result, query_id=accepted.query_id, requirement=requirement)


def outcome_result(procedure: Any, outcome: ResponseOutcome) -> VerifierResult:
    """A ``VerifierResult`` of the accepted, filtered credentials (what ``Procedure.fill_form`` reads)."""
    creds = []
    for i, accepted in enumerate(outcome.credentials):
        req = procedure.requirement_for_query(accepted.query_id) if procedure is not None else None
        creds.append(_verified_credential(i, accepted, req.id if req is not None else None))
    holder = getattr(outcome.verifier_result, "holder", None)
    return VerifierResult(kind="presentation", checks=outcome.checks, credentials=tuple(creds), holder=holder,
                          procedure=getattr(procedure, "id", None))


def fill_procedure_form(procedure: Any, outcome: ResponseOutcome) -> dict[str, Any]:
    """The procedure's form filled from the outcome, JSON-ready (``FilledForm.to_dict``)."""
    return procedure.fill_form(outcome_result(procedure, outcome)).to_dict()


def audit_outcome(audit: Any, request: AuthorizationRequest, outcome: ResponseOutcome, procedure: Any, *,
                  now: datetime | None = None) -> None:
    """Record the verification in the audit log: time, procedure, purpose, request id, issuers,
    types, verdict and codes (never claim values)."""
    result = outcome_result(procedure, outcome)
    audit.record(
        result,
        procedure=procedure if procedure is not None else request.procedure_id,
        purpose=(request.purpose.get("ja") or request.purpose.get("en")) if request.purpose else None,
        request_id=request.id,
        now=now,
    )
