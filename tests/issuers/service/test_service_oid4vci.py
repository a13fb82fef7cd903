"""OpenID4VCI 1.0 against the real service: metadata from the catalog, full pre-authorized flows with the
library's wallet client (then the credential verified as a relying party would), and every refusal with its
OAuth error code."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest

from issuers.service import PRE_AUTHORIZED_GRANT
from tests.issuers.service.service_support import Issuer
from vc.did import did_key
from vc.encoding.base64url import b64url_encode
from vc.errors import Oid4vciError
from vc.holder.oid4vci_client import Oid4vciClient, make_key_proof, receive_offer
from vc.jose import verify_vc_jwt
from vc.jose.jws import sign_compact
from vc.keys import KeyPair

# --- metadata --------------------------------------------------------------------------------


def test_issuer_metadata_has_a_configuration_per_type_and_format_with_ja_and_en_display(issuer: Issuer) -> None:
    metadata = issuer.http.get("/.well-known/openid-credential-issuer").json()
    assert metadata["credential_issuer"] == issuer.url
    assert metadata["credential_endpoint"] == issuer.url + "/credential"
    assert metadata["nonce_endpoint"] == issuer.url + "/nonce"
    configs = metadata["credential_configurations_supported"]
    ctype = issuer.workspace.certificate_type("ResidentRecord")
    sd = configs["ResidentRecord.dc+sd-jwt"]
    assert sd["format"] == "dc+sd-jwt" and sd["vct"] == ctype.vct
    assert sd["cryptographic_binding_methods_supported"] == ["jwk"]
    assert sd["proof_types_supported"]["jwt"]["proof_signing_alg_values_supported"]
    assert {d["locale"]: d["name"] for d in sd["credential_metadata"]["display"]} == {
        "ja": "住民票の写し", "en": "Certificate of residence"}
    family = next(c for c in sd["credential_metadata"]["claims"] if c["path"] == ["familyName"])
    assert family["mandatory"] is True
    assert {d["locale"] for d in family["display"]} == {"ja", "en"}
    ldp = configs["ResidentRecord.ldp_vc"]
    assert ldp["credential_definition"]["type"] == ["VerifiableCredential", "ResidentRecordCredential"]
    assert ctype.context_url in ldp["credential_definition"]["@context"]
    assert ldp["credential_signing_alg_values_supported"] == ["eddsa-rdfc-2022"]
    assert ["credentialSubject", "familyName"] in [c["path"] for c in ldp["credential_metadata"]["claims"]]
    assert configs["ResidentRecord.jwt_vc_json"]["format"] == "jwt_vc_json"
    # every builtin type is offered in every format
    assert len(configs) == 3 * len(issuer.workspace.catalog.list())


def test_authorization_server_metadata_offers_the_pre_authorized_grant(issuer: Issuer) -> None:
    metadata = issuer.http.get("/.well-known/oauth-authorization-server").json()
    assert metadata["issuer"] == issuer.url
    assert metadata["token_endpoint"] == issuer.url + "/token"
    assert metadata["grant_types_supported"] == [PRE_AUTHORIZED_GRANT]
    assert metadata["pre-authorized_grant_anonymous_access_supported"] is True


def test_did_web_document_and_jwt_vc_issuer_metadata_name_the_signing_key(issuer: Issuer) -> None:
    did = issuer.http.get("/.well-known/did.json")
    assert did.headers["content-type"].startswith("application/did+json")
    assert did.json()["id"] == issuer.workspace.issuer_did
    assert "max-age" in did.headers["cache-control"]
    jwks = issuer.http.get("/.well-known/jwt-vc-issuer").json()
    assert jwks["issuer"] == issuer.url
    assert [k["kid"] for k in jwks["jwks"]["keys"]] == [issuer.workspace.verification_method()]


# --- full flows ------------------------------------------------------------------------------


def test_dc_sd_jwt_by_reference_with_a_pin_then_verified(issuer: Issuer) -> None:
    offer = issuer.offer(formats=["dc+sd-jwt"])
    assert offer["offer_uri"].startswith("openid-credential-offer://?credential_offer_uri=")
    assert offer["credential_offer"]["grants"][PRE_AUTHORIZED_GRANT]["tx_code"]["length"] == 6
    assert offer["tx_code"].isdigit() and len(offer["tx_code"]) == 6
    holder = KeyPair.generate("P-256")
    received = receive_offer(offer["offer_uri"], holder_key=holder, tx_code=offer["tx_code"], require_https=False,
                             http=httpx.Client(timeout=30))
    assert received.format == "dc+sd-jwt"
    assert received.credential_configuration_id == "ResidentRecord.dc+sd-jwt"
    result = issuer.verify(received.credential)  # iss did:web resolved over HTTP, token status list fetched
    assert result.verified, result.to_dict()
    claims = result.document
    assert claims is not None
    assert claims["cnf"]["jwk"]["x"] == holder.public.to_jwk()["x"]
    assert claims["familyName"] == issuer.sample()["familyName"]
    assert claims["vct"] == issuer.workspace.certificate_type("ResidentRecord").vct
    assert result.check("status") is not None


def test_ldp_vc_by_value_bound_to_the_holders_did_key_then_verified(issuer: Issuer) -> None:
    offer = issuer.offer(type="BirthCertificate", formats=["ldp_vc"], by_reference=False, tx_code=False)
    assert offer["offer_uri"].startswith("openid-credential-offer://?credential_offer=")
    assert "tx_code" not in offer["credential_offer"]["grants"][PRE_AUTHORIZED_GRANT]
    holder = KeyPair.generate()
    received = receive_offer(offer["offer_uri"], holder_key=holder, require_https=False)
    vc = received.credential
    assert isinstance(vc, dict)
    assert vc["credentialSubject"]["id"] == did_key(holder.public)
    assert vc["issuer"] == issuer.workspace.issuer_did
    result = issuer.verify(vc)
    assert result.verified, result.to_dict()


def test_jwt_vc_json_flow_and_a_batch_of_two_keys(issuer: Issuer) -> None:
    offer = issuer.offer(formats=["jwt_vc_json"])
    keys = [KeyPair.generate(), KeyPair.generate("P-256")]
    received = receive_offer(offer["offer_uri"], holder_key=keys, tx_code=offer["tx_code"], require_https=False)
    assert len(received.credentials) == 2
    subjects = []
    for token in received.credentials:
        # vc.formats.verify does not pass its loader on to JWT verification yet (the catalog context)
        result = verify_vc_jwt(token, resolver=issuer.resolver(), loader=issuer.workspace.loader, now=issuer.clock())
        assert result.verified, result.to_dict()
        assert result.document is not None
        assert all(c.passed for c in issuer.checker().checks(result.document))
        subjects.append(result.document["credentialSubject"]["id"])
    assert subjects == [did_key(k.public) for k in keys]


def test_one_token_obtains_each_offered_configuration_once(issuer: Issuer) -> None:
    offer = issuer.offer(tx_code=False)
    client = Oid4vciClient(http=issuer.http, require_https=False)
    code = offer["credential_offer"]["grants"][PRE_AUTHORIZED_GRANT]["pre-authorized_code"]
    token = client.request_token(issuer.url + "/token", code).access_token
    holder = KeyPair.generate()

    def request(config_id: str) -> httpx.Response:
        proof = make_key_proof(holder, audience=issuer.url, nonce=client.request_nonce(issuer.url + "/nonce"),
                               binding="jwk")
        return _credential(issuer, token, {"credential_configuration_id": config_id, "proofs": {"jwt": [proof]}})

    assert request("ResidentRecord.ldp_vc").status_code == 200
    again = request("ResidentRecord.ldp_vc")
    assert again.status_code == 400 and again.json()["error"] == "credential_request_denied"
    assert request("ResidentRecord.dc+sd-jwt").status_code == 200
    assert request("ResidentRecord.jwt_vc_json").status_code == 200
    finished = request("ResidentRecord.jwt_vc_json")  # every configuration taken: the token is used up
    assert finished.status_code == 401 and finished.json()["error"] == "invalid_token"


def test_the_draft_13_single_proof_shape_is_accepted(issuer: Issuer) -> None:
    token = _token(issuer, issuer.offer(tx_code=False))
    proof = make_key_proof(KeyPair.generate(), audience=issuer.url, nonce=_nonce(issuer))
    response = _credential(issuer, token, {"credential_configuration_id": "ResidentRecord.dc+sd-jwt",
                                           "proof": {"proof_type": "jwt", "jwt": proof}})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"


# --- token endpoint refusals -----------------------------------------------------------------


def _code(offer: dict[str, Any]) -> str:
    return offer["credential_offer"]["grants"][PRE_AUTHORIZED_GRANT]["pre-authorized_code"]  # type: ignore[no-any-return]


def _token_request(issuer: Issuer, form: dict[str, str]) -> httpx.Response:
    return issuer.http.post("/token", data=form)


def _pre_auth(code: str, tx_code: str | None = None) -> dict[str, str]:
    form = {"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": code}
    if tx_code is not None:
        form["tx_code"] = tx_code
    return form


def _error(response: httpx.Response, status: int = 400) -> str:
    assert response.status_code == status, response.text
    assert response.headers["cache-control"] == "no-store"
    return response.json()["error"]  # type: ignore[no-any-return]


def test_an_expired_pre_authorized_code_is_invalid_grant(issuer: Issuer) -> None:
    offer = issuer.offer(expires_in=600)
    issuer.clock.advance(seconds=601)
    response = _token_request(issuer, _pre_auth(_code(offer), offer["tx_code"]))
    assert _error(response) == "invalid_grant"
    assert "expired" in response.json()["error_description"]


def test_a_replayed_pre_authorized_code_is_invalid_grant(issuer: Issuer) -> None:
    offer = issuer.offer()
    assert _token_request(issuer, _pre_auth(_code(offer), offer["tx_code"])).status_code == 200
    replay = _token_request(issuer, _pre_auth(_code(offer), offer["tx_code"]))
    assert _error(replay) == "invalid_grant"
    assert "already been used" in replay.json()["error_description"]


def test_a_wrong_tx_code_is_invalid_grant_and_too_many_burn_the_code(issuer: Issuer) -> None:
    offer = issuer.offer()
    wrong = "000000" if offer["tx_code"] != "000000" else "111111"
    for _ in range(4):
        assert _error(_token_request(issuer, _pre_auth(_code(offer), wrong))) == "invalid_grant"
    assert _token_request(issuer, _pre_auth(_code(offer), offer["tx_code"])).status_code == 200  # 4 < 5 attempts
    burnt = issuer.offer()
    for _ in range(5):
        _token_request(issuer, _pre_auth(_code(burnt), wrong))
    assert _error(_token_request(issuer, _pre_auth(_code(burnt), burnt["tx_code"]))) == "invalid_grant"


def test_tx_code_missing_or_unexpected_is_invalid_request(issuer: Issuer) -> None:
    with_pin, without_pin = issuer.offer(), issuer.offer(tx_code=False)
    assert _error(_token_request(issuer, _pre_auth(_code(with_pin)))) == "invalid_request"
    assert _error(_token_request(issuer, _pre_auth(_code(without_pin), "123456"))) == "invalid_request"
    # neither attempt used the codes up
    assert _token_request(issuer, _pre_auth(_code(with_pin), with_pin["tx_code"])).status_code == 200
    assert _token_request(issuer, _pre_auth(_code(without_pin))).status_code == 200


@pytest.mark.parametrize(("form", "error"), [
    ({"grant_type": "authorization_code", "code": "x"}, "unsupported_grant_type"),
    ({"grant_type": PRE_AUTHORIZED_GRANT}, "invalid_request"),
    ({"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": "never-issued"}, "invalid_grant"),
])
def test_token_requests_that_cannot_be_granted(issuer: Issuer, form: dict[str, str], error: str) -> None:
    assert _error(_token_request(issuer, form)) == error


def test_a_json_token_request_is_invalid_request(issuer: Issuer) -> None:
    response = issuer.http.post("/token", json=_pre_auth("x"))
    assert _error(response) == "invalid_request"


# --- credential endpoint refusals ------------------------------------------------------------


def _token(issuer: Issuer, offer: dict[str, Any]) -> str:
    response = _token_request(issuer, _pre_auth(_code(offer), offer.get("tx_code")))
    assert response.status_code == 200, response.text
    return response.json()["access_token"]  # type: ignore[no-any-return]


def _nonce(issuer: Issuer) -> str:
    response = issuer.http.post("/nonce")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    return response.json()["c_nonce"]  # type: ignore[no-any-return]


def _credential(issuer: Issuer, token: str, body: dict[str, Any]) -> httpx.Response:
    return issuer.http.post("/credential", json=body, headers={"Authorization": f"Bearer {token}"})


def _request(proof: str, config: str = "ResidentRecord.dc+sd-jwt") -> dict[str, Any]:
    return {"credential_configuration_id": config, "proofs": {"jwt": [proof]}}


def _proof(key: KeyPair, *, header: dict[str, Any] | None = None, **claims: Any) -> str:
    """A key proof with every part overridable (None drops a claim)."""
    full: dict[str, Any] = {"typ": "openid4vci-proof+jwt", "jwk": key.public.to_jwk()}
    full.update(header or {})
    payload = {k: v for k, v in claims.items() if v is not None}
    return sign_compact(payload, key, header={k: v for k, v in full.items() if v is not None})


@pytest.fixture
def session(issuer: Issuer) -> tuple[str, str]:
    """A fresh access token and nonce for a ResidentRecord offer."""
    return _token(issuer, issuer.offer(tx_code=False)), _nonce(issuer)


def _now() -> int:
    return int(datetime.now(timezone.utc).timestamp())


def test_a_proof_with_a_nonce_never_issued_is_invalid_nonce(issuer: Issuer, session: tuple[str, str]) -> None:
    token, _ = session
    key = KeyPair.generate()
    response = _credential(issuer, token, _request(_proof(key, aud=issuer.url, iat=_now(), nonce="made-up")))
    assert _error(response) == "invalid_nonce"


def test_a_replayed_nonce_is_invalid_nonce(issuer: Issuer, session: tuple[str, str]) -> None:
    token, nonce = session
    key = KeyPair.generate()
    proof = _proof(key, aud=issuer.url, iat=_now(), nonce=nonce)
    assert _credential(issuer, token, _request(proof)).status_code == 200
    second_token = _token(issuer, issuer.offer(tx_code=False))
    replay = _credential(issuer, second_token, _request(_proof(key, aud=issuer.url, iat=_now(), nonce=nonce)))
    assert _error(replay) == "invalid_nonce"
    assert "already been used" in replay.json()["error_description"]


def test_an_expired_nonce_is_invalid_nonce(issuer: Issuer) -> None:
    nonce = _nonce(issuer)
    issuer.clock.advance(minutes=6)
    token = _token(issuer, issuer.offer(tx_code=False))
    key = KeyPair.generate()
    response = _credential(issuer, token, _request(_proof(key, aud=issuer.url, iat=int(issuer.clock().timestamp()),
                                                          nonce=nonce)))
    assert _error(response) == "invalid_nonce"


@pytest.mark.parametrize(("override", "fragment"), [
    ({"aud": "https://another-issuer.example"}, "'aud'"),
    ({"aud": None}, "'aud'"),
    ({"nonce": None}, "'nonce'"),
    ({"iat": None}, "'iat'"),
    ({"iat": "yesterday"}, "'iat'"),
    ({"iat_offset": -3600}, "older than"),
    ({"iat_offset": 3600}, "future"),
    ({"header": {"typ": "JWT"}}, "typ"),
    ({"header": {"typ": None}}, "typ"),
])
def test_bad_key_proofs_are_invalid_proof(issuer: Issuer, session: tuple[str, str], override: dict[str, Any],
                                          fragment: str) -> None:
    token, nonce = session
    claims: dict[str, Any] = {"aud": issuer.url, "iat": _now() + override.pop("iat_offset", 0), "nonce": nonce}
    header = override.pop("header", None)
    claims.update(override)
    response = _credential(issuer, token, _request(_proof(KeyPair.generate(), header=header, **claims)))
    assert _error(response) == "invalid_proof"
    assert fragment in response.json()["error_description"]


def test_a_proof_signed_by_another_key_than_its_header_names_is_invalid_proof(issuer: Issuer,
                                                                              session: tuple[str, str]) -> None:
    token, nonce = session
    named, signer = KeyPair.generate(), KeyPair.generate()
    proof = _proof(signer, header={"jwk": named.public.to_jwk()}, aud=issuer.url, iat=_now(), nonce=nonce)
    response = _credential(issuer, token, _request(proof))
    assert _error(response) == "invalid_proof"
    assert "signature" in response.json()["error_description"]


@pytest.mark.parametrize("header", [
    lambda key: {"jwk": key.to_jwk(private=True)},  # private key material
    lambda key: {"jwk": None, "kid": "did:web:evil.example#key-1"},  # a DID we would have to fetch
    lambda key: {"kid": f"{did_key(key.public)}#{did_key(key.public)[8:]}"},  # both jwk and kid
    lambda key: {"jwk": None},  # no key at all
])
def test_key_proofs_naming_their_key_wrongly_are_invalid_proof(issuer: Issuer, session: tuple[str, str],
                                                               header: Any) -> None:
    token, nonce = session
    key = KeyPair.generate()
    proof = _proof(key, header=header(key), aud=issuer.url, iat=_now(), nonce=nonce)
    assert _error(_credential(issuer, token, _request(proof))) == "invalid_proof"


def test_an_unsigned_key_proof_is_invalid_proof(issuer: Issuer, session: tuple[str, str]) -> None:
    token, nonce = session
    header = {"alg": "none", "typ": "openid4vci-proof+jwt", "jwk": KeyPair.generate().public.to_jwk()}
    claims = {"aud": issuer.url, "iat": _now(), "nonce": nonce}
    unsigned = ".".join(b64url_encode(json.dumps(part).encode()) for part in (header, claims)) + "."
    response = _credential(issuer, token, _request(unsigned))
    assert _error(response) == "invalid_proof"
    assert "none" in response.json()["error_description"]


def test_a_did_key_kid_binds_the_credential_to_that_did(issuer: Issuer, session: tuple[str, str]) -> None:
    token, nonce = session
    key = KeyPair.generate()
    did = did_key(key.public)
    proof = _proof(key, header={"jwk": None, "kid": f"{did}#{did[8:]}"}, aud=issuer.url, iat=_now(), nonce=nonce)
    response = _credential(issuer, token, _request(proof, "ResidentRecord.ldp_vc"))
    assert response.status_code == 200, response.text
    assert response.json()["credentials"][0]["credential"]["credentialSubject"]["id"] == did


@pytest.mark.parametrize(("body", "error"), [
    ({"credential_configuration_id": "NoSuchType.dc+sd-jwt"}, "unknown_credential_configuration"),
    ({"credential_configuration_id": "ResidentRecord.mso_mdoc"}, "unknown_credential_configuration"),
    ({"credential_configuration_id": "BirthCertificate.dc+sd-jwt"}, "invalid_credential_request"),  # not offered
    ({}, "invalid_credential_request"),
    ({"credential_identifier": "x"}, "unknown_credential_identifier"),
    ({"credential_configuration_id": "ResidentRecord.dc+sd-jwt", "proofs": None}, "invalid_proof"),
    ({"credential_configuration_id": "ResidentRecord.dc+sd-jwt", "proofs": {"jwt": []}}, "invalid_proof"),
    ({"credential_configuration_id": "ResidentRecord.dc+sd-jwt", "proofs": {"ldp_vp": [{}]}}, "invalid_proof"),
    ({"credential_configuration_id": "ResidentRecord.dc+sd-jwt", "proofs": {"jwt": ["x"] * 6}},
     "invalid_credential_request"),
])
def test_credential_requests_that_cannot_be_served(issuer: Issuer, session: tuple[str, str], body: dict[str, Any],
                                                   error: str) -> None:
    token, _ = session
    body = {k: v for k, v in body.items() if v is not None}
    assert _error(_credential(issuer, token, body)) == error


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic abc"])
def test_the_credential_endpoint_needs_a_live_access_token(issuer: Issuer, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = issuer.http.post("/credential", json={"credential_configuration_id": "ResidentRecord.dc+sd-jwt"},
                                headers=headers)
    assert _error(response, 401) == "invalid_token"
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_an_expired_access_token_is_invalid_token(issuer: Issuer) -> None:
    token = _token(issuer, issuer.offer(tx_code=False))
    issuer.clock.advance(minutes=6)
    response = _credential(issuer, token, {"credential_configuration_id": "ResidentRecord.dc+sd-jwt"})
    assert _error(response, 401) == "invalid_token"


# --- offers ----------------------------------------------------------------------------------


def test_offer_creation_validates_the_claims_and_names_the_field(issuer: Issuer) -> None:
    claims = issuer.sample()
    claims["familyNameKana"] = "ﾔﾏﾀﾞ"  # half-width kana
    response = issuer.http.post("/offers", json={"type": "ResidentRecord", "claims": claims}, headers=issuer.staff)
    assert response.status_code == 400
    problem = response.json()
    assert problem["errorCode"] == "CLAIMS_INVALID"
    assert "familyNameKana" in problem["detail"]
    assert "ﾔﾏﾀﾞ" not in response.text  # never the value


def test_an_unknown_type_cannot_be_offered(issuer: Issuer) -> None:
    response = issuer.http.post("/offers", json={"type": "Passport", "claims": {}}, headers=issuer.staff)
    assert response.status_code == 400
    assert response.json()["errorCode"] == "TYPE_UNKNOWN"


def test_an_unknown_or_expired_offer_reference_is_404(issuer: Issuer) -> None:
    assert issuer.http.get("/offers/never-made").status_code == 404
    offer = issuer.offer(expires_in=60)
    assert issuer.http.get(offer["credential_offer_uri"]).json() == offer["credential_offer"]
    issuer.clock.advance(seconds=61)
    assert issuer.http.get(offer["credential_offer_uri"]).status_code == 404


def test_the_client_asks_for_the_pin_before_calling_the_issuer(issuer: Issuer) -> None:
    offer = issuer.offer()
    with pytest.raises(Oid4vciError) as caught:
        receive_offer(offer["offer_uri"], holder_key=KeyPair.generate(), require_https=False)
    assert caught.value.code == "TX_CODE_REQUIRED"
    # the code is still good
    assert receive_offer(offer["offer_uri"], holder_key=KeyPair.generate(), tx_code=offer["tx_code"],
                         require_https=False).credential


def test_the_client_reports_the_issuers_error_code(issuer: Issuer) -> None:
    offer = issuer.offer()
    with pytest.raises(Oid4vciError) as caught:
        receive_offer(offer["offer_uri"], holder_key=KeyPair.generate(), tx_code="99999999", require_https=False)
    assert caught.value.code == "TOKEN_REFUSED"
    assert caught.value.detail["error"] == "invalid_grant"


@pytest.mark.parametrize("body", [{"type": 5, "claims": {}}, {"claims": {}}, {"type": "ResidentRecord", "claims": []},
                                  {"type": "ResidentRecord", "claims": {}, "formats": ["mso_mdoc"]}])
def test_malformed_offer_requests_are_400_problems(issuer: Issuer, body: dict[str, Any]) -> None:
    response = issuer.http.post("/offers", json=body, headers=issuer.staff)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
