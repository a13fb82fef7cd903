"""My credentials (cards) and one credential in detail (labels from the issuer's metadata)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from vc.errors import WalletError
from vc.holder import StoredCredential, credential_document
from vc.holder.claims import leaf_paths, personal_claim

from ..app import WalletContext
from ..i18n import request_lang
from . import wallet_context

__all__ = ["claim_rows", "router"]

router = APIRouter()


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if value is None:
        return "—"
    return str(value)


def claim_rows(stored: StoredCredential, lang: str) -> list[dict[str, Any]]:
    """Each personal claim of the credential: its label (the labels along its path), value, sensitivity."""
    document = credential_document(stored)
    rows = []
    for path in sorted(leaf_paths(document), key=stored.display_rank):
        if not personal_claim(path, stored.format):
            continue
        value: Any = document
        for step in path:
            value = value[step]
        sensitive = any(c.sensitive and tuple(c.path) == tuple(path[: len(c.path)]) for c in stored.claims)
        rows.append({"label": stored.claim_label_text(path, lang), "value": _value_text(value),
                     "sensitive": sensitive})
    return rows


@router.get("/", response_class=HTMLResponse, summary="My credentials")
async def credentials_page(request: Request, ctx: WalletContext = Depends(wallet_context)) -> HTMLResponse:
    stored = await run_in_threadpool(ctx.store.credentials)
    cards = sorted(stored, key=lambda c: c.received_at, reverse=True)
    return ctx.render(request, "credentials.html", cards=cards)


@router.get("/credentials/{credential_id}", response_class=HTMLResponse, summary="One credential")
async def credential_page(credential_id: str, request: Request,
                          ctx: WalletContext = Depends(wallet_context)) -> HTMLResponse:
    try:
        stored = await run_in_threadpool(ctx.store.credential, credential_id)
    except WalletError as exc:
        return ctx.error_page(request, exc, status_code=404)
    lang = request_lang(request)
    rows = await run_in_threadpool(claim_rows, stored, lang)
    shown_to = await run_in_threadpool(ctx.history.for_credential, credential_id)
    return ctx.render(request, "credential.html", card=stored, rows=rows, shown_to=shown_to,
                      just_received=request.query_params.get("received") == "1")
