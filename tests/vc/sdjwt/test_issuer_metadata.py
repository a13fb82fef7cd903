"""Issuer key discovery through /.well-known/jwt-vc-issuer, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from vc.errors import JoseError
from vc.keys import KeyPair
from vc.sdjwt import JwtVcIssuerLookup, issue_sd_jwt_vc, jwt_vc_issuer_metadata, jwt_vc_issuer_metadata_url, verify_sd_jwt

NOW = datetime(2025, 4, 1, 9, 0, tzinfo=timezone.utc)
ISSUER = KeyPair.from_seed(b"i" * 32, alg="P-256")
OTHER = KeyPair.from_seed(b"o" * 32, alg="P-256")


class _Server:
    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes]] = {}
        self.requests: list[str] = []
        routes, requests = self.routes, self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                requests.append(self.path)
                status, body = routes.get(self.path, (404, b"{}"))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def serve(self, path: str, doc: object, status: int = 200) -> None:
        self.routes[path] = (status, doc if isinstance(doc, bytes) else json.dumps(doc).encode())

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = _Server()
    yield s
    s.close()


def _lookup(**kw) -> JwtVcIssuerLookup:
    return JwtVcIssuerLookup(require_https=False, allow_local=True, timeout=2.0, **kw)


def _token(iss: str, kid: str = "k-2025") -> str:
    return issue_sd_jwt_vc({"name": "x"}, ISSUER, vct="urn:x", iss=iss, kid=kid, sd=["name"], now=NOW)


def test_metadata_url() -> None:
    assert jwt_vc_issuer_metadata_url("https://example.com") == "https://example.com/.well-known/jwt-vc-issuer"
    assert jwt_vc_issuer_metadata_url("https://example.com/tenant/1234/") == "https://example.com/.well-known/jwt-vc-issuer/tenant/1234"
    for bad in ("http://example.com", "https://example.com/?q=1", "did:web:example.com"):
        with pytest.raises(JoseError):
            jwt_vc_issuer_metadata_url(bad)


def test_key_found_by_kid_with_inline_jwks(server: _Server) -> None:
    iss = server.base + "/ward/minato"
    jwk = dict(ISSUER.public.to_jwk(), kid="k-2025")
    server.serve("/.well-known/jwt-vc-issuer/ward/minato", jwt_vc_issuer_metadata(iss, [dict(OTHER.public.to_jwk(), kid="old"), jwk]))
    lookup = _lookup()
    result = verify_sd_jwt(_token(iss), key_lookup=lookup, now=NOW)
    assert result.verified, result.errors
    assert verify_sd_jwt(_token(iss), key_lookup=lookup, now=NOW).verified
    assert server.requests == ["/.well-known/jwt-vc-issuer/ward/minato"]  # the second time from the cache


def test_jwks_uri(server: _Server) -> None:
    iss = server.base
    server.serve("/.well-known/jwt-vc-issuer", {"issuer": iss, "jwks_uri": server.base + "/jwks.json"})
    server.serve("/jwks.json", {"keys": [dict(ISSUER.public.to_jwk(), kid="k-2025")]})
    assert verify_sd_jwt(_token(iss), key_lookup=_lookup(), now=NOW).verified


@pytest.mark.parametrize(
    ("doc", "status", "code"),
    [
        ({"issuer": "https://evil.example", "jwks": {"keys": []}}, 200, "ISSUER_METADATA_MISMATCH"),
        (None, 200, "KID_NOT_FOUND"),
        ({"issuer": "ISS", "jwks": {"keys": []}, "jwks_uri": "http://x"}, 200, "ISSUER_METADATA_INVALID"),
        ({"issuer": "ISS"}, 404, "ISSUER_METADATA_UNAVAILABLE"),
        (b"not json", 200, "ISSUER_METADATA_UNAVAILABLE"),
        (b"{" + b" " * 300_000 + b"}", 200, "ISSUER_METADATA_UNAVAILABLE"),
    ],
    ids=["other-issuer", "kid-absent", "both-jwks", "http-404", "not-json", "too-large"],
)
def test_refusals(server: _Server, doc, status: int, code: str) -> None:
    iss = server.base
    if doc is None:
        doc = jwt_vc_issuer_metadata(iss, [dict(OTHER.public.to_jwk(), kid="other")])
    elif isinstance(doc, dict):
        doc = json.loads(json.dumps(doc).replace('"ISS"', json.dumps(iss)))
    server.serve("/.well-known/jwt-vc-issuer", doc, status)
    result = verify_sd_jwt(_token(iss), key_lookup=_lookup(), now=NOW)
    assert [(c.check, c.code) for c in result.errors] == [("issuer_key", code)]


def test_local_and_plain_http_refused_by_default(server: _Server) -> None:
    iss = server.base
    server.serve("/.well-known/jwt-vc-issuer", jwt_vc_issuer_metadata(iss, [dict(ISSUER.public.to_jwk(), kid="k-2025")]))
    strict = JwtVcIssuerLookup()
    assert not strict.applies({}, {"iss": iss})  # not https: this lookup does not apply
    with pytest.raises(JoseError) as err:
        JwtVcIssuerLookup(require_https=False)({"kid": "k-2025"}, {"iss": iss}, purpose="assertionMethod")
    assert err.value.code == "ISSUER_METADATA_UNAVAILABLE"
    assert server.requests == []
