"""OpenID4VCI 1.0 endpoints: offers (staff), offer by reference, token, nonce, credential (wallets), and the
staff's lookup of what an offer was redeemed for (``GET /offers/{offer_id}/credentials``).

Pre-authorized code flow only. Errors on the wallet endpoints are OAuth error objects:

- token (section 6.3): ``unsupported_grant_type``; ``invalid_request`` (no code; a ``tx_code`` missing or not
  expected); ``invalid_grant`` (unknown, expired or already used code; wrong ``tx_code``).
- credential (section 8.3.1.2): ``invalid_token`` (401, ``WWW-Authenticate``); ``invalid_credential_request``;
  ``unknown_credential_configuration``; ``unknown_credential_identifier``; ``invalid_proof``; ``invalid_nonce``
  (unknown, expired or reused ``c_nonce``: fetch a new one); ``credential_request_denied``.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from issuers.workspace import Holder
from vc.errors import InputError, VcError, WorkspaceError

from vc.http_body import read_form, read_json_object

from ..context import ServiceContext, service_context
from ..grants import GrantError
from ..key_proofs import KeyProof, verify_key_proof
from ..metadata import OID4VCI_FORMATS, PRE_AUTHORIZED_GRANT, split_configuration_id
from ..offers import create_offer
from ..problems import OAuthError, problem_response
from .staff import STAFF_RESPONSES, require_staff

__all__ = ["router"]

router = APIRouter(tags=["OpenID4VCI"])
_NO_STORE = {"Cache-Control": "no-store"}
_GRANT_REASONS = {
    "unknown": "the pre-authorized code is not known to this issuer",
    "expired": "the pre-authorized code has expired; ask the issuer for a new offer",
    "used": "the pre-authorized code has already been used; ask the issuer for a new offer",
    "wrong_check": "the tx_code (PIN) is wrong",
}
_NONCE_REASONS = {
    "unknown": "the key proof's nonce was not issued by this issuer's nonce endpoint",
    "expired": "the key proof's nonce has expired",
    "used": "the key proof's nonce has already been used",
}


# --- offers (staff) -------------------------------------------------------------------------


class OfferSubject(BaseModel):
    """Whom the credential is about when that is not the holder (a child, a ward)."""

    id: str | None = Field(default=None, description="A URI naming the subject (a DID, urn:uuid:...); default: a "
                                                     "fresh urn:uuid:")


class CreateOfferRequest(BaseModel):
    """A new credential offer for one resident."""

    type: str = Field(description="Certificate type id, e.g. ResidentRecord")
    claims: dict[str, Any]
    subject: OfferSubject | None = Field(
        default=None, description="Present when the credential is about someone other than the holder: it is then "
                                  "issued as dc+sd-jwt bound to the holder's key, with sub naming the subject")
    formats: list[str] | None = Field(default=None, description="dc+sd-jwt, jwt_vc_json, ldp_vc (default: all; "
                                                                "dc+sd-jwt only with a subject)")
    tx_code: bool | str = Field(default=True, description="true: draw a PIN; a string: that PIN; false: none")
    by_reference: bool = True
    expires_in: int | None = Field(default=None, gt=0, le=30 * 86400, description="seconds")


@router.post("/offers", status_code=201, dependencies=[Depends(require_staff)], responses=STAFF_RESPONSES,
             summary="Create a credential offer (staff)",
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": CreateOfferRequest.model_json_schema()}}}})
async def new_offer(request: Request, ctx: ServiceContext = Depends(service_context)) -> JSONResponse:
    """Validate the claims, store a pre-authorized code, and answer the offer URI and the PIN to hand over."""
    body = await read_json_object(request, max_bytes=ctx.settings.max_body_bytes)
    offer_request = CreateOfferRequest.model_validate(body)
    ctype = ctx.workspace.certificate_type(offer_request.type)
    if ctype.id not in ctx.types:
        raise WorkspaceError(f"this issuer may not issue {ctype.id} (its issuer kinds)", code="TYPE_NOT_ALLOWED")
    created = await ctx.run(
        create_offer, ctx.grants, ctx.settings, ctype, offer_request.claims, formats=offer_request.formats,
        tx_code=offer_request.tx_code, by_reference=offer_request.by_reference,
        ttl=timedelta(seconds=offer_request.expires_in) if offer_request.expires_in else None,
        subject_id=offer_request.subject.id if offer_request.subject else None,
        subject_is_holder=offer_request.subject is None)
    return JSONResponse(created.to_dict(), status_code=201, headers=_NO_STORE)


@router.get("/offers/{offer_id}/credentials", dependencies=[Depends(require_staff)],
            responses={**STAFF_RESPONSES, 404: {"description": "No offer with this id (problem details)"}},
            summary="What an offer was redeemed for (staff)")
async def offer_credentials(offer_id: str, ctx: ServiceContext = Depends(service_context)) -> JSONResponse:
    """The offer's ``state`` (``pending``, ``redeemed``, ``expired``) and the ids of the credentials issued when a
    wallet redeemed it: what the staff revoke (``POST /credentials/status``) when the certificate is withdrawn."""
    record = await ctx.run(ctx.grants.offer_record, offer_id)
    if record is None:
        return problem_response(404, title="Offer not found", detail="no offer with this offer_id was made here",
                                instance="/offers/{offer_id}/credentials", headers=_NO_STORE)
    return JSONResponse(record.to_dict(ctx.settings.now()), headers=_NO_STORE)


@router.get("/offers/{reference}", summary="A credential offer by reference")
async def get_offer(reference: str, ctx: ServiceContext = Depends(service_context)) -> JSONResponse:
    """The credential offer object behind a ``credential_offer_uri``."""
    try:
        offer = await ctx.run(ctx.grants.open, "offer", reference, now=ctx.settings.now())
    except GrantError:
        return JSONResponse({"error": "not_found", "error_description": "no such credential offer (or it expired)"},
                            status_code=404, headers=_NO_STORE)
    return JSONResponse(offer, headers=_NO_STORE)


# --- token ----------------------------------------------------------------------------------


@router.post("/token", summary="Token endpoint (pre-authorized code grant)")
async def token(request: Request, ctx: ServiceContext = Depends(service_context)) -> JSONResponse:
    """Exchange a pre-authorized code (and its ``tx_code``) for an access token."""
    try:
        form = await read_form(request, max_bytes=16_384)
    except VcError as exc:
        raise OAuthError("invalid_request", exc.message) from None
    if form.get("grant_type") != PRE_AUTHORIZED_GRANT:
        raise OAuthError("unsupported_grant_type", f"this issuer supports only grant_type={PRE_AUTHORIZED_GRANT}")
    code = form.get("pre-authorized_code")
    if not code:
        raise OAuthError("invalid_request", "the pre-authorized_code parameter is missing")
    tx_code = form.get("tx_code")
    now = ctx.settings.now()
    try:
        grant = await ctx.run(ctx.grants.open, "code", code, now=now)
        if grant.get("tx_code") and not tx_code:
            raise OAuthError("invalid_request", "this offer needs the tx_code (PIN) given to you out of band")
        if not grant.get("tx_code") and tx_code is not None:
            raise OAuthError("invalid_request", "this offer has no tx_code; send none")
        grant = await ctx.run(ctx.grants.consume, "code", code, now=now, check=tx_code,
                              max_attempts=ctx.settings.tx_code_attempts)
    except GrantError as exc:
        raise OAuthError("invalid_grant", _GRANT_REASONS[exc.reason]) from None
    access_token = secrets.token_urlsafe(32)
    ttl = ctx.settings.access_token_ttl
    payload = {k: grant[k] for k in ("type", "version", "claims", "configurations", "offer_id", "subject")
               if k in grant}
    await ctx.run(ctx.grants.put, "token", access_token, payload, expires_at=now + ttl, now=now)
    return JSONResponse({"access_token": access_token, "token_type": "Bearer", "expires_in": int(ttl.total_seconds())},
                        headers=_NO_STORE)


# --- nonce ----------------------------------------------------------------------------------


@router.post("/nonce", summary="Nonce endpoint")
async def nonce(ctx: ServiceContext = Depends(service_context)) -> JSONResponse:
    """A fresh ``c_nonce`` for a key proof; single use, short-lived."""
    value = secrets.token_urlsafe(32)
    now = ctx.settings.now()
    await ctx.run(ctx.grants.put, "nonce", value, expires_at=now + ctx.settings.nonce_ttl, now=now)
    return JSONResponse({"c_nonce": value}, headers=_NO_STORE)


# --- credential -----------------------------------------------------------------------------


def _bearer(request: Request) -> str:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise OAuthError("invalid_token", "the credential request needs 'Authorization: Bearer <access token>'",
                         status=401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return value.strip()


def _proof_jwts(body: dict[str, Any], batch_size: int) -> list[Any]:
    if "proofs" in body and "proof" in body:
        raise OAuthError("invalid_credential_request", "send either 'proofs' or 'proof', not both")
    if "proof" in body:  # the draft 13 shape some wallets still send
        proof = body["proof"]
        if not isinstance(proof, dict) or proof.get("proof_type") != "jwt" or "jwt" not in proof:
            raise OAuthError("invalid_proof", "'proof' must be {\"proof_type\": \"jwt\", \"jwt\": ...}")
        return [proof["jwt"]]
    proofs = body.get("proofs")
    if proofs is None:
        raise OAuthError("invalid_proof", "the credential request needs 'proofs' ({\"jwt\": [key proof JWT, ...]})")
    if not isinstance(proofs, dict) or len(proofs) != 1:
        raise OAuthError("invalid_credential_request", "'proofs' must be an object with exactly one proof type")
    if "jwt" not in proofs:
        raise OAuthError("invalid_proof", f"proof type {next(iter(proofs))!r} is not supported; use 'jwt'")
    jwts = proofs["jwt"]
    if not isinstance(jwts, list) or not jwts:
        raise OAuthError("invalid_proof", "'proofs.jwt' must be a non-empty array of key proof JWTs")
    if len(jwts) > batch_size:
        raise OAuthError("invalid_credential_request", f"at most {batch_size} key proofs per request (batch_size)")
    return jwts


@router.post("/credential", summary="Credential endpoint")
async def credential(request: Request, ctx: ServiceContext = Depends(service_context)) -> JSONResponse:
    """Issue the granted credential, bound to the key of each key proof."""
    access_token = _bearer(request)
    now = ctx.settings.now()
    try:
        grant = await ctx.run(ctx.grants.open, "token", access_token, now=now)
    except GrantError as exc:
        raise OAuthError("invalid_token", f"the access token is {exc.reason}", status=401,
                         headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}) from None
    try:
        body = await read_json_object(request, max_bytes=ctx.settings.max_body_bytes, what="credential request")
    except VcError as exc:
        raise OAuthError("invalid_credential_request", exc.message) from None
    config_id = _configuration_requested(body, ctx)
    if config_id not in grant.get("configurations", []):
        raise OAuthError("invalid_credential_request", f"the access token does not grant {config_id}")
    if config_id in grant.get("issued", []):
        raise OAuthError("credential_request_denied", f"{config_id} has already been issued with this access token")
    jwts = _proof_jwts(body, ctx.settings.batch_size)
    proofs = [verify_key_proof(jwt, audience=ctx.settings.public_url, now=now, max_age=ctx.settings.proof_max_age,
                               skew=ctx.settings.skew) for jwt in jwts]
    keys = [p.key.public.thumbprint() for p in proofs]
    if len(set(keys)) != len(keys):
        raise OAuthError("invalid_proof", "two key proofs are for the same key; send one proof per key")
    await _consume_nonces(proofs, ctx, now)
    await ctx.run(_take_configuration, ctx, access_token, config_id, now)
    split = split_configuration_id(config_id)
    assert split is not None
    fmt = OID4VCI_FORMATS[split[1]]
    subject = grant.get("subject", {}).get("id")
    issued = []
    for proof in proofs:
        holder: Any = proof.key.public if fmt.binds_by_key or proof.key.did is None else proof.key.did
        if subject is not None:  # about someone else (a child): that subject, bound to this wallet's key
            holder = Holder(subject_id=subject, jwk=proof.key.public.to_jwk())
        try:
            result = await ctx.run(ctx.issue, grant["type"], grant["claims"],
                                   format=fmt.workspace_format(ctx.profile), holder=holder)
        except (InputError, WorkspaceError) as exc:
            raise OAuthError("credential_request_denied", exc.message) from None
        if grant.get("offer_id"):
            await ctx.run(ctx.grants.record_issued, grant["offer_id"], result.credential_id, format=fmt.name,
                          issued_at=now)
        issued.append({"credential": result.credential})
    return JSONResponse({"credentials": issued}, headers=_NO_STORE)


def _configuration_requested(body: dict[str, Any], ctx: ServiceContext) -> str:
    if "credential_identifier" in body:
        if "credential_configuration_id" in body:
            raise OAuthError("invalid_credential_request",
                             "send credential_configuration_id or credential_identifier, not both")
        raise OAuthError("unknown_credential_identifier", "this issuer grants no credential identifiers; send "
                         "credential_configuration_id")
    config_id = body.get("credential_configuration_id")
    if not isinstance(config_id, str) or not config_id:
        raise OAuthError("invalid_credential_request", "the request needs 'credential_configuration_id'")
    if config_id not in ctx.configurations:
        raise OAuthError("unknown_credential_configuration",
                         "this issuer has no credential configuration with that id (see its metadata)")
    return config_id


async def _consume_nonces(proofs: list[KeyProof], ctx: ServiceContext, now: Any) -> None:
    nonces = {p.nonce for p in proofs}
    if None in nonces:
        raise OAuthError("invalid_proof", "each key proof needs the 'nonce' claim (a c_nonce from the nonce endpoint)")
    for value in nonces:
        try:
            await ctx.run(ctx.grants.consume, "nonce", value, now=now)
        except GrantError as exc:
            raise OAuthError("invalid_nonce", _NONCE_REASONS.get(exc.reason, "the key proof's nonce is not valid")
                             + "; get a new c_nonce from the nonce endpoint") from None


def _take_configuration(ctx: ServiceContext, access_token: str, config_id: str, now: Any) -> None:
    """Mark ``config_id`` issued on the token (each granted configuration once; the last one uses the token up)."""
    try:
        ctx.grants.modify("token", access_token, lambda payload: _without(payload, config_id), now=now)
    except GrantError as exc:
        raise OAuthError("invalid_token", f"the access token is {exc.reason}", status=401,
                         headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}) from None


def _without(payload: dict[str, Any], config_id: str) -> tuple[dict[str, Any], bool]:
    issued = list(payload.get("issued", []))
    if config_id in issued:  # a concurrent request with the same token got there first
        raise OAuthError("credential_request_denied", f"{config_id} has already been issued with this access token")
    issued.append(config_id)
    return {**payload, "issued": issued}, set(issued) >= set(payload.get("configurations", []))
