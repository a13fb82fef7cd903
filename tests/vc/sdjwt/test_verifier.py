"""SD-JWT verification: what a verifier sees, and each bad input refused with its own code."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

import pytest

from vc.did import did_key
from vc.encoding.base64url import b64url_encode
from vc.jose import default_kid, sign_compact
from vc.jose.claims import to_numeric_date
from vc.keys import KeyPair
from vc.sdjwt import issue_sd_jwt, issue_sd_jwt_vc, make_disclosure, make_kb_jwt, parse_sd_jwt, present_sd_jwt, verify_sd_jwt

NOW = datetime(2025, 4, 1, 9, 0, tzinfo=timezone.utc)
ISSUER = KeyPair.from_seed(b"i" * 32)
HOLDER = KeyPair.from_seed(b"h" * 32, alg="P-256")
OTHER_HOLDER = KeyPair.from_seed(b"o" * 32, alg="P-256")
ISS = did_key(ISSUER.public)
KID = default_kid(ISSUER.public, ISS)
AUD, NONCE = "https://daycare.example.jp", "n-0S6_WzA2Mj"

CLAIMS = {
    "given_name": "太郎",
    "family_name": "山田",
    "employment": {"employer": "港区役所", "hours_per_week": 40, "salary": 5_000_000},
    "nationalities": ["JP", "US"],
}
SD = ["given_name", "family_name", "employment", "employment.hours_per_week", "employment.salary", "nationalities[0]", "nationalities[1]"]


def _issued(**kw) -> str:
    opts = {"sd": SD, "holder_key": HOLDER.public, "now": NOW, "expires": NOW + timedelta(days=365), "rng": random.Random(1)}
    opts.update(kw)
    return issue_sd_jwt_vc(CLAIMS, ISSUER, vct="urn:jp:employment", **opts)


def _present(disclose=("employment.hours_per_week",), **kw) -> str:
    opts = {"holder_key": HOLDER, "aud": AUD, "nonce": NONCE, "now": NOW}
    opts.update(kw)
    return present_sd_jwt(_issued(), disclose=list(disclose), **opts)


def _verify(token: str, **kw):
    opts = {"aud": AUD, "nonce": NONCE, "now": NOW}
    opts.update(kw)
    return verify_sd_jwt(token, **opts)


def _failed(result) -> list[tuple[str, str]]:
    return [(c.check, c.code) for c in result.errors]


def _kb(token_without_kb: str, key: KeyPair = HOLDER, **kw) -> str:
    opts = {"aud": AUD, "nonce": NONCE, "now": NOW}
    opts.update(kw)
    return token_without_kb + make_kb_jwt(token_without_kb, key, **opts)


def _signed(payload: dict, disclosures: list[str], typ: str = "dc+sd-jwt") -> str:
    """An Issuer-signed JWT over a hand-made payload (a malicious or buggy issuer)."""
    jws = sign_compact(payload, ISSUER, header={"typ": typ, "kid": KID})
    return jws + "~" + "".join(d + "~" for d in disclosures)


def test_shows_only_what_was_disclosed() -> None:
    result = _verify(_present())
    assert result.verified, result.errors
    assert result.format == "dc+sd-jwt"
    doc = result.document
    assert doc["employment"] == {"employer": "港区役所", "hours_per_week": 40}
    assert "salary" not in json.dumps(doc) and "given_name" not in doc
    assert doc["nationalities"] == []
    assert {"iss", "iat", "exp", "vct", "cnf"} <= set(doc) and "_sd_alg" not in doc
    assert [c.check for c in result.checks] == ["header", "issuer_key", "signature", "disclosures", "issuer", "data_model", "validity", "kb_jwt"]


def test_kb_jwt_wrong_aud_nonce_and_replay() -> None:
    token = _present()
    assert _failed(_verify(token, aud="https://landlord.example")) == [("kb_jwt", "AUD_MISMATCH")]
    assert _failed(_verify(token, nonce="other")) == [("kb_jwt", "NONCE_MISMATCH")]
    seen: set[str] = set()

    def reused(nonce: str) -> bool:
        hit = nonce in seen
        seen.add(nonce)
        return hit

    assert _verify(token, seen_nonces=reused).verified
    assert _failed(_verify(token, seen_nonces=reused)) == [("kb_jwt", "NONCE_REUSED")]


def test_kb_jwt_stale_or_future_iat() -> None:
    token = _present()
    assert _failed(_verify(token, now=NOW + timedelta(minutes=11))) == [("kb_jwt", "STALE_IAT")]
    assert _verify(token, now=NOW + timedelta(minutes=11), max_age=timedelta(hours=1)).verified
    assert _failed(_verify(token, now=NOW - timedelta(minutes=30))) == [("validity", "NOT_YET_VALID"), ("kb_jwt", "IAT_IN_FUTURE")]


def test_kb_jwt_wrong_sd_hash() -> None:
    token = _present(disclose=["given_name", "family_name"])
    sd = parse_sd_jwt(token)
    # drop a Disclosure after the holder signed: the KB-JWT no longer covers what is shown
    tampered = sd.with_disclosures(sd.disclosures[:1], sd.kb_jwt).serialize()
    assert _failed(_verify(tampered)) == [("kb_jwt", "SD_HASH_MISMATCH")]


def test_holder_proof_by_another_key_than_cnf() -> None:
    sd = parse_sd_jwt(_present())
    forged = _kb(sd.sd_jwt_part(), OTHER_HOLDER)
    assert _failed(_verify(forged)) == [("kb_jwt", "HOLDER_KEY_MISMATCH")]
    ed = KeyPair.from_seed(b"e" * 32)
    assert _failed(_verify(_kb(sd.sd_jwt_part(), ed))) == [("kb_jwt", "ALG_KEY_MISMATCH")]


def test_key_binding_required_but_missing() -> None:
    plain = present_sd_jwt(_issued(), disclose=["given_name"])
    assert _failed(_verify(plain)) == [("kb_jwt", "KB_JWT_MISSING")]
    assert verify_sd_jwt(plain, now=NOW).verified  # the verifier's policy decides, not the token
    no_cnf = _issued(holder_key=None)
    kb_without_cnf = _kb(present_sd_jwt(no_cnf))
    assert _failed(_verify(kb_without_cnf)) == [("kb_jwt", "HOLDER_KEY_MISSING")]


def test_kb_jwt_typ() -> None:
    sd = parse_sd_jwt(_present())
    part = sd.sd_jwt_part()
    kb = sign_compact({"nonce": NONCE, "aud": AUD, "iat": to_numeric_date(NOW), "sd_hash": "x"}, HOLDER, header={"typ": "JWT"})
    assert _failed(_verify(part + kb)) == [("kb_jwt", "TYP_MISMATCH")]


def test_disclosure_not_referenced() -> None:
    token = present_sd_jwt(_issued(), disclose=["given_name"])
    stranger = make_disclosure("c2FsdHNhbHRzYWx0c2FsdA", "given_name", "次郎").encoded
    assert _failed(verify_sd_jwt(token[:-1] + "~" + stranger + "~", now=NOW)) == [("disclosures", "DISCLOSURE_NOT_REFERENCED")]


def test_disclosure_listed_twice() -> None:
    token = present_sd_jwt(_issued(), disclose=["given_name"])
    sd = parse_sd_jwt(token)
    doubled = sd.with_disclosures(sd.disclosures * 2).serialize()
    assert _failed(verify_sd_jwt(doubled, now=NOW)) == [("disclosures", "DISCLOSURE_DUPLICATE")]


def test_digest_twice_in_the_payload() -> None:
    d = make_disclosure("c2FsdHNhbHRzYWx0c2FsdA", "given_name", "太郎")
    token = _signed({"iss": ISS, "vct": "urn:x", "_sd": [d.digest()], "a": {"_sd": [d.digest()]}, "_sd_alg": "sha-256"}, [d.encoded])
    assert _failed(verify_sd_jwt(token, now=NOW)) == [("disclosures", "DIGEST_DUPLICATE")]


def test_disclosure_overwriting_a_plain_claim_or_setting_sd() -> None:
    d = make_disclosure("c2FsdHNhbHRzYWx0c2FsdA", "family_name", "鈴木")
    token = _signed({"iss": ISS, "vct": "urn:x", "family_name": "山田", "_sd": [d.digest()]}, [d.encoded])
    assert _failed(verify_sd_jwt(token, now=NOW)) == [("disclosures", "DISCLOSURE_OVERWRITES_CLAIM")]
    for name in ("_sd", "..."):
        d = make_disclosure("c2FsdHNhbHRzYWx0c2FsdA", name, ["x"])
        token = _signed({"iss": ISS, "vct": "urn:x", "_sd": [d.digest()]}, [d.encoded])
        assert _failed(verify_sd_jwt(token, now=NOW)) == [("disclosures", "DISCLOSURE_RESERVED_NAME")]


def test_disclosure_shape_must_fit_its_place() -> None:
    element = make_disclosure("c2FsdHNhbHRzYWx0c2FsdA", None, "JP")
    token = _signed({"iss": ISS, "vct": "urn:x", "_sd": [element.digest()]}, [element.encoded])
    assert _failed(verify_sd_jwt(token, now=NOW)) == [("disclosures", "DISCLOSURE_WRONG_SHAPE")]
    prop = make_disclosure("c2FsdHNhbHRzYWx0c2FsdA", "n", "JP")
    token = _signed({"iss": ISS, "vct": "urn:x", "n": [{"...": prop.digest()}]}, [prop.encoded])
    assert _failed(verify_sd_jwt(token, now=NOW)) == [("disclosures", "DISCLOSURE_WRONG_SHAPE")]


@pytest.mark.parametrize(
    "bad",
    [
        "WyJzYWx0IiwiYSIsMV0=",  # padding
        "!!!",  # not base64url
        b64url_encode(b'{"salt":"x"}'),  # not an array
        b64url_encode(b'["salt"]'),  # too short
        b64url_encode(b'["s","a",1,2]'),  # too long
        b64url_encode(b'[1,"a",1]'),  # salt not a string
        b64url_encode(b'["s",1,1]'),  # name not a string
        b64url_encode(b'["s","a",1,]'),  # not JSON
    ],
)
def test_malformed_disclosure(bad: str) -> None:
    token = present_sd_jwt(_issued(), disclose=[])
    assert _failed(verify_sd_jwt(token[:-1] + "~" + bad + "~", now=NOW)) == [("disclosures", "MALFORMED_DISCLOSURE")]


def test_malformed_sd_jwt_and_jws_segments() -> None:
    token = present_sd_jwt(_issued(), disclose=[])
    jws = token.split("~")[0]
    assert _failed(verify_sd_jwt(jws, now=NOW)) == [("header", "MALFORMED_SD_JWT")]
    assert _failed(verify_sd_jwt(jws + "~~x~", now=NOW)) == [("header", "MALFORMED_SD_JWT")]
    h, p, s = jws.split(".")
    assert _failed(verify_sd_jwt(f"{h}.{p}=.{s}~", now=NOW)) == [("header", "MALFORMED_JWS")]
    assert _failed(verify_sd_jwt(f"{h}.{p[:-2]}$$.{s}~", now=NOW)) == [("header", "MALFORMED_JWS")]


def test_one_megabyte_of_disclosures() -> None:
    token = present_sd_jwt(_issued(), disclose=[])
    junk = [make_disclosure(f"s{i:021d}", f"c{i}", "x" * 1000).encoded for i in range(800)]
    big = token[:-1] + "~" + "~".join(junk) + "~"
    assert len(big) > 1_000_000
    assert _failed(verify_sd_jwt(big, now=NOW)) == [("header", "DISCLOSURES_TOO_LARGE")]
    assert _failed(verify_sd_jwt("x" * 3_000_000, now=NOW)) == [("header", "SD_JWT_TOO_LARGE")]


def test_issuer_jwt_alg_none_and_bad_signature() -> None:
    token = present_sd_jwt(_issued(), disclose=[])
    h, p, s = token.split("~")[0].split(".")
    none = b64url_encode(json.dumps({"alg": "none", "typ": "dc+sd-jwt", "kid": KID}).encode())
    assert _failed(verify_sd_jwt(f"{none}.{p}.~", now=NOW)) == [("header", "ALG_NONE")]
    other = sign_compact(json.loads(json.dumps({"iss": ISS, "vct": "urn:x"})), ISSUER, header={"typ": "dc+sd-jwt", "kid": KID})
    forged = f"{h}.{p}.{other.split('.')[2]}~"
    assert _failed(verify_sd_jwt(forged, now=NOW)) == [("signature", "INVALID_SIGNATURE")]


def test_typ_rules() -> None:
    vc_typ = issue_sd_jwt_vc(CLAIMS, ISSUER, vct="urn:x", now=NOW, typ="vc+sd-jwt")
    assert verify_sd_jwt(vc_typ, now=NOW).verified  # the older SD-JWT VC media type is accepted
    jwt_typ = issue_sd_jwt_vc(CLAIMS, ISSUER, vct="urn:x", now=NOW, typ="JWT")
    assert _failed(verify_sd_jwt(jwt_typ, now=NOW)) == [("header", "TYP_MISMATCH")]
    assert verify_sd_jwt(jwt_typ, now=NOW, typ=("JWT",)).verified


def test_sd_alg_must_be_supported() -> None:
    token = _signed({"iss": ISS, "vct": "urn:x", "_sd_alg": "md5"}, [])
    assert _failed(verify_sd_jwt(token, now=NOW)) == [("disclosures", "SD_ALG_UNSUPPORTED")]
    d = make_disclosure("c2FsdHNhbHRzYWx0c2FsdA", "a", 1)
    token = _signed({"iss": ISS, "vct": "urn:x", "_sd": [d.digest("sha-384")], "_sd_alg": "sha-384"}, [d.encoded])
    assert verify_sd_jwt(token, now=NOW).document["a"] == 1


def test_sd_jwt_vc_rules() -> None:
    assert _failed(verify_sd_jwt(_signed({"iss": ISS}, []), now=NOW)) == [("data_model", "VCT_MISSING")]
    d = make_disclosure("c2FsdHNhbHRzYWx0c2FsdA", "vct", "urn:x")
    token = _signed({"iss": ISS, "_sd": [d.digest()]}, [d.encoded])
    assert _failed(verify_sd_jwt(token, now=NOW)) == [("data_model", "CLAIM_NOT_DISCLOSABLE")]


def test_expired_and_not_yet_valid() -> None:
    token = present_sd_jwt(_issued(not_before=NOW + timedelta(days=1)), disclose=[])
    assert _failed(verify_sd_jwt(token, now=NOW)) == [("validity", "NOT_YET_VALID")]
    assert _failed(verify_sd_jwt(token, now=NOW + timedelta(days=400))) == [("validity", "EXPIRED")]


def test_issuer_key_from_another_did() -> None:
    other = KeyPair.from_seed(b"x" * 32)
    token = issue_sd_jwt_vc(CLAIMS, other, vct="urn:x", iss=ISS, kid=default_kid(other.public, did_key(other.public)), now=NOW)
    assert _failed(verify_sd_jwt(token, now=NOW)) == [("issuer", "ISSUER_MISMATCH")]


def test_never_raises_on_garbage() -> None:
    for garbage in ("", "~", "a~b~c", "{}", '{"payload": 1}', "\x00" * 10, 42, None):
        result = verify_sd_jwt(garbage, now=NOW)  # type: ignore[arg-type]
        assert not result.verified and result.errors[0].check == "header"


def test_json_serialization_round_trip() -> None:
    flat = issue_sd_jwt({"iss": ISS, "vct": "urn:x", **CLAIMS}, ISSUER, sd=SD, kid=KID, holder_key=HOLDER.public, serialization="flattened")
    shown = present_sd_jwt(flat, disclose=["family_name"], holder_key=HOLDER, aud=AUD, nonce=NONCE, now=NOW)
    assert json.loads(shown)["header"]["kb_jwt"]
    result = _verify(shown)
    assert result.verified, result.errors
    assert result.document["family_name"] == "山田" and "given_name" not in result.document
