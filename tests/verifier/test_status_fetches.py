"""When the policy checks status, ``vc`` does not: every status list is fetched exactly once, by the
policy's own checker, from a real local HTTP server (a did:web issuer publishing its lists).

Fetches are counted twice: requests the server received, and calls of ``StatusListFetcher.fetch``
from any checker (a checker of ``vc``'s own would be refused the plain-http URL before any request, so
only the second count would show it).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone
from urllib.parse import urldefrag

import pytest

from tests.support.static_server import StaticServer
from vc.credentials import issue_credential
from vc.did import DidResolver, did_key, did_web_document
from vc.jose import envelope_credential, issue_vc_jwt, issue_vp_jwt
from vc.keys import KeyPair
from vc.presentations import issue_presentation
from vc.sdjwt import issue_sd_jwt_vc, present_sd_jwt
from vc.status import (
    STATUS_LIST_TOKEN_MEDIA_TYPE,
    BitstringStatusList,
    StatusChecker,
    StatusListFetcher,
    TokenStatusList,
    bitstring_status_entry,
    bitstring_status_list_credential,
    sign_status_list_token,
    status_list_claim,
    status_list_token_payload,
)
from verifier import Policy, TrustEntry, TrustList, verify_credential, verify_presentation

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=timezone.utc)
ISSUER_KEY = KeyPair.from_seed(b"status-fetch-issuer-key-0000000!")
HOLDER_KEY = KeyPair.from_seed(b"status-fetch-holder-key-0000000!")
HOLDER = did_key(HOLDER_KEY.public)
AUDIENCE = "redirect_uri:https://city.example.lg.jp/verifier/response"
NONCE = "n-status-1"
VCT = "https://w3id.org/jitsuin/vct/ResidentRecord/v1"
REVOKED_INDEX = 11


@pytest.fixture
def fetches(monkeypatch):  # type: ignore[no-untyped-def]
    """URL -> how many times any ``StatusListFetcher`` was asked for it."""
    attempts: Counter[str] = Counter()
    original = StatusListFetcher.fetch

    def counting(self, url, **options):  # type: ignore[no-untyped-def]
        attempts[urldefrag(url).url] += 1
        return original(self, url, **options)

    monkeypatch.setattr(StatusListFetcher, "fetch", counting)
    return attempts


@pytest.fixture
def issuer():  # type: ignore[no-untyped-def]
    """A did:web issuer on 127.0.0.1 publishing two Bitstring lists and one Status List Token."""
    with StaticServer() as host:
        did = host.did_web
        host.serve("/.well-known/did.json", did_web_document(did, [ISSUER_KEY.public], key_ids=["key-1"]),
                   content_type="application/did+json")
        for name, revoked in (("1", [REVOKED_INDEX]), ("2", [])):
            url = f"{host.base_url}/status/{name}"
            unsigned = bitstring_status_list_credential(
                url=url, issuer=did, purpose="revocation", status_list=BitstringStatusList.from_statuses(revoked),
                valid_from=NOW - timedelta(days=1), valid_until=NOW + timedelta(days=1))
            host.serve(f"/status/{name}", issue_credential(unsigned, ISSUER_KEY, verification_method=f"{did}#key-1",
                                                           now=NOW - timedelta(days=1)))
        token_url = f"{host.base_url}/status/token"
        payload = status_list_token_payload(uri=token_url, status_list=TokenStatusList.empty(1024),
                                            issued_at=NOW - timedelta(hours=1), issuer=did,
                                            expires_at=NOW + timedelta(days=1))
        host.serve("/status/token", sign_status_list_token(payload, ISSUER_KEY, kid=f"{did}#key-1"),
                   content_type=STATUS_LIST_TOKEN_MEDIA_TYPE)
        yield host


def _policy(host: StaticServer) -> Policy:
    resolver = DidResolver(allow_http_for={host.authority}, timeout=5.0)
    checker = StatusChecker(resolver=resolver, fetcher=StatusListFetcher(allow_http_for={host.authority}, timeout=5.0))
    trust = TrustList((TrustEntry(types=frozenset({"ResidentRecordCredential", VCT}), did=host.did_web),))
    return Policy(trust_list=trust, resolver=resolver, status_checker=checker, subject_must_be_holder=False)


def _document(host: StaticServer, list_name: str, index: int) -> dict:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "type": ["VerifiableCredential", "ResidentRecordCredential"],
        "issuer": host.did_web,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": HOLDER, "name": "山田陽子"},
        "credentialStatus": bitstring_status_entry(status_list_credential=f"{host.base_url}/status/{list_name}",
                                                   index=index, purpose="revocation"),
    }


def _di(host: StaticServer, list_name: str, index: int) -> dict:
    return issue_credential(_document(host, list_name, index), ISSUER_KEY, verification_method=f"{host.did_web}#key-1",
                            now=NOW - timedelta(days=1))


def _vc_jwt(host: StaticServer, list_name: str, index: int) -> str:
    return issue_vc_jwt(_document(host, list_name, index), ISSUER_KEY, kid=f"{host.did_web}#key-1",
                        now=NOW - timedelta(days=1))


def _sd_jwt(host: StaticServer, index: int) -> str:
    issued = issue_sd_jwt_vc({"name": "山田陽子"}, ISSUER_KEY, vct=VCT, sd=["name"], holder_key=HOLDER_KEY.public,
                             iss=host.did_web, kid=f"{host.did_web}#key-1", now=NOW - timedelta(days=1),
                             status=status_list_claim(index=index, uri=f"{host.base_url}/status/token"))
    return present_sd_jwt(issued, disclose=[["name"]], holder_key=HOLDER_KEY, aud=AUDIENCE, nonce=NONCE, now=NOW)


def _status_checks(result) -> list[list[str | None]]:  # type: ignore[no-untyped-def]
    return [[c.code for c in cred.checks if c.check == "status"] for cred in result.credentials]


def test_a_presentation_fetches_each_list_once(issuer, fetches) -> None:
    credentials = [_di(issuer, "1", 10), _di(issuer, "1", REVOKED_INDEX), _di(issuer, "2", 5),
                   envelope_credential(_vc_jwt(issuer, "2", 7))]
    vp = issue_presentation(credentials, HOLDER_KEY, challenge=NONCE, domain=AUDIENCE, now=NOW)
    result = verify_presentation({"di": [vp], "sd": [_sd_jwt(issuer, 3)]}, policy=_policy(issuer), audience=AUDIENCE,
                                 nonce=NONCE, now=NOW)

    lists = [f"{issuer.base_url}/status/{name}" for name in ("1", "2", "token")]
    assert {url: fetches[url] for url in lists} == dict.fromkeys(lists, 1)
    assert sum(fetches.values()) == 3
    assert {p: issuer.hits[p] for p in ("/status/1", "/status/2", "/status/token")} == dict.fromkeys(
        ("/status/1", "/status/2", "/status/token"), 1)
    # one status check per credential, the policy's; the revoked one is the only failure
    assert _status_checks(result) == [[None], ["REVOKED"], [None], [None], [None]]
    assert [c.verified for c in result.credentials] == [True, False, True, True, True]
    assert "REVOKED" in result.codes


def test_credentials_verified_one_by_one_share_the_policys_cache(issuer, fetches) -> None:
    policy = _policy(issuer)
    results = [verify_credential(c, policy=policy, now=NOW) for c in (
        _di(issuer, "1", 10), _di(issuer, "1", REVOKED_INDEX), envelope_credential(_vc_jwt(issuer, "2", 7)),
        _vc_jwt(issuer, "2", 8), _di(issuer, "2", 9))]
    assert [r.verified for r in results] == [True, False, True, True, True]
    assert fetches == Counter({f"{issuer.base_url}/status/1": 1, f"{issuer.base_url}/status/2": 1})
    assert issuer.hits["/status/1"] == 1 and issuer.hits["/status/2"] == 1


def _vp_jwt(issuer):  # type: ignore[no-untyped-def]
    vp = issue_vp_jwt([_vc_jwt(issuer, "2", 7)], HOLDER_KEY, aud=AUDIENCE, nonce=NONCE, now=NOW)
    return verify_presentation(vp, policy=_policy(issuer), audience=AUDIENCE, nonce=NONCE, now=NOW)


def test_a_vp_jwt_is_judged_by_the_policys_status_check(issuer) -> None:
    result = _vp_jwt(issuer)
    assert result.verified, result.codes
    assert _status_checks(result) == [[None]]
    assert issuer.hits["/status/2"] == 1


def test_a_vp_jwt_fetches_each_list_once(issuer, fetches) -> None:
    _vp_jwt(issuer)
    assert fetches == Counter({f"{issuer.base_url}/status/2": 1})
