"""JOSE interop: ``vc+jwt`` with ``jose`` (panva) and SD-JWT VC with sd-jwt-js (@sd-jwt/sd-jwt-vc).

vc+jwt (EdDSA and ES256, a Japanese credential and a catalog credential): jitsuin issues, Node verifies
the JWS with the key it resolves from the ``kid`` did:key; Node signs, ``vc.jose.verify_vc_jwt`` verifies.
SD-JWT VC (issuer EdDSA with a P-256 holder, and ES256 with an Ed25519 holder): every pairing of roles
that fits one Node run -- jitsuin issues and Node presents with a KB-JWT, jitsuin issues and presents and
Node verifies, Node issues and presents, Node issues and jitsuin presents; jitsuin verifies whatever Node
presented. Each verifier must see exactly the disclosed claims, and refuse a changed claim (in a
Disclosure or in the signed payload) and a KB-JWT for another nonce.

Node runs once for the module (``node/jose.mjs``).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest

from issuers.catalog import Catalog, sd_paths
from tests.interop.credentials import TAMPER, catalog_resident_record, japanese_v2
from tests.interop.node_runner import run_node
from vc.encoding.base64url import b64url_decode, b64url_encode
from vc.jose import issue_vc_jwt, key_dids, verify_vc_jwt
from vc.jose.claims import to_numeric_date
from vc.jose.json_codec import compact_dumps
from vc.keys import KeyPair
from vc.results import VerificationResult
from vc.sdjwt import issue_sd_jwt_vc_from_credential, present_sd_jwt, verify_sd_jwt

NOW = datetime(2026, 5, 1, tzinfo=timezone.utc)
AUD, NONCE = "https://verifier.example.jp", "n-5b2c8e"
ISSUER_KEYS = {"EdDSA": "Ed25519", "ES256": "P-256"}
HOLDER_KEYS = {"EdDSA": "P-256", "ES256": "Ed25519"}  # the other curve, so both sign KB-JWTs
VC_JWT_CASES = [f"{alg}/{variant}" for alg in ISSUER_KEYS for variant in ("vcdm2", "catalog")]
SD_CASES = list(ISSUER_KEYS)

# jitsuin's SD-JWT VC: the catalog type's disclosable claims, plus two address members below the
# disclosable address (recursive disclosures)
JITSUIN_NESTED = [("address", "streetAddress"), ("address", "fullAddress")]
# what each holder discloses of jitsuin's SD-JWT VC
NODE_FRAME_FOR_JITSUIN = {"familyName": True, "ageOver18": True, "address": {"prefecture": True}}
JITSUIN_DISCLOSES = [("givenName",), ("ageOver20",), ("address", "cityAndCounty")]

# Node's SD-JWT VC: top-level, nested and array-element disclosures
NODE_VCT = "https://w3id.org/jitsuin/vct/example-resident"
NODE_CLAIMS = {
    "given_name": "花子",
    "family_name": "山田",
    "birthdate": "1990-04-01",
    "address": {"prefecture": "東京都", "locality": "千代田区", "street_address": "霞が関二丁目1-2"},
    "nationalities": ["JP", "US"],
}
NODE_DISCLOSURE_FRAME = {"_sd": ["given_name", "family_name", "birthdate", "address"],
                         "address": {"_sd": ["locality", "street_address"]}, "nationalities": {"_sd": [0, 1]}}
NODE_FRAME = {"family_name": True, "address": {"locality": True}, "nationalities": {"0": True}}
JITSUIN_DISCLOSES_OF_NODE = [("given_name",), ("address", "street_address"), ("nationalities", 1)]


# --- building blocks ------------------------------------------------------------------------------


def vc_jwt_credential(variant: str, key: KeyPair) -> dict[str, Any]:
    credential = japanese_v2() if variant == "vcdm2" else catalog_resident_record()
    did = key_dids(key.public)[0]
    credential["issuer"] = {**credential["issuer"], "id": did} if variant == "vcdm2" else did
    return credential


def resident_sd_paths() -> list[tuple[Any, ...]]:
    subject = catalog_resident_record()["credentialSubject"]
    return [p for p in sd_paths(Catalog.load().get("ResidentRecord")) if p[0] in subject] + JITSUIN_NESTED


def with_payload_changed(jws: str, claim: str, value: Any) -> str:
    """``jws`` (or an SD-JWT's issuer JWT) with a top-level payload claim changed, signature kept."""
    head, payload, rest = jws.split(".", 2)
    claims = json.loads(b64url_decode(payload))
    assert claims.get(claim) != value
    claims[claim] = value
    return f"{head}.{b64url_encode(compact_dumps(claims).encode())}.{rest}"


def with_subject_claim_changed(jws: str, claim: str, value: Any) -> str:
    head, payload, signature = jws.split(".")
    claims = json.loads(b64url_decode(payload))
    assert claims["credentialSubject"][claim] != value
    claims["credentialSubject"][claim] = value
    return f"{head}.{b64url_encode(compact_dumps(claims).encode())}.{signature}"


def with_disclosure_changed(sd_jwt: str, name: str, value: Any) -> str:
    """A compact SD-JWT(+KB) whose Disclosure of ``name`` carries ``value`` (the rest untouched)."""
    parts = sd_jwt.split("~")
    for i, part in enumerate(parts[1:-1], start=1):
        salt, claim, old = json.loads(b64url_decode(part))
        if claim == name:
            assert old != value
            parts[i] = b64url_encode(json.dumps([salt, claim, value], ensure_ascii=False).encode())
            return "~".join(parts)
    raise AssertionError(f"no Disclosure of {name!r} in the SD-JWT")


def describe(result: VerificationResult) -> str:
    return "; ".join(f"{c.check}: {c.code} {c.message}" for c in result.checks if not c.passed)


def failed_codes(result: VerificationResult) -> list[str | None]:
    return [c.code for c in result.checks if not c.passed]


# --- the one Node run -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jitsuin_vc_jwts() -> dict[str, str]:
    keys = {alg: KeyPair.generate(kt) for alg, kt in ISSUER_KEYS.items()}
    out = {}
    for case in VC_JWT_CASES:
        alg, variant = case.split("/")
        out[case] = issue_vc_jwt(vc_jwt_credential(variant, keys[alg]), keys[alg], now=NOW)
    return out


@pytest.fixture(scope="module")
def holders() -> dict[str, KeyPair]:
    return {alg: KeyPair.generate(kt) for alg, kt in HOLDER_KEYS.items()}


@pytest.fixture(scope="module")
def jitsuin_sd_jwts(holders: dict[str, KeyPair]) -> dict[str, dict[str, str]]:
    """Issuer alg -> jitsuin's SD-JWT VC of the catalog credential ("issuance") and its KB presentation."""
    out = {}
    for alg, key_type in ISSUER_KEYS.items():
        key = KeyPair.generate(key_type)
        credential = {**catalog_resident_record(), "issuer": key_dids(key.public)[0]}
        issuance = issue_sd_jwt_vc_from_credential(credential, key, sd=resident_sd_paths(),
                                                   holder_key=holders[alg].public, now=NOW)
        presentation = present_sd_jwt(issuance, disclose=JITSUIN_DISCLOSES, holder_key=holders[alg],
                                      aud=AUD, nonce=NONCE, now=NOW)
        out[alg] = {"issuance": issuance, "presentation": presentation}
    return out


@pytest.fixture(scope="module")
def node(jitsuin_vc_jwts: dict[str, str], jitsuin_sd_jwts: dict[str, dict[str, str]],
         holders: dict[str, KeyPair]) -> dict[str, Any]:
    vc_verify = []
    for case, token in jitsuin_vc_jwts.items():
        claim, value = TAMPER[case.split("/")[1]]
        vc_verify += [{"id": case, "token": token},
                      {"id": f"{case}/tampered", "token": with_subject_claim_changed(token, claim, value)}]
    # Node replaces the issuer id (here a placeholder did:key) with its own did:key
    vc_sign = [{"id": case, "alg": case.split("/")[0],
                "credential": vc_jwt_credential(case.split("/")[1], holders["EdDSA"])} for case in VC_JWT_CASES]
    sd_verify, sd_present, sd_issue = [], [], []
    for alg, tokens in jitsuin_sd_jwts.items():
        presentation = tokens["presentation"]
        sd_verify += [
            {"id": alg, "token": presentation, "aud": AUD, "nonce": NONCE},
            # sd-jwt-js 0.19 drops a Disclosure the payload does not reference instead of refusing it (RFC 9901
            # section 7.1 says refuse); here the KB-JWT's sd_hash, over every Disclosure, refuses the change
            {"id": f"{alg}/disclosure-changed", "token": with_disclosure_changed(presentation, "givenName", "華子"),
             "aud": AUD, "nonce": NONCE},
            {"id": f"{alg}/payload-changed", "aud": AUD, "nonce": NONCE,
             "token": with_payload_changed(presentation, "municipalityCode", "131024")},
            {"id": f"{alg}/other-nonce", "token": presentation, "aud": AUD, "nonce": "n-other"},
        ]
        holder_jwk = holders[alg].to_jwk(private=True)
        sd_present.append({"id": alg, "token": tokens["issuance"], "holderJwk": holder_jwk,
                           "frame": NODE_FRAME_FOR_JITSUIN, "aud": AUD, "nonce": NONCE})
        sd_issue.append({"id": alg, "alg": alg, "vct": NODE_VCT, "claims": NODE_CLAIMS,
                         "disclosureFrame": NODE_DISCLOSURE_FRAME, "holderJwk": holder_jwk, "frame": NODE_FRAME,
                         "aud": AUD, "nonce": NONCE})
    return run_node("jose.mjs", {
        "now": to_numeric_date(NOW),
        "vcJwt": {"verify": vc_verify, "sign": vc_sign},
        "sdJwt": {"verify": sd_verify, "present": sd_present, "issue": sd_issue},
    })


# --- vc+jwt ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", VC_JWT_CASES)
def test_jose_verifies_jitsuins_vc_jwt(case: str, jitsuin_vc_jwts: dict[str, str], node: dict[str, Any]) -> None:
    answer = node["vcJwt"]["verified"][case]
    assert answer["verified"], f"jose refused jitsuin's {case}: {answer['errors']}"
    # Node read the same credential jitsuin signed (UTF-8, control characters, astral-plane kanji)
    signed = json.loads(b64url_decode(jitsuin_vc_jwts[case].split(".")[1]))
    assert answer["payload"] == signed


@pytest.mark.parametrize("case", VC_JWT_CASES)
def test_jose_refuses_jitsuins_vc_jwt_with_a_changed_claim(case: str, node: dict[str, Any]) -> None:
    answer = node["vcJwt"]["verified"][f"{case}/tampered"]
    assert not answer["verified"]
    assert any("signature verification failed" in m for m in answer["errors"]), answer["errors"]


@pytest.mark.parametrize("case", VC_JWT_CASES)
def test_jitsuin_verifies_joses_vc_jwt(case: str, node: dict[str, Any]) -> None:
    token = node["vcJwt"]["signed"][case]
    result = verify_vc_jwt(token, now=NOW)
    assert result.verified, f"jitsuin refused Node's {case}: {describe(result)}"
    unsigned = japanese_v2() if case.endswith("vcdm2") else catalog_resident_record()
    assert result.document["credentialSubject"] == unsigned["credentialSubject"]


@pytest.mark.parametrize("case", VC_JWT_CASES)
def test_jitsuin_refuses_joses_vc_jwt_with_a_changed_claim(case: str, node: dict[str, Any]) -> None:
    claim, value = TAMPER[case.split("/")[1]]
    result = verify_vc_jwt(with_subject_claim_changed(node["vcJwt"]["signed"][case], claim, value), now=NOW)
    assert not result.verified
    assert failed_codes(result) == ["INVALID_SIGNATURE"], describe(result)


# --- SD-JWT VC: jitsuin issues ----------------------------------------------------------------------


@pytest.mark.parametrize("alg", SD_CASES)
def test_sd_jwt_js_verifies_jitsuins_presentation_and_sees_only_the_disclosed_claims(
        alg: str, node: dict[str, Any]) -> None:
    answer = node["sdJwt"]["verified"][alg]
    assert answer["verified"], f"sd-jwt-js refused jitsuin's presentation ({alg}): {answer['errors']}"
    claims = answer["claims"]
    assert (claims["givenName"], claims["ageOver20"]) == ("花子", True)
    assert claims["address"]["cityAndCounty"] == "千代田区"
    assert not {"familyName", "birthDate", "ageOver18", "sex"} & set(claims)
    assert not {"streetAddress", "fullAddress"} & set(claims["address"])


@pytest.mark.parametrize("alg", SD_CASES)
def test_sd_jwt_js_refuses_jitsuins_presentation_changed_or_for_another_nonce(alg: str, node: dict[str, Any]) -> None:
    for variant in ("disclosure-changed", "payload-changed", "other-nonce"):
        answer = node["sdJwt"]["verified"][f"{alg}/{variant}"]
        assert not answer["verified"], f"sd-jwt-js accepted jitsuin's presentation with {variant}"
    assert any("nonce" in m.lower() for m in node["sdJwt"]["verified"][f"{alg}/other-nonce"]["errors"])
    assert any("signature" in m.lower() for m in node["sdJwt"]["verified"][f"{alg}/payload-changed"]["errors"])


@pytest.mark.parametrize("alg", SD_CASES)
def test_jitsuin_verifies_sd_jwt_js_presentation_of_jitsuins_sd_jwt(alg: str, node: dict[str, Any]) -> None:
    result = verify_sd_jwt(node["sdJwt"]["presented"][alg], aud=AUD, nonce=NONCE, now=NOW)
    assert result.verified, f"jitsuin refused sd-jwt-js's presentation ({alg}): {describe(result)}"
    claims = result.document
    assert (claims["familyName"], claims["ageOver18"]) == ("山田", True)
    assert claims["address"]["prefecture"] == "東京都"
    assert not {"givenName", "birthDate", "ageOver20"} & set(claims)
    assert not {"streetAddress", "fullAddress"} & set(claims["address"])


# --- SD-JWT VC: Node issues -------------------------------------------------------------------------


@pytest.mark.parametrize("alg", SD_CASES)
def test_jitsuin_verifies_sd_jwt_js_issuance_and_presentation(alg: str, node: dict[str, Any]) -> None:
    issued = node["sdJwt"]["issued"][alg]
    issuance = verify_sd_jwt(issued["issuance"], now=NOW)
    assert issuance.verified, f"jitsuin refused sd-jwt-js's issuance ({alg}): {describe(issuance)}"
    assert {k: issuance.document[k] for k in NODE_CLAIMS} == NODE_CLAIMS
    result = verify_sd_jwt(issued["presentation"], aud=AUD, nonce=NONCE, now=NOW)
    assert result.verified, f"jitsuin refused sd-jwt-js's presentation ({alg}): {describe(result)}"
    claims = result.document
    assert claims["family_name"] == "山田"
    assert claims["address"] == {"prefecture": "東京都", "locality": "千代田区"}
    assert claims["nationalities"] == ["JP"]
    assert not {"given_name", "birthdate"} & set(claims)


@pytest.mark.parametrize("alg", SD_CASES)
def test_jitsuin_presents_sd_jwt_js_issuance(alg: str, node: dict[str, Any], holders: dict[str, KeyPair]) -> None:
    issuance = node["sdJwt"]["issued"][alg]["issuance"]
    presentation = present_sd_jwt(issuance, disclose=JITSUIN_DISCLOSES_OF_NODE, holder_key=holders[alg],
                                  aud=AUD, nonce=NONCE, now=NOW)
    result = verify_sd_jwt(presentation, aud=AUD, nonce=NONCE, now=NOW)
    assert result.verified, describe(result)
    claims = result.document
    assert claims["given_name"] == "花子"
    assert claims["address"] == {"prefecture": "東京都", "street_address": "霞が関二丁目1-2"}
    assert claims["nationalities"] == ["US"]
    assert not {"family_name", "birthdate"} & set(claims)


@pytest.mark.parametrize("alg", SD_CASES)
def test_jitsuin_refuses_sd_jwt_js_presentation_changed_or_for_another_nonce(alg: str, node: dict[str, Any]) -> None:
    presentation = node["sdJwt"]["issued"][alg]["presentation"]
    changed = verify_sd_jwt(with_disclosure_changed(presentation, "family_name", "山本"),
                            aud=AUD, nonce=NONCE, now=NOW)
    assert failed_codes(changed) == ["DISCLOSURE_NOT_REFERENCED"], describe(changed)
    signed_part = verify_sd_jwt(with_payload_changed(presentation, "vct", NODE_VCT + "-x"),
                                aud=AUD, nonce=NONCE, now=NOW)
    assert failed_codes(signed_part) == ["INVALID_SIGNATURE"], describe(signed_part)
    other_nonce = verify_sd_jwt(presentation, aud=AUD, nonce="n-other", now=NOW)
    assert failed_codes(other_nonce) == ["NONCE_MISMATCH"], describe(other_nonce)
