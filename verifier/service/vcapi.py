"""VC-API verifier endpoints (w3c-ccg/vc-api ``verifier.yml``): ``POST /credentials/verify``,
``POST /presentations/verify``, ``POST /challenges``.

Bodies: ``{"verifiableCredential": {...}, "options": {...}}`` (a Data Integrity credential or an
``EnvelopedVerifiableCredential``) and ``{"verifiablePresentation": {...}, "options":
{"challenge", "domain"}}`` (Data Integrity, or an ``EnvelopedVerifiablePresentation`` of a
vp+jwt, whose ``nonce``/``aud`` are then the challenge/domain). Options this service does not
know (``checks``, ``returnPresentation`` ...) are ignored.

Answers: 200 ``{"verified": true, "results": {...}, "problemDetails": []}``, or 400
``{"verified": false, "results": {...}, "problemDetails": [RFC 9457 entries]}``. ``results`` has
one ``{"valid": bool}`` per check (``proof``, ``validity``, ``status``, ``trust`` ...), the
VC-API ``challenge``/``domain`` (with their ``input``) and, for a presentation, one result per
credential under ``verifiableCredential``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from vc.errors import MalformedError
from vc.http_body import read_json_object
from vc.results import CheckResult, VerificationResult

from .deps import context
from .problems import problem_detail
from .settings import VerifierContext

__all__ = ["router", "verify_credential_body", "verify_presentation_body"]

router = APIRouter(tags=["VC-API"])

_CREDENTIAL_BODY = {
    "type": "object",
    "required": ["verifiableCredential"],
    "properties": {
        "verifiableCredential": {"type": "object", "description": "a secured credential or an EnvelopedVerifiableCredential"},
        "options": {"type": "object", "additionalProperties": True},
    },
}
_PRESENTATION_BODY = {
    "type": "object",
    "required": ["verifiablePresentation"],
    "properties": {
        "verifiablePresentation": {"type": "object", "description": "a secured presentation or an EnvelopedVerifiablePresentation"},
        "options": {
            "type": "object",
            "additionalProperties": True,
            "properties": {"challenge": {"type": "string"}, "domain": {"type": "string"}},
        },
    },
}
_RESULT = {
    "type": "object",
    "properties": {
        "verified": {"type": "boolean"},
        "results": {"type": "object"},
        "problemDetails": {"type": "array", "items": {"type": "object"}},
    },
}


def _json_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def _responses() -> dict[int | str, dict[str, Any]]:
    content = {"application/json": {"schema": _RESULT}}
    return {200: {"description": "verified", "content": content},
            400: {"description": "not verified, or unusable input", "content": content}}


# --- verification (policy when configured, else the core verifiers) --------------------------


def _options(body: Mapping[str, Any]) -> dict[str, Any]:
    options = body.get("options", {})
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise MalformedError("'options' must be a JSON object")
    return options


def _string_option(options: Mapping[str, Any], name: str) -> str | None:
    value = options.get(name)
    if value is not None and not isinstance(value, str):
        raise MalformedError(f"options.{name} must be a string")
    return value


def _parts(result: Any) -> tuple[tuple[CheckResult, ...], list[tuple[CheckResult, ...]]]:
    """(own checks, each credential's checks) of a ``vc`` VerificationResult or a ``verifier.VerifierResult``
    (whose credentials carry the ``vc`` checks and the policy's: trust, status ...)."""
    creds = []
    for c in getattr(result, "credentials", ()) or ():
        if getattr(c, "ignored", False):
            continue
        creds.append(tuple(c.all_checks) if hasattr(c, "all_checks") else tuple(c.checks))
    return tuple(result.checks), creds


def _core_credential(document: Any, *, now: datetime) -> VerificationResult:
    from vc.jose import verify_presentation_entry

    return verify_presentation_entry(document, now=now)


def _core_presentation(document: Mapping[str, Any], *, challenge: str | None, domain: str | None, now: datetime) -> VerificationResult:
    types = document.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    if "EnvelopedVerifiablePresentation" in types:
        url = document.get("id")
        prefix = "data:application/vp+jwt,"
        if not isinstance(url, str) or not url.startswith(prefix):
            raise MalformedError("an EnvelopedVerifiablePresentation here is a data:application/vp+jwt, URL")
        from vc.jose import verify_vp_jwt

        return verify_vp_jwt(url[len(prefix):], aud=domain, nonce=challenge, now=now)
    from vc.presentations import verify_presentation

    return verify_presentation(document, challenge=challenge, domain=domain, now=now)


def verify_credential_body(body: Mapping[str, Any], *, policy: Any = None, now: datetime) -> tuple[int, dict[str, Any]]:
    """The VC-API answer (HTTP status, JSON body) for a ``/credentials/verify`` body."""
    credential = body.get("verifiableCredential")
    if not isinstance(credential, dict):
        raise MalformedError("'verifiableCredential' must be a JSON object")
    _options(body)  # only its shape matters: no option changes how a credential is verified
    if policy is not None:
        from verifier import verify_credential

        result: Any = verify_credential(credential, policy=policy, now=now)
    else:
        result = _core_credential(credential, now=now)
    own, creds = _parts(result)
    return _answer(own, creds, nested=False)


def verify_presentation_body(body: Mapping[str, Any], *, policy: Any = None, now: datetime) -> tuple[int, dict[str, Any]]:
    """The VC-API answer (HTTP status, JSON body) for a ``/presentations/verify`` body."""
    presentation = body.get("verifiablePresentation")
    if not isinstance(presentation, dict):
        raise MalformedError("'verifiablePresentation' must be a JSON object (a proofless 'presentation' is not verified here)")
    options = _options(body)
    challenge, domain = _string_option(options, "challenge"), _string_option(options, "domain")
    if policy is not None:
        from verifier import verify_presentation

        result: Any = verify_presentation(presentation, policy=policy, challenge=challenge, domain=domain, now=now)
    else:
        result = _core_presentation(presentation, challenge=challenge, domain=domain, now=now)
    own, creds = _parts(result)
    status, out = _answer(own, creds, nested=True)
    for name, given, codes in (("challenge", challenge, {"CHALLENGE_MISMATCH", "NONCE_MISMATCH"}),
                               ("domain", domain, {"DOMAIN_MISMATCH", "AUD_MISMATCH"})):
        if given is not None:
            out["results"][name] = {"valid": not any(c.code in codes for c in own if not c.passed), "input": given}
    holder = presentation.get("holder")
    holder_id = holder.get("id") if isinstance(holder, Mapping) else holder
    if isinstance(holder_id, str):
        own_proof_ok = all(c.passed for c in own if c.check in ("proof", "holder", "holder_key", "signature"))
        out["results"]["holder"] = {"valid": own_proof_ok, "input": holder_id}
    return status, out


def _results(checks: Sequence[CheckResult]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in checks:
        entry = out.setdefault(c.check, {"valid": True})
        entry["valid"] = entry["valid"] and c.passed
        if not c.passed and c.code:
            entry.setdefault("errors", []).append(c.code)
    return out


def _answer(own: Sequence[CheckResult], creds: Sequence[tuple[CheckResult, ...]], *, nested: bool) -> tuple[int, dict[str, Any]]:
    problems = [problem_detail(c) for c in own if not c.passed]
    results = _results(own)
    cred_results = []
    for checks in creds:
        cred_problems = [problem_detail(c) for c in checks if not c.passed]
        problems.extend(cred_problems)
        cred_results.append({"verified": bool(checks) and not cred_problems, "results": _results(checks),
                             "problemDetails": cred_problems})
    if nested:
        results["verifiableCredential"] = cred_results
    else:
        # a single credential: its own checks are the answer (enveloped ones nest one level)
        for entry in cred_results:
            for name, value in entry["results"].items():
                results.setdefault(name, value)
    verified = bool(own or creds) and not problems
    body = {"verified": verified, "results": results, "problemDetails": problems}
    return (200 if verified else 400), body


# --- routes -----------------------------------------------------------------------------------


@router.post("/credentials/verify", summary="Verify a credential", openapi_extra=_json_body(_CREDENTIAL_BODY),
             responses=_responses())
async def credentials_verify(request: Request, ctx: VerifierContext = Depends(context)) -> JSONResponse:
    body = await read_json_object(request, max_bytes=ctx.settings.max_body_bytes)
    status, out = await run_in_threadpool(verify_credential_body, body, policy=ctx.vcapi_policy, now=ctx.settings.now())
    return JSONResponse(out, status_code=status)


@router.post("/presentations/verify", summary="Verify a presentation and its credentials",
             openapi_extra=_json_body(_PRESENTATION_BODY), responses=_responses())
async def presentations_verify(request: Request, ctx: VerifierContext = Depends(context)) -> JSONResponse:
    body = await read_json_object(request, max_bytes=ctx.settings.max_body_bytes)
    status, out = await run_in_threadpool(verify_presentation_body, body, policy=ctx.vcapi_policy, now=ctx.settings.now())
    return JSONResponse(out, status_code=status)


@router.post("/challenges", summary="A fresh challenge for options.challenge",
             responses={200: {"description": "a challenge", "content": {"application/json": {"schema": {
                 "type": "object", "properties": {"challenge": {"type": "string"}}}}}}})
def challenges(ctx: VerifierContext = Depends(context)) -> dict[str, str]:
    now = ctx.settings.now()
    challenge = secrets.token_urlsafe(24)
    ctx.store.add_challenge(challenge, expires_at=now + ctx.settings.challenge_ttl)
    return {"challenge": challenge}
