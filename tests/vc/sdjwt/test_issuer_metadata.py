"""Issuer key discovery through /.well-known/jwt-vc-issuer, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from tests.support.static_server import StaticServer
from vc.errors import JoseError
from vc.keys import KeyPair
from vc.sdjwt import JwtVcIssuerLookup, issue_sd_jwt_vc, jwt_vc_issuer_metadata, jwt_vc_issuer_metadata_url, verify_sd_jwt

NOW = datetime(2025, 4, 1, 9, 0, tzinfo=timezone.utc)
ISSUER = KeyPair.from_seed(b"i" * 32, alg="P-256")
OTHER = KeyPair.from_seed(b"o" * 32, alg="P-256")


@pytest.fixture
def server() -> Iterator[StaticServer]:
    with StaticServer() as host:
        yield host


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


def test_key_found_by_kid_with_inline_jwks(server: StaticServer) -> None:
    iss = server.base_url + "/ward/minato"
    jwk = dict(ISSUER.public.to_jwk(), kid="k-2025")
    server.serve("/.well-known/jwt-vc-issuer/ward/minato", jwt_vc_issuer_metadata(iss, [dict(OTHER.public.to_jwk(), kid="old"), jwk]))
    lookup = _lookup()
    result = verify_sd_jwt(_token(iss), key_lookup=lookup, now=NOW)
    assert result.verified, result.errors
    assert verify_sd_jwt(_token(iss), key_lookup=lookup, now=NOW).verified
    assert server.hits == {"/.well-known/jwt-vc-issuer/ward/minato": 1}  # the second time from the cache


def test_jwks_uri(server: StaticServer) -> None:
    iss = server.base_url
    server.serve("/.well-known/jwt-vc-issuer", {"issuer": iss, "jwks_uri": server.base_url + "/jwks.json"})
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
def test_refusals(server: StaticServer, doc, status: int, code: str) -> None:
    iss = server.base_url
    if doc is None:
        doc = jwt_vc_issuer_metadata(iss, [dict(OTHER.public.to_jwk(), kid="other")])
    elif isinstance(doc, dict):
        doc = json.loads(json.dumps(doc).replace('"ISS"', json.dumps(iss)))
    server.serve("/.well-known/jwt-vc-issuer", doc, status=status)
    result = verify_sd_jwt(_token(iss), key_lookup=_lookup(), now=NOW)
    assert [(c.check, c.code) for c in result.errors] == [("issuer_key", code)]


def test_local_and_plain_http_refused_by_default(server: StaticServer) -> None:
    iss = server.base_url
    server.serve("/.well-known/jwt-vc-issuer", jwt_vc_issuer_metadata(iss, [dict(ISSUER.public.to_jwk(), kid="k-2025")]))
    strict = JwtVcIssuerLookup()
    assert not strict.applies({}, {"iss": iss})  # not https: this lookup does not apply
    with pytest.raises(JoseError) as err:
        JwtVcIssuerLookup(require_https=False)({"kid": "k-2025"}, {"iss": iss}, purpose="assertionMethod")
    assert err.value.code == "ISSUER_METADATA_UNAVAILABLE"
    assert not server.hits
