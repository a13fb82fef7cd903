"""``create_app``: the wallet as one FastAPI app, a router per page group, Jinja2 templates.

The store is opened (and so unlocked) once, when the app is made: a wrong passphrase or a damaged
file stops it there, with the library's error. Forms carry a per-process token so another site
cannot post to the wallet.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from vc.did import DidResolver
from vc.errors import UsageError, VcError
from vc.holder import DisclosureHistory, Oid4vpClient, PresentationRequest, WalletStore
from vc.holder.store import DEFAULT_MEMLIMIT, DEFAULT_OPSLIMIT
from vc.jsonld import DocumentLoader

from .i18n import LANGS, error_text, request_lang, translator

__all__ = ["PendingRequest", "WalletContext", "create_app"]

HERE = Path(__file__).parent
PENDING_TTL = 15 * 60  # seconds a request opened in the wallet waits for the resident's answer
MAX_PENDING = 32
MAX_FORM_BYTES = 256 * 1024


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(eq=False)
class PendingRequest:
    """A presentation request opened in the wallet, waiting for approve or decline."""

    id: str
    request: PresentationRequest
    opened: float


@dataclass(eq=False)
class WalletContext:
    """What every page shares (``app.state.wallet``)."""

    store: WalletStore
    templates: Jinja2Templates
    form_token: str
    http: httpx.Client | None = None
    resolver: DidResolver | None = None
    loader: DocumentLoader | None = None
    require_https: bool = True
    clock: Callable[[], datetime] = _utc_now
    pending: dict[str, PendingRequest] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def history(self) -> DisclosureHistory:
        return DisclosureHistory(self.store)

    def oid4vp(self) -> Oid4vpClient:
        return Oid4vpClient(http=self.http, resolver=self.resolver, require_https=self.require_https, clock=self.clock)

    def keep(self, request: PresentationRequest) -> PendingRequest:
        """Hold an opened request until the resident answers (a few at most, for a while)."""
        with self._lock:
            now = time.monotonic()
            for pid in [p.id for p in self.pending.values() if now - p.opened > PENDING_TTL]:
                del self.pending[pid]
            while len(self.pending) >= MAX_PENDING:
                del self.pending[min(self.pending.values(), key=lambda p: p.opened).id]
            pending = PendingRequest(secrets.token_urlsafe(12), request, now)
            self.pending[pending.id] = pending
            return pending

    def take(self, pending_id: str, *, remove: bool = False) -> PendingRequest | None:
        with self._lock:
            pending = self.pending.get(pending_id)
            if pending is not None and time.monotonic() - pending.opened > PENDING_TTL:
                self.pending.pop(pending_id, None)
                return None
            if remove:
                self.pending.pop(pending_id, None)
            return pending

    def restore(self, pending: PendingRequest) -> None:
        """Keep a request open again (its answer was refused before anything was sent)."""
        with self._lock:
            self.pending[pending.id] = pending

    def render(self, request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
        """A page in the request's language."""
        lang = request_lang(request)
        other = "en" if lang == "ja" else "ja"
        query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", other)]
        context = {"request": request, "lang": lang, "t": translator(lang), "form_token": self.form_token,
                   "other_lang": other, "lang_url": request.url.path + "?" + urlencode(query), **values}
        return self.templates.TemplateResponse(request, template, context, status_code=status_code)

    def error_page(self, request: Request, error: VcError, *, status_code: int = 400, back: str = "/") -> HTMLResponse:
        """The resident's message for ``error`` (its code) and the library's message below it."""
        lang = request_lang(request)
        return self.render(request, "error.html", status_code=status_code, code=error.code,
                           message=error_text(error.code, lang), detail=error.message, back=back)


async def read_form(request: Request, form_token: str) -> dict[str, list[str]]:
    """An ``application/x-www-form-urlencoded`` body (size-limited), with the wallet's form token checked."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise UsageError("the form is too large")
    values: dict[str, list[str]] = {}
    for name, value in parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True):
        values.setdefault(name, []).append(value)
    if not secrets.compare_digest((values.get("form_token") or [""])[0], form_token):
        raise UsageError("the form is stale or came from another site; reload the page and try again")
    return values


def first(form: Mapping[str, list[str]], name: str, default: str = "") -> str:
    """The first value of a form field."""
    values = form.get(name)
    return values[0] if values else default


def create_app(
    store_path: str | Path,
    passphrase: str,
    *,
    create: bool = True,
    opslimit: int = DEFAULT_OPSLIMIT,
    memlimit: int = DEFAULT_MEMLIMIT,
    http: httpx.Client | None = None,
    resolver: DidResolver | None = None,
    loader: DocumentLoader | None = None,
    require_https: bool = True,
    clock: Callable[[], datetime] = _utc_now,
) -> FastAPI:
    """The wallet app over the store at ``store_path`` (created when missing and ``create``).

    ``resolver``/``loader`` verify received credentials (a did:web issuer on plain http, a
    catalog's JSON-LD context); ``require_https=False`` lets it talk to issuers and verifiers on
    http://127.0.0.1 (tests, demos); ``opslimit``/``memlimit`` set the Argon2id cost of a new store.
    """
    if create:
        store = WalletStore.open_or_create(store_path, passphrase, opslimit=opslimit, memlimit=memlimit, clock=clock)
    else:
        store = WalletStore.open(store_path, passphrase, clock=clock)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["when"] = _when
    templates.env.filters["day"] = _day
    context = WalletContext(store=store, templates=templates, form_token=secrets.token_urlsafe(24), http=http,
                            resolver=resolver, loader=loader, require_https=require_https, clock=clock)
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(title="jitsuin wallet", version="0.1.0", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    app.state.wallet = context
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from .routes import credentials, history, presentations, receive

    for module in (credentials, receive, presentations, history):
        app.include_router(module.router)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
        response: Response = await call_next(request)
        if request.query_params.get("lang") in LANGS:  # a language choice is remembered
            response.set_cookie("lang", request.query_params["lang"], max_age=365 * 86400, samesite="lax",
                                httponly=True)
        response.headers.setdefault("Cache-Control", "no-store")  # pages show personal data
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'")
        return response

    return app


def _when(value: datetime | None, lang: str = "ja") -> str:
    """A datetime in Japan time, ``2026年4月1日 18:00`` / ``2026-04-01 18:00``."""
    if value is None:
        return "—"
    local = value.astimezone(timezone(timedelta(hours=9)))
    if lang == "ja":
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    return f"{local:%Y-%m-%d %H:%M} JST"


def _day(value: datetime | None, lang: str = "ja") -> str:
    """A date in Japan time, ``2026年4月1日`` / ``2026-04-01``."""
    if value is None:
        return "—"
    local = value.astimezone(timezone(timedelta(hours=9)))
    return f"{local.year}年{local.month}月{local.day}日" if lang == "ja" else f"{local:%Y-%m-%d}"
