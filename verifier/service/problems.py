"""Failures as HTTP answers: RFC 9457 problem details with the VC Data Model 2.0 error types
(section 7.1: ``PARSING_ERROR`` -64, ``CRYPTOGRAPHIC_SECURITY_ERROR`` -65,
``MALFORMED_VALUE_ERROR`` -66, ``RANGE_ERROR`` -67) and the Data Integrity ones
(``INVALID_DOMAIN_ERROR`` -19, ``INVALID_CHALLENGE_ERROR`` -20); failures that are not about the
document (trust, status, the request flow) get a jitsuin type URI. The stable jitsuin code
travels as the extension member ``errorCode``.

For the OpenID4VP response endpoint the answer is an OAuth-style ``{"error": "invalid_request",
"error_description", "errorCode"}`` object instead (OpenID4VP 1.0 section 8.2).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from vc import errors as e
from vc.results import CheckResult

__all__ = [
    "JITSUIN_ERRORS",
    "PROBLEM_MEDIA_TYPE",
    "ProblemKind",
    "install_error_handlers",
    "kind_for_check",
    "problem_detail",
    "problem_response",
    "request_error_status",
]

log = logging.getLogger("jitsuin.verifier")

VCDM_ERRORS = "https://www.w3.org/TR/vc-data-model#"
DI_ERRORS = "https://w3id.org/security#"
JITSUIN_ERRORS = "https://w3id.org/jitsuin/errors#"
PROBLEM_MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True, slots=True)
class ProblemKind:
    """A problem ``type``, its ``title`` and the specification's integer ``code`` (if any)."""

    type: str
    title: str
    code: int | None = None


PARSING = ProblemKind(VCDM_ERRORS + "PARSING_ERROR", "Parsing error", -64)
CRYPTO = ProblemKind(VCDM_ERRORS + "CRYPTOGRAPHIC_SECURITY_ERROR", "Cryptographic security error", -65)
MALFORMED = ProblemKind(VCDM_ERRORS + "MALFORMED_VALUE_ERROR", "Malformed value error", -66)
RANGE = ProblemKind(VCDM_ERRORS + "RANGE_ERROR", "Range error", -67)

# specific codes first, then the check they failed in; anything else is a jitsuin problem type
_BY_CODE: dict[str, ProblemKind] = {
    "MALFORMED": PARSING,
    "MALFORMED_JWS": PARSING,
    "MALFORMED_SD_JWT": PARSING,
    "MALFORMED_DISCLOSURE": PARSING,
    "INPUT_TOO_LARGE": PARSING,
    "CHALLENGE_MISMATCH": ProblemKind(DI_ERRORS + "INVALID_CHALLENGE_ERROR", "Invalid challenge", -20),
    "DOMAIN_MISMATCH": ProblemKind(DI_ERRORS + "INVALID_DOMAIN_ERROR", "Invalid domain", -19),
    "EXPIRED": RANGE,
    "NOT_YET_VALID": RANGE,
    "PROOF_EXPIRED": RANGE,
    "STALE_IAT": RANGE,
    "IAT_IN_FUTURE": RANGE,
}
_BY_CHECK: dict[str, ProblemKind] = {
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


def kind_for_check(check: CheckResult) -> ProblemKind:
    """The problem type for a failed check: by its code, else by the check, else jitsuin's."""
    if check.code and check.code in _BY_CODE:
        return _BY_CODE[check.code]
    if check.check in _BY_CHECK:
        return _BY_CHECK[check.check]
    code = check.code or "VERIFICATION_FAILED"
    return ProblemKind(JITSUIN_ERRORS + code, code.replace("_", " ").capitalize())


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


def problem_response(status: int, *, kind: ProblemKind, detail: str | None = None, instance: str | None = None,
                     **members: Any) -> JSONResponse:
    """An ``application/problem+json`` answer; ``members`` are extension members."""
    body: dict[str, Any] = {"type": kind.type, "title": kind.title, "status": status}
    if kind.code is not None:
        body["code"] = kind.code
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in members.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE)


# request-flow codes and the HTTP status each answers with
_REQUEST_STATUS: dict[str, int] = {
    "REQUEST_NOT_FOUND": 404,
    "REQUEST_EXPIRED": 410,
    "REQUEST_URI_ALREADY_FETCHED": 409,
    "RESPONSE_REPLAYED": 409,
    "RESULT_TOKEN_INVALID": 403,
    "PROCEDURE_NOT_FOUND": 404,
}


def request_error_status(code: str) -> int:
    """The HTTP status for a PresentationRequestError code (400 unless listed)."""
    return _REQUEST_STATUS.get(code, 400)


def install_error_handlers(app: FastAPI) -> None:
    """One handler per kind of failure: VcError, request validation, HTTP errors, the rest."""

    async def on_vc_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, e.VcError)
        if isinstance(error, e.PresentationRequestError):
            status = request_error_status(error.code)
            kind = ProblemKind(JITSUIN_ERRORS + error.code, _reason(status))
        elif isinstance(error, (e.UsageError,)) or type(error) is e.VcError:
            log.error("verifier service failure on %s: %s", request.url.path, error, exc_info=error)
            return problem_response(500, kind=ProblemKind(JITSUIN_ERRORS + "INTERNAL", "Internal error"),
                                    detail="the service could not complete the request; see the service log",
                                    instance=request.url.path)
        else:
            status = 413 if isinstance(error, e.InputTooLargeError) else 400
            kind = PARSING if isinstance(error, (e.MalformedError, e.InputTooLargeError)) else MALFORMED
        return problem_response(status, kind=kind, detail=error.message, instance=request.url.path, errorCode=error.code)

    async def on_validation(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        fields = [".".join(str(p) for p in err.get("loc", ())) for err in error.errors()]
        detail = "the request does not have the expected shape: " + ", ".join(fields)
        return problem_response(400, kind=MALFORMED, detail=detail, instance=request.url.path, errorCode="MALFORMED",
                                verified=False, problemDetails=[{"type": MALFORMED.type, "title": MALFORMED.title,
                                                                 "code": MALFORMED.code, "detail": detail}])

    async def on_http(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        answer = problem_response(error.status_code, kind=ProblemKind("about:blank", _reason(error.status_code)),
                                  detail=str(error.detail), instance=request.url.path)
        answer.headers.update(error.headers or {})  # e.g. WWW-Authenticate of a 401
        return answer

    async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected failure on %s", request.url.path, exc_info=error)
        return problem_response(500, kind=ProblemKind(JITSUIN_ERRORS + "INTERNAL", "Internal error"),
                                detail="the service could not complete the request; see the service log",
                                instance=request.url.path)

    app.add_exception_handler(e.VcError, on_vc_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
