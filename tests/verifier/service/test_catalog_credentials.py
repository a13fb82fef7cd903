"""A catalog credential (BirthCertificate, the sample of its type file, in the jitsuin JSON-LD context)
secured with eddsa-rdfc-2022 verifies with the default loader (the context is bundled in the core):
through the VC-API and through an OpenID4VP flow, judged by a policy and by the core checks.

The type file is read as data: the verifier never imports ``issuers``.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from tests.verifier import oid4vp_support as support
from vc.credentials import issue_credential
from verifier.requests import credential_query, dcql_query

TYPE_FILE = Path(__file__).resolve().parents[3] / "issuers" / "catalog" / "types" / "BirthCertificate.yaml"
JITSUIN_V1 = "https://w3id.org/jitsuin/v1"
VC_IRI = "https://www.w3.org/2018/credentials#VerifiableCredential"
BIRTH_IRI = "https://w3id.org/jitsuin/vocab#BirthCertificateCredential"
REQUESTED = [["credentialSubject", "child", "familyName"], ["credentialSubject", "birthDateTime"],
             ["credentialSubject", "birthPlace", "placeType"]]


@pytest.fixture(scope="module")
def sample() -> dict:
    return yaml.safe_load(TYPE_FILE.read_text(encoding="utf-8"))["sample"]


@pytest.fixture
def birth_certificate(hospital, wallet, sample):  # type: ignore[no-untyped-def]
    """The hospital's BirthCertificate issued to the parent's wallet (subject id = the holder, as the catalog's
    ``subject_id`` does), Data Integrity, default loader."""
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2", JITSUIN_V1],
        "type": ["VerifiableCredential", "BirthCertificateCredential"],
        "issuer": hospital.did,
        "validFrom": "2026-03-31T00:00:00Z",
        "credentialSubject": {"id": wallet.did, **copy.deepcopy(sample)},
    }
    signed = issue_credential(credential, hospital.key, cryptosuite="eddsa-rdfc-2022", now=support.T0)
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    return signed


@pytest.fixture(params=["policy", "core"])
def policy(request, hospital, city):  # type: ignore[no-untyped-def]
    """A trust policy with no loader of its own (the default one), or none at all (the core checks)."""
    if request.param == "core":
        return None
    judged = support.trust_policy(hospital, city)
    assert judged.loader is None
    return judged


def test_vcapi_verifies_a_catalog_credential(serve, policy, birth_certificate) -> None:
    with serve(vcapi_policy=policy).client() as http:
        answer = http.post("/credentials/verify", json={"verifiableCredential": birth_certificate})
        assert answer.status_code == 200, answer.text
        assert answer.json()["verified"] is True and answer.json()["problemDetails"] == []

        tampered = copy.deepcopy(birth_certificate)
        tampered["credentialSubject"]["birthWeightGrams"] += 1  # a jitsuin term: signed through the context
        refused = http.post("/credentials/verify", json={"verifiableCredential": tampered})
        assert refused.status_code == 400
        assert refused.json()["verified"] is False


def test_openid4vp_flow_with_a_catalog_credential(serve, policy, wallet, birth_certificate) -> None:
    query = dcql_query([credential_query("birth", "ldp_vc", type_values=[[VC_IRI, BIRTH_IRI]], claims=REQUESTED)])
    with serve(policy=policy).client() as http:
        created = http.post("/requests", json={"dcql_query": query, "purpose": {"ja": "出生届のため"}},
                            headers=support.STAFF)
        assert created.status_code == 201, created.text
        created = created.json()
        params = wallet.open(created["link"], http)
        answer = wallet.respond(params, {"birth": [wallet.present_di([birth_certificate], params)]}, http)
        assert answer.status_code == 200, answer.text

        result = http.get(f"/requests/{created['id']}/result",
                          headers={"Authorization": f"Bearer {created['result_token']}"}).json()
    outcome = result["outcome"]
    assert result["status"] == "complete" and outcome["verified"] is True
    (credential,) = outcome["credentials"]
    assert "BirthCertificateCredential" in credential["types"]
    # exactly the requested claims: the rest of the certificate (weight, mother, address ...) is not accepted
    assert credential["claims"] == {"credentialSubject": {
        "child": {"familyName": "山田"}, "birthDateTime": "2025-03-10T04:32:00+09:00", "birthPlace": {"placeType": "病院"}}}
