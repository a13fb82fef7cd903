"""One presentation from a ``vp_token``, verified for this request: the single place where the
OpenID4VP response handling calls per-credential verification.

``check_presentation`` binds the presentation to the request (OpenID4VP 1.0 Appendix B): the
SD-JWT KB-JWT ``aud``/``nonce``, the vp+jwt ``aud``/``nonce``, the Data Integrity proof's
``domain``/``challenge`` = client_id/nonce. It returns what the response handler needs for each
credential inside: format, issuer, types, the verified document and its checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vc.results import CheckResult, VerificationResult

__all__ = ["PresentationCheck", "PresentedCredential", "check_presentation"]


@dataclass(frozen=True)
class PresentedCredential:
    """A credential inside a verified presentation (unfiltered: the handler keeps only requested claims)."""

    format: str
    issuer: str | None
    types: tuple[str, ...]
    document: dict[str, Any]  # SD-JWT: the disclosed claims; W3C: the credential
    verified: bool
    checks: tuple[CheckResult, ...]


@dataclass(frozen=True)
class PresentationCheck:
    """The presentation's own checks and its credentials."""

    verified: bool
    checks: tuple[CheckResult, ...]
    credentials: tuple[PresentedCredential, ...]
    result: Any = None  # the underlying verifier result (verifier.VerifierResult when the policy is used)

    @property
    def codes(self) -> tuple[str, ...]:
        own = tuple(c.code for c in self.checks if not c.passed and c.code)
        return own + tuple(c.code for cred in self.credentials for c in cred.checks if not c.passed and c.code)


def check_presentation(
    presentation: Any,
    *,
    format: str,
    audience: str,
    nonce: str,
    policy: Any = None,
    require_holder_binding: bool = True,
    now: datetime | None = None,
) -> PresentationCheck:
    """Verify one presentation of ``format`` for this verifier (``audience`` = client_id) and
    request (``nonce``) under ``policy``; never raises for a bad presentation."""
    if policy is not None:
        from verifier import verify_presentation  # the policy helper's verifier (trust, status, types)

        if format == "ldp_vc":
            result = verify_presentation(presentation, policy=policy, challenge=nonce, domain=audience, now=now)
        else:
            result = verify_presentation(presentation, policy=policy, audience=audience, nonce=nonce, now=now)
        return _from_verifier_result(result)
    return _check_with_core(presentation, format=format, audience=audience, nonce=nonce,
                            require_holder_binding=require_holder_binding, now=now)


def _from_verifier_result(result: Any) -> PresentationCheck:
    creds = tuple(
        PresentedCredential(
            format=c.format,
            issuer=c.issuer,
            types=tuple(c.types),
            document=dict(c.claims),
            verified=c.result.verified,
            checks=tuple(c.result.checks),
        )
        for c in result.credentials
    )
    return PresentationCheck(result.verified, tuple(result.checks), creds, result)


# --- without a policy: the core verifiers only (no trust list) -------------------------------


def _issuer(doc: Mapping[str, Any]) -> str | None:
    for name in ("issuer", "iss"):
        value = doc.get(name)
        if isinstance(value, Mapping):
            value = value.get("id")
        if isinstance(value, str):
            return value
    return None


def _types(doc: Mapping[str, Any]) -> tuple[str, ...]:
    if isinstance(doc.get("vct"), str):
        return (doc["vct"],)
    types = doc.get("type", ())
    return (types,) if isinstance(types, str) else tuple(t for t in types if isinstance(t, str))


def _credential(result: VerificationResult, fmt: str) -> PresentedCredential:
    doc = result.document or {}
    return PresentedCredential(fmt, _issuer(doc), _types(doc), dict(doc), result.verified, result.checks)


def _fail(code: str, message: str) -> PresentationCheck:
    return PresentationCheck(False, (CheckResult.fail("presentation", code, message),), ())


def _check_with_core(
    presentation: Any, *, format: str, audience: str, nonce: str, require_holder_binding: bool, now: datetime | None
) -> PresentationCheck:
    if format == "dc+sd-jwt":
        from vc.sdjwt import verify_sd_jwt

        if not isinstance(presentation, str) or "~" not in presentation:
            return _fail("CREDENTIAL_FORMAT_MISMATCH", "a dc+sd-jwt presentation is an SD-JWT string with '~' separators")
        result = verify_sd_jwt(presentation, aud=audience, nonce=nonce, require_kb=require_holder_binding, now=now)
        cred = _credential(result, "dc+sd-jwt")
        return PresentationCheck(result.verified, (), (cred,), result)
    if format == "jwt_vc_json":
        from vc.jose import verify_vp_jwt

        if not isinstance(presentation, str) or presentation.count(".") != 2:
            return _fail("CREDENTIAL_FORMAT_MISMATCH", "a jwt_vc_json presentation is a compact vp+jwt")
        result = verify_vp_jwt(presentation, aud=audience, nonce=nonce, now=now)
        creds = tuple(_credential(r, "jwt_vc_json") for r in result.credentials)
        return PresentationCheck(result.verified, result.checks, creds, result)
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
            return PresentationCheck(result.verified, (), (_credential(result, "ldp_vc"),), result)
        from vc.presentations import verify_presentation

        result = verify_presentation(presentation, challenge=nonce, domain=audience, now=now)
        creds = tuple(_credential(r, "ldp_vc") for r in result.credentials)
        return PresentationCheck(result.verified, result.checks, creds, result)
    return _fail("CREDENTIAL_FORMAT_MISMATCH", f"format {format!r} is not one this verifier accepts")
