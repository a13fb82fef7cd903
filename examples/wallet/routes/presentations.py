"""A presentation request: open it, show who asks, why, and exactly what would be shown; approve or decline.

- ``GET /present``: paste a request link; ``GET /present?link=<openid4vp://...>`` or the request's own
  parameters (``?client_id=...&request_uri=...``: a verifier may point its links at the wallet) open
  it (the request object is fetched once) and redirect to ``/present/{id}``.
- ``GET /present/{id}``: the consent page (verifier name and identifier, purpose, each credential and
  claim: required, optional toggles that start off, always included, sensitive marked).
- ``POST /present/{id}``: ``action=update`` (re-render with the choices), ``approve`` (present and
  record) or ``decline`` (tell the verifier, record the refusal).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from vc.errors import UsageError, VcError, WalletError
from vc.holder import (
    ALWAYS,
    OPTIONAL,
    REQUIRED,
    CredentialCandidate,
    PresentationPlan,
    RequestMatch,
    choose_credentials,
    decline,
    match_dcql,
    plan_presentation,
    present,
)
from vc.holder.claims import format_claim_path

from ..app import PendingRequest, WalletContext, first, read_form
from ..i18n import error_text, request_lang
from . import wallet_context

__all__ = ["Choices", "consent_view", "router"]

router = APIRouter()


class Choices:
    """The resident's choices on the consent page, read from the form (nothing chosen: the defaults)."""

    def __init__(self, form: Mapping[str, list[str]] | None = None) -> None:
        form = form or {}
        self.options: dict[int, int] = {}
        self.include_sets: set[int] = set()
        self.chosen: dict[str, str] = {}
        self.approved: dict[str, list[tuple[Any, ...]]] = {}
        for name, values in form.items():
            kind, _, key = name.partition(":")
            if kind == "set" and key.isdigit() and values and values[0].lstrip("-").isdigit():
                if int(values[0]) >= 0:
                    self.options[int(key)] = int(values[0])
                    self.include_sets.add(int(key))
            elif kind == "cred" and values:
                self.chosen[key] = values[0]
            elif kind == "opt":
                paths = []
                for value in values:
                    try:
                        path = json.loads(value)
                    except ValueError:
                        continue
                    if isinstance(path, list):
                        paths.append(tuple(path))
                self.approved[key] = paths

    def plan(self, match: RequestMatch) -> PresentationPlan:
        return plan_presentation(match, approved=self.approved, options=self.options,
                                 include_optional_sets=self.include_sets, chosen=self.chosen)


def _rows(candidate: Any, plan: PresentationPlan | None, approved: list[tuple[Any, ...]],
          lang: str) -> list[dict[str, Any]]:
    stored = candidate.credential
    item = plan.credential(candidate.query_id) if plan else None
    if item is not None and item.credential.id == stored.id:
        lines = [(c.path, c.requirement, c.selected, c.sensitive) for c in item.claims]
    else:  # no plan yet (an optional claim must be chosen first): the requested claims only
        lines = [(p, REQUIRED, True, False) for p in candidate.required]
        lines += [(p, OPTIONAL, p in approved, False) for p in candidate.optional]
        sensitive = {tuple(c.path) for c in stored.claims if c.sensitive}
        lines = [(p, r, s, any(tuple(p[: len(h)]) == h for h in sensitive)) for p, r, s, _ in lines]
    lines.sort(key=lambda line: ({REQUIRED: 0, OPTIONAL: 1}.get(line[1], 2), stored.display_rank(line[0])))
    return [{"path": format_claim_path(p), "value": json.dumps(list(p), ensure_ascii=False),
             "label": stored.claim_label_text(p, lang), "requirement": r, "selected": s, "sensitive": sens,
             "approved": s or tuple(p) in approved}
            for p, r, s, sens in lines]


def _picked(match: RequestMatch, used: list[str], choices: Choices,
            plan: PresentationPlan | None) -> dict[str, CredentialCandidate]:
    """The credential shown for each query: the plan's, else the resident's choice or the default (a
    choice that no longer fits, e.g. from a stale page, falls back to the default; the page says so)."""
    try:
        picked = choose_credentials(match, used, chosen={q: c for q, c in choices.chosen.items() if q in used})
    except WalletError:
        picked = choose_credentials(match, used)
    if plan is not None:
        for item in plan.credentials:
            found = next((c for c in match.queries[item.query_id].candidates
                          if c.credential.id == item.credential.id), None)
            if found is not None:
                picked[item.query_id] = found
    return picked


def _candidate_view(candidate: CredentialCandidate, lang: str) -> dict[str, Any]:
    """One radio choice among the credentials answering a query: its name, issuer, whom it is about, issue date."""
    stored, subject = candidate.credential, candidate.subject
    return {"id": stored.id, "name": stored.display_name(lang), "issuer": stored.issuer_display_name(lang),
            "about_holder": subject.about_holder, "person": subject.name_text(),
            "person_label": stored.claim_label_text(subject.name_path, lang) if subject.name_path else "",
            "issued_at": subject.issued_at, "received_at": stored.received_at}


def consent_view(match: RequestMatch, choices: Choices, lang: str) -> dict[str, Any]:
    """What the consent page shows for ``choices``: sets, credentials, claim lines, and an error
    code when the choices cannot be sent as they are."""
    plan: PresentationPlan | None = None
    error: WalletError | None = None
    try:
        plan = choices.plan(match)
    except WalletError as exc:
        error = exc
    sets = []
    used: list[str] = []
    for cs in match.sets:
        chosen = plan.set_choices.get(cs.index) if plan else choices.options.get(
            cs.index, cs.satisfiable[0] if cs.satisfiable and cs.required else None)
        options = []
        for j, option in enumerate(cs.options):
            names = []
            for qid in option:
                candidates = match.queries[qid].candidates
                names.append(candidates[0].credential.display_name(lang) if candidates else qid)
            options.append({"index": j, "names": names, "possible": j in cs.satisfiable})
        sets.append({"index": cs.index, "required": cs.required, "options": options, "chosen": chosen,
                     "purpose": cs.purpose.get(lang) or cs.purpose.get("ja") or ""})
        if chosen is not None:
            used.extend(q for q in cs.options[chosen] if q not in used)
    used = [q for q in used if match.queries[q].candidates]
    picked = _picked(match, used, choices, plan)
    credentials = []
    for qid in used:
        candidate = picked[qid]
        credentials.append({
            "query_id": qid, "card": candidate.credential,
            "candidates": [_candidate_view(c, lang) for c in match.queries[qid].candidates],
            "selective": candidate.credential.format == "dc+sd-jwt",
            "rows": _rows(candidate, plan, choices.approved.get(qid, []), lang),
        })
    return {"sets": sets, "credentials": credentials, "plan": plan,
            "error": error_text(error.code, lang) if error else None, "error_code": error.code if error else None,
            "REQUIRED": REQUIRED, "OPTIONAL": OPTIONAL, "ALWAYS": ALWAYS}


@router.get("/present", response_class=HTMLResponse, summary="Open a presentation request")
async def present_start(request: Request, ctx: WalletContext = Depends(wallet_context)) -> Response:
    params = dict(request.query_params)
    params.pop("lang", None)
    link: str | dict[str, str] | None = params.get("link") or (params if "client_id" in params else None)
    if not link:
        return ctx.render(request, "present_start.html")
    client = ctx.oid4vp()
    try:
        opened = await run_in_threadpool(client.open_request, link)
    except VcError as exc:
        return ctx.error_page(request, exc, back="/present")
    finally:
        client.close()
    pending = ctx.keep(opened)
    return RedirectResponse(f"/present/{pending.id}", status_code=303)


def _render_consent(ctx: WalletContext, request: Request, pending: PendingRequest, choices: Choices,
                    status_code: int = 200, show_error: bool = False) -> HTMLResponse:
    lang = request_lang(request)
    match = match_dcql(pending.request.dcql_query, ctx.store.credentials())
    view = consent_view(match, choices, lang)
    if not show_error and view["error_code"] == "APPROVAL_REQUIRED":
        view["error"] = None  # the page itself asks for the choice; the message is for a refused send
    return ctx.render(request, "consent.html", status_code=status_code, pending=pending, req=pending.request,
                      satisfiable=match.satisfiable, **view)


@router.get("/present/{pending_id}", response_class=HTMLResponse, summary="The consent page")
async def consent_page(pending_id: str, request: Request, ctx: WalletContext = Depends(wallet_context)) -> Response:
    pending = ctx.take(pending_id)
    if pending is None:
        return ctx.error_page(request, WalletError("this request is no longer open in the wallet; open its link again",
                                                   code="REQUEST_INVALID"), status_code=404, back="/present")
    return await run_in_threadpool(_render_consent, ctx, request, pending, Choices())


@router.post("/present/{pending_id}", summary="Approve, decline, or update the choices")
async def consent_post(pending_id: str, request: Request, ctx: WalletContext = Depends(wallet_context)) -> Response:
    try:
        form = await read_form(request, ctx.form_token)
    except UsageError as exc:
        return ctx.error_page(request, exc, back=f"/present/{pending_id}")
    pending = ctx.take(pending_id)
    if pending is None:
        return ctx.error_page(request, WalletError("this request is no longer open in the wallet; open its link again",
                                                   code="REQUEST_INVALID"), status_code=404, back="/present")
    action = first(form, "action")
    choices = Choices(form)
    if action == "decline":
        ctx.take(pending_id, remove=True)
        client = ctx.oid4vp()
        try:
            entry = await run_in_threadpool(decline, ctx.store, client, pending.request)
        finally:
            client.close()
        return ctx.render(request, "done.html", entry=entry, refused=True)
    if action != "approve":
        return await run_in_threadpool(_render_consent, ctx, request, pending, choices)
    match = await run_in_threadpool(match_dcql, pending.request.dcql_query, ctx.store.credentials())
    try:
        plan = choices.plan(match)
    except WalletError:
        return await run_in_threadpool(_render_consent, ctx, request, pending, choices, 409, True)
    ctx.take(pending_id, remove=True)  # a request is answered once, whatever the verifier says
    client = ctx.oid4vp()
    try:
        entry = await run_in_threadpool(present, ctx.store, client, pending.request, plan, loader=ctx.loader)
    except WalletError as exc:
        if exc.code == "APPROVAL_REQUIRED":
            ctx.restore(pending)  # nothing was sent: the resident may choose again
            return await run_in_threadpool(_render_consent, ctx, request, pending, choices, 409, True)
        return ctx.error_page(request, exc, status_code=502 if exc.code == "RESPONSE_FAILED" else 400,
                              back="/history")
    return ctx.render(request, "done.html", entry=entry, refused=False)
