"""VC-API verifier endpoints over HTTP: shapes of success and failure (RFC 9457 problem details with
the VC data model's error types), unknown options ignored, challenge and domain for presentations."""

from __future__ import annotations

import copy

import pytest

from tests.verifier import oid4vp_support as support
from vc.jose import envelope_credential, issue_vc_jwt
from verifier import Policy, TrustList

VCDM = "https://www.w3.org/TR/vc-data-model#"


@pytest.fixture
def credential(city, wallet):  # type: ignore[no-untyped-def]
    return city.di_credential("ResidentRecordCredential", {"id": wallet.did, "name": "山田陽子"})


def _types(body):  # type: ignore[no-untyped-def]
    return {p["type"] for p in body["problemDetails"]}


def test_valid_credential(serve, credential) -> None:
    with serve().client() as http:
        answer = http.post("/credentials/verify", json={"verifiableCredential": credential})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["verified"] is True and body["problemDetails"] == []
    assert body["results"]["proof"] == {"valid": True}
    assert body["results"]["validity"] == {"valid": True}


def test_tampered_credential_is_refused_with_problem_details(serve, credential) -> None:
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["name"] = "別人"
    with serve().client() as http:
        answer = http.post("/credentials/verify", json={"verifiableCredential": tampered})
    assert answer.status_code == 400
    body = answer.json()
    assert body["verified"] is False
    problem = next(p for p in body["problemDetails"] if p["type"] == VCDM + "CRYPTOGRAPHIC_SECURITY_ERROR")
    assert problem["code"] == -65 and problem["title"] and problem["errorCode"] == "INVALID_SIGNATURE"
    assert "別人" not in answer.text.replace(str(tampered), "")  # the message never quotes claim values
    assert body["results"]["proof"]["valid"] is False


def test_expired_credential_is_a_range_error(serve, city, wallet) -> None:
    from vc.credentials import issue_credential

    expired = issue_credential({
        "@context": [support.V2, support.EXAMPLES_V2], "type": ["VerifiableCredential", "ResidentRecordCredential"],
        "issuer": city.did, "validFrom": "2025-01-01T00:00:00Z", "validUntil": "2025-12-31T00:00:00Z",
        "credentialSubject": {"id": wallet.did, "name": "山田陽子"}}, city.key)
    with serve().client() as http:
        body = http.post("/credentials/verify", json={"verifiableCredential": expired}).json()
    assert body["verified"] is False
    assert VCDM + "RANGE_ERROR" in _types(body)
    assert any(p["code"] == -67 and p["errorCode"] == "EXPIRED" for p in body["problemDetails"])


def test_unknown_options_are_ignored(serve, credential) -> None:
    with serve().client() as http:
        answer = http.post("/credentials/verify", json={"verifiableCredential": credential,
                                                         "options": {"checks": ["proof", "status"], "unknownOption": 1}})
    assert answer.status_code == 200 and answer.json()["verified"] is True


def test_enveloped_vc_jwt_credential(serve, city, wallet) -> None:
    token = issue_vc_jwt({"@context": [support.V2, support.EXAMPLES_V2], "type": ["VerifiableCredential", "ResidentRecordCredential"],
                          "issuer": city.did, "credentialSubject": {"id": wallet.did, "name": "山田陽子"}}, city.key, now=support.T0)
    with serve().client() as http:
        answer = http.post("/credentials/verify", json={"verifiableCredential": envelope_credential(token)})
        bad = http.post("/credentials/verify", json={"verifiableCredential": envelope_credential(token[:-4] + "AAAA")})
    assert answer.status_code == 200, answer.text
    assert bad.status_code == 400 and VCDM + "CRYPTOGRAPHIC_SECURITY_ERROR" in _types(bad.json())


@pytest.mark.parametrize(
    "content, code, problem",
    [
        (b"not json", "MALFORMED", "PARSING_ERROR"),
        (b"[]", "MALFORMED", "PARSING_ERROR"),
        (b'{"credential": {}}', "MALFORMED", "PARSING_ERROR"),
        (b'{"verifiableCredential": {}, "options": []}', "MALFORMED", "PARSING_ERROR"),
    ],
)
def test_unusable_input_is_a_400_problem(serve, content: bytes, code: str, problem: str) -> None:
    with serve().client() as http:
        answer = http.post("/credentials/verify", content=content, headers={"content-type": "application/json"})
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert body["errorCode"] == code and body["type"] == VCDM + problem and body["code"] == -64


def test_presentation_with_challenge_and_domain(serve, wallet, credential) -> None:
    with serve().client() as http:
        challenge = http.post("/challenges").json()["challenge"]
        assert challenge != http.post("/challenges").json()["challenge"]
        vp = wallet.present_di([credential], {}, challenge=challenge, domain="verifier.example.jp")
        ok = http.post("/presentations/verify", json={"verifiablePresentation": vp,
                                                       "options": {"challenge": challenge, "domain": "verifier.example.jp",
                                                                   "returnPresentation": False}})
        wrong_challenge = http.post("/presentations/verify", json={"verifiablePresentation": vp,
                                                                    "options": {"challenge": "another", "domain": "verifier.example.jp"}})
        wrong_domain = http.post("/presentations/verify", json={"verifiablePresentation": vp,
                                                                 "options": {"challenge": challenge, "domain": "evil.example"}})
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["results"]["challenge"] == {"valid": True, "input": challenge}
    assert body["results"]["domain"] == {"valid": True, "input": "verifier.example.jp"}
    assert body["results"]["holder"] == {"valid": True, "input": wallet.did}
    assert body["results"]["verifiableCredential"][0]["verified"] is True

    assert wrong_challenge.status_code == 400
    assert "https://w3id.org/security#INVALID_CHALLENGE_ERROR" in _types(wrong_challenge.json())
    assert wrong_challenge.json()["results"]["challenge"]["valid"] is False
    assert wrong_domain.status_code == 400
    assert "https://w3id.org/security#INVALID_DOMAIN_ERROR" in _types(wrong_domain.json())


def test_presentation_with_a_tampered_credential(serve, wallet, credential) -> None:
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["name"] = "別人"
    vp = wallet.present_di([tampered], {}, challenge="c-1", domain="d.example")
    with serve().client() as http:
        answer = http.post("/presentations/verify", json={"verifiablePresentation": vp, "options": {"challenge": "c-1", "domain": "d.example"}})
    assert answer.status_code == 400
    body = answer.json()
    assert body["results"]["proof"]["valid"] is True  # the holder's proof is fine
    assert body["results"]["verifiableCredential"][0]["verified"] is False


def test_vcapi_policy_trust(serve, credential, hospital, city) -> None:
    anyone = Policy(trust_list=TrustList.any_issuer())
    with serve(vcapi_policy=anyone).client() as http:
        assert http.post("/credentials/verify", json={"verifiableCredential": credential}).status_code == 200
    only_hospital = support.trust_policy(hospital, support.Issuer.new())
    with serve(vcapi_policy=only_hospital).client() as http:
        answer = http.post("/credentials/verify", json={"verifiableCredential": credential})
    assert answer.status_code == 400
    codes = [p["errorCode"] for p in answer.json()["problemDetails"]]
    assert "UNTRUSTED_ISSUER" in codes
    assert "https://w3id.org/jitsuin/errors#UNTRUSTED_ISSUER" in _types(answer.json())


def test_openapi_is_published(serve) -> None:
    with serve().client() as http:
        spec = http.get("/openapi.json").json()
    for path in ("/credentials/verify", "/presentations/verify", "/challenges", "/requests", "/requests/{request_id}",
                 "/responses/{request_id}", "/requests/{request_id}/result", "/staff"):
        assert path in spec["paths"], path
    body = spec["paths"]["/presentations/verify"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["verifiablePresentation"]
