"""SD-JWT issuance: what the signed payload holds, decoys, SD-JWT VC rules, VCDM input."""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone

import pytest

from vc.errors import JoseError, UsageError
from vc.jose import parse_compact
from vc.keys import KeyPair
from vc.sdjwt import (
    build_sd_payload,
    issue_sd_jwt_vc,
    issue_sd_jwt_vc_from_credential,
    parse_disclosure,
    parse_sd_jwt,
    verify_sd_jwt,
)

NOW = datetime(2025, 4, 1, 9, 0, tzinfo=timezone.utc)
ISSUER = KeyPair.from_seed(b"i" * 32)
HOLDER = KeyPair.from_seed(b"h" * 32)
CLAIMS = {"name": "山田太郎", "address": {"locality": "港区", "street": "芝公園4-2-8"}, "nationalities": ["JP", "US"]}


def _payload(token: str) -> dict:
    return parse_compact(parse_sd_jwt(token).issuer_jwt).payload_json()


def test_values_leave_the_signed_payload() -> None:
    token = issue_sd_jwt_vc(CLAIMS, ISSUER, vct="urn:x", sd=["name", "address.street", "nationalities[1]"], now=NOW)
    payload = _payload(token)
    text = json.dumps(payload, ensure_ascii=False)
    assert "山田太郎" not in text and "芝公園" not in text and '"US"' not in text
    assert payload["address"]["locality"] == "港区" and len(payload["address"]["_sd"]) == 1
    assert payload["nationalities"][0] == "JP" and set(payload["nationalities"][1]) == {"..."}
    assert payload["_sd_alg"] == "sha-256"
    assert list(payload)[:3] == ["_sd", "iss", "iat"]
    names = {parse_disclosure(d).name for d in parse_sd_jwt(token).disclosures}
    assert names == {"name", "street", None}


def test_recursive_disclosure_nests_digests() -> None:
    built = build_sd_payload(CLAIMS, ["address", "address.street", "address.locality"], rng=random.Random(0))
    outer = built.disclosures[-1]
    assert outer.name == "address" and len(outer.value["_sd"]) == 2
    assert [d.name for d in built.disclosures] == ["locality", "street", "address"]  # inner first


def test_salts_are_fresh_unless_seeded() -> None:
    a = build_sd_payload(CLAIMS, ["name"]).disclosures[0]
    b = build_sd_payload(CLAIMS, ["name"]).disclosures[0]
    assert a.salt != b.salt and len(a.salt) == 22
    c = build_sd_payload(CLAIMS, ["name"], rng=random.Random(7)).disclosures[0]
    d = build_sd_payload(CLAIMS, ["name"], rng=random.Random(7)).disclosures[0]
    assert c == d


def test_decoys_in_every_object() -> None:
    built = build_sd_payload(CLAIMS, ["name"], decoys=(2, 3), rng=random.Random(3))
    assert 2 <= len(built.payload["address"]["_sd"]) <= 3
    assert 3 <= len(built.payload["_sd"]) <= 4
    assert len(built.decoy_digests) == len(built.payload["_sd"]) - 1 + len(built.payload["address"]["_sd"])
    assert built.payload["_sd"] == sorted(built.payload["_sd"])


def test_wildcard_paths() -> None:
    built = build_sd_payload(CLAIMS, ["nationalities[*]"])
    assert all(set(item) == {"..."} for item in built.payload["nationalities"])


def test_bad_paths_and_reserved_names() -> None:
    with pytest.raises(UsageError, match="names no claim"):
        build_sd_payload(CLAIMS, ["address.postcode"])
    with pytest.raises(UsageError, match="reserved"):
        build_sd_payload({"a": {"_sd": []}}, [])
    with pytest.raises(JoseError) as err:
        issue_sd_jwt_vc(CLAIMS, ISSUER, vct="urn:x", sd=["vct"])
    assert err.value.code == "CLAIM_NOT_DISCLOSABLE"
    with pytest.raises(UsageError):
        issue_sd_jwt_vc({**CLAIMS, "exp": 1}, ISSUER, vct="urn:x")


def test_holder_key_goes_to_cnf_without_private_members() -> None:
    private_jwk = HOLDER.to_jwk(private=True)
    token = issue_sd_jwt_vc(CLAIMS, ISSUER, vct="urn:x", holder_key=private_jwk, now=NOW)
    cnf = _payload(token)["cnf"]["jwk"]
    assert "d" not in cnf and cnf["x"] == private_jwk["x"]


def test_from_a_vcdm_credential() -> None:
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "EmploymentCertificate"],
        "issuer": "did:example:ward",
        "validFrom": "2025-04-01T00:00:00+09:00",
        "validUntil": "2026-03-31T23:59:59+09:00",
        "credentialSubject": {"id": "did:example:taro", "hoursPerWeek": 40, "salary": 5000000},
    }
    token = issue_sd_jwt_vc_from_credential(
        credential, ISSUER, sd=["credentialSubject.salary", "credentialSubject.id"], kid="did:example:ward#k1", now=NOW
    )
    payload = _payload(token)
    assert payload["vct"] == "EmploymentCertificate" and payload["iss"] == "did:example:ward"
    assert payload["nbf"] == int(datetime(2025, 3, 31, 15, tzinfo=timezone.utc).timestamp())
    assert payload["exp"] == int(datetime(2026, 3, 31, 14, 59, 59, tzinfo=timezone.utc).timestamp())
    assert payload["hoursPerWeek"] == 40 and "salary" not in payload and "sub" not in payload
    assert {parse_disclosure(d).name for d in parse_sd_jwt(token).disclosures} == {"salary", "sub"}


def test_issued_sd_jwt_vc_verifies_with_did_key() -> None:
    token = issue_sd_jwt_vc(CLAIMS, ISSUER, vct="urn:x", sd=["name"], now=NOW)
    result = verify_sd_jwt(token, now=NOW)
    assert result.verified, result.errors
    assert result.document["name"] == "山田太郎"
