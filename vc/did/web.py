"""did:web (W3C CCG did:web Method Specification): build the published ``did.json`` and resolve over HTTPS.

>>> did_web_url("did:web:example.com")
'https://example.com/.well-known/did.json'
>>> did_web_url("did:web:example.com%3A8443:issuers:tokyo")
'https://example.com:8443/issuers/tokyo/did.json'

The resolver fetches with httpx: a timeout for the whole exchange, a response size limit (the body is
streamed and reading stops past the limit), no redirects, a JSON content type, and the document
``id`` must equal the DID. Results are kept in an in-memory TTL cache.
"""

from __future__ import annotations

import copy
import re
import threading
import time
from collections.abc import Callable, Collection, Sequence
from typing import Any
from urllib.parse import unquote

import httpx

from vc.did.url import parse_did
from vc.errors import DidResolutionError, InvalidDidError, UsageError, VcError
from vc.http_fetch import ResponseTooLarge, is_local_host, read_limited
from vc.input import load_json
from vc.keys.public_key import PublicKey

__all__ = [
    "DEFAULT_CACHE_TTL",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "WebDidMethod",
    "did_web",
    "did_web_document",
    "did_web_url",
]

DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_BYTES = 256 * 1024  # a DID document is a few KB; this bounds memory per fetch
DEFAULT_CACHE_TTL = 300.0

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
_HOST = re.compile(rf"(?P<host>{_LABEL}(?:\.{_LABEL})*)(?::(?P<port>[0-9]{{1,5}}))?")
_SEGMENT = re.compile(r"(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+")
_JSON_TYPES = frozenset(
    {"application/json", "application/did+json", "application/did+ld+json", "application/ld+json"}
)


def _split(did: str) -> tuple[str, list[str]]:
    """``(host[:port], path segments)`` of a did:web, validated."""
    parsed = parse_did(did)
    if parsed.method != "web":
        raise InvalidDidError("not a did:web")
    domain, *segments = parsed.method_specific_id.split(":")
    authority = unquote(domain)  # the spec percent-encodes the port colon as %3A
    match = _HOST.fullmatch(authority)
    if match is None or (match.group("port") and not 0 < int(match.group("port")) < 65536):
        raise InvalidDidError("did:web domain must be a host name with an optional %3A-encoded port")
    for segment in segments:
        if not _SEGMENT.fullmatch(segment) or unquote(segment) in (".", "..") or "/" in unquote(segment):
            raise InvalidDidError("did:web path segments must be non-empty and not '.', '..' or contain '/'")
    return authority.lower(), segments


def did_web_url(did: str, *, scheme: str = "https") -> str:
    """The URL of the DID document for a did:web (``/.well-known/did.json`` or ``/<path>/did.json``)."""
    authority, segments = _split(did)
    path = "/".join(segments) + "/did.json" if segments else ".well-known/did.json"
    return f"{scheme}://{authority}/{path}"


def did_web(domain_or_did: str) -> str:
    """The did:web for ``example.com``, ``example.com:8443/issuers/x``, an https URL, or a did:web itself."""
    if domain_or_did.startswith("did:"):
        _split(domain_or_did)
        return domain_or_did
    value = domain_or_did
    if value.startswith("https://"):
        value = value[len("https://") :]
    value = value.strip("/")
    if value.endswith("/did.json"):
        value = value[: -len("/did.json")]
    value = value.removesuffix("/.well-known")
    authority, _, path = value.partition("/")
    did = "did:web:" + authority.replace(":", "%3A")
    if path:
        did += ":" + ":".join(path.split("/"))
    _split(did)
    return did


# VM types the builder can publish: (context, key member writer)
_PUBLISHABLE: dict[str, tuple[str, Callable[[PublicKey], dict[str, Any]]]] = {
    "Multikey": ("https://w3id.org/security/multikey/v1", lambda k: {"publicKeyMultibase": k.to_multibase()}),
    "JsonWebKey": ("https://w3id.org/security/jwk/v1", lambda k: {"publicKeyJwk": k.to_jwk()}),
    "JsonWebKey2020": ("https://w3id.org/security/suites/jws-2020/v1", lambda k: {"publicKeyJwk": k.to_jwk()}),
}


def did_web_document(
    domain_or_did: str,
    keys: Sequence[PublicKey],
    *,
    vm_type: str = "Multikey",
    key_ids: Sequence[str] | None = None,
    relationships: Sequence[str] = ("assertionMethod", "authentication"),
) -> dict[str, Any]:
    """The ``did.json`` an institution publishes: one ``vm_type`` method per key, each referenced from
    ``relationships``. Fragments are ``key_ids`` or, by default, the key's multibase (Multikey) or
    JWK thumbprint (JsonWebKey).

    >>> key = PublicKey.from_multibase("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")
    >>> did_web_document("example.com", [key], key_ids=["key-1"])["assertionMethod"]
    ['did:web:example.com#key-1']
    """
    did = did_web(domain_or_did)
    if vm_type not in _PUBLISHABLE:
        raise UsageError(f"vm_type must be one of {sorted(_PUBLISHABLE)}")
    if not keys:
        raise UsageError("a did:web document needs at least one key")
    if key_ids is not None and len(key_ids) != len(keys):
        raise UsageError("key_ids must give one fragment per key")
    context, members = _PUBLISHABLE[vm_type]
    if key_ids is None:
        key_ids = [k.to_multibase() if vm_type == "Multikey" else k.thumbprint() for k in keys]
    if len(set(key_ids)) != len(key_ids):
        raise UsageError("key fragments must be unique")
    methods = [
        {"id": f"{did}#{fragment}", "type": vm_type, "controller": did, **members(key)}
        for fragment, key in zip(key_ids, keys, strict=True)
    ]
    document: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/did/v1", context],
        "id": did,
        "verificationMethod": methods,
    }
    for relationship in relationships:
        document[relationship] = [vm["id"] for vm in methods]
    return document


class WebDidMethod:
    """did:web resolution over HTTPS with a timeout, a size limit and a TTL cache.

    ``allow_http_for`` names ``host:port`` authorities fetched over plain HTTP (local tests only);
    these are also exempt from the refusal of loopback/private IP literals. Production: leave empty.
    """

    name = "web"

    def __init__(
        self,
        *,
        http: httpx.Client | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        cache_ttl: float = DEFAULT_CACHE_TTL,
        max_cache_entries: int = 1024,
        allow_http_for: Collection[str] = (),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._owns_http = http is None
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.cache_ttl = cache_ttl
        self.max_cache_entries = max_cache_entries
        self.allow_http_for = frozenset(a.lower() for a in allow_http_for)
        self._clock = clock
        self._cache: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owns_http and self._http is not None:
            self._http.close()
            self._http = None

    def clear_cache(self) -> None:
        """Forget every cached document."""
        with self._lock:
            self._cache.clear()

    def resolve(self, did: str) -> dict[str, Any]:
        """Fetch (or take from the cache) the DID document; DidResolutionError / InvalidDidError."""
        authority, _ = _split(did)
        now = self._clock()
        with self._lock:
            hit = self._cache.get(did)
            if hit is not None and hit[0] > now:
                return copy.deepcopy(hit[1])
        plain_http = authority in self.allow_http_for
        if not plain_http:
            _refuse_local(authority)
        url = did_web_url(did, scheme="http" if plain_http else "https")
        document = self._parse(did, url, self._fetch(did, url))
        with self._lock:
            if len(self._cache) >= self.max_cache_entries:
                self._cache.pop(next(iter(self._cache)))  # oldest insertion first
            self._cache[did] = (self._clock() + self.cache_ttl, document)
        return copy.deepcopy(document)

    def _client(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(follow_redirects=False)
        return self._http

    def _fetch(self, did: str, url: str) -> bytes:
        deadline = time.monotonic() + self.timeout  # whole-exchange bound, against slow-drip bodies
        headers = {"Accept": "application/did+json, application/json", "Accept-Encoding": "identity"}
        try:
            with self._client().stream(
                "GET", url, headers=headers, timeout=self.timeout, follow_redirects=False
            ) as response:
                if response.status_code != 200:
                    raise DidResolutionError(
                        f"did:web document request returned HTTP {response.status_code}; "
                        "check that the DID document is published at the URL",
                        did=did, url=url, status=response.status_code,
                    )
                media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if media_type not in _JSON_TYPES and not media_type.endswith("+json"):
                    raise DidResolutionError(
                        "did:web document is not served as JSON (Content-Type application/did+json or "
                        "application/json expected)", did=did, url=url, content_type=media_type,
                    )
                if response.headers.get("content-encoding", "identity").lower() != "identity":
                    raise DidResolutionError("did:web document is served compressed; identity encoding expected",
                                             did=did, url=url)
                try:
                    return read_limited(response, max_bytes=self.max_bytes, deadline=deadline, raw=True)
                except ResponseTooLarge:
                    raise self._too_large(did, url) from None
        except httpx.TimeoutException:
            raise DidResolutionError(
                f"did:web document request timed out after {self.timeout} s", did=did, url=url
            ) from None
        except httpx.HTTPError as exc:
            raise DidResolutionError(
                f"did:web document could not be fetched ({type(exc).__name__})", did=did, url=url
            ) from None

    def _too_large(self, did: str, url: str) -> DidResolutionError:
        return DidResolutionError(
            f"did:web document is larger than the {self.max_bytes}-byte limit", did=did, url=url
        )

    def _parse(self, did: str, url: str, body: bytes) -> dict[str, Any]:
        try:
            document = load_json(body, max_bytes=self.max_bytes)
        except VcError as exc:
            raise DidResolutionError(f"did:web document is not valid JSON: {exc.message}", did=did, url=url) from None
        if not isinstance(document, dict):
            raise DidResolutionError("did:web document is not a JSON object", did=did, url=url)
        if document.get("id") != did:
            raise DidResolutionError(
                "did:web document 'id' does not equal the DID that was resolved", did=did, url=url
            )
        return document


def _refuse_local(authority: str) -> None:
    host = authority.rsplit(":", 1)[0] if ":" in authority else authority
    if is_local_host(host):
        raise DidResolutionError("did:web on localhost or a private or loopback IP address is refused", host=host)
