"""VC-API issuer endpoints (w3c-ccg/vc-api issuer.yml): issue a credential, update its status. Staff only.

- ``POST /credentials/issue`` ``{credential, options}`` -> 201 ``{verifiableCredential}``; 400 problem details
  for bad input (undefined term, redefined protected term, foreign issuer, unknown cryptosuite ...).
  ``options.cryptosuite`` picks the suite; other options are ignored.
- ``POST /suites/{cryptosuite}/credentials/issue``: the same, signed by this service's did:key issuer for
  that suite (one issuer per suite, as the W3C Data Integrity test suites configure them).
- ``POST /credentials/status`` ``{credentialId, credentialStatus: {type, statusPurpose}, status}`` -> 200;
  404 for an unknown credential, 409 for a change the rules forbid (revocation is final).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from vc.http_body import read_json_object

from ..context import ServiceContext, service_context
from .staff import STAFF_RESPONSES, require_staff

__all__ = ["router"]

router = APIRouter(tags=["VC-API"], dependencies=[Depends(require_staff)], responses=STAFF_RESPONSES)


class IssueCredentialRequest(BaseModel):
    """The VC-API issue request (documentation of the body; it is parsed with jitsuin's JSON limits)."""

    credential: dict[str, Any] = Field(description="The unsecured credential (VCDM 2.0 or 1.1)")
    options: dict[str, Any] | None = Field(default=None, description="cryptosuite, credentialId; others ignored")


class CredentialStatusEntry(BaseModel):
    type: str = Field(examples=["BitstringStatusList"])
    statusPurpose: str = Field(examples=["revocation", "suspension"])


class UpdateCredentialStatusRequest(BaseModel):
    credentialId: str
    credentialStatus: CredentialStatusEntry
    status: bool = Field(description="true: revoke / suspend; false: reinstate a suspension")
    reason: str | None = Field(default=None, description="jitsuin extension: a registry reason code")


def _body(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


async def _issue(request: Request, ctx: ServiceContext, route_suite: str | None) -> JSONResponse:
    body = await read_json_object(request, max_bytes=ctx.settings.max_body_bytes)
    signed = await ctx.run(ctx.vcapi.issue, body.get("credential"), body.get("options"),
                           now=ctx.settings.now(), route_suite=route_suite)
    return JSONResponse({"verifiableCredential": signed}, status_code=201)


@router.post("/credentials/issue", status_code=201, openapi_extra=_body(IssueCredentialRequest),
             summary="Issue a credential (VC-API)")
async def issue_credential(request: Request, ctx: ServiceContext = Depends(service_context)) -> JSONResponse:
    """Sign the credential with the workspace issuer (status entries added when it has a registry)."""
    return await _issue(request, ctx, None)


@router.post("/suites/{cryptosuite}/credentials/issue", status_code=201, openapi_extra=_body(IssueCredentialRequest),
             summary="Issue a credential with one cryptosuite's did:key issuer (VC-API)")
async def issue_credential_with_suite(cryptosuite: str, request: Request,
                                      ctx: ServiceContext = Depends(service_context)) -> JSONResponse:
    """Sign with the did:key issuer configured for ``cryptosuite``."""
    return await _issue(request, ctx, cryptosuite)


@router.post("/credentials/status", openapi_extra=_body(UpdateCredentialStatusRequest),
             summary="Update the status of an issued credential (VC-API)")
async def update_status(request: Request, ctx: ServiceContext = Depends(service_context)) -> dict[str, Any]:
    """Revoke, suspend or reinstate; the served status lists change at once."""
    body = await read_json_object(request, max_bytes=ctx.settings.max_body_bytes)
    reason = body.get("reason") if isinstance(body.get("reason"), str) else None
    registration = await ctx.run(ctx.vcapi.update_status, body, now=ctx.settings.now(), reason=reason)
    ctx.publisher.invalidate()
    return {"credentialId": registration.credential_id, "status": registration.status}
