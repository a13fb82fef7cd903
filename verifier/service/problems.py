"""Failures as HTTP answers: RFC 9457 problem details with the VC Data Model 2.0 error types
(section 7.1: ``PARSING_ERROR`` -64, ``CRYPTOGRAPHIC_SECURITY_ERROR`` -65,
``MALFORMED_VALUE_ERROR`` -66, ``RANGE_ERROR`` -67) and the Data Integrity ones
(``INVALID_DOMAIN_ERROR`` -19, ``INVALID_CHALLENGE_ERROR`` -20); failures that are not about the
document (trust, status, the request flow) get a jitsuin type URI. The stable jitsuin code
travels as the extension member ``errorCode``.

Which problem a raised ``VcError`` is, and the body, are decided framework-free in
:mod:`vc.problem_details` (shared with the issuer service); this module maps failed verification
checks to problem types and holds the FastAPI handlers (the issuer has its own: the two services
never import each other, and ``vc`` has no web framework).

For the OpenID4VP response endpoint the answer is an OAuth-style ``{"error": "invalid_request",
"error_description", "errorCode"}`` object instead (OpenID4VP 1.0 section 8.2).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from vc import errors as e
from vc.problem_details import (
    CRYPTO,
    INTERNAL,
    INTERNAL_DETAIL,
    INVALID_CHALLENGE,
    INVALID_DOMAIN,
    JITSUIN_ERRORS,
    MALFORMED,
    PARSING,
    PROBLEM_MEDIA_TYPE,
    RANGE,
    Problem,
    error_problem_body,
    http_reason,
    problem_body,
)
from vc.results import CheckResult

__all__ = [
    "install_error_handlers",
    "kind_for_check",
    "problem_detail",
    "problem_response",
]

log = logging.getLogger("jitsuin.verifier")

# specific codes first, then the check they failed in; anything else is a jitsuin problem type
_BY_CODE: dict[str, Problem] = {
    "MALFORMED": PARSING,
    "MALFORMED_JWS": PARSING,
    "MALFORMED_SD_JWT": PARSING,
    "MALFORMED_DISCLOSURE": PARSING,
    "INPUT_TOO_LARGE": PARSING,
    "CHALLENGE_MISMATCH": INVALID_CHALLENGE,
    "DOMAIN_MISMATCH": INVALID_DOMAIN,
    "EXPIRED": RANGE,
    "NOT_YET_VALID": RANGE,
    "PROOF_EXPIRED": RANGE,
    "STALE_IAT": RANGE,
    "IAT_IN_FUTURE": RANGE,
}
_BY_CHECK: dict[str, Problem] = {
    "data_model": MALFORMED,
    "jsonld": MALFORMED,
    "envelope": MALFORMED,
    "input": PARSING,
    "header": CRYPTO,
    "proof": CRYPTO,
    "signature": CRYPTO,
    "issuer_key": CRYPTO,
    "holder_key": CRYPTO,
    "issuer": CRYPTO,
    "holder": CRYPTO,
    "disclosures": CRYPTO,
    "kb_jwt": CRYPTO,
    "binding": CRYPTO,
    "validity": RANGE,
}


def kind_for_check(check: CheckResult) -> Problem:
    """The problem type for a failed check: by its code, else by the check, else jitsuin's."""
    if check.code and check.code in _BY_CODE:
        return _BY_CODE[check.code]
    if check.check in _BY_CHECK:
        return _BY_CHECK[check.check]
    code = check.code or "VERIFICATION_FAILED"
    return Problem(JITSUIN_ERRORS + code, code.replace("_", " ").capitalize())


def problem_detail(check: CheckResult) -> dict[str, Any]:
    """One ``problemDetails`` entry for a failed check (the message never holds claim values)."""
    kind = kind_for_check(check)
    out: dict[str, Any] = {"type": kind.type, "title": kind.title}
    if kind.code is not None:
        out["code"] = kind.code
    if check.message:
        out["detail"] = check.message
    out["errorCode"] = check.code or "VERIFICATION_FAILED"
    out["check"] = check.check
    return out


def problem_response(status: int, *, kind: Problem, detail: str | None = None, instance: str | None = None,
                     **members: Any) -> JSONResponse:
    """An ``application/problem+json`` answer with ``status``; ``members`` are extension members."""
    body = problem_body(kind, status=status, detail=detail, instance=instance, **members)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE)


def install_error_handlers(app: FastAPI) -> None:
    """One handler per kind of failure: VcError, request validation, HTTP errors, the rest."""

    async def on_vc_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, e.VcError)
        body = error_problem_body(error, instance=request.url.path)
        if body["status"] >= 500:
            log.error("verifier service failure on %s: %s", request.url.path, error, exc_info=error)
        return JSONResponse(body, status_code=body["status"], media_type=PROBLEM_MEDIA_TYPE)

    async def on_validation(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        fields = [".".join(str(p) for p in err.get("loc", ())) for err in error.errors()]
        detail = "the request does not have the expected shape: " + ", ".join(fields)
        return problem_response(400, kind=MALFORMED, detail=detail, instance=request.url.path, errorCode="MALFORMED",
                                verified=False, problemDetails=[{"type": MALFORMED.type, "title": MALFORMED.title,
                                                                 "code": MALFORMED.code, "detail": detail}])

    async def on_http(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        answer = problem_response(error.status_code, kind=Problem("about:blank", http_reason(error.status_code)),
                                  detail=str(error.detail), instance=request.url.path)
        answer.headers.update(error.headers or {})  # e.g. WWW-Authenticate of a 401
        return answer

    async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected failure on %s", request.url.path, exc_info=error)
        return problem_response(500, kind=INTERNAL, detail=INTERNAL_DETAIL, instance=request.url.path)

    app.add_exception_handler(e.VcError, on_vc_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)

