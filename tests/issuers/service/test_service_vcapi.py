"""VC-API over HTTP against the real service: issue in every cryptosuite and verify, VCDM 1.1 input, bad input
as RFC 9457 problem details, unknown options ignored, status entries, live status lists, revocation."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.issuers.service.service_support import Issuer
from vc.did import did_key

V2 = "https://www.w3.org/ns/credentials/v2"
V1 = "https://www.w3.org/2018/credentials/v1"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
PROBLEM = "application/problem+json"
VCDM = "https://www.w3.org/TR/vc-data-model#"


def credential(**extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": [V2, EXAMPLES_V2],
        "type": ["VerifiableCredential", "ExampleAlumniCredential"],
        "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21", "alumniOf": "Example University"},
    }
    doc.update(extra)
    return doc


def issue(issuer: Issuer, doc: dict[str, Any], options: dict[str, Any] | None = None, path: str = "/credentials/issue"):
    body: dict[str, Any] = {"credential": doc}
    if options is not None:
        body["options"] = options
    return issuer.http.post(path, json=body, headers=issuer.staff)


def allocated(issuer: Issuer) -> int:
    return sum(info.allocated for info in issuer.workspace.registry.lists())


# --- issuing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022", "Ed25519Signature2020"])
def test_issues_with_the_workspace_key_in_each_eddsa_suite_and_it_verifies(issuer: Issuer, suite: str) -> None:
    response = issue(issuer, credential(), {"cryptosuite": suite})
    assert response.status_code == 201, response.text
    vc = response.json()["verifiableCredential"]
    assert vc["issuer"] == issuer.workspace.issuer_did
    proof = vc["proof"]
    assert proof.get("cryptosuite", proof["type"]) == suite
    assert proof["verificationMethod"] == issuer.workspace.verification_method()
    result = issuer.verify(vc)  # did:web resolved from the service's /.well-known/did.json, status fetched
    assert result.verified, result.to_dict()
    assert result.check("status") is not None


def test_a_suite_the_workspace_key_cannot_sign_uses_the_did_key_issuer(issuer: Issuer) -> None:
    response = issue(issuer, credential(), {"cryptosuite": "ecdsa-rdfc-2019"})
    assert response.status_code == 201, response.text
    vc = response.json()["verifiableCredential"]
    assert vc["issuer"] == did_key(issuer.p256.public)
    assert vc["proof"]["cryptosuite"] == "ecdsa-rdfc-2019"
    assert "credentialStatus" not in vc  # its lists would need their own issuer
    assert issuer.verify(vc).verified


@pytest.mark.parametrize(("suite", "key_name"), [("eddsa-rdfc-2022", "ed25519"), ("ecdsa-rdfc-2019", "p256"),
                                                 ("eddsa-jcs-2022", "ed25519")])
def test_per_suite_routes_sign_as_that_suites_did_key(issuer: Issuer, suite: str, key_name: str) -> None:
    did = did_key(getattr(issuer, key_name).public)
    response = issue(issuer, credential(issuer=did), path=f"/suites/{suite}/credentials/issue")
    assert response.status_code == 201, response.text
    vc = response.json()["verifiableCredential"]
    assert vc["issuer"] == did
    assert vc["proof"]["verificationMethod"].startswith(did + "#")
    assert issuer.verify(vc).verified


def test_vcdm_1_1_input_gets_the_data_integrity_and_status_contexts(issuer: Issuer) -> None:
    doc = {"@context": [V1, "https://www.w3.org/2018/credentials/examples/v1"],
           "type": ["VerifiableCredential", "UniversityDegreeCredential"],
           "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
                                 "degree": {"type": "BachelorDegree", "name": "Bachelor of Science and Arts"}}}
    response = issue(issuer, doc)
    assert response.status_code == 201, response.text
    vc = response.json()["verifiableCredential"]
    assert vc["@context"][:2] == doc["@context"]
    assert "https://w3id.org/security/data-integrity/v2" in vc["@context"]
    assert "issuanceDate" in vc and "validFrom" not in vc
    assert {e["type"] for e in vc["credentialStatus"]} == {"BitstringStatusListEntry"}
    result = issuer.verify(vc)
    assert result.verified, result.to_dict()


def test_unknown_options_are_ignored(issuer: Issuer) -> None:
    response = issue(issuer, credential(), {"mandatoryPointers": ["/issuer"], "somethingNew": {"x": 1}})
    assert response.status_code == 201, response.text


def test_credential_id_option_names_the_credential_for_status_changes(issuer: Issuer) -> None:
    response = issue(issuer, credential(), {"credentialId": "urn:uuid:6a9c92a9-2530-4e2b-9776-530467e9bbe0"})
    assert response.status_code == 201
    registration = issuer.workspace.registry.get("urn:uuid:6a9c92a9-2530-4e2b-9776-530467e9bbe0")
    assert registration.status == "active"


def test_the_response_is_201_with_verifiable_credential_only(issuer: Issuer) -> None:
    response = issue(issuer, credential(id="urn:uuid:0e3a6b8e-4b55-4a9c-8a0b-0b6a6f8a9d01"))
    assert response.status_code == 201
    assert list(response.json()) == ["verifiableCredential"]
    assert response.json()["verifiableCredential"]["id"] == "urn:uuid:0e3a6b8e-4b55-4a9c-8a0b-0b6a6f8a9d01"


# --- bad input -------------------------------------------------------------------------------


def test_an_undefined_term_is_a_400_problem_naming_the_property_and_takes_no_status_index(issuer: Issuer) -> None:
    before = allocated(issuer)
    doc = credential()
    doc["@context"] = [V2]  # no examples context: its @vocab would define any term
    doc["credentialSubject"] = {"id": "did:example:1", "favouriteColour": "blue"}
    response = issue(issuer, doc)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["type"] == VCDM + "MALFORMED_VALUE_ERROR"
    assert problem["status"] == 400 and problem["code"] == -66
    assert problem["errorCode"] == "UNDEFINED_TERM"
    assert "credentialSubject.favouriteColour" in problem["detail"]
    assert allocated(issuer) == before


def test_a_redefined_protected_term_is_a_400_problem(issuer: Issuer) -> None:
    doc = credential()
    doc["@context"] = [V2, {"VerifiableCredential": "https://example.org/not-the-vc-type"}]
    doc["credentialSubject"] = {"id": "did:example:1"}
    response = issue(issuer, doc)
    assert response.status_code == 400
    assert response.json()["errorCode"] == "PROTECTED_TERM_REDEFINITION"
    assert response.json()["type"] == VCDM + "MALFORMED_VALUE_ERROR"


def test_a_foreign_issuer_is_refused(issuer: Issuer) -> None:
    response = issue(issuer, credential(issuer="did:example:someone-else"))
    assert response.status_code == 400
    assert response.json()["errorCode"] == "INVALID_ISSUER"


def test_a_missing_credential_subject_is_refused(issuer: Issuer) -> None:
    doc = credential()
    del doc["credentialSubject"]
    response = issue(issuer, doc)
    assert response.status_code == 400
    assert response.json()["type"] == VCDM + "MALFORMED_VALUE_ERROR"


def test_an_unknown_cryptosuite_is_refused(issuer: Issuer) -> None:
    response = issue(issuer, credential(), {"cryptosuite": "rot13-2024"})
    assert response.status_code == 400
    assert response.json()["errorCode"] == "UNSUPPORTED_CRYPTOSUITE"


@pytest.mark.parametrize(("body", "error_type"), [
    (b"{not json", "PARSING_ERROR"),
    (b"[1, 2]", "PARSING_ERROR"),
    (b'{"credential": "a string"}', "PARSING_ERROR"),
])
def test_unusable_bodies_are_parsing_errors(issuer: Issuer, body: bytes, error_type: str) -> None:
    response = issuer.http.post("/credentials/issue", content=body,
                                headers={**issuer.staff, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["type"] == VCDM + error_type


@pytest.mark.parametrize("body", [b"{" + b" " * (1024 * 1024 + 10) + b"}", b"[" * 5000 + b"]" * 5000])
def test_oversized_or_too_deep_bodies_are_413(issuer: Issuer, body: bytes) -> None:
    response = issuer.http.post("/credentials/issue", content=body,
                                headers={**issuer.staff, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["errorCode"] == "INPUT_TOO_LARGE"
    assert response.json()["type"] == VCDM + "PARSING_ERROR"


# --- staff authentication --------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/credentials/issue", "/credentials/status", "/suites/eddsa-rdfc-2022/credentials/issue",
                                  "/offers"])
@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token-wrong-token-wrong-token-123", "Basic dXNlcjpwdw==",
                                           "Bearer x"])
def test_staff_endpoints_need_the_staff_token(issuer: Issuer, path: str, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    before = allocated(issuer)
    response = issuer.http.post(path, json={"credential": credential()}, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["content-type"].startswith(PROBLEM)
    assert allocated(issuer) == before


def test_public_documents_need_no_token(issuer: Issuer) -> None:
    for path in ("/.well-known/openid-credential-issuer", "/.well-known/oauth-authorization-server",
                 "/.well-known/did.json", "/.well-known/jwt-vc-issuer", "/openapi.json"):
        assert issuer.http.get(path).status_code == 200, path


# --- status ----------------------------------------------------------------------------------


def _status_request(credential_id: str, purpose: str, status: bool) -> dict[str, Any]:
    return {"credentialId": credential_id, "credentialStatus": {"type": "BitstringStatusList", "statusPurpose": purpose},
            "status": status}


def test_status_entries_point_at_lists_the_service_serves_with_cache_headers(issuer: Issuer) -> None:
    vc = issue(issuer, credential()).json()["verifiableCredential"]
    entries = vc["credentialStatus"]
    assert {e["statusPurpose"] for e in entries} == {"revocation", "suspension"}
    for entry in entries:
        assert entry["statusListCredential"].startswith(issuer.url + "/status/")
        response = issuer.http.get(entry["statusListCredential"])
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/vc+ld+json")
        assert response.headers["cache-control"] == "public, max-age=300"
        listed = response.json()
        assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        assert listed["issuer"] == issuer.workspace.issuer_did
        assert listed["credentialSubject"]["statusPurpose"] == entry["statusPurpose"]
        assert issuer.verify(listed, status=False).verified


def test_revocation_through_the_status_endpoint_makes_the_status_check_fail(issuer: Issuer) -> None:
    vc = issue(issuer, credential()).json()["verifiableCredential"]
    assert issuer.verify(vc).verified
    response = issuer.http.post("/credentials/status", json=_status_request(vc["id"], "revocation", True),
                                headers=issuer.staff)
    assert response.status_code == 200, response.text
    assert response.json() == {"credentialId": vc["id"], "status": "revoked"}
    result = issuer.verify(vc)
    assert not result.verified
    assert "REVOKED" in result.codes
    # revocation is final
    again = issuer.http.post("/credentials/status", json=_status_request(vc["id"], "revocation", False),
                             headers=issuer.staff)
    assert again.status_code == 409
    assert again.headers["content-type"].startswith(PROBLEM)
    assert again.json()["errorCode"] == "CREDENTIAL_REVOKED"


def test_suspension_and_reinstatement(issuer: Issuer) -> None:
    vc = issue(issuer, credential()).json()["verifiableCredential"]
    suspended = issuer.http.post("/credentials/status", json=_status_request(vc["id"], "suspension", True),
                                 headers=issuer.staff)
    assert suspended.json()["status"] == "suspended"
    assert "SUSPENDED" in issuer.verify(vc).codes
    reinstated = issuer.http.post("/credentials/status", json=_status_request(vc["id"], "suspension", False),
                                  headers=issuer.staff)
    assert reinstated.json()["status"] == "active"
    assert issuer.verify(vc).verified


def test_status_of_an_unknown_credential_is_404(issuer: Issuer) -> None:
    response = issuer.http.post("/credentials/status", json=_status_request("urn:uuid:nope", "revocation", True),
                                headers=issuer.staff)
    assert response.status_code == 404
    assert response.json()["errorCode"] == "CREDENTIAL_NOT_FOUND"


@pytest.mark.parametrize("change", [
    {"credentialStatus": {"type": "BitstringStatusList", "statusPurpose": "message"}},
    {"credentialStatus": {"type": "StatusList2021", "statusPurpose": "revocation"}},
    {"status": "yes"},
    {"credentialId": 7},
])
def test_malformed_status_requests_are_400(issuer: Issuer, change: dict[str, Any]) -> None:
    vc = issue(issuer, credential()).json()["verifiableCredential"]
    body = copy.deepcopy(_status_request(vc["id"], "revocation", True)) | change
    response = issuer.http.post("/credentials/status", json=body, headers=issuer.staff)
    assert response.status_code == 400
    assert issuer.workspace.registry.get(vc["id"]).status == "active"


def test_an_unknown_status_list_is_404(issuer: Issuer) -> None:
    assert issuer.http.get("/status/999.json").status_code == 404
    assert issuer.http.get("/status/..%2Fjitsuin.toml").status_code == 404


def test_a_credential_naming_a_did_key_issuer_is_signed_by_that_issuer(issuer: Issuer) -> None:
    did = did_key(issuer.ed25519.public)
    response = issue(issuer, credential(issuer={"id": did, "name": "Test suite issuer"}),
                     {"cryptosuite": "eddsa-rdfc-2022"})
    assert response.status_code == 201, response.text
    assert response.json()["verifiableCredential"]["proof"]["verificationMethod"].startswith(did)


def test_unknown_paths_and_methods_answer_problem_details(issuer: Issuer) -> None:
    for response in (issuer.http.get("/nothing-here"), issuer.http.get("/credentials/issue")):
        assert response.status_code in (404, 405)
        assert response.headers["content-type"].startswith(PROBLEM)
        assert response.json()["status"] == response.status_code
