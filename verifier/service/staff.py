"""The staff pages: log in, pick a procedure, show its request QR code, see the pre-filled form.

Every page but the login form needs the staff session (``verifier.service.auth``): ``POST
/staff/login`` with a staff token sets an ``HttpOnly``, ``SameSite=Strict`` cookie scoped to
``/staff``; without it a page answers 401 with the login form.

``POST /staff/requests`` answers 303 to ``/staff/requests/{id}#token=<result_token>``: the token
stays in the fragment, so it never reaches a server log, and the page's script sends it as a
Bearer token when it polls.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from vc.errors import PresentationRequestError
from vc.http_body import read_form

from .auth import SESSION_COOKIE, StaffLoginRequired, require_staff_session, same_origin
from .deps import context
from .oid4vp import bearer_token, create_request, procedure_request
from .pages import form_fragment, login_page, procedures_page, request_page
from .settings import VerifierContext

__all__ = ["install_login_handler", "login_router", "router"]

login_router = APIRouter(prefix="/staff", tags=["Staff pages"])
router = APIRouter(prefix="/staff", tags=["Staff pages"], dependencies=[Depends(require_staff_session)])

_NO_STORE = {"Cache-Control": "no-store"}


def _home_path(request: Request) -> str:
    return str(request.url_for("staff_home").path)


def _next_path(request: Request, value: Any) -> str:
    """Where to go after logging in: a staff page of this service, never another site."""
    home = _home_path(request)
    if not isinstance(value, str) or not (value == home or value.startswith(home + "/")):
        return home
    if "//" in value or "\\" in value or not value.isprintable():  # no scheme-relative or odd targets
        return home
    return value


def _login(request: Request, ctx: VerifierContext, *, next_path: str | None = None, invalid: bool = False,
           status: int = 401) -> HTMLResponse:
    html = login_page(ctx.settings.identity.name, action=str(request.url_for("staff_login").path),
                      next_path=next_path or _home_path(request), invalid=invalid)
    headers = dict(_NO_STORE)
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="jitsuin-verifier"'
    return HTMLResponse(html, status_code=status, headers=headers)


def install_login_handler(app: FastAPI) -> None:
    """A staff page without a session answers 401 with the login form (which brings the staff back)."""

    async def on_login_required(request: Request, error: Exception) -> Response:
        assert isinstance(error, StaffLoginRequired)
        ctx: VerifierContext = request.app.state.verifier
        wanted = request.url.path if request.method == "GET" else None
        return _login(request, ctx, next_path=_next_path(request, wanted))

    app.add_exception_handler(StaffLoginRequired, on_login_required)


@login_router.get("/login", name="staff_login_form", response_class=HTMLResponse, summary="Staff login form")
def staff_login_form(request: Request, next: str | None = None, ctx: VerifierContext = Depends(context)) -> HTMLResponse:
    return _login(request, ctx, next_path=_next_path(request, next), status=200)


@login_router.post("/login", name="staff_login", summary="Log in with a staff token (sets the session cookie)",
                   openapi_extra={"requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {
                       "schema": {"type": "object", "properties": {"token": {"type": "string"},
                                                                   "next": {"type": "string"}}}}}}})
async def staff_login(request: Request, ctx: VerifierContext = Depends(context)) -> Response:
    if not same_origin(request):
        raise HTTPException(403, detail="the login form must be posted from this service's own page")
    form = await read_form(request, max_bytes=4 * 1024)
    token = (form.get("token") or "").strip()
    next_path = _next_path(request, form.get("next"))
    if not ctx.staff.check_token(token):
        return _login(request, ctx, next_path=next_path, invalid=True)
    answer = RedirectResponse(next_path, status_code=303, headers=_NO_STORE)
    answer.set_cookie(SESSION_COOKIE, token, path=_home_path(request), httponly=True, samesite="strict",
                      secure=ctx.settings.identity.base_url.startswith("https://") or request.url.scheme == "https")
    return answer


@login_router.post("/logout", name="staff_logout", summary="End the staff session")
def staff_logout(request: Request) -> Response:
    answer = RedirectResponse(str(request.url_for("staff_login_form").path), status_code=303, headers=_NO_STORE)
    answer.delete_cookie(SESSION_COOKIE, path=_home_path(request), httponly=True, samesite="strict")
    return answer


def _texts(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {k: v for k, v in value.items() if isinstance(v, str)}
    return {"ja": str(value)} if value else {}


@router.get("", response_class=HTMLResponse, summary="Procedures (staff)")
def staff_home(request: Request, ctx: VerifierContext = Depends(context)) -> HTMLResponse:
    items = [(pid, _texts(getattr(p, "name", pid)), procedure_request(p)[1]) for pid, p in ctx.procedures.items()]
    action = str(request.url_for("staff_create_request").path)
    logout = str(request.url_for("staff_logout").path)
    return HTMLResponse(procedures_page(ctx.settings.identity.name, items, action=action, logout=logout),
                        headers=_NO_STORE)


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
    return HTMLResponse(html, headers=_NO_STORE)


@router.get("/requests/{request_id}/form", name="staff_form", response_class=HTMLResponse,
            summary="The pre-filled form (Authorization: Bearer <result_token>)")
def staff_form(request_id: str, request: Request, ctx: VerifierContext = Depends(context)) -> HTMLResponse:
    result = ctx.oid4vp.result(request_id, token=bearer_token(request), now=ctx.settings.now())
    if result.get("status") != "complete":
        return HTMLResponse('<p class="pending">まだ受信していません <span class="en" lang="en">Nothing received yet</span></p>',
                            status_code=202, headers=_NO_STORE)
    return HTMLResponse(form_fragment(result["outcome"]), headers=_NO_STORE)
