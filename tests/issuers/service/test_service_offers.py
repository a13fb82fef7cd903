"""Offers beyond the plain flow: a credential about someone other than the holder (a parent receives the child's
certificate), and the staff's record of what an offer was redeemed for (to revoke it later)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from issuers.service import ServiceSettings
from issuers.service.metadata import IssuerProfile, credential_issuer_metadata
from tests.issuers.service.service_support import Issuer
from vc.did import did_key
from vc.holder.oid4vci_client import receive_offer
from vc.keys import KeyPair

CHILD_ID = "urn:uuid:0c5e7a52-2b1e-4d7a-9a35-5d1d3c0f1a01"


def _receive(issuer: Issuer, offer: dict[str, Any], holder: KeyPair) -> Any:
    return receive_offer(offer["offer_uri"], holder_key=holder, tx_code=offer["tx_code"], require_https=False,
                         http=httpx.Client(timeout=30))


# --- a subject other than the holder ---------------------------------------------------------


def test_a_childs_certificate_names_the_child_and_is_bound_to_the_parents_key(issuer: Issuer) -> None:
    offer = issuer.offer(subject={"id": CHILD_ID})
    assert offer["subject"] == {"id": CHILD_ID}
    assert offer["credential_configuration_ids"] == ["ResidentRecord.dc+sd-jwt"]  # the only binding that fits
    parent = KeyPair.generate()
    received = _receive(issuer, offer, parent)
    result = issuer.verify(received.credential)
    assert result.verified, result.to_dict()
    claims = result.document
    assert claims["sub"] == CHILD_ID  # about the child ...
    assert claims["cnf"]["jwk"]["x"] == parent.public.to_jwk()["x"]  # ... held by the parent


def test_a_subject_without_an_id_gets_a_fresh_urn_uuid(issuer: Issuer) -> None:
    first, second = issuer.offer(subject={}), issuer.offer(subject={})
    assert first["subject"]["id"].startswith("urn:uuid:") and first["subject"]["id"] != second["subject"]["id"]
    received = _receive(issuer, first, KeyPair.generate())
    assert issuer.verify(received.credential, status=False).document["sub"] == first["subject"]["id"]


def test_an_offer_about_the_holder_names_the_holders_key(issuer: Issuer) -> None:
    offer = issuer.offer(formats=["dc+sd-jwt"])
    assert "subject" not in offer
    holder = KeyPair.generate()
    received = _receive(issuer, offer, holder)
    assert issuer.verify(received.credential, status=False).document["sub"] == did_key(holder.public)


@pytest.mark.parametrize(("change", "words"), [
    ({"formats": ["ldp_vc"]}, "dc+sd-jwt only"),  # a W3C credential names its holder as its subject
    ({"subject": {"id": "not a uri"}}, "subject.id must be a URI"),
    ({"drop": "birthDate"}, "missing: birthDate"),  # a verifier could not link the child to the holder
    ({"tx_code": "12ab"}, "4 to 12 digits"),
])
def test_bad_subject_offers_are_400_naming_the_problem(issuer: Issuer, change: dict[str, Any], words: str) -> None:
    type_name = "SchoolEnrollment" if "drop" in change else "ResidentRecord"  # a type whose birthDate is optional
    claims = issuer.sample(type_name)
    claims.pop(change.pop("drop", ""), None)
    body = {"type": type_name, "claims": claims, "subject": {}, **change}
    response = issuer.http.post("/offers", json=body, headers=issuer.staff)
    assert response.status_code == 400, response.text
    assert response.json()["errorCode"] == "OFFER_INVALID"
    assert words in response.json()["detail"]


def test_unknown_formats_are_400_not_a_server_error(issuer: Issuer) -> None:
    response = issuer.http.post("/offers", json={"type": "ResidentRecord", "claims": issuer.sample(),
                                                 "formats": ["mso_mdoc"]}, headers=issuer.staff)
    assert response.status_code == 400 and response.json()["errorCode"] == "OFFER_INVALID"


# --- what an offer became ----------------------------------------------------------------------


def _issued(issuer: Issuer, offer: dict[str, Any], headers: dict[str, str] | None = None) -> httpx.Response:
    return issuer.http.get(f"/offers/{offer['offer_id']}/credentials",
                           headers=issuer.staff if headers is None else headers)


def test_the_staff_find_the_credential_an_offer_became_and_revoke_it(issuer: Issuer) -> None:
    offer = issuer.offer(formats=["dc+sd-jwt"])
    before = _issued(issuer, offer).json()
    assert before["state"] == "pending" and before["credentials"] == [] and before["type"] == "ResidentRecord"
    received = _receive(issuer, offer, KeyPair.generate())
    after = _issued(issuer, offer).json()
    assert after["state"] == "redeemed"
    [issued] = after["credentials"]
    assert issued["format"] == "dc+sd-jwt" and issued["credentialId"].startswith("urn:uuid:")
    # the id is the registry's: revoking it revokes the credential the wallet holds
    assert issuer.verify(received.credential).verified
    revoked = issuer.http.post("/credentials/status", headers=issuer.staff, json={
        "credentialId": issued["credentialId"], "status": True, "reason": "issued_in_error",
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}})
    assert revoked.status_code == 200, revoked.text
    result = issuer.verify(received.credential)
    assert not result.verified and "REVOKED" in [c.code for c in result.checks if not c.passed]


def test_a_batch_redemption_records_every_credential(issuer: Issuer) -> None:
    offer = issuer.offer(formats=["jwt_vc_json"])
    receive_offer(offer["offer_uri"], holder_key=[KeyPair.generate(), KeyPair.generate()], tx_code=offer["tx_code"],
                  require_https=False)
    credentials = _issued(issuer, offer).json()["credentials"]
    assert len(credentials) == 2 and len({c["credentialId"] for c in credentials}) == 2


def test_the_lookup_is_for_staff_and_names_unknown_and_expired_offers(issuer: Issuer) -> None:
    offer = issuer.offer(expires_in=60)
    assert _issued(issuer, offer, headers={}).status_code == 401
    assert issuer.http.get("/offers/never-made/credentials", headers=issuer.staff).status_code == 404
    issuer.clock.advance(seconds=61)
    assert _issued(issuer, offer).json()["state"] == "expired"
    # the offer id is the staff's handle, not a wallet's: it does not open the offer
    assert issuer.http.get(f"/offers/{offer['offer_id']}").status_code == 404


# --- the issuer's names ----------------------------------------------------------------------------


def test_issuer_metadata_names_the_issuer_in_each_language() -> None:
    settings = ServiceSettings(public_url="https://city.example.lg.jp")
    both = IssuerProfile(name="千代田区", key_alg="Ed25519", jose_alg="EdDSA",
                         names={"en": "Chiyoda City", "ja": "千代田区"})
    assert credential_issuer_metadata(settings, both, {})["display"] == [
        {"name": "千代田区", "locale": "ja"}, {"name": "Chiyoda City", "locale": "en"}]
    one = IssuerProfile(name="Example City", key_alg="Ed25519", jose_alg="EdDSA")
    assert credential_issuer_metadata(settings, one, {})["display"] == [{"name": "Example City"}]
