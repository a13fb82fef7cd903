"""Well-known documents: OpenID4VCI issuer and authorization server metadata, the did:web document, and
JWT VC Issuer Metadata (the keys an ``https`` SD-JWT VC ``iss`` is verified with). Public, cacheable."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from vc.sdjwt import jwt_vc_issuer_metadata

from ..context import ServiceContext, service_context
from ..metadata import authorization_server_metadata, credential_issuer_metadata

__all__ = ["router"]

router = APIRouter(prefix="/.well-known", tags=["Well-known"])
_CACHE = {"Cache-Control": "public, max-age=300"}


@router.get("/openid-credential-issuer", summary="OpenID4VCI Credential Issuer Metadata")
def openid_credential_issuer(ctx: ServiceContext = Depends(service_context)) -> JSONResponse:
    """Endpoints, display, and a credential configuration per certificate type and format."""
    return JSONResponse(credential_issuer_metadata(ctx.settings, ctx.profile, ctx.configurations), headers=_CACHE)


@router.get("/oauth-authorization-server", summary="OAuth 2.0 Authorization Server Metadata (RFC 8414)")
def oauth_authorization_server(ctx: ServiceContext = Depends(service_context)) -> JSONResponse:
    """The token endpoint and the pre-authorized code grant."""
    return JSONResponse(authorization_server_metadata(ctx.settings), headers=_CACHE)


@router.get("/did.json", summary="The issuer's did:web document")
def did_document(ctx: ServiceContext = Depends(service_context)) -> JSONResponse:
    """Every key still in use (active and verify-only); 404 when the issuer is not a did:web."""
    document = ctx.workspace.did_document()
    if document is None:
        raise HTTPException(404, detail="this issuer's DID is not a did:web; it has no did.json")
    return JSONResponse(document, headers=_CACHE, media_type="application/did+json")


@router.get("/jwt-vc-issuer", summary="JWT VC Issuer Metadata (SD-JWT VC)")
def jwt_vc_issuer(ctx: ServiceContext = Depends(service_context)) -> JSONResponse:
    """``{"issuer": <public URL>, "jwks": {"keys": [...]}}``, each key's ``kid`` its DID URL."""
    return JSONResponse(jwt_vc_issuer_metadata(ctx.settings.public_url, ctx.jwks), headers=_CACHE)
