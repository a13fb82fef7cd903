"""Data Integrity presentations: challenge/domain binding, holder proof, each embedded credential."""

from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from vc.credentials import issue_credential
from vc.did import did_key
from vc.errors import UsageError
from vc.jose import default_kid, issue_vc_jwt
from vc.keys import KeyPair
from vc.presentations import issue_presentation, verify_presentation
from vc.sdjwt import issue_sd_jwt_vc, present_sd_jwt

NOW = datetime(2025, 4, 1, 9, 0, tzinfo=timezone.utc)
ISSUER = KeyPair.from_seed(b"i" * 32)
HOLDER = KeyPair.from_seed(b"h" * 32)
CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "type": ["VerifiableCredential"],
    "credentialSubject": {"id": did_key(HOLDER.public), "employed": True},
}


@pytest.fixture(scope="module")
def signed() -> dict:
    return issue_credential(CREDENTIAL, ISSUER, now=NOW)


def _failed(result) -> list[tuple[str, str]]:
    return [(c.check, c.code) for c in result.errors]


def test_round_trip_with_challenge_and_domain(signed: dict) -> None:
    vp = issue_presentation([signed], HOLDER, challenge="c-1", domain="https://daycare.example", now=NOW)
    assert vp["proof"]["proofPurpose"] == "authentication" and vp["holder"] == did_key(HOLDER.public)
    result = verify_presentation(vp, challenge="c-1", domain="https://daycare.example", now=NOW)
    assert result.verified, result.errors
    assert result.format == "ldp_vp" and len(result.credentials) == 1 and result.credentials[0].verified


def test_wrong_challenge_or_domain(signed: dict) -> None:
    vp = issue_presentation([signed], HOLDER, challenge="c-1", domain="https://daycare.example", now=NOW)
    assert _failed(verify_presentation(vp, challenge="c-2", now=NOW)) == [("proof_challenge", "CHALLENGE_MISMATCH")]
    assert _failed(verify_presentation(vp, domain="https://landlord.example", now=NOW)) == [("proof_domain", "DOMAIN_MISMATCH")]


def test_holder_proof_by_a_key_the_holder_does_not_control(signed: dict) -> None:
    other = KeyPair.from_seed(b"o" * 32)
    vp = issue_presentation(
        [signed], other, holder=did_key(HOLDER.public), verification_method=default_kid(other.public, did_key(other.public)), now=NOW
    )
    assert ("proof_controller", "HOLDER_MISMATCH") in _failed(verify_presentation(vp, now=NOW))


def test_tampered_embedded_credential_fails_the_presentation(signed: dict) -> None:
    bad = copy.deepcopy(signed)
    bad["credentialSubject"]["employed"] = False
    vp = issue_presentation([bad], HOLDER, challenge="c", now=NOW)
    result = verify_presentation(vp, challenge="c", now=NOW)
    assert all(c.passed for c in result.checks)
    assert not result.verified and "INVALID_SIGNATURE" in result.codes


def test_tampered_presentation(signed: dict) -> None:
    vp = issue_presentation([signed], HOLDER, challenge="c", now=NOW)
    vp["holder"] = did_key(ISSUER.public)
    assert not verify_presentation(vp, challenge="c", now=NOW).verified


def test_enveloped_jose_and_sd_jwt_credentials() -> None:
    jwt = issue_vc_jwt(CREDENTIAL, ISSUER, now=NOW)
    sd = present_sd_jwt(issue_sd_jwt_vc({"employed": True}, ISSUER, vct="urn:x", sd=["employed"], now=NOW))
    vp = issue_presentation([jwt, sd], HOLDER, challenge="c", now=NOW)
    assert [e["id"].split(",")[0] for e in vp["verifiableCredential"]] == ["data:application/vc+jwt", "data:application/dc+sd-jwt"]
    result = verify_presentation(vp, challenge="c", now=NOW)
    assert result.verified, result.errors
    assert [c.format for c in result.credentials] == ["vc+jwt", "dc+sd-jwt"]


def test_unsecured_credential_in_a_presentation_fails() -> None:
    vp = issue_presentation([{**CREDENTIAL, "issuer": did_key(ISSUER.public)}], HOLDER, now=NOW)
    assert verify_presentation(vp, now=NOW).codes == ("CREDENTIAL_NOT_SECURED",)


def test_only_data_integrity_suites() -> None:
    with pytest.raises(UsageError):
        issue_presentation([], HOLDER, cryptosuite="Ed25519Signature2020")
