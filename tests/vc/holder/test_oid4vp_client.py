"""The wallet's OpenID4VP client: requests read and checked (signed request objects verified), answered to the
real verifier service (in process), declined, and never answered with a claim the resident did not approve."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.vc.holder.holder_support import (
    BIRTH_SD,
    REQUEST_OBJECT_TYP as TYP,
    FakeVerifier,
    add_birth_certificate,
    birth_query,
    kid_of,
    new_store,
)
from vc.did import did_key
from vc.encoding.base64url import b64url_encode
from vc.errors import WalletError
from vc.holder import (
    PRESENTED,
    REFUSED,
    REJECTED,
    DisclosureHistory,
    Oid4vpClient,
    WalletStore,
    decline,
    match_dcql,
    plan_presentation,
    present,
)
from vc.keys import KeyPair
from verifier.requests import VerifierIdentity
from verifier.service import create_app
from verifier.service.settings import ServiceSettings

VERIFIER = "http://testserver"
NAME = {"ja": "千代田区 戸籍住民課", "en": "Chiyoda City"}
PURPOSE = {"ja": "出生届の受付のため", "en": "To accept the birth registration"}
STAFF_TOKEN = "staff-token-for-the-wallet-tests-0123456789"


@dataclasses.dataclass
class Verifier:
    http: TestClient
    key: KeyPair
    did: str

    def request(self, query: dict[str, Any] | None = None, **body: Any) -> dict[str, Any]:
        answer = self.http.post("/requests", json={"dcql_query": query or birth_query(), "purpose": PURPOSE, **body},
                                headers={"Authorization": f"Bearer {STAFF_TOKEN}"})
        assert answer.status_code == 201, answer.text
        return answer.json()  # type: ignore[no-any-return]

    def result(self, created: dict[str, Any]) -> dict[str, Any]:
        answer = self.http.get(f"/requests/{created['id']}/result",
                               headers={"Authorization": f"Bearer {created['result_token']}"})
        return answer.json()  # type: ignore[no-any-return]


def _verifier(prefix: str = "decentralized_identifier") -> Verifier:
    key = KeyPair.generate()
    did = did_key(key.public)
    identity = VerifierIdentity(base_url=VERIFIER, name=dict(NAME), prefix=prefix,
                                **({"did": did, "key": key, "kid": kid_of(did)} if prefix != "redirect_uri" else {}))
    app = create_app(ServiceSettings(identity=identity, staff_tokens=(STAFF_TOKEN,)))
    return Verifier(TestClient(app, base_url=VERIFIER), key, did)


@pytest.fixture
def verifier() -> Iterator[Verifier]:
    v = _verifier()
    with v.http:
        yield v


@pytest.fixture
def store(tmp_path: Path) -> Iterator[WalletStore]:
    with new_store(tmp_path) as opened:
        add_birth_certificate(opened, KeyPair.generate())
        yield opened


def _client(http: httpx.Client) -> Oid4vpClient:
    return Oid4vpClient(http=http, require_https=False)


# --- the real verifier -------------------------------------------------------------------------


def test_a_signed_request_by_reference_is_verified_answered_and_recorded(verifier: Verifier,
                                                                        store: WalletStore) -> None:
    created = verifier.request()
    client = _client(verifier.http)
    request = client.open_request(created["link"])
    assert request.verified and request.prefix == "decentralized_identifier" and request.verifier_id == verifier.did
    assert request.verifier_display_name("ja") == NAME["ja"] and request.verifier_display_name("en") == NAME["en"]
    assert request.purpose == PURPOSE and request.client_id == created["client_id"]
    plan = plan_presentation(match_dcql(request.dcql_query, store.credentials()))
    entry = present(store, client, request, plan)
    assert entry.outcome == PRESENTED and entry.response == {"status": 200, "accepted": True}
    outcome = verifier.result(created)["outcome"]
    assert outcome["verified"] is True
    claims = outcome["credentials"][0]["claims"]
    assert claims["child"]["sex"] == 1 and "birthWeightGrams" not in claims
    recorded = DisclosureHistory(store).entries()
    assert [e.outcome for e in recorded] == [PRESENTED]
    assert recorded[0].client_id == created["client_id"] and recorded[0].purpose == PURPOSE
    assert "birthWeightGrams" not in recorded[0].credentials[0].claims
    assert "child.sex" in recorded[0].credentials[0].claims


def test_the_request_uri_answers_once(verifier: Verifier) -> None:
    created = verifier.request()
    client = _client(verifier.http)
    client.open_request(created["link"])
    with pytest.raises(WalletError) as caught:
        client.open_request(created["link"])
    assert caught.value.code == "REQUEST_INVALID" and caught.value.detail["status"] == 409


def test_declining_tells_the_verifier_and_records_a_refusal(verifier: Verifier, store: WalletStore) -> None:
    created = verifier.request()
    client = _client(verifier.http)
    request = client.open_request(created["link"])
    entry = decline(store, client, request)
    assert entry.outcome == REFUSED and entry.credentials == ()
    assert "WALLET_ERROR" in verifier.result(created)["outcome"]["codes"]
    assert [e.outcome for e in DisclosureHistory(store).entries()] == [REFUSED]


def test_a_presentation_the_verifier_rejects_is_named_and_recorded(verifier: Verifier, store: WalletStore) -> None:
    created = verifier.request()
    client = _client(verifier.http)
    request = client.open_request(created["link"])
    plan = plan_presentation(match_dcql(request.dcql_query, store.credentials()))
    wrong = dataclasses.replace(request, nonce="not-the-requests-nonce")
    with pytest.raises(WalletError) as caught:
        present(store, client, wrong, plan)
    assert caught.value.code == "RESPONSE_FAILED" and caught.value.detail["status"] == 400
    entry = DisclosureHistory(store).entries()[0]
    assert entry.outcome == REJECTED and entry.response["accepted"] is False  # the claims did leave the wallet
    assert entry.id == caught.value.detail["history_id"]


def test_a_redirect_uri_request_by_value_is_answered_but_unverified(store: WalletStore) -> None:
    v = _verifier("redirect_uri")
    with v.http:
        created = v.request(by_reference=False)
        client = _client(v.http)
        request = client.open_request(created["link"])
        assert request.verified is False and request.prefix == "redirect_uri"
        assert request.verifier_host == "testserver"
        plan = plan_presentation(match_dcql(request.dcql_query, store.credentials()),
                                 approved={"birth": [("birthWeightGrams",)]})
        assert present(store, client, request, plan).outcome == PRESENTED
        assert v.result(created)["outcome"]["credentials"][0]["claims"]["birthWeightGrams"] == 3120


# --- requests that must not be opened ----------------------------------------------------------


@pytest.fixture
def fake() -> FakeVerifier:
    return FakeVerifier(KeyPair.generate())


def test_a_correctly_signed_fake_request_opens(fake: FakeVerifier) -> None:
    fake.object = fake.sign(fake.params())
    request = fake.client().open_request(fake.link())
    assert request.verified and request.state == "s-1" and request.verifier_name == {"ja": NAME["ja"]}


def _tampered(fake: FakeVerifier) -> str:
    head, _, signature = fake.sign(fake.params()).split(".")
    body = b64url_encode(json.dumps(fake.params(response_uri="https://evil.example/steal")).encode())
    return f"{head}.{body}.{signature}"


def _unsigned(fake: FakeVerifier) -> str:
    head = b64url_encode(json.dumps({"alg": "none", "typ": TYP}).encode())
    return f"{head}.{b64url_encode(json.dumps(fake.params()).encode())}."


@pytest.mark.parametrize("make", [
    _tampered,
    lambda fake: fake.sign(fake.params(), key=KeyPair.generate()),  # another key, the verifier's kid
    lambda fake: fake.sign(fake.params(), key=(other := KeyPair.generate()), kid=kid_of(did_key(other.public))),
    _unsigned,
], ids=["payload-changed", "wrong-key", "kid-of-another-did", "unsigned"])
def test_a_request_whose_signature_does_not_verify_is_not_opened(fake: FakeVerifier, make: Any) -> None:
    fake.object = make(fake)
    with pytest.raises(WalletError) as caught:
        fake.client().open_request(fake.link())
    assert caught.value.code == "REQUEST_SIGNATURE_INVALID"


@pytest.mark.parametrize("change, link_change", [
    ({"client_id": "decentralized_identifier:did:key:z6MkOther"}, {}),
    ({"response_mode": "fragment"}, {}),
    ({"response_type": "code"}, {}),
    ({"nonce": None}, {}),
    ({"aud": "https://another-wallet.example"}, {}),
    ({"exp": int((datetime.now(timezone.utc) - timedelta(minutes=5)).timestamp())}, {}),
    ({"dcql_query": {"credentials": []}}, {}),
    ({}, {"client_id": "x509_san_dns:verifier.example"}),
], ids=["client-id-differs", "response-mode", "response-type", "no-nonce", "other-aud", "expired", "bad-dcql",
        "unsupported-prefix"])
def test_a_request_breaking_a_rule_is_named(fake: FakeVerifier, change: dict[str, Any],
                                            link_change: dict[str, str]) -> None:
    fake.object = fake.sign(fake.params(**change))
    with pytest.raises(WalletError) as caught:
        fake.client().open_request(fake.link(**link_change))
    assert caught.value.code == "REQUEST_INVALID"


def test_an_unsupported_prefix_is_refused_before_anything_is_fetched(fake: FakeVerifier) -> None:
    fake.object = fake.sign(fake.params())
    with pytest.raises(WalletError) as caught:
        fake.client().open_request(fake.link(client_id="x509_san_dns:verifier.example"))
    assert caught.value.code == "REQUEST_INVALID" and fake.requests == []


def test_redirect_uri_requests_are_checked() -> None:
    client = Oid4vpClient(http=httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(404))))
    base = {"response_type": "vp_token", "response_mode": "direct_post", "nonce": "n", "response_uri":
            "https://verifier.example/r", "dcql_query": json.dumps(birth_query())}
    ok = client.open_request("openid4vp://?" + urlencode({**base,
                                                          "client_id": "redirect_uri:https://verifier.example/r"}))
    assert ok.verified is False and ok.purpose == {}
    for client_id in ("redirect_uri:https://elsewhere.example/r", "decentralized_identifier:did:key:z6Mk"):
        with pytest.raises(WalletError) as caught:
            client.open_request("openid4vp://?" + urlencode({**base, "client_id": client_id}))
        assert caught.value.code == "REQUEST_INVALID"
    http_only = {**base, "response_uri": "http://verifier.example/r",
                 "client_id": "redirect_uri:http://verifier.example/r"}
    with pytest.raises(WalletError):
        client.open_request("openid4vp://?" + urlencode(http_only))  # https required outside tests


def test_request_uri_method_post_sends_and_checks_a_wallet_nonce(fake: FakeVerifier) -> None:
    request = fake.client().open_request(fake.link(request_uri_method="post"))
    assert request.verified and fake.requests[0].method == "POST"
    fake.echo_nonce = False
    fake.object = fake.sign(fake.params())  # no wallet_nonce: could be a replayed object
    with pytest.raises(WalletError) as caught:
        fake.client().open_request(fake.link(request_uri_method="post"))
    assert caught.value.code == "REQUEST_INVALID"


def test_a_request_that_needs_an_unapproved_claim_is_never_sent(fake: FakeVerifier, store: WalletStore) -> None:
    query = birth_query(extra={"claim_sets": [["sex", "weight"], ["sex", "born"]]})
    fake.object = fake.sign(fake.params(dcql_query=query))
    client = fake.client()
    request = client.open_request(fake.link())
    match = match_dcql(request.dcql_query, store.credentials())
    with pytest.raises(WalletError) as refused:
        plan_presentation(match)
    assert refused.value.code == "APPROVAL_REQUIRED"
    # and a plan widened past what was approved fails the last check: nothing is posted, nothing recorded
    plan = plan_presentation(match, approved={"birth": [("birthDateTime",)]})
    widened = dataclasses.replace(plan, credentials=(dataclasses.replace(
        plan.credentials[0], disclose=plan.credentials[0].disclose + (BIRTH_SD[3],)),))
    with pytest.raises(WalletError) as caught:
        present(store, client, request, widened)
    assert caught.value.code == "APPROVAL_REQUIRED"
    assert [r.method for r in fake.requests] == ["GET"]  # only the request object was fetched
    assert DisclosureHistory(store).entries() == []


def test_the_vp_token_goes_form_encoded_with_the_state(fake: FakeVerifier, store: WalletStore) -> None:
    fake.object = fake.sign(fake.params())
    client = fake.client()
    request = client.open_request(fake.link())
    present(store, client, request, plan_presentation(match_dcql(request.dcql_query, store.credentials())))
    posted = fake.requests[-1]
    assert posted.method == "POST" and str(posted.url) == "https://verifier.example/responses/1"
    form = parse_qs(posted.content.decode())
    assert form["state"] == ["s-1"]
    vp_token = json.loads(form["vp_token"][0])
    assert list(vp_token) == ["birth"] and vp_token["birth"][0].count("~") >= 2


def test_a_pasted_link_with_repeated_parameters_is_refused() -> None:
    client = Oid4vpClient()
    with pytest.raises(WalletError) as caught:
        client.open_request("openid4vp://?client_id=a&client_id=b&request_uri=" + quote("https://x.example/r"))
    assert caught.value.code == "REQUEST_INVALID"
