"""The wallet's HTTP: bounded requests to issuers and verifiers (time, size, no redirects, https).

A wallet talks to parties it does not trust yet, so every answer is read with a size limit, never
follows a redirect, and plain ``http`` is refused unless the caller allows it (local tests).

>>> with WalletHttp(require_https=False) as http:
...     status, headers, body = http.request("GET", "http://127.0.0.1:8000/requests/abc", what="the request")
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from vc.errors import VcError, WalletError
from vc.http_fetch import ResponseTooLarge, read_limited
from vc.input import load_json

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT", "WalletHttp"]

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 2 * 1024 * 1024


class WalletHttp:
    """An httpx client (given, or made and owned) with the wallet's limits."""

    def __init__(self, *, http: httpx.Client | None = None, timeout: float = DEFAULT_TIMEOUT,
                 max_bytes: int = DEFAULT_MAX_BYTES, require_https: bool = True) -> None:
        self._http = http
        self._owns = http is None
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.require_https = require_https

    @property
    def client(self) -> httpx.Client:
        """The underlying httpx client (made on first use)."""
        if self._http is None:
            self._http = httpx.Client(timeout=self.timeout, follow_redirects=False)
        return self._http

    def close(self) -> None:
        if self._owns and self._http is not None:
            self._http.close()
            self._http = None

    def __enter__(self) -> WalletHttp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check_url(self, url: Any, *, what: str, code: str = "REQUEST_INVALID") -> str:
        """``url`` when it is an absolute https (or, when allowed, http) URL; WalletError ``code`` otherwise."""
        parts = urlsplit(url) if isinstance(url, str) else None
        schemes = ("https",) if self.require_https else ("https", "http")
        if parts is None or parts.scheme not in schemes or not parts.netloc:
            raise WalletError(f"{what} must be an https URL", code=code)
        return url

    def request(self, method: str, url: str, *, what: str, data: Mapping[str, str] | None = None,
                json_body: Any = None, headers: Mapping[str, str] | None = None,
                code: str = "REQUEST_INVALID") -> tuple[int, httpx.Headers, bytes]:
        """``(status, headers, body)``; WalletError ``code`` when the exchange fails or the body is too large."""
        self.check_url(url, what=what, code=code)
        try:
            with self.client.stream(method, url, data=data, json=json_body, headers=dict(headers or {}),
                                    timeout=self.timeout) as resp:
                try:
                    body = read_limited(resp, max_bytes=self.max_bytes, deadline=time.monotonic() + self.timeout)
                except ResponseTooLarge:
                    raise WalletError(f"{what}: the answer is larger than {self.max_bytes} bytes", code=code) from None
                return resp.status_code, resp.headers, body
        except httpx.HTTPError as exc:
            raise WalletError(f"{what}: the request failed ({type(exc).__name__}); check the connection",
                              code=code) from None

    def get_json(self, url: str, *, what: str, code: str = "REQUEST_INVALID") -> dict[str, Any]:
        """GET a JSON object (200 only)."""
        status, _, body = self.request("GET", url, what=what, headers={"Accept": "application/json"}, code=code)
        if status != 200:
            raise WalletError(f"{what} answered HTTP {status}", code=code, status=status)
        return json_object(body, what=what, code=code)


def json_object(body: bytes | str, *, what: str, code: str = "REQUEST_INVALID") -> dict[str, Any]:
    """``body`` parsed as a JSON object; WalletError ``code`` otherwise."""
    try:
        value = load_json(body)
    except VcError:
        raise WalletError(f"{what} is not JSON", code=code) from None
    if not isinstance(value, dict):
        raise WalletError(f"{what} is not a JSON object", code=code)
    return value
