"""The requested presentations of a ``vp_token``, verified for this request: the single place where
OpenID4VP response handling calls per-credential verification.

``check_vp_token`` binds every presentation to the request (OpenID4VP 1.0 Appendix B): the SD-JWT
KB-JWT ``aud``/``nonce``, the vp+jwt ``aud``/``nonce``, the Data Integrity proof's
``domain``/``challenge`` = client_id/nonce. With a ``policy`` it calls
``verifier.verify_presentation`` once for the whole token (trust, status, holder binding,
household/proxy links of a procedure); without one, the core ``vc`` verifiers per presentation.
It returns, per credential query id, what the response handler matches against the query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from vc.formats import credential_types
from vc.results import CheckResult, VerificationResult

__all__ = ["PresentationCheck", "PresentedCredential", "VpTokenCheck", "check_presentation", "check_vp_token"]


@dataclass(frozen=True)
class PresentedCredential:
    """A credential inside a verified presentation (unfiltered: the handler keeps only requested claims).

    ``document`` is what DCQL claim paths apply to: the disclosed SD-JWT claims, or the W3C
    credential. ``source`` is the ``verifier.VerifiedCredential`` when a policy verified it.
    """

    format: str
    issuer: str | None
    types: tuple[str, ...]
    document: dict[str, Any]
    verified: bool
    checks: tuple[CheckResult, ...]
    result: VerificationResult | None = None
    source: Any = None


@dataclass(frozen=True)
class PresentationCheck:
    """One presentation: ``verified`` is its own checks (the holder's proof and binding); each
    credential inside says whether it verified (an extra one that did not is simply not used)."""

    verified: bool
    checks: tuple[CheckResult, ...]
    credentials: tuple[PresentedCredential, ...]
    result: Any = None

    @property
    def codes(self) -> tuple[str, ...]:
        """The failure codes of the presentation's own checks."""
        return tuple(c.code for c in self.checks if not c.passed and c.code)


@dataclass(frozen=True)
class VpTokenCheck:
    """The checks over the whole token (a policy's presentation-level ones) and, per credential
    query id, each presentation's check, in order."""

    checks: tuple[CheckResult, ...]
    by_query: Mapping[str, tuple[PresentationCheck, ...]] = field(default_factory=dict)
    result: Any = None  # verifier.VerifierResult when a policy was used


def check_vp_token(
    vp_token: Mapping[str, Sequence[Any]],
    *,
    formats: Mapping[str, str],
    audience: str,
    nonce: str,
    policy: Any = None,
    procedure: Any = None,
    require_holder_binding: Mapping[str, bool] | None = None,
    now: datetime | None = None,
) -> VpTokenCheck:
    """Verify the presentations of ``vp_token`` (query id -> presentations; ``formats`` gives each
    query's DCQL format) for this verifier (``audience`` = client_id) and request (``nonce``)."""
    binding = require_holder_binding or {}
    if policy is not None:
        return _check_with_policy(vp_token, audience=audience, nonce=nonce, policy=policy, procedure=procedure, now=now)
    by_query = {
        qid: tuple(
            check_presentation(p, format=formats[qid], audience=audience, nonce=nonce,
                               require_holder_binding=binding.get(qid, True), now=now)
            for p in entries
        )
        for qid, entries in vp_token.items()
    }
    return VpTokenCheck((), by_query)


# --- with a policy: the verifier's verify_presentation over the whole token --------------------


def _check_with_policy(vp_token: Mapping[str, Sequence[Any]], *, audience: str, nonce: str, policy: Any,
                       procedure: Any, now: datetime | None) -> VpTokenCheck:
    from verifier import verify_presentation

    result = verify_presentation(dict(vp_token), policy=policy, audience=audience, nonce=nonce, procedure=procedure, now=now)
    grouped: dict[str, list[PresentedCredential]] = {qid: [] for qid in vp_token}
    for cred in result.credentials:
        if cred.query_id not in grouped or cred.ignored:
            continue  # not requested (or the procedure did not count it): never used
        document = cred.result.document if cred.result.document is not None else {"credentialSubject": dict(cred.claims)}
        grouped[cred.query_id].append(PresentedCredential(
            format=cred.format, issuer=cred.issuer, types=tuple(cred.types), document=dict(document),
            verified=cred.verified, checks=tuple(cred.errors) or tuple(cred.checks), result=cred.result, source=cred,
        ))
    by_query = {
        qid: (PresentationCheck(True, (), tuple(creds), result),) if creds else ()
        for qid, creds in grouped.items()
    }
    return VpTokenCheck(tuple(result.checks), by_query, result)


# --- without a policy: the core verifiers only (no trust list) -------------------------------


def _issuer(doc: Mapping[str, Any]) -> str | None:
    for name in ("issuer", "iss"):
        value = doc.get(name)
        if isinstance(value, Mapping):
            value = value.get("id")
        if isinstance(value, str):
            return value
    return None


def _credential(result: VerificationResult, fmt: str) -> PresentedCredential:
    doc = result.document or {}
    flat = result.checks + tuple(c for cred in result.credentials for c in cred.checks)
    return PresentedCredential(fmt, _issuer(doc), credential_types(doc), dict(doc), result.verified, flat, result)


def _own(result: VerificationResult) -> bool:
    return bool(result.checks) and all(c.passed for c in result.checks)


def _fail(code: str, message: str) -> PresentationCheck:
    return PresentationCheck(False, (CheckResult.fail("presentation", code, message),), ())


def check_presentation(
    presentation: Any,
    *,
    format: str,
    audience: str,
    nonce: str,
    require_holder_binding: bool = True,
    now: datetime | None = None,
) -> PresentationCheck:
    """One presentation verified by the core ``vc`` verifiers and bound to this request; never
    raises for a bad presentation."""
    if format == "dc+sd-jwt":
        from vc.sdjwt import verify_sd_jwt

        if not isinstance(presentation, str) or "~" not in presentation:
            return _fail("CREDENTIAL_FORMAT_MISMATCH", "a dc+sd-jwt presentation is an SD-JWT string with '~' separators")
        result = verify_sd_jwt(presentation, aud=audience, nonce=nonce, require_kb=require_holder_binding, now=now)
        return PresentationCheck(result.verified, result.checks, (_credential(result, "dc+sd-jwt"),), result)
    if format == "jwt_vc_json":
        from vc.jose import verify_vp_jwt

        if not isinstance(presentation, str) or presentation.count(".") != 2:
            return _fail("CREDENTIAL_FORMAT_MISMATCH", "a jwt_vc_json presentation is a compact vp+jwt")
        result = verify_vp_jwt(presentation, aud=audience, nonce=nonce, now=now)
        creds = tuple(_credential(r, "jwt_vc_json") for r in result.credentials)
        return PresentationCheck(_own(result), result.checks, creds, result)
    if format == "ldp_vc":
        if not isinstance(presentation, Mapping):
            return _fail("CREDENTIAL_FORMAT_MISMATCH", "an ldp_vc presentation is a JSON object")
        types = presentation.get("type")
        types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
        if "VerifiablePresentation" not in types:
            if require_holder_binding:
                return _fail("HOLDER_BINDING_MISSING", "the request asks for a presentation signed by the holder, not a bare credential")
            from vc.credentials import verify_credential

            result = verify_credential(dict(presentation), now=now)
            return PresentationCheck(result.verified, result.checks, (_credential(result, "ldp_vc"),), result)
        from vc.presentations import verify_presentation

        result = verify_presentation(presentation, challenge=nonce, domain=audience, now=now)
        creds = tuple(_credential(r, "ldp_vc") for r in result.credentials)
        return PresentationCheck(_own(result), result.checks, creds, result)
    return _fail("CREDENTIAL_FORMAT_MISMATCH", f"format {format!r} is not one this verifier accepts")
