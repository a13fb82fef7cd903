"""Errors as HTTP answers: RFC 9457 problem details for the VC-API and staff endpoints, OAuth error
objects (``{"error", "error_description"}``) for the OpenID4VCI endpoints.

Which problem a ``VcError`` is (HTTP status, VC Data Model 2.0 problem type or a jitsuin one, the stable
code as ``errorCode``) is decided framework-free in :mod:`vc.problem_details`, shared with the verifier
service; this module holds only the FastAPI handlers (the verifier has its own: the two services never
import each other, and ``vc`` has no web framework).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from vc import errors as e
from vc.problem_details import (
    INTERNAL,
    INTERNAL_DETAIL,
    MALFORMED,
    PROBLEM_MEDIA_TYPE,
    Problem,
    error_problem_body,
    http_reason,
    problem_body,
    problem_for,
)

__all__ = [
    "OAuthError",
    "install_error_handlers",
    "oauth_response",
    "problem_for",
    "problem_response",
]

log = logging.getLogger("jitsuin.issuer")


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
    body = problem_body(Problem(type, title, status=status), detail=detail, instance=instance, **members)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _vc_error_response(request: Request, error: e.VcError) -> JSONResponse:
    body = error_problem_body(error, instance=request.url.path)
    if body["status"] >= 500:
        log.error("issuer service failure on %s: %s", request.url.path, error, exc_info=error)
    return JSONResponse(body, status_code=body["status"], media_type=PROBLEM_MEDIA_TYPE)


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
        return problem_response(400, type=MALFORMED.type, title=MALFORMED.title, code=MALFORMED.code,
                                detail="the request does not have the expected shape: " + ", ".join(fields),
                                instance=request.url.path, errorCode="MALFORMED")

    async def on_model(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ValidationError)
        fields = [".".join(str(p) for p in err.get("loc", ())) or "body" for err in error.errors()]
        return problem_response(400, type=MALFORMED.type, title=MALFORMED.title, code=MALFORMED.code,
                                detail="these members are missing or of the wrong type: " + ", ".join(fields),
                                instance=request.url.path, errorCode="MALFORMED")

    async def on_http(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        headers = dict(error.headers or {})
        return problem_response(error.status_code, title=http_reason(error.status_code), detail=str(error.detail),
                                instance=request.url.path, headers=headers)

    async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected failure on %s", request.url.path, exc_info=error)
        return problem_response(500, type=INTERNAL.type, title=INTERNAL.title, instance=request.url.path,
                                detail=INTERNAL_DETAIL)

    app.add_exception_handler(e.VcError, on_vc_error)
    app.add_exception_handler(OAuthError, on_oauth_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(ValidationError, on_model)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)

