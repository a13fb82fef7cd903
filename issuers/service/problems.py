"""Errors as HTTP answers: RFC 9457 problem details for the VC-API and staff endpoints, OAuth error
objects (``{"error", "error_description"}``) for the OpenID4VCI endpoints.

A ``VcError`` maps by its class (nearest ancestor in :data:`PROBLEM_KINDS`) to an HTTP status and one of the
VC Data Model 2.0 problem types (section 7.1: ``PARSING_ERROR`` -64, ``CRYPTOGRAPHIC_SECURITY_ERROR`` -65,
``MALFORMED_VALUE_ERROR`` -66, ``RANGE_ERROR`` -67); failures that are not about the credential document
(registry, unknown credential id) get a jitsuin type URI. The stable jitsuin code travels as ``errorCode``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from vc import errors as e

__all__ = [
    "JITSUIN_ERRORS",
    "OAuthError",
    "PROBLEM_KINDS",
    "ProblemKind",
    "VCDM_ERRORS",
    "install_error_handlers",
    "oauth_response",
    "problem_for",
    "problem_response",
]

log = logging.getLogger("jitsuin.issuer")

VCDM_ERRORS = "https://www.w3.org/TR/vc-data-model#"
JITSUIN_ERRORS = "https://w3id.org/jitsuin/errors#"
PROBLEM_MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True, slots=True)
class ProblemKind:
    """How a family of errors is answered: HTTP status, problem ``type``, ``title`` and VCDM integer ``code``."""

    status: int
    type: str
    title: str
    vcdm_code: int | None = None


_PARSING = ProblemKind(400, VCDM_ERRORS + "PARSING_ERROR", "Parsing error", -64)
_CRYPTO = ProblemKind(400, VCDM_ERRORS + "CRYPTOGRAPHIC_SECURITY_ERROR", "Cryptographic security error", -65)
_MALFORMED = ProblemKind(400, VCDM_ERRORS + "MALFORMED_VALUE_ERROR", "Malformed value error", -66)
_RANGE = ProblemKind(400, VCDM_ERRORS + "RANGE_ERROR", "Range error", -67)
_INTERNAL = ProblemKind(500, JITSUIN_ERRORS + "INTERNAL", "Internal error")

# nearest class wins (the MRO is walked), so subclasses can be answered differently from their family
PROBLEM_KINDS: dict[type[e.VcError], ProblemKind] = {
    e.VcError: _INTERNAL,
    e.InputError: _MALFORMED,
    e.MalformedError: _PARSING,
    e.InputTooLargeError: ProblemKind(413, VCDM_ERRORS + "PARSING_ERROR", "Input too large", -64),
    e.ContextIntegrityError: _INTERNAL,
    e.CanonicalizationLimitError: _RANGE,
    e.KeyMaterialError: _CRYPTO,
    e.PassphraseRequiredError: ProblemKind(503, JITSUIN_ERRORS + "KEY_LOCKED", "Signing key unavailable"),
    e.WrongPassphraseError: ProblemKind(503, JITSUIN_ERRORS + "KEY_LOCKED", "Signing key unavailable"),
    e.DidError: _MALFORMED,
    e.ProofError: _CRYPTO,
    e.JoseError: _CRYPTO,
    e.ValidityError: _RANGE,
    e.StatusError: _MALFORMED,
    e.RegistryError: ProblemKind(400, JITSUIN_ERRORS + "REGISTRY_ERROR", "Registry refused the change"),
    e.CredentialNotFoundError: ProblemKind(404, JITSUIN_ERRORS + "CREDENTIAL_NOT_FOUND", "Credential not found"),
    e.StatusTransitionError: ProblemKind(409, JITSUIN_ERRORS + "STATUS_TRANSITION_NOT_ALLOWED",
                                         "Status change not allowed"),
    e.WorkspaceError: ProblemKind(400, JITSUIN_ERRORS + "WORKSPACE_ERROR", "Workspace refused the request"),
    e.UsageError: _INTERNAL,
}

# registry codes that are the server's trouble, not the caller's
_UNAVAILABLE_CODES = frozenset({"REGISTRY_UNAVAILABLE", "REGISTRY_SCHEMA_TOO_NEW", "REGISTRY_SCHEMA", "REGISTRY_LIST_FULL"})
# workspace codes that mean the service itself is misconfigured
_MISCONFIGURED_CODES = frozenset({"WORKSPACE_NOT_FOUND", "WORKSPACE_CONFIG_INVALID", "KEY_NOT_FOUND"})


def problem_for(error: e.VcError) -> ProblemKind:
    """The problem kind for an error: the entry of its nearest class in :data:`PROBLEM_KINDS`."""
    if isinstance(error, e.RegistryError) and error.code in _UNAVAILABLE_CODES:
        return ProblemKind(503, JITSUIN_ERRORS + "REGISTRY_UNAVAILABLE", "Registry unavailable")
    if isinstance(error, e.WorkspaceError) and error.code in _MISCONFIGURED_CODES:
        return _INTERNAL
    for cls in type(error).__mro__:
        kind = PROBLEM_KINDS.get(cls)  # type: ignore[arg-type]
        if kind is not None:
            return kind
    return _INTERNAL


def problem_response(
    status: int,
    *,
    type: str = "about:blank",
    title: str,
    detail: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **members: Any,
) -> JSONResponse:
    """An ``application/problem+json`` response (RFC 9457); ``members`` are extension members."""
    body: dict[str, Any] = {"type": type, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in members.items() if v is not None})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _vc_error_response(request: Request, error: e.VcError) -> JSONResponse:
    kind = problem_for(error)
    if kind.status >= 500:
        # the message of an internal failure may name internals; the log keeps it, the answer does not
        log.error("issuer service failure on %s: %s", request.url.path, error, exc_info=error)
        return problem_response(kind.status, type=kind.type, title=kind.title, instance=request.url.path,
                                detail="the service could not complete the request; see the service log",
                                errorCode=error.code)
    detail = error.to_dict().get("detail")
    return problem_response(
        kind.status, type=kind.type, title=kind.title, detail=error.message, instance=request.url.path,
        code=kind.vcdm_code, errorCode=error.code, details=detail or None,
    )


class OAuthError(Exception):
    """An OAuth 2.0 / OpenID4VCI error answer: ``error`` code (``invalid_grant``, ``invalid_proof`` ...)."""

    def __init__(self, error: str, description: str, *, status: int = 400,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status
        self.headers = headers or {}


def oauth_response(error: OAuthError) -> JSONResponse:
    """``{"error", "error_description"}`` with ``Cache-Control: no-store`` (RFC 6749 section 5.2)."""
    headers = {"Cache-Control": "no-store", **error.headers}
    return JSONResponse({"error": error.error, "error_description": error.description},
                        status_code=error.status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """One handler per kind of failure: VcError, OAuthError, request validation, HTTP errors, the rest."""

    async def on_vc_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, e.VcError)
        return _vc_error_response(request, error)

    async def on_oauth_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, OAuthError)
        return oauth_response(error)

    async def on_validation(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        fields = [".".join(str(p) for p in err.get("loc", ())) for err in error.errors()]
        return problem_response(400, type=_MALFORMED.type, title=_MALFORMED.title, code=_MALFORMED.vcdm_code,
                                detail="the request does not have the expected shape: " + ", ".join(fields),
                                instance=request.url.path, errorCode="MALFORMED")

    async def on_model(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ValidationError)
        fields = [".".join(str(p) for p in err.get("loc", ())) or "body" for err in error.errors()]
        return problem_response(400, type=_MALFORMED.type, title=_MALFORMED.title, code=_MALFORMED.vcdm_code,
                                detail="these members are missing or of the wrong type: " + ", ".join(fields),
                                instance=request.url.path, errorCode="MALFORMED")

    async def on_http(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        headers = dict(error.headers or {})
        return problem_response(error.status_code, title=_reason(error.status_code), detail=str(error.detail),
                                instance=request.url.path, headers=headers)

    async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected failure on %s", request.url.path, exc_info=error)
        return problem_response(500, type=_INTERNAL.type, title=_INTERNAL.title, instance=request.url.path,
                                detail="the service could not complete the request; see the service log")

    app.add_exception_handler(e.VcError, on_vc_error)
    app.add_exception_handler(OAuthError, on_oauth_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(ValidationError, on_model)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
