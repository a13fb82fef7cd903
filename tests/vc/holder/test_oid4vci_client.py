"""The wallet-side OpenID4VCI client: offers in every shape, checks on what the issuer says, the nonce retry,
and a full flow against the real issuer service (both formats bound to the holder key)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

import httpx
import pytest

from tests.issuers.service.service_support import Issuer, running_issuer
from vc.did import did_key
from vc.errors import Oid4vciError
from vc.holder.oid4vci_client import Oid4vciClient, make_key_proof, receive_offer, well_known_url
from vc.jose.jws import parse_compact
from vc.keys import KeyPair

ISSUER = "https://city.example.jp"
GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
OFFER = {"credential_issuer": ISSUER, "credential_configuration_ids": ["ResidentRecord.dc+sd-jwt"],
         "grants": {GRANT: {"pre-authorized_code": "code-1", "tx_code": {"input_mode": "numeric", "length": 6}}}}


class FakeIssuer:
    """An issuer answering from a dict of handlers, recording the requests it got."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.nonces = iter(["nonce-1", "nonce-2", "nonce-3"])
        self.metadata: dict[str, Any] = {
            "credential_issuer": ISSUER, "credential_endpoint": ISSUER + "/credential",
            "nonce_endpoint": ISSUER + "/nonce",
            "credential_configurations_supported": {"ResidentRecord.dc+sd-jwt": {
                "format": "dc+sd-jwt", "cryptographic_binding_methods_supported": ["jwk"]}}}
        self.credential_answers: list[httpx.Response] = [httpx.Response(200, json={"credentials": [{"credential": "a~b~"}]})]

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path == "/.well-known/openid-credential-issuer":
            return httpx.Response(200, json=self.metadata)
        if path == "/.well-known/oauth-authorization-server":
            return httpx.Response(200, json={"issuer": ISSUER, "token_endpoint": ISSUER + "/token"})
        if path == "/offers/ref-1":
            return httpx.Response(200, json=OFFER)
        if path == "/token":
            form = parse_qs(request.content.decode())
            if form.get("tx_code") != ["493027"]:
                return httpx.Response(400, json={"error": "invalid_grant", "error_description": "wrong PIN"})
            return httpx.Response(200, json={"access_token": "at-1", "token_type": "Bearer", "expires_in": 300})
        if path == "/nonce":
            return httpx.Response(200, json={"c_nonce": next(self.nonces)})
        if path == "/credential":
            return self.credential_answers.pop(0)
        return httpx.Response(404)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handle))

    def proofs_sent(self) -> list[dict[str, Any]]:
        bodies = [json.loads(r.content) for r in self.requests if r.url.path == "/credential"]
        return [parse_compact(b["proofs"]["jwt"][0]).payload_json() for b in bodies]


@pytest.fixture
def fake() -> FakeIssuer:
    return FakeIssuer()


def _receive(fake: FakeIssuer, offer: Any, **options: Any) -> Any:
    options.setdefault("tx_code", "493027")
    return receive_offer(offer, holder_key=KeyPair.generate(), http=fake.client(), **options)


@pytest.mark.parametrize("offer", [
    OFFER,
    json.dumps(OFFER),
    "openid-credential-offer://?credential_offer=" + quote(json.dumps(OFFER)),
    "openid-credential-offer://?credential_offer_uri=" + quote(ISSUER + "/offers/ref-1", safe=""),
])
def test_every_offer_shape_leads_to_the_credential(fake: FakeIssuer, offer: Any) -> None:
    received = _receive(fake, offer)
    assert received.credential == "a~b~"
    assert received.format == "dc+sd-jwt"
    proof = fake.proofs_sent()[0]
    assert proof["aud"] == ISSUER and proof["nonce"] == "nonce-1"


def test_the_key_proof_carries_the_holder_key_and_the_request_the_access_token(fake: FakeIssuer) -> None:
    holder = KeyPair.generate("P-256")
    receive_offer(OFFER, holder_key=holder, tx_code="493027", http=fake.client())
    request = next(r for r in fake.requests if r.url.path == "/credential")
    assert request.headers["authorization"] == "Bearer at-1"
    jwt = json.loads(request.content)["proofs"]["jwt"][0]
    header = parse_compact(jwt).header
    assert header["typ"] == "openid4vci-proof+jwt" and header["alg"] == "ES256"
    assert header["jwk"] == holder.public.to_jwk()


def test_a_refused_nonce_is_retried_once_with_a_fresh_one(fake: FakeIssuer) -> None:
    fake.credential_answers.insert(0, httpx.Response(400, json={"error": "invalid_nonce"}))
    assert _receive(fake, OFFER).credential == "a~b~"
    assert [p["nonce"] for p in fake.proofs_sent()] == ["nonce-1", "nonce-2"]


def test_a_second_refused_nonce_is_reported(fake: FakeIssuer) -> None:
    fake.credential_answers = [httpx.Response(400, json={"error": "invalid_nonce"})] * 2
    with pytest.raises(Oid4vciError) as caught:
        _receive(fake, OFFER)
    assert caught.value.code == "CREDENTIAL_REFUSED" and caught.value.detail["error"] == "invalid_nonce"


def test_the_issuers_oauth_error_is_reported_with_its_code(fake: FakeIssuer) -> None:
    with pytest.raises(Oid4vciError) as caught:
        _receive(fake, OFFER, tx_code="000000")
    assert caught.value.code == "TOKEN_REFUSED"
    assert caught.value.detail["error"] == "invalid_grant"
    assert "wrong PIN" in caught.value.message


def test_a_pin_offer_without_a_pin_stops_before_any_request(fake: FakeIssuer) -> None:
    with pytest.raises(Oid4vciError) as caught:
        _receive(fake, OFFER, tx_code=None)
    assert caught.value.code == "TX_CODE_REQUIRED" and "6 digits" in caught.value.message
    assert fake.requests == []


def test_metadata_of_another_issuer_is_refused(fake: FakeIssuer) -> None:
    fake.metadata["credential_issuer"] = "https://impostor.example"
    with pytest.raises(Oid4vciError) as caught:
        _receive(fake, OFFER)
    assert caught.value.code == "METADATA_INVALID"
    assert not any(r.url.path == "/token" for r in fake.requests)


@pytest.mark.parametrize("mutate", [
    lambda o: o.pop("grants"),
    lambda o: o.update(credential_configuration_ids=[]),
    lambda o: o.update(credential_issuer="http://city.example.jp"),  # not https
    lambda o: o["grants"][GRANT].pop("pre-authorized_code"),
])
def test_unusable_offers_are_refused(fake: FakeIssuer, mutate: Callable[[dict[str, Any]], Any]) -> None:
    offer = json.loads(json.dumps(OFFER))
    mutate(offer)
    with pytest.raises(Oid4vciError) as caught:
        _receive(fake, offer)
    assert caught.value.code == "OFFER_INVALID"


@pytest.mark.parametrize("text", ["https://city.example.jp/not-an-offer", "{not json", "openid-credential-offer://?x=1"])
def test_text_that_is_no_offer_is_refused(fake: FakeIssuer, text: str) -> None:
    with pytest.raises(Oid4vciError) as caught:
        _receive(fake, text)
    assert caught.value.code == "OFFER_INVALID"


def test_deferred_issuance_is_reported_as_unsupported(fake: FakeIssuer) -> None:
    fake.credential_answers = [httpx.Response(202, json={"transaction_id": "t"})]
    with pytest.raises(Oid4vciError) as caught:
        _receive(fake, OFFER)
    assert caught.value.code == "RESPONSE_INVALID"


def test_an_oversized_response_is_refused(fake: FakeIssuer) -> None:
    fake.metadata["padding"] = "x" * 5000
    with Oid4vciClient(http=fake.client(), max_bytes=4096) as client, pytest.raises(Oid4vciError) as caught:
        client.issuer_metadata(ISSUER)
    assert caught.value.code == "HTTP_ERROR"


def test_well_known_urls_insert_the_suffix_before_the_path() -> None:
    assert well_known_url("https://x.example", "openid-credential-issuer") == \
        "https://x.example/.well-known/openid-credential-issuer"
    assert well_known_url("https://x.example/tenant/a", "oauth-authorization-server") == \
        "https://x.example/.well-known/oauth-authorization-server/tenant/a"


def test_key_proofs_can_name_the_key_by_did_url() -> None:
    key = KeyPair.generate()
    header = parse_compact(make_key_proof(key, audience=ISSUER, nonce="n", binding="did:key")).header
    assert header["kid"].startswith(did_key(key.public) + "#") and "jwk" not in header


# --- against the real issuer service ---------------------------------------------------------


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Issuer]:
    with running_issuer(Path(tmp_path_factory.mktemp("holder-issuer"))) as running:
        yield running


@pytest.mark.parametrize("config", ["ResidentRecord.dc+sd-jwt", "ResidentRecord.ldp_vc"])
def test_receives_from_the_real_service_and_the_credential_verifies(issuer: Issuer, config: str) -> None:
    offer = issuer.offer()  # all formats offered, with a PIN
    holder = KeyPair.generate()
    received = receive_offer(offer["offer_uri"], holder_key=holder, tx_code=offer["tx_code"],
                             credential_configuration_id=config, require_https=False)
    assert received.credential_configuration_id == config
    assert received.configuration["format"] == config.split(".", 1)[1]
    result = issuer.verify(received.credential)
    assert result.verified, result.to_dict()
    assert result.document is not None
    if isinstance(received.credential, str):
        assert result.document["cnf"]["jwk"]["x"] == holder.public.to_jwk()["x"]
    else:
        assert result.document["credentialSubject"]["id"] == did_key(holder.public)
