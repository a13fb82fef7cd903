"""Receiving into the wallet: from the real issuer service (SD-JWT VC and Data Integrity, display data kept),
and the credentials a wallet must not keep: not what the metadata describes, not verifying, not from the
issuer's keys, not bound to the wallet."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from tests.issuers.service.service_support import Issuer, running_issuer
from tests.vc.holder.holder_support import BIRTH_CLAIMS
from vc.did import did_key
from vc.errors import Oid4vciError, WalletError
from vc.holder import WalletStore, receive_credential
from vc.holder.status import check_status
from vc.jose.jws import parse_compact
from vc.keys import KeyPair, PublicKey
from vc.sdjwt import issue_sd_jwt_vc

ISSUER_URL = "https://hospital.example.jp"
VCT = "https://w3id.org/jitsuin/vct/BirthCertificate/v1"
GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"


# --- the real issuer service -------------------------------------------------------------------


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Issuer]:
    with running_issuer(tmp_path_factory.mktemp("issuer")) as running:
        yield running


def test_a_birth_certificate_from_the_issuer_service_is_checked_and_stored(issuer: Issuer, store: WalletStore) -> None:
    offer = issuer.offer(type="BirthCertificate", formats=["dc+sd-jwt", "ldp_vc"])
    stored = receive_credential(store, offer["offer_uri"], tx_code=offer["tx_code"], require_https=False,
                                resolver=issuer.resolver(), loader=issuer.workspace.loader)
    assert stored.format == "dc+sd-jwt"  # selective disclosure preferred
    assert stored.display_name("ja") == "出生証明書" and stored.display_name("en") == "Certificate of birth"
    assert stored.issuer_display_name("ja") == "Example City" and stored.issuer == issuer.workspace.issuer_did
    assert stored.credential_issuer == issuer.url and stored.configuration_id == "BirthCertificate.dc+sd-jwt"
    assert stored.claim_label_text(("mother", "familyName"), "ja") == "母の氏名 › 氏"
    assert stored.label_for(("birthWeightGrams",)) is not None
    assert stored.valid_until is not None
    # bound to a key of its own, held in the wallet
    payload = parse_compact(str(stored.credential).split("~")[0]).payload_json()
    assert stored.key_id is not None
    assert PublicKey.from_jwk(payload["cnf"]["jwk"]) == store.key(stored.key_id).public
    assert [c.id for c in store.credentials()] == [stored.id]


def test_a_data_integrity_credential_is_stored_with_its_type_iris(issuer: Issuer, store: WalletStore) -> None:
    offer = issuer.offer(type="ResidentRecord", formats=["ldp_vc"])
    stored = receive_credential(store, offer["offer_uri"], tx_code=offer["tx_code"], require_https=False,
                                resolver=issuer.resolver(), loader=issuer.workspace.loader)
    assert stored.format == "ldp_vc" and "ResidentRecordCredential" in stored.types
    assert "https://www.w3.org/2018/credentials#VerifiableCredential" in stored.type_iris
    assert isinstance(stored.credential, dict)
    assert stored.credential["credentialSubject"]["id"] == did_key(store.key(stored.key_id or "").public)


def test_a_wrong_pin_stores_nothing(issuer: Issuer, store: WalletStore) -> None:
    offer = issuer.offer(type="BirthCertificate")
    wrong = "000000" if offer["tx_code"] != "000000" else "111111"
    with pytest.raises(Oid4vciError) as caught:
        receive_credential(store, offer["offer_uri"], tx_code=wrong, require_https=False, resolver=issuer.resolver())
    assert caught.value.code == "TOKEN_REFUSED"
    assert store.credentials() == [] and store.keys() == []


# --- issuers that send what a wallet must not keep ---------------------------------------------


class FakeIssuer:
    """An OpenID4VCI issuer whose credential is made by ``make(holder_jwk)``; its JWT VC Issuer Metadata
    publishes ``published`` (default: the signing key)."""

    def __init__(self, make: Callable[[dict[str, Any]], str], *, vct: str = VCT,
                 published: KeyPair | None = None, signer: KeyPair | None = None) -> None:
        self.signer = signer or KeyPair.generate()
        self.make = make
        self.vct = vct
        self.published = published or self.signer

    def kid(self, key: KeyPair) -> str:
        did = did_key(key.public)
        return f"{did}#{did.removeprefix('did:key:')}"

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/.well-known/openid-credential-issuer":
            return httpx.Response(200, json={
                "credential_issuer": ISSUER_URL, "credential_endpoint": ISSUER_URL + "/credential",
                "nonce_endpoint": ISSUER_URL + "/nonce", "display": [{"name": "霞が関中央病院", "locale": "ja"}],
                "credential_configurations_supported": {"Birth": {
                    "format": "dc+sd-jwt", "vct": self.vct, "cryptographic_binding_methods_supported": ["jwk"],
                    "credential_metadata": {"display": [{"name": "出生証明書", "locale": "ja"}],
                                            "claims": [{"path": ["birthWeightGrams"], "sensitivity": "H",
                                                        "display": [{"name": "体重", "locale": "ja"}]}]}}}})
        if path == "/.well-known/oauth-authorization-server":
            return httpx.Response(200, json={"issuer": ISSUER_URL, "token_endpoint": ISSUER_URL + "/token"})
        if path == "/.well-known/jwt-vc-issuer":
            jwk = {**self.published.public.to_jwk(), "kid": self.kid(self.published)}
            return httpx.Response(200, json={"issuer": ISSUER_URL, "jwks": {"keys": [jwk]}})
        if path == "/token":
            assert parse_qs(request.content.decode())["tx_code"] == ["1234"]
            return httpx.Response(200, json={"access_token": "at", "token_type": "Bearer"})
        if path == "/nonce":
            return httpx.Response(200, json={"c_nonce": "cn"})
        if path == "/credential":
            proof = json.loads(request.content)["proofs"]["jwt"][0]
            credential = self.make(parse_compact(proof).header["jwk"])
            return httpx.Response(200, json={"credentials": [{"credential": credential}]})
        return httpx.Response(404)

    def sd_jwt(self, holder_jwk: dict[str, Any], *, vct: str | None = None) -> str:
        return issue_sd_jwt_vc(dict(BIRTH_CLAIMS), self.signer, vct=vct or VCT, sd=[("birthWeightGrams",)],
                               holder_key=holder_jwk, kid=self.kid(self.signer))

    def receive(self, store: WalletStore) -> Any:
        offer = {"credential_issuer": ISSUER_URL, "credential_configuration_ids": ["Birth"],
                 "grants": {GRANT: {"pre-authorized_code": "code", "tx_code": {"length": 4}}}}
        return receive_credential(store, offer, tx_code="1234",
                                  http=httpx.Client(transport=httpx.MockTransport(self.handle)))


def test_a_good_fake_credential_is_stored_with_the_metadatas_labels_and_sensitivity(store: WalletStore) -> None:
    fake = FakeIssuer(lambda jwk: fake.sd_jwt(jwk))
    stored = fake.receive(store)
    assert stored.issuer_display_name("ja") == "霞が関中央病院" and stored.display_name("ja") == "出生証明書"
    label = stored.label_for(("birthWeightGrams",))
    assert label is not None and label.sensitive and label.label("ja") == "体重"


def _rejects(store: WalletStore, fake: FakeIssuer, code: str) -> WalletError:
    with pytest.raises(WalletError) as caught:
        fake.receive(store)
    assert caught.value.code == code
    assert store.credentials() == [] and store.keys() == []  # nothing kept, not even the key
    return caught.value


def test_a_credential_that_is_not_what_the_metadata_offers_is_not_stored(store: WalletStore) -> None:
    fake = FakeIssuer(lambda jwk: fake.sd_jwt(jwk, vct="https://w3id.org/jitsuin/vct/DeathCertificate/v1"))
    assert "vct" in _rejects(store, fake, "METADATA_MISMATCH").message


def test_a_credential_signed_by_a_key_the_issuer_does_not_publish_is_not_stored(store: WalletStore) -> None:
    fake = FakeIssuer(lambda jwk: fake.sd_jwt(jwk), published=KeyPair.generate())
    assert "does not publish" in _rejects(store, fake, "METADATA_MISMATCH").message


def test_a_credential_whose_signature_fails_is_not_stored(store: WalletStore) -> None:
    def broken(jwk: dict[str, Any]) -> str:
        jws, _, rest = fake.sd_jwt(jwk).partition("~")
        head, body, signature = jws.split(".")
        flipped = ("A" if signature[10] != "A" else "B")
        return f"{head}.{body}.{signature[:10]}{flipped}{signature[11:]}~{rest}"

    fake = FakeIssuer(broken)
    error = _rejects(store, fake, "CREDENTIAL_REJECTED")
    assert "INVALID_SIGNATURE" in error.detail["codes"]


def test_a_credential_bound_to_another_key_is_not_stored(store: WalletStore) -> None:
    other = KeyPair.generate().public.to_jwk()
    fake = FakeIssuer(lambda jwk: fake.sd_jwt(other))
    _rejects(store, fake, "CREDENTIAL_REJECTED")


def test_something_that_is_not_a_credential_is_not_stored(store: WalletStore) -> None:
    fake = FakeIssuer(lambda jwk: "not a credential")
    _rejects(store, fake, "CREDENTIAL_REJECTED")


def test_the_status_check_notes_valid_then_revoked(issuer: Issuer, store: WalletStore) -> None:
    offer = issuer.offer(type="ResidentRecord", formats=["ldp_vc"])
    stored = receive_credential(store, offer["offer_uri"], tx_code=offer["tx_code"], require_https=False,
                                resolver=issuer.resolver(), loader=issuer.workspace.loader)
    assert stored.status is None and stored.status_checked_at is None
    options = {"resolver": issuer.resolver(), "loader": issuer.workspace.loader}
    assert check_status(store, stored.id, checker=issuer.checker(), **options).status == "valid"
    assert isinstance(stored.credential, dict)
    revoked = issuer.http.post("/credentials/status", headers=issuer.staff, json={
        "credentialId": stored.credential["id"], "status": True,
        "credentialStatus": {"type": "BitstringStatusList", "statusPurpose": "revocation"}})
    assert revoked.status_code == 200, revoked.text
    noted = check_status(store, stored.id, checker=issuer.checker(), **options)
    assert noted.status == "revoked" and noted.status_checked_at is not None
    assert store.credential(stored.id).status == "revoked"
