"""Receive a credential: paste or open an offer link, see who offers what, enter the PIN.

``GET /receive`` (a form), ``GET /receive?offer=<link>`` (also the offer's own query:
``?credential_offer_uri=...`` / ``?credential_offer=...``, so an offer link can point at the wallet)
shows the issuer and the certificate before the PIN is asked; ``POST /receive`` runs OpenID4VCI and
stores the checked credential.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from vc.errors import UsageError, VcError
from vc.holder import Oid4vciClient, receive_credential
from vc.holder.receive import FORMAT_PREFERENCE

from ..app import WalletContext, first, read_form
from ..i18n import request_lang
from . import wallet_context

__all__ = ["router"]

router = APIRouter()


def _offer_link(request: Request) -> str | None:
    params = request.query_params
    if params.get("offer"):
        return params["offer"]
    for name in ("credential_offer_uri", "credential_offer"):
        if params.get(name):
            return "openid-credential-offer://?" + urlencode({name: params[name]})
    return None


def _preview(ctx: WalletContext, link: str, lang: str) -> dict[str, Any]:
    """Who offers which certificate, and whether a PIN is needed (nothing is redeemed yet)."""
    with Oid4vciClient(http=ctx.http, require_https=ctx.require_https) as client:
        offer = client.resolve_offer(link)
        metadata = client.issuer_metadata(offer.credential_issuer)
    configurations = metadata["credential_configurations_supported"]
    rank = {fmt: i for i, fmt in enumerate(FORMAT_PREFERENCE)}
    offered = sorted((c for c in offer.credential_configuration_ids if isinstance(configurations.get(c), dict)),
                     key=lambda c: rank.get(str(configurations[c].get("format")), len(rank)))
    names: list[str] = []
    for config_id in offered[:1]:
        config = configurations[config_id]
        meta = config.get("credential_metadata") if isinstance(config.get("credential_metadata"), dict) else config
        display = meta.get("display") if isinstance(meta.get("display"), list) else []
        name = next((d.get("name") for d in display if isinstance(d, dict) and d.get("locale") == lang), None)
        names.append(str(name or next((d.get("name") for d in display if isinstance(d, dict)), config_id)))
    issuer_display = metadata.get("display") if isinstance(metadata.get("display"), list) else []
    issuer_name = next((d.get("name") for d in issuer_display if isinstance(d, dict) and d.get("name")), None)
    tx = offer.tx_code or {}
    return {"issuer_name": issuer_name or offer.credential_issuer, "issuer_url": offer.credential_issuer,
            "names": names, "needs_pin": offer.tx_code is not None,
            "pin_length": tx.get("length") if isinstance(tx.get("length"), int) else None,
            "pin_numeric": tx.get("input_mode", "numeric") == "numeric"}


@router.get("/receive", response_class=HTMLResponse, summary="Receive a credential")
async def receive_page(request: Request, ctx: WalletContext = Depends(wallet_context)) -> HTMLResponse:
    link = _offer_link(request)
    if not link:
        return ctx.render(request, "receive.html", link="", preview=None)
    try:
        preview = await run_in_threadpool(_preview, ctx, link, request_lang(request))
    except VcError as exc:
        return ctx.error_page(request, exc, back="/receive")
    return ctx.render(request, "receive.html", link=link, preview=preview)


@router.post("/receive", summary="Redeem the offer (OpenID4VCI) and store the credential")
async def receive_post(request: Request, ctx: WalletContext = Depends(wallet_context)) -> Response:
    try:
        form = await read_form(request, ctx.form_token)
    except UsageError as exc:
        return ctx.error_page(request, exc, back="/receive")
    link = first(form, "offer").strip()
    pin = first(form, "tx_code").strip() or None
    try:
        stored = await run_in_threadpool(
            receive_credential, ctx.store, link, tx_code=pin, http=ctx.http, require_https=ctx.require_https,
            resolver=ctx.resolver, loader=ctx.loader)
    except VcError as exc:
        return ctx.error_page(request, exc, back="/receive?" + urlencode({"offer": link}))
    return RedirectResponse(f"/credentials/{stored.id}?received=1", status_code=303)
