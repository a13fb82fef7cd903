"""OpenID4VP 1.0 over HTTP against the real service: requests (by reference and by value, unsigned
and signed), a full flow with an SD-JWT VC + KB-JWT and a Data Integrity presentation, and each bad
response refused with its own code."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.verifier import oid4vp_support as support
from verifier.requests import credential_query, dcql_query

BIRTH_VCT = support.BIRTH_VCT
QUERY = dcql_query([
    credential_query("birth", "dc+sd-jwt", vct_values=[BIRTH_VCT], claims=[["child", "name"], ["child", "birthDate"]]),
    credential_query("resident", "ldp_vc", type_values=[["ResidentRecordCredential"]],
                     claims=[["credentialSubject", "name"], ["credentialSubject", "address"]]),
])
PURPOSE = {"ja": "出生届の受付のため", "en": "To accept the birth registration"}


@pytest.fixture(params=["policy", "core"])
def serve(request, serve, hospital, city):  # type: ignore[no-untyped-def]
    """Every flow twice: judged by a trust policy (``verifier.verify_presentation``), and by the core checks only."""
    policy = support.trust_policy(hospital, city) if request.param == "policy" else None

    def start(**options):  # type: ignore[no-untyped-def]
        options.setdefault("policy", policy)
        return serve(**options)

    return start


@pytest.fixture
def birth_sd_jwt(hospital, wallet):  # type: ignore[no-untyped-def]
    claims = {"child": {"name": "山田花子", "birthDate": "2026-03-30", "sex": 2}, "mother": {"name": "山田陽子"},
              "birthWeightGrams": 3012}
    return hospital.sd_jwt_vc(BIRTH_VCT, claims, holder=wallet.key,
                              sd=[["child"], ["child", "name"], ["child", "birthDate"], ["child", "sex"], ["mother"],
                                  ["birthWeightGrams"]])


@pytest.fixture
def resident_record(city, wallet):  # type: ignore[no-untyped-def]
    return city.di_credential("ResidentRecordCredential",
                              {"id": wallet.did, "name": "山田陽子", "address": "みどり市中央1-2-3", "birthDate": "1995-05-05"})


def _create(http, query=QUERY, **extra):  # type: ignore[no-untyped-def]
    answer = http.post("/requests", json={"dcql_query": query, "purpose": PURPOSE, **extra}, headers=support.STAFF)
    assert answer.status_code == 201, answer.text
    return answer.json()


def _result(http, created):  # type: ignore[no-untyped-def]
    answer = http.get(f"/requests/{created['id']}/result", headers={"Authorization": f"Bearer {created['result_token']}"})
    assert answer.status_code == 200
    return answer.json()


def _full_token(wallet, params, sd_jwt, resident):  # type: ignore[no-untyped-def]
    return {"birth": [wallet.present_sd_jwt(sd_jwt, params, "birth")], "resident": [wallet.present_di([resident], params)]}


# --- requests ---------------------------------------------------------------------------------


def test_request_by_reference_is_an_unsigned_request_object_for_redirect_uri(serve, wallet) -> None:
    server = serve()
    with server.client() as http:
        created = _create(http)
        link = urlsplit(created["link"])
        assert link.scheme == "openid4vp"
        assert dict(parse_qsl(link.query)) == {"client_id": created["client_id"], "request_uri": created["request_uri"]}
        assert created["client_id"] == f"redirect_uri:{created['response_uri']}"
        assert created["qr_svg"].startswith("<svg")
        params = wallet.open(created["link"], http)
    assert params["response_type"] == "vp_token" and params["response_mode"] == "direct_post"
    assert params["response_uri"] == f"{server.base_url}/responses/{created['id']}"
    assert params["aud"] == "https://self-issued.me/v2"
    assert len(params["nonce"]) >= 32 and params["nonce"] != params["state"]
    assert params["dcql_query"]["credentials"] == QUERY["credentials"]
    assert params["dcql_query"]["credential_sets"][0]["purpose"] == PURPOSE["ja"]
    assert params["dcql_query"]["credential_sets"][0]["purpose#en"] == PURPOSE["en"]
    meta = params["client_metadata"]
    assert meta["client_name#ja"] == "みどり市役所" and meta["client_name#en"] == "Midori City Hall"
    assert set(meta["vp_formats_supported"]) == {"dc+sd-jwt", "jwt_vc_json", "ldp_vc"}
    assert "eddsa-rdfc-2022" in meta["vp_formats_supported"]["ldp_vc"]["cryptosuite_values"]


def test_decentralized_identifier_requests_are_signed_by_the_verifier_did(serve, wallet) -> None:
    server = serve(prefix="decentralized_identifier")
    with server.client() as http:
        created = _create(http)
        assert created["client_id"].startswith("decentralized_identifier:did:key:")
        params = wallet.open(created["link"], http)  # verifies the signature with the DID's key
        assert params["client_id"] == created["client_id"]
        by_value = _create(http, by_reference=False)
    query = dict(parse_qsl(urlsplit(by_value["link"]).query))
    assert set(query) == {"client_id", "request"}  # by value, still signed
    assert query["request"].count(".") == 2 and not query["request"].endswith(".")


def test_by_value_link_carries_every_parameter(serve, wallet) -> None:
    server = serve()
    with server.client() as http:
        created = _create(http, by_reference=False)
    query = dict(parse_qsl(urlsplit(created["link"]).query))
    assert query["response_mode"] == "direct_post" and query["client_id"] == created["client_id"]
    assert json.loads(query["dcql_query"])["credentials"][0]["id"] == "birth"
    assert "request_uri" not in query


def test_invalid_dcql_is_refused(serve) -> None:
    with serve().client() as http:
        answer = http.post("/requests", json={"dcql_query": {"credentials": [{"id": "x", "format": "mso_mdoc", "meta": {}}]}},
                           headers=support.STAFF)
    assert answer.status_code == 400
    assert answer.json()["errorCode"] == "INVALID_DCQL"


# --- a full flow ------------------------------------------------------------------------------


def test_full_flow_keeps_only_requested_claims_and_credentials(serve, wallet, birth_sd_jwt, resident_record, hospital) -> None:
    server = serve()
    other = hospital.di_credential("VaccinationRecordCredential", {"id": wallet.did, "vaccine": "BCG"})
    with server.client() as http:
        created = _create(http)
        assert _result(http, created)["status"] == "pending"
        params = wallet.open(created["link"], http)
        assert _result(http, created)["status"] == "fetched"
        vp_token = {
            # the wallet discloses more than asked (weight, sex): verified but never recorded
            "birth": [wallet.present_sd_jwt(birth_sd_jwt, params, "birth", extra=[["birthWeightGrams"], ["child", "sex"]])],
            # an extra credential inside the presentation, and an entry for a query nobody asked
            "resident": [wallet.present_di([other, resident_record], params)],
            "unrequested": [wallet.present_di([other], params)],
        }
        answer = wallet.respond(params, vp_token, http)
        assert answer.status_code == 200, answer.text
        assert answer.json() == {}
        result = _result(http, created)
    assert result["status"] == "complete"
    outcome = result["outcome"]
    assert outcome["verified"] is True and outcome["codes"] == []
    assert outcome["ignored"] == 2
    by_query = {c["query_id"]: c for c in outcome["credentials"]}
    assert set(by_query) == {"birth", "resident"}
    assert by_query["birth"]["claims"] == {"child": {"name": "山田花子", "birthDate": "2026-03-30"}}
    assert by_query["birth"]["issuer"] == hospital.did and by_query["birth"]["types"] == [BIRTH_VCT]
    assert by_query["resident"]["claims"] == {"credentialSubject": {"name": "山田陽子", "address": "みどり市中央1-2-3"}}
    stored = json.dumps(outcome, ensure_ascii=False)
    for never in ("3012", "BCG", "1995-05-05", "VaccinationRecordCredential"):
        assert never not in stored


def test_credential_sets_accept_the_alternative(serve, wallet, resident_record) -> None:
    query = dcql_query(
        [credential_query("resident_sd", "dc+sd-jwt", vct_values=["urn:resident"], claims=[["name"]]),
         credential_query("resident_ldp", "ldp_vc", type_values=[["ResidentRecordCredential"]],
                          claims=[["credentialSubject", "name"]])],
        credential_sets=[{"options": [["resident_sd"], ["resident_ldp"]]}],
    )
    with serve().client() as http:
        created = _create(http, query)
        params = wallet.open(created["link"], http)
        answer = wallet.respond(params, {"resident_ldp": [wallet.present_di([resident_record], params)]}, http)
        assert answer.status_code == 200, answer.text
        outcome = _result(http, created)["outcome"]
    assert [c["query_id"] for c in outcome["credentials"]] == ["resident_ldp"]


# --- bad input, each with its own code ------------------------------------------------------


def _refused(answer, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["error"] == "invalid_request"
    assert body["errorCode"] == code


def test_vp_token_for_another_request(serve, wallet, birth_sd_jwt, resident_record) -> None:
    server = serve(prefix="decentralized_identifier")  # one client_id for both requests: only nonce/state differ
    with server.client() as http:
        first, second = _create(http), _create(http)
        params_1, params_2 = wallet.open(first["link"], http), wallet.open(second["link"], http)
        token_2 = _full_token(wallet, params_2, birth_sd_jwt, resident_record)
        # the whole response of request 2 posted to request 1
        _refused(wallet.respond(params_2, token_2, http, response_uri=params_1["response_uri"]), 400, "STATE_MISMATCH")
        # request 1's state with presentations bound to request 2's nonce
        answer = wallet.respond(params_1, token_2, http)
        assert answer.status_code == 400
        # the KB-JWT's nonce and the Data Integrity proof's challenge both name request 2
        assert {"NONCE_MISMATCH", "CHALLENGE_MISMATCH"} <= set(answer.json()["codes"])
        assert answer.json()["errorCode"] in answer.json()["codes"]
        assert _result(http, first)["outcome"]["verified"] is False


def test_replayed_response(serve, wallet, birth_sd_jwt, resident_record) -> None:
    with serve().client() as http:
        created = _create(http)
        params = wallet.open(created["link"], http)
        token = _full_token(wallet, params, birth_sd_jwt, resident_record)
        assert wallet.respond(params, token, http).status_code == 200
        _refused(wallet.respond(params, token, http), 409, "RESPONSE_REPLAYED")


def test_response_after_the_request_expired(serve, wallet, clock, birth_sd_jwt, resident_record) -> None:
    with serve(request_ttl=timedelta(minutes=5)).client() as http:
        created = _create(http)
        params = wallet.open(created["link"], http)
        token = _full_token(wallet, params, birth_sd_jwt, resident_record)
        clock.advance(timedelta(minutes=6))
        _refused(wallet.respond(params, token, http), 410, "REQUEST_EXPIRED")
        assert _result(http, created)["status"] == "expired"


def test_request_uri_fetched_twice(serve, wallet) -> None:
    with serve().client() as http:
        created = _create(http)
        wallet.open(created["link"], http)
        _refused(http.get(created["request_uri"]), 409, "REQUEST_URI_ALREADY_FETCHED")


def test_request_uri_after_expiry(serve, clock) -> None:
    with serve().client() as http:
        created = _create(http)
        clock.advance(timedelta(minutes=11))
        _refused(http.get(created["request_uri"]), 410, "REQUEST_EXPIRED")


def test_presentation_missing_a_required_credential(serve, wallet, birth_sd_jwt) -> None:
    with serve().client() as http:
        created = _create(http)
        params = wallet.open(created["link"], http)
        answer = wallet.respond(params, {"birth": [wallet.present_sd_jwt(birth_sd_jwt, params, "birth")]}, http)
        _refused(answer, 400, "CREDENTIAL_MISSING")


def test_kb_jwt_for_another_audience(serve, wallet, birth_sd_jwt, resident_record) -> None:
    with serve().client() as http:
        created = _create(http)
        params = wallet.open(created["link"], http)
        token = {"birth": [wallet.present_sd_jwt(birth_sd_jwt, params, "birth", aud="redirect_uri:https://elsewhere.example/cb")],
                 "resident": [wallet.present_di([resident_record], params)]}
        _refused(wallet.respond(params, token, http), 400, "AUD_MISMATCH")


def test_data_integrity_presentation_for_another_domain(serve, wallet, birth_sd_jwt, resident_record) -> None:
    with serve().client() as http:
        created = _create(http)
        params = wallet.open(created["link"], http)
        token = {"birth": [wallet.present_sd_jwt(birth_sd_jwt, params, "birth")],
                 "resident": [wallet.present_di([resident_record], params, domain="redirect_uri:https://elsewhere.example/cb")]}
        _refused(wallet.respond(params, token, http), 400, "DOMAIN_MISMATCH")


def test_requested_claim_not_disclosed(serve, wallet, birth_sd_jwt, resident_record) -> None:
    with serve().client() as http:
        created = _create(http)
        params = wallet.open(created["link"], http)
        from vc.sdjwt import present_sd_jwt

        partial = present_sd_jwt(birth_sd_jwt, disclose=[["child", "name"]], holder_key=wallet.key,
                                 aud=params["client_id"], nonce=params["nonce"], now=support.T0)
        token = {"birth": [partial], "resident": [wallet.present_di([resident_record], params)]}
        _refused(wallet.respond(params, token, http), 400, "CLAIM_MISSING")


def test_credential_of_another_type(serve, wallet, birth_sd_jwt, hospital) -> None:
    other = hospital.di_credential("VaccinationRecordCredential", {"id": wallet.did, "name": "山田陽子", "address": "x"})
    with serve().client() as http:
        created = _create(http)
        params = wallet.open(created["link"], http)
        token = {"birth": [wallet.present_sd_jwt(birth_sd_jwt, params, "birth")], "resident": [wallet.present_di([other], params)]}
        _refused(wallet.respond(params, token, http), 400, "CREDENTIAL_TYPE_MISMATCH")


def test_more_presentations_than_the_query_allows(serve, wallet, birth_sd_jwt, resident_record) -> None:
    with serve().client() as http:
        created = _create(http)
        params = wallet.open(created["link"], http)
        one = wallet.present_sd_jwt(birth_sd_jwt, params, "birth")
        token = {"birth": [one, one], "resident": [wallet.present_di([resident_record], params)]}
        _refused(wallet.respond(params, token, http), 400, "TOO_MANY_PRESENTATIONS")


@pytest.mark.parametrize("vp_token", ["not json", "[]", "{}", '{"birth": "not-an-array"}'])
def test_malformed_vp_token(serve, wallet, vp_token: str) -> None:
    with serve().client() as http:
        created = _create(http)
        params = wallet.open(created["link"], http)
        answer = http.post(params["response_uri"], data={"vp_token": vp_token, "state": params["state"]})
        _refused(answer, 400, "INVALID_VP_TOKEN")


def test_wallet_error_response_is_recorded(serve, wallet) -> None:
    with serve().client() as http:
        created = _create(http)
        params = wallet.open(created["link"], http)
        answer = http.post(params["response_uri"], data={"error": "access_denied", "state": params["state"]})
        _refused(answer, 400, "WALLET_ERROR")
        assert _result(http, created)["outcome"]["codes"] == ["WALLET_ERROR"]


def test_result_needs_the_token_of_its_creator(serve) -> None:
    with serve().client() as http:
        created = _create(http)
        for headers in ({}, {"Authorization": "Bearer not-the-token"}):
            answer = http.get(f"/requests/{created['id']}/result", headers=headers)
            assert answer.status_code == 403
            assert answer.json()["errorCode"] == "RESULT_TOKEN_INVALID"
        assert http.get("/requests/unknown/result", headers={"Authorization": "Bearer x"}).status_code == 404


def test_credential_from_an_issuer_trusted_only_for_another_type(request, serve, wallet, birth_sd_jwt, hospital) -> None:
    if "core" in request.node.callspec.id:
        pytest.skip("trust lists are the policy's: the core checks have none")
    # the hospital is trusted for birth certificates only, not for resident records
    record = hospital.di_credential("ResidentRecordCredential", {"id": wallet.did, "name": "山田陽子", "address": "x"})
    with serve().client() as http:
        created = _create(http)
        params = wallet.open(created["link"], http)
        token = {"birth": [wallet.present_sd_jwt(birth_sd_jwt, params, "birth")],
                 "resident": [wallet.present_di([record], params)]}
        answer = wallet.respond(params, token, http)
        _refused(answer, 400, "ISSUER_NOT_TRUSTED_FOR_TYPE")
        assert _result(http, created)["outcome"]["credentials"] == []  # nothing recorded from a refused response


def test_jwt_vc_json_presentation_is_bound_by_aud_and_nonce(serve, wallet, city) -> None:
    from vc.jose import issue_vc_jwt, issue_vp_jwt

    vc_jwt = issue_vc_jwt({"@context": [support.V2, support.EXAMPLES_V2],
                           "type": ["VerifiableCredential", "ResidentRecordCredential"], "issuer": city.did,
                           "credentialSubject": {"id": wallet.did, "name": "山田陽子", "address": "x"}},
                          city.key, now=support.T0)
    query = dcql_query([credential_query("resident", "jwt_vc_json", type_values=[["ResidentRecordCredential"]],
                                         claims=[["credentialSubject", "name"]])])
    with serve().client() as http:
        good, bad = _create(http, query), _create(http, query)
        params = wallet.open(good["link"], http)
        vp = issue_vp_jwt([vc_jwt], wallet.key, aud=params["client_id"], nonce=params["nonce"], now=support.T0)
        assert wallet.respond(params, {"resident": [vp]}, http).status_code == 200
        assert _result(http, good)["outcome"]["credentials"][0]["claims"] == {"credentialSubject": {"name": "山田陽子"}}
        params = wallet.open(bad["link"], http)
        elsewhere = issue_vp_jwt([vc_jwt], wallet.key, aud="redirect_uri:https://elsewhere.example/cb",
                                 nonce=params["nonce"], now=support.T0)
        _refused(wallet.respond(params, {"resident": [elsewhere]}, http), 400, "AUD_MISMATCH")
