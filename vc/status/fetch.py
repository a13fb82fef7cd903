"""HTTP retrieval of status lists with hard limits: time, size, redirects, content type.

Every failure is a ``StatusError`` whose ``code`` names it, so a verifier can report *why* a list
was unavailable: ``STATUS_HTTP_ERROR`` (non-200, ``detail["http_status"]``), ``STATUS_NOT_JSON``
(HTML or another type the caller did not accept), ``STATUS_REDIRECT_LOOP``,
``STATUS_TOO_MANY_REDIRECTS``, ``STATUS_RESPONSE_TOO_LARGE`` (declared or streamed past
``max_bytes``; the rest is never read), ``STATUS_FETCH_TIMEOUT`` (also a whole-exchange deadline
against slow-drip bodies), ``STATUS_FETCH_FAILED`` (connection, DNS, TLS) and
``STATUS_URL_NOT_ALLOWED`` (not https, or a loopback/private IP literal, unless allowed).

>>> fetcher = StatusListFetcher(timeout=5.0, max_bytes=1 << 20)
>>> fetched = fetcher.fetch("https://issuer.example/status/1", accept=BITSTRING_ACCEPT)
"""

from __future__ import annotations

import re
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from vc.errors import StatusError
from vc.http_fetch import ResponseTooLarge, is_local_host, read_limited

from ._inflate import GZIP, ZLIB, inflate_bounded

__all__ = [
    "BITSTRING_ACCEPT",
    "BITSTRING_MEDIA_TYPES",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_TIMEOUT",
    "FetchedList",
    "StatusListFetcher",
    "TOKEN_ACCEPT",
    "TOKEN_MEDIA_TYPES",
]

DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_BYTES = 1024 * 1024  # a 16-million-entry list of random bits still fits after base64
DEFAULT_MAX_REDIRECTS = 3

BITSTRING_ACCEPT = "application/vc+ld+json, application/vc, application/ld+json;q=0.9, application/json;q=0.8"
TOKEN_ACCEPT = "application/statuslist+jwt"
# what a static web server or CDN plausibly sends for the published files (see issuers.registry.publish)
BITSTRING_MEDIA_TYPES = frozenset(
    {"application/json", "application/ld+json", "application/vc+ld+json", "application/vc", "text/plain",
     "application/octet-stream", ""}
)
TOKEN_MEDIA_TYPES = frozenset(
    {"application/statuslist+jwt", "application/jwt", "text/plain", "application/octet-stream", ""}
)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)\"?\s*(?:,|$)", re.IGNORECASE)
_NO_STORE = re.compile(r"(?:^|,)\s*(?:no-store|no-cache)\s*(?:,|=|$)", re.IGNORECASE)
_ENCODINGS = {"gzip": GZIP, "x-gzip": GZIP, "deflate": ZLIB}


@dataclass(frozen=True, slots=True)
class FetchedList:
    """A response body that passed every limit, with what caching needs."""

    url: str  # the URL asked for (without fragment)
    final_url: str  # after redirects
    body: bytes
    media_type: str
    fetched_at: datetime
    max_age: int | None  # seconds from Cache-Control; 0 for no-store/no-cache; None when absent


class StatusListFetcher:
    """GET a status list over httpx: timeout, streamed size limit, manual redirects, content type.

    ``allow_http_for`` names ``host:port`` authorities that may be fetched over plain HTTP and
    that are exempt from the loopback/private-address refusal (local tests only).
    """

    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = DEFAULT_MAX_REDIRECTS,
        allow_http_for: Collection[str] = (),
    ) -> None:
        self._client = client
        self._owns_client = client is None
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.allow_http_for = frozenset(a.lower() for a in allow_http_for)

    def close(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owns_client and self._client is not None:
            self._client.close()
            self._client = None

    def fetch(
        self,
        url: str,
        *,
        accept: str = BITSTRING_ACCEPT,
        media_types: Collection[str] = BITSTRING_MEDIA_TYPES,
        now: datetime | None = None,
    ) -> FetchedList:
        """The body at ``url`` (fragment dropped); ``StatusError`` with a named code on any failure."""
        url = urldefrag(url).url
        deadline = time.monotonic() + self.timeout  # whole exchange, redirects included
        seen = {url}
        current = url
        for _ in range(self.max_redirects + 1):
            try:
                self._check_url(current)
                outcome = self._get(current, accept=accept, media_types=media_types, deadline=deadline)
            except (ValueError, httpx.InvalidURL):
                raise StatusError("the status list URL is not a valid URL", code="STATUS_URL_NOT_ALLOWED",
                                  url=url) from None
            if isinstance(outcome, str):  # a redirect target
                target = urldefrag(urljoin(current, outcome)).url
                if target in seen:
                    raise StatusError(
                        f"the status list URL redirects in a loop ({current} -> {target})",
                        code="STATUS_REDIRECT_LOOP",
                        url=url,
                    )
                seen.add(target)
                current = target
                continue
            body, media_type, max_age = outcome
            return FetchedList(
                url=url,
                final_url=current,
                body=body,
                media_type=media_type,
                fetched_at=(now or datetime.now(timezone.utc)),
                max_age=max_age,
            )
        raise StatusError(
            f"the status list URL redirects more than {self.max_redirects} times",
            code="STATUS_TOO_MANY_REDIRECTS",
            url=url,
        )

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(follow_redirects=False)
        return self._client

    def _check_url(self, url: str) -> None:
        parts = urlsplit(url)
        authority = (parts.netloc.rsplit("@", 1)[-1]).lower()
        if authority in self.allow_http_for and parts.scheme in ("http", "https"):
            return
        if parts.scheme == "https" and parts.hostname:
            _refuse_local(parts.hostname or "", url)
            return
        raise StatusError(
            "status lists are fetched from https URLs with a host; this URL is not one",
            code="STATUS_URL_NOT_ALLOWED",
            url=url,
        )

    def _get(
        self, url: str, *, accept: str, media_types: Collection[str], deadline: float
    ) -> str | tuple[bytes, str, int | None]:
        headers = {"Accept": accept, "Accept-Encoding": "identity"}
        remaining = max(deadline - time.monotonic(), 0.001)
        try:
            with self._http().stream(
                "GET", url, headers=headers, timeout=remaining, follow_redirects=False
            ) as response:
                if response.status_code in _REDIRECTS:
                    location = response.headers.get("location")
                    if not location:
                        raise StatusError("the status list URL redirects without a Location",
                                          code="STATUS_HTTP_ERROR", url=url, http_status=response.status_code)
                    return location
                if response.status_code != 200:
                    raise StatusError(
                        f"the status list URL answered HTTP {response.status_code}",
                        code="STATUS_HTTP_ERROR",
                        url=url,
                        http_status=response.status_code,
                    )
                media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if media_type in _HTML_TYPES or media_type not in media_types:
                    raise StatusError(
                        f"the status list URL serves {media_type or 'no content type'}, not a status list "
                        "(an HTML page usually means a wrong URL or a login wall)",
                        code="STATUS_NOT_JSON",
                        url=url,
                        content_type=media_type,
                    )
                encoding = response.headers.get("content-encoding", "identity").strip().lower()
                if encoding not in ("identity", "") and encoding not in _ENCODINGS:
                    raise StatusError(f"the status list is served with unsupported Content-Encoding {encoding}",
                                      code="STATUS_NOT_JSON", url=url)
                try:
                    data = read_limited(response, max_bytes=self.max_bytes, deadline=deadline, raw=True)
                except ResponseTooLarge:
                    raise self._too_large(url) from None
                if encoding in _ENCODINGS:  # we asked for identity; a server may compress anyway
                    data = _inflate_body(data, encoding, self.max_bytes, url)
                return data, media_type, _max_age(response.headers.get("cache-control", ""))
        except httpx.TimeoutException:
            raise StatusError(
                f"the status list request timed out after {self.timeout} s", code="STATUS_FETCH_TIMEOUT", url=url
            ) from None
        except httpx.HTTPError as exc:
            raise StatusError(
                f"the status list could not be fetched ({type(exc).__name__})", code="STATUS_FETCH_FAILED", url=url
            ) from None

    def _too_large(self, url: str) -> StatusError:
        return StatusError(
            f"the status list response is larger than the {self.max_bytes}-byte limit",
            code="STATUS_RESPONSE_TOO_LARGE",
            url=url,
            max_bytes=self.max_bytes,
        )


def _inflate_body(data: bytes, encoding: str, max_bytes: int, url: str) -> bytes:
    try:
        return inflate_bounded(data, wbits=_ENCODINGS[encoding], max_output=max_bytes, what="the response body")
    except StatusError as exc:
        code = "STATUS_RESPONSE_TOO_LARGE" if exc.code == "STATUS_LIST_TOO_LARGE" else "STATUS_FETCH_FAILED"
        raise StatusError(exc.message, code=code, url=url) from None


def _max_age(cache_control: str) -> int | None:
    if _NO_STORE.search(cache_control):
        return 0
    match = _MAX_AGE.search(cache_control)
    return int(match.group(1)) if match else None


def _refuse_local(host: str, url: str) -> None:
    if is_local_host(host):
        raise StatusError("status list URLs on localhost or a private or loopback IP address are refused",
                          code="STATUS_URL_NOT_ALLOWED", url=url)
