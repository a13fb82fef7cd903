"""The staff pages: pick a procedure, show its request QR code, see the pre-filled form.

``POST /staff/requests`` answers 303 to ``/staff/requests/{id}#token=<result_token>``: the token
stays in the fragment, so it never reaches a server log, and the page's script sends it as a
Bearer token when it polls.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from vc.errors import PresentationRequestError

from .body import read_form
from .deps import context
from .oid4vp import bearer_token, create_request, procedure_request
from .pages import form_fragment, procedures_page, request_page
from .settings import VerifierContext

__all__ = ["router"]

router = APIRouter(prefix="/staff", tags=["Staff pages"])


def _texts(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {k: v for k, v in value.items() if isinstance(v, str)}
    return {"ja": str(value)} if value else {}


@router.get("", response_class=HTMLResponse, summary="Procedures (staff)")
def staff_home(request: Request, ctx: VerifierContext = Depends(context)) -> HTMLResponse:
    items = [(pid, _texts(getattr(p, "name", pid)), procedure_request(p)[1]) for pid, p in ctx.procedures.items()]
    action = str(request.url_for("staff_create_request").path)
    return HTMLResponse(procedures_page(ctx.settings.identity.name, items, action=action))


@router.post("/requests", name="staff_create_request", summary="Start a request for a procedure (staff)")
async def staff_create_request(request: Request, ctx: VerifierContext = Depends(context)) -> RedirectResponse:
    form = await read_form(request, max_bytes=16 * 1024)
    created = await run_in_threadpool(create_request, ctx, {"procedure": form.get("procedure")})
    page = request.url_for("staff_request_page", request_id=created.request.id).path
    return RedirectResponse(f"{page}#token={created.result_token}", status_code=303)


@router.get("/requests/{request_id}", name="staff_request_page", response_class=HTMLResponse,
            summary="The QR code page of a request (staff)")
def staff_request_page(request_id: str, request: Request, ctx: VerifierContext = Depends(context)) -> HTMLResponse:
    stored = ctx.store.get(request_id)
    if stored is None:
        raise PresentationRequestError("no such presentation request", code="REQUEST_NOT_FOUND")
    req = stored.request
    procedure = ctx.procedures.get(req.procedure_id) if req.procedure_id else None
    from verifier.requests import deep_link, qr_svg

    link = deep_link(req, ctx.settings.identity, by_reference=ctx.settings.by_reference, scheme=ctx.settings.wallet_scheme)
    html = request_page(
        verifier_name=ctx.settings.identity.name,
        procedure_name=_texts(getattr(procedure, "name", None)) or None,
        purpose=req.purpose,
        qr_svg=qr_svg(link, title="OpenID4VP"),
        link=link,
        result_url=str(request.url_for("get_result", request_id=req.id).path),
        form_url=str(request.url_for("staff_form", request_id=req.id).path),
        expires_at=req.expires_at.isoformat(),
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


@router.get("/requests/{request_id}/form", name="staff_form", response_class=HTMLResponse,
            summary="The pre-filled form (Authorization: Bearer <result_token>)")
def staff_form(request_id: str, request: Request, ctx: VerifierContext = Depends(context)) -> HTMLResponse:
    result = ctx.oid4vp.result(request_id, token=bearer_token(request), now=ctx.settings.now())
    if result.get("status") != "complete":
        return HTMLResponse('<p class="pending">まだ受信していません <span class="en" lang="en">Nothing received yet</span></p>',
                            status_code=202, headers={"Cache-Control": "no-store"})
    return HTMLResponse(form_fragment(result["outcome"]), headers={"Cache-Control": "no-store"})
