"""The disclosure history: what was shown to whom, when and why; exportable as JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from vc.errors import UsageError
from vc.holder import StoredCredential
from vc.sdjwt import parse_path

from ..app import WalletContext
from ..i18n import request_lang
from . import wallet_context

__all__ = ["router"]

router = APIRouter()


def _entries(ctx: WalletContext, lang: str) -> list[dict[str, Any]]:
    cards: dict[str, StoredCredential] = {c.id: c for c in ctx.store.credentials()}
    out = []
    for entry in ctx.history.entries():
        shown = []
        for item in entry.credentials:
            card = cards.get(item.credential_id)
            # labels from the credential when it is still held; else the paths themselves
            paths = sorted(item.claims, key=lambda p: card.display_rank(_parse(p))) if card else list(item.claims)
            labels = [card.claim_label_text(_parse(p), lang) if card else p for p in paths]
            name = card.display_name(lang) if card else (item.name.get(lang) or item.name.get("ja") or item.query_id)
            shown.append({"name": name, "claims": labels, "paths": paths})
        out.append({"entry": entry, "shown": shown})
    return out


def _parse(text: str) -> tuple[Any, ...]:
    try:
        return parse_path(text)
    except UsageError:  # a member name with '.' or '[': show the path as it is
        return (text,)


@router.get("/history", response_class=HTMLResponse, summary="Disclosure history")
async def history_page(request: Request, ctx: WalletContext = Depends(wallet_context)) -> HTMLResponse:
    entries = await run_in_threadpool(_entries, ctx, request_lang(request))
    return ctx.render(request, "history.html", entries=entries)


@router.get("/history.json", summary="The disclosure history as JSON (claim paths, never values)")
async def history_export(ctx: WalletContext = Depends(wallet_context)) -> Response:
    text = await run_in_threadpool(ctx.history.export_json)
    return Response(text, media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="disclosure-history.json"'})

