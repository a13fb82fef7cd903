"""OpenID4VP 1.0 endpoints: create a request (for a procedure, or a DCQL query), serve the request
object at the ``request_uri`` (once), receive the ``direct_post`` response at the
``response_uri`` (once), and give the outcome to the staff who created the request.

- ``POST /requests`` (staff: ``Authorization: Bearer <staff token>``) ``{"procedure": id}`` or ``{"dcql_query": {...}, "purpose": {"ja", "en"}}``
  -> 201 ``{id, link, qr_svg, client_id, request_uri, response_uri, expires_at, result_token,
  result_url}``
- ``GET|POST /requests/{id}`` -> ``application/oauth-authz-req+jwt`` (POST: ``request_uri_method=post``
  with ``wallet_nonce``); a second fetch -> 409 ``REQUEST_URI_ALREADY_FETCHED``
- ``POST /responses/{id}`` form ``vp_token``, ``state`` (or ``error``) -> 200 ``{}`` when verified,
  else 4xx ``{"error": "invalid_request", "error_description", "errorCode", "codes"}``
- ``GET /requests/{id}/result`` with ``Authorization: Bearer <result_token>`` -> ``{status, outcome}``
- ``GET /procedures`` (staff) -> ``[{id, name, purpose}]``

The wallet's endpoints (request object, response) are public; a missing or wrong staff token
answers 401.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from vc.errors import MalformedError, PresentationRequestError
from vc.http_body import read_form, read_json_object
from vc.problem_details import request_error_status
from verifier.requests import REQUEST_OBJECT_TYP, CreatedRequest

from .auth import require_staff_token
from .deps import context
from .settings import VerifierContext

__all__ = ["bearer_token", "create_request", "procedure_request", "router"]

router = APIRouter(tags=["OpenID4VP"])

_NO_STORE = {"Cache-Control": "no-store"}

_CREATE_BODY = {
    "type": "object",
    "properties": {
        "procedure": {"type": "string", "description": "id of a procedure this service knows"},
        "dcql_query": {"type": "object", "description": "a DCQL query (instead of a procedure)"},
        "purpose": {"type": "object", "properties": {"ja": {"type": "string"}, "en": {"type": "string"}}},
        "by_reference": {"type": "boolean", "description": "link by request_uri (default) or by value"},
    },
}


def procedure_request(procedure: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """(DCQL query, purpose texts) of a procedure (``verifier.procedures.Procedure``)."""
    purpose = getattr(procedure, "purpose", None) or {}
    if not isinstance(purpose, Mapping):
        purpose = {"ja": str(purpose)}
    return procedure.dcql_query(), {k: v for k, v in dict(purpose).items() if isinstance(v, str)}


def create_request(ctx: VerifierContext, body: Mapping[str, Any]) -> CreatedRequest:
    """Create and store a request from a ``POST /requests`` body."""
    by_reference = body.get("by_reference")
    if by_reference is not None and not isinstance(by_reference, bool):
        raise MalformedError("'by_reference' must be a boolean")
    procedure_id = body.get("procedure")
    if procedure_id is not None:
        if not isinstance(procedure_id, str) or procedure_id not in ctx.procedures:
            raise PresentationRequestError("no procedure with this id; GET /procedures lists them", code="PROCEDURE_NOT_FOUND")
        query, purpose = procedure_request(ctx.procedures[procedure_id])
    else:
        query = body.get("dcql_query")
        purpose = body.get("purpose") or {}
        if not isinstance(purpose, (Mapping, str)):
            raise MalformedError("'purpose' must be an object with 'ja'/'en' texts")
    return ctx.oid4vp.create_request(query, purpose=purpose, procedure_id=procedure_id, by_reference=by_reference,
                                     now=ctx.settings.now())


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header, or None."""
    value = request.headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _oauth_error(error: PresentationRequestError) -> JSONResponse:
    return JSONResponse({"error": "invalid_request", "error_description": error.message, "errorCode": error.code},
                        status_code=request_error_status(error.code), headers=_NO_STORE)


@router.get("/procedures", summary="The procedures this service can request credentials for (staff)",
            dependencies=[Depends(require_staff_token)])
def list_procedures(ctx: VerifierContext = Depends(context)) -> list[dict[str, Any]]:
    out = []
    for pid, procedure in ctx.procedures.items():
        name = getattr(procedure, "name", None) or {}
        _, purpose = procedure_request(procedure)
        out.append({"id": pid, "name": dict(name) if isinstance(name, Mapping) else {"ja": str(name)}, "purpose": purpose})
    return out


@router.post("/requests", status_code=201, summary="Create a presentation request (staff)",
             dependencies=[Depends(require_staff_token)],
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": _CREATE_BODY}}}})
async def post_request(request: Request, ctx: VerifierContext = Depends(context)) -> JSONResponse:
    body = await read_json_object(request, max_bytes=ctx.settings.max_body_bytes)
    created = await run_in_threadpool(create_request, ctx, body)
    identity = ctx.settings.identity
    req = created.request
    out = {
        "id": req.id,
        "procedure": req.procedure_id,
        "client_id": req.client_id,
        "link": created.link,
        "qr_svg": created.qr_svg(),
        "request_uri": identity.request_uri(req.id),
        "response_uri": req.response_uri,
        "expires_at": req.expires_at.isoformat(),
        "result_token": created.result_token,
        "result_url": identity.request_uri(req.id) + "/result",
    }
    return JSONResponse(out, status_code=201, headers=_NO_STORE)


def _request_object(ctx: VerifierContext, request_id: str, wallet_nonce: str | None) -> Response:
    try:
        jwt = ctx.oid4vp.request_object(request_id, wallet_nonce=wallet_nonce, now=ctx.settings.now())
    except PresentationRequestError as err:
        return _oauth_error(err)
    return Response(jwt, media_type=f"application/{REQUEST_OBJECT_TYP}", headers=_NO_STORE)


@router.get("/requests/{request_id}", summary="The request object (request_uri); served once",
            responses={200: {"content": {f"application/{REQUEST_OBJECT_TYP}": {}}}})
def get_request_object(request_id: str, ctx: VerifierContext = Depends(context)) -> Response:
    return _request_object(ctx, request_id, None)


@router.post("/requests/{request_id}", summary="The request object for request_uri_method=post; served once",
             responses={200: {"content": {f"application/{REQUEST_OBJECT_TYP}": {}}}})
async def post_request_object(request_id: str, request: Request, ctx: VerifierContext = Depends(context)) -> Response:
    form = await read_form(request, max_bytes=64 * 1024)
    return await run_in_threadpool(_request_object, ctx, request_id, form.get("wallet_nonce") or None)


@router.post("/responses/{request_id}", summary="The wallet's authorization response (direct_post)",
             openapi_extra={"requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {
                 "schema": {"type": "object", "properties": {"vp_token": {"type": "string"}, "state": {"type": "string"},
                                                             "error": {"type": "string"}}}}}}})
async def post_response(request_id: str, request: Request, ctx: VerifierContext = Depends(context)) -> JSONResponse:
    form = await read_form(request, max_bytes=ctx.settings.max_body_bytes)
    try:
        outcome = await run_in_threadpool(ctx.oid4vp.receive_response, request_id, form, now=ctx.settings.now())
    except PresentationRequestError as err:
        return _oauth_error(err)
    if outcome.verified:
        return JSONResponse({}, headers=_NO_STORE)
    codes = list(outcome.codes)
    failed = [c for c in outcome.checks if not c.passed]
    body = {"error": "invalid_request", "error_description": failed[0].message if failed else "not verified",
            "errorCode": codes[0] if codes else "PRESENTATION_INVALID", "codes": codes}
    return JSONResponse(body, status_code=400, headers=_NO_STORE)


@router.get("/requests/{request_id}/result", summary="The outcome for the staff (Authorization: Bearer <result_token>)")
def get_result(request_id: str, request: Request, ctx: VerifierContext = Depends(context)) -> JSONResponse:
    result = ctx.oid4vp.result(request_id, token=bearer_token(request), now=ctx.settings.now())
    return JSONResponse(result, headers=_NO_STORE)
