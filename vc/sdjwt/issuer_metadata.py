"""JWT VC Issuer Metadata (SD-JWT VC draft 18, section 4): publish it, and find keys through it.

The issuer serves ``{"issuer": <iss>, "jwks": {"keys": [...]}}`` (or ``jwks_uri``) at
``https://host/.well-known/jwt-vc-issuer[/path of iss]``. The verifier fetches it over httpx
with a timeout and a size limit, requires ``issuer`` to equal the token's ``iss``, and takes the
key whose ``kid`` the token names. Codes: ``ISSUER_METADATA_UNAVAILABLE`` (network, status,
size, not JSON), ``ISSUER_METADATA_INVALID`` (shape), ``ISSUER_METADATA_MISMATCH`` (issuer !=
iss), ``KID_NOT_FOUND``, ``KID_MISSING`` (several keys and no kid).

Redirects are not followed and, unless ``allow_local`` is set (tests on 127.0.0.1), hosts that
are literal loopback/private addresses or ``localhost`` are refused (a first SSRF guard; DNS
answers are not checked).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx

from vc.errors import JoseError
from vc.http_fetch import ResponseTooLarge, is_local_host, read_limited
from vc.jose.issuer_keys import ResolvedKey
from vc.jose.json_codec import strict_loads
from vc.keys import PublicKey

__all__ = ["JwtVcIssuerLookup", "jwt_vc_issuer_metadata", "jwt_vc_issuer_metadata_url"]

WELL_KNOWN = "/.well-known/jwt-vc-issuer"


def jwt_vc_issuer_metadata_url(iss: str, *, require_https: bool = True) -> str:
    """Where the metadata for ``iss`` lives: the well-known path goes between host and path."""
    parts = urlsplit(iss) if isinstance(iss, str) else None
    schemes = ("https",) if require_https else ("https", "http")
    if parts is None or parts.scheme not in schemes or not parts.netloc or parts.query or parts.fragment:
        raise JoseError("'iss' must be an https URL without query or fragment to find issuer metadata", code="ISSUER_METADATA_INVALID")
    return f"{parts.scheme}://{parts.netloc}{WELL_KNOWN}{parts.path.rstrip('/')}"


def jwt_vc_issuer_metadata(issuer: str, keys: Sequence[PublicKey | Mapping[str, Any]] = (), *, jwks_uri: str | None = None) -> dict[str, Any]:
    """The metadata document an issuer serves: its keys inline (``jwks``) or by ``jwks_uri``."""
    if bool(keys) == bool(jwks_uri):
        raise JoseError("issuer metadata carries either keys (jwks) or jwks_uri, exactly one", code="ISSUER_METADATA_INVALID")
    if jwks_uri:
        return {"issuer": issuer, "jwks_uri": jwks_uri}
    jwks = [k.to_jwk() if isinstance(k, PublicKey) else {m: v for m, v in k.items() if m != "d"} for k in keys]
    return {"issuer": issuer, "jwks": {"keys": jwks}}


def _refuse_local(url: str) -> None:
    if is_local_host(urlsplit(url).hostname or ""):
        raise JoseError("issuer metadata on localhost or a private or loopback address is not fetched",
                        code="ISSUER_METADATA_UNAVAILABLE")


class JwtVcIssuerLookup:
    """A ``KeyLookup`` through JWT VC Issuer Metadata, with an in-memory TTL cache.

    >>> lookup = JwtVcIssuerLookup(timeout=5.0)
    >>> verify_sd_jwt(token, key_lookup=lookup)
    """

    def __init__(
        self,
        *,
        http: httpx.Client | None = None,
        timeout: float = 5.0,
        max_bytes: int = 256_000,
        ttl: float = 300.0,
        require_https: bool = True,
        allow_local: bool = False,
    ) -> None:
        self._http = http
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.ttl = ttl
        self.require_https = require_https
        self.allow_local = allow_local
        self._cache: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def applies(self, header: Mapping[str, Any], payload: Mapping[str, Any]) -> bool:
        iss = payload.get("iss")
        schemes = ("https://",) if self.require_https else ("https://", "http://")
        return isinstance(iss, str) and iss.startswith(schemes)

    def __call__(self, header: Mapping[str, Any], payload: Mapping[str, Any], *, purpose: str) -> ResolvedKey:
        iss = payload.get("iss")
        url = jwt_vc_issuer_metadata_url(iss, require_https=self.require_https)  # type: ignore[arg-type]
        metadata = self._get(url)
        if not isinstance(metadata, dict) or not isinstance(metadata.get("issuer"), str):
            raise JoseError("issuer metadata must be a JSON object with an 'issuer' string", code="ISSUER_METADATA_INVALID")
        if metadata["issuer"] != iss:
            raise JoseError("issuer metadata names another issuer than the token's 'iss'", code="ISSUER_METADATA_MISMATCH")
        has_jwks, has_uri = "jwks" in metadata, "jwks_uri" in metadata
        if has_jwks == has_uri:
            raise JoseError("issuer metadata must have exactly one of 'jwks' and 'jwks_uri'", code="ISSUER_METADATA_INVALID")
        if has_uri:
            uri = metadata["jwks_uri"]
            if not isinstance(uri, str) or not uri.startswith(("https://",) if self.require_https else ("https://", "http://")):
                raise JoseError("'jwks_uri' must be an https URL", code="ISSUER_METADATA_INVALID")
            jwks = self._get(uri)
        else:
            jwks = metadata["jwks"]
        keys = jwks.get("keys") if isinstance(jwks, dict) else None
        if not isinstance(keys, list) or not all(isinstance(k, dict) for k in keys):
            raise JoseError("the issuer's JWK Set must be {\"keys\": [JWK, ...]}", code="ISSUER_METADATA_INVALID")
        kid = header.get("kid")
        if isinstance(kid, str):
            chosen = [k for k in keys if k.get("kid") == kid]
            if not chosen:
                raise JoseError("the issuer's JWK Set has no key with the token's 'kid'", code="KID_NOT_FOUND")
        elif len(keys) == 1:
            chosen = keys
        else:
            raise JoseError("the token has no 'kid' and the issuer publishes several keys", code="KID_MISSING")
        return ResolvedKey(PublicKey.from_jwk(chosen[0]), iss, chosen[0].get("kid"))

    def _client(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(timeout=self.timeout, follow_redirects=False)
        return self._http

    def _get(self, url: str) -> Any:
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(url)
            if hit and hit[0] > now:
                return hit[1]
        if not self.allow_local:
            _refuse_local(url)
        try:
            with self._client().stream("GET", url, headers={"Accept": "application/json"}, timeout=self.timeout) as resp:
                if resp.status_code != 200:
                    raise JoseError(f"issuer metadata request answered HTTP {resp.status_code}", code="ISSUER_METADATA_UNAVAILABLE")
                try:
                    body = read_limited(resp, max_bytes=self.max_bytes, deadline=time.monotonic() + self.timeout)
                except ResponseTooLarge:
                    raise JoseError(f"issuer metadata is larger than {self.max_bytes} bytes",
                                    code="ISSUER_METADATA_UNAVAILABLE") from None
        except httpx.HTTPError as exc:
            raise JoseError(f"issuer metadata could not be fetched ({type(exc).__name__})", code="ISSUER_METADATA_UNAVAILABLE") from None
        value = strict_loads(body, code="ISSUER_METADATA_UNAVAILABLE", what="issuer metadata")
        with self._lock:
            self._cache[url] = (now + self.ttl, value)
        return value
