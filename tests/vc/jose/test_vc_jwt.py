"""vc+jwt, vp+jwt and VCDM 1.1 JWT credentials: round trips and each bad input with its code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone

import pytest

from vc.did import did_jwk, did_key
from vc.errors import DataModelError
from vc.jose import issue_vc_jwt, issue_vp_jwt, sign_compact, verify_jwt, verify_vc_jwt, verify_vp_jwt
from vc.jose.claims import to_numeric_date
from vc.keys import KeyPair

NOW = datetime(2025, 4, 1, 9, 0, tzinfo=timezone.utc)
ISSUER = KeyPair.from_seed(b"i" * 32)
HOLDER = KeyPair.from_seed(b"h" * 32)
OTHER = KeyPair.from_seed(b"o" * 32)
ISSUER_DID = did_key(ISSUER.public)
ISSUER_KID = f"{ISSUER_DID}#{ISSUER_DID.removeprefix('did:key:')}"

CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "type": ["VerifiableCredential"],
    "issuer": ISSUER_DID,
    "validFrom": "2025-01-01T00:00:00Z",
    "validUntil": "2026-01-01T00:00:00Z",
    "credentialSubject": {"id": did_key(HOLDER.public), "employed": True},
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _failed(result) -> list[tuple[str, str]]:
    return [(c.check, c.code) for c in result.errors]


def test_round_trip_did_key_ed25519() -> None:
    token = issue_vc_jwt(CREDENTIAL, ISSUER, now=NOW)
    result = verify_vc_jwt(token, now=NOW)
    assert result.verified, result.errors
    assert result.format == "vc+jwt"
    assert result.document == CREDENTIAL
    assert [c.check for c in result.checks] == ["header", "issuer_key", "signature", "issuer", "data_model", "jsonld", "validity"]


def test_round_trip_did_jwk_p256_fills_issuer_and_valid_from() -> None:
    key = KeyPair.from_seed(b"p" * 32, alg="P-256")
    cred = {k: v for k, v in CREDENTIAL.items() if k not in ("issuer", "validFrom", "validUntil")}
    cred["issuer"] = did_jwk(key.public)
    token = issue_vc_jwt(cred, key, now=NOW)
    result = verify_vc_jwt(token, now=NOW)
    assert result.verified, result.errors
    assert result.document["validFrom"] == "2025-04-01T09:00:00Z"
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {"alg": "ES256", "kid": f"{cred['issuer']}#0", "typ": "vc+jwt", "cty": "vc"}


def _forge(header: dict, payload: dict, key: KeyPair) -> str:
    """Sign with ``key`` under whatever header the attacker chooses."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
    return f"{signing_input}.{_b64(key.sign(signing_input.encode()))}"


def test_alg_none() -> None:
    h = _b64(json.dumps({"alg": "none", "typ": "vc+jwt", "kid": ISSUER_KID}).encode())
    token = f"{h}.{_b64(json.dumps(CREDENTIAL).encode())}."
    assert _failed(verify_vc_jwt(token, now=NOW)) == [("header", "ALG_NONE")]


def test_hs256_with_the_issuers_public_key_as_secret() -> None:
    h = _b64(json.dumps({"alg": "HS256", "typ": "vc+jwt", "kid": ISSUER_KID}).encode())
    p = _b64(json.dumps(CREDENTIAL).encode())
    for secret in (json.dumps(ISSUER.public.to_jwk()).encode(), ISSUER.public.raw):
        mac = hmac.new(secret, f"{h}.{p}".encode(), hashlib.sha256).digest()
        assert _failed(verify_vc_jwt(f"{h}.{p}.{_b64(mac)}", now=NOW)) == [("header", "ALG_SYMMETRIC")]


def test_alg_not_matching_the_key_type() -> None:
    token = _forge({"alg": "ES256", "typ": "vc+jwt", "kid": ISSUER_KID}, CREDENTIAL, ISSUER)
    assert _failed(verify_vc_jwt(token, now=NOW)) == [("signature", "ALG_KEY_MISMATCH")]


def test_alg_outside_the_allow_list() -> None:
    token = issue_vc_jwt(CREDENTIAL, ISSUER, now=NOW)
    assert _failed(verify_vc_jwt(token, now=NOW, algs={"ES256"})) == [("header", "ALG_NOT_ALLOWED")]


def test_kid_not_in_the_did_document() -> None:
    token = issue_vc_jwt(CREDENTIAL, ISSUER, kid=f"{ISSUER_DID}#key-2", now=NOW)
    assert _failed(verify_vc_jwt(token, now=NOW)) == [("issuer_key", "KID_NOT_FOUND")]
    token = issue_vc_jwt(CREDENTIAL, ISSUER, kid="https://issuer.example/keys/1", now=NOW)
    assert _failed(verify_vc_jwt(token, now=NOW)) == [("issuer_key", "KID_NOT_DID_URL")]


def test_key_of_another_did_is_not_the_issuer() -> None:
    other = did_key(OTHER.public)
    token = issue_vc_jwt(CREDENTIAL, OTHER, kid=f"{other}#{other.removeprefix('did:key:')}", now=NOW)
    assert _failed(verify_vc_jwt(token, now=NOW)) == [("issuer", "ISSUER_MISMATCH")]


def test_tampered_payload() -> None:
    h, p, s = issue_vc_jwt(CREDENTIAL, ISSUER, now=NOW).split(".")
    evil = dict(CREDENTIAL, credentialSubject={"id": "did:example:evil", "employed": True})
    result = verify_vc_jwt(f"{h}.{_b64(json.dumps(evil).encode())}.{s}", now=NOW)
    assert _failed(result) == [("signature", "INVALID_SIGNATURE")]
    assert result.document is None


def test_expired_and_not_yet_valid() -> None:
    token = issue_vc_jwt(CREDENTIAL, ISSUER, now=NOW)
    assert _failed(verify_vc_jwt(token, now=datetime(2026, 6, 1, tzinfo=timezone.utc))) == [("validity", "EXPIRED")]
    assert _failed(verify_vc_jwt(token, now=datetime(2024, 6, 1, tzinfo=timezone.utc))) == [("validity", "NOT_YET_VALID")]
    with_exp = _forge({"alg": "EdDSA", "typ": "vc+jwt", "kid": ISSUER_KID}, {**CREDENTIAL, "exp": to_numeric_date(NOW) - 3600}, ISSUER)
    assert _failed(verify_vc_jwt(with_exp, now=NOW)) == [("validity", "EXPIRED")]


def test_typ_and_cty() -> None:
    bad_typ = _forge({"alg": "EdDSA", "typ": "vp+jwt", "kid": ISSUER_KID}, CREDENTIAL, ISSUER)
    assert _failed(verify_vc_jwt(bad_typ, now=NOW)) == [("header", "TYP_MISMATCH")]
    bad_cty = _forge({"alg": "EdDSA", "typ": "vc+jwt", "cty": "vp", "kid": ISSUER_KID}, CREDENTIAL, ISSUER)
    assert _failed(verify_vc_jwt(bad_cty, now=NOW)) == [("header", "CTY_MISMATCH")]


def test_vc_claim_is_forbidden() -> None:
    with pytest.raises(DataModelError) as err:
        issue_vc_jwt({**CREDENTIAL, "vc": {}}, ISSUER, now=NOW)
    assert err.value.code == "JWT_VC_CLAIM_FORBIDDEN"
    token = _forge({"alg": "EdDSA", "typ": "vc+jwt", "kid": ISSUER_KID}, {**CREDENTIAL, "vp": "x"}, ISSUER)
    assert _failed(verify_vc_jwt(token, now=NOW)) == [("data_model", "JWT_VC_CLAIM_FORBIDDEN")]


def test_invalid_credential_is_refused_at_issuance() -> None:
    with pytest.raises(DataModelError):
        issue_vc_jwt({**CREDENTIAL, "type": ["NotACredential"]}, ISSUER, now=NOW)


# --- VCDM 1.1 JWT ----------------------------------------------------------------------


def _vcdm11(exp_offset: int = 3600) -> str:
    payload = {
        "iss": ISSUER_DID,
        "sub": "did:example:subject",
        "nbf": to_numeric_date(NOW) - 86400,
        "exp": to_numeric_date(NOW) + exp_offset,
        "jti": "urn:uuid:6a3e0e4c-0b6e-4c8e-9c43-6f8f3b1a2c55",
        "vc": {
            "@context": ["https://www.w3.org/2018/credentials/v1"],
            "type": ["VerifiableCredential"],
            "credentialSubject": {"employed": True},
        },
    }
    return sign_compact(payload, ISSUER, header={"typ": "JWT", "kid": ISSUER_KID})


def test_vcdm11_jwt_credential_verifies() -> None:
    result = verify_vc_jwt(_vcdm11(), now=NOW)
    assert result.verified, result.errors
    assert result.format == "jwt_vc_json"
    doc = result.document
    assert doc["issuer"] == ISSUER_DID
    assert doc["id"].startswith("urn:uuid:")
    assert doc["credentialSubject"]["id"] == "did:example:subject"
    assert doc["issuanceDate"] == "2025-03-31T09:00:00Z"


def test_vcdm11_jwt_expired_and_not_allowed() -> None:
    assert ("validity", "EXPIRED") in _failed(verify_vc_jwt(_vcdm11(-3600), now=NOW))
    assert _failed(verify_vc_jwt(_vcdm11(), now=NOW, allow_vcdm11=False)) == [("header", "TYP_MISMATCH")]


# --- vp+jwt ----------------------------------------------------------------------------


def _vp(**kw) -> str:
    opts = {"aud": "https://verifier.example", "nonce": "n-123", "now": NOW}
    opts.update(kw)
    return issue_vp_jwt([issue_vc_jwt(CREDENTIAL, ISSUER, now=NOW)], HOLDER, **opts)


def test_vp_round_trip() -> None:
    result = verify_vp_jwt(_vp(), aud="https://verifier.example", nonce="n-123", now=NOW)
    assert result.verified, result.errors
    assert [c.check for c in result.checks] == ["header", "holder_key", "signature", "holder", "data_model", "validity", "binding"]
    assert len(result.credentials) == 1 and result.credentials[0].verified
    assert result.document["verifiableCredential"][0]["id"].startswith("data:application/vc+jwt,ey")


def test_vp_wrong_aud_nonce_reused_nonce_stale() -> None:
    token = _vp()
    assert _failed(verify_vp_jwt(token, aud="https://other.example", now=NOW)) == [("binding", "AUD_MISMATCH")]
    assert _failed(verify_vp_jwt(token, nonce="n-999", now=NOW)) == [("binding", "NONCE_MISMATCH")]
    seen: set[str] = set()

    def replayed(nonce: str) -> bool:
        used = nonce in seen
        seen.add(nonce)
        return used

    assert verify_vp_jwt(token, nonce="n-123", seen_nonces=replayed, now=NOW).verified
    assert _failed(verify_vp_jwt(token, nonce="n-123", seen_nonces=replayed, now=NOW)) == [("binding", "NONCE_REUSED")]
    later = NOW + timedelta(minutes=8)
    assert _failed(verify_vp_jwt(token, now=later, max_age=timedelta(minutes=2))) == [("validity", "STALE_IAT")]
    assert _failed(verify_vp_jwt(token, now=NOW + timedelta(hours=1))) == [("validity", "EXPIRED")]


def test_vp_signed_by_a_key_the_holder_does_not_control() -> None:
    other = did_key(OTHER.public)
    token = issue_vp_jwt([issue_vc_jwt(CREDENTIAL, ISSUER, now=NOW)], OTHER, holder=did_key(HOLDER.public), kid=f"{other}#{other.removeprefix('did:key:')}", now=NOW)
    assert _failed(verify_vp_jwt(token, now=NOW)) == [("holder", "HOLDER_MISMATCH")]


def test_vp_with_a_bad_credential_is_not_verified() -> None:
    h, p, s = issue_vc_jwt(CREDENTIAL, ISSUER, now=NOW).split(".")
    broken = f"{h}.{p}.{s[:-4]}AAAA"
    token = issue_vp_jwt([broken], HOLDER, now=NOW)
    result = verify_vp_jwt(token, now=NOW)
    assert all(c.passed for c in result.checks)
    assert not result.verified
    assert result.codes == ("INVALID_SIGNATURE",)
    unsecured = issue_vp_jwt([{"@context": CREDENTIAL["@context"], "type": "EnvelopedVerifiableCredential", "id": "data:application/vc+jwt,x"}], HOLDER, now=NOW)
    assert verify_vp_jwt(unsecured, now=NOW).codes == ("MALFORMED_JWS",)


def test_verify_jwt_routes_by_typ() -> None:
    assert verify_jwt(issue_vc_jwt(CREDENTIAL, ISSUER, now=NOW), now=NOW).format == "vc+jwt"
    assert verify_jwt(_vcdm11(), now=NOW).format == "jwt_vc_json"
    vp = verify_jwt(_vp(), aud="https://verifier.example", nonce="n-123", now=NOW)
    assert vp.format == "vp+jwt" and vp.verified
    assert verify_jwt(_vp(), aud="https://other.example", now=NOW).codes == ("AUD_MISMATCH",)
