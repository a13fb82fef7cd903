"""The W3C VC-JOSE-COSE test suite's cases (tests/vectors/vc-jose-cose/test-mapping.json).

JOSE and SD-JWT cases run; the COSE cases are skipped: COSE_Sign1 is not implemented in this
issue. Each case's key file is the verification method the suite hands the implementation; the
suite's issuer controls all of them, so credentials enveloped in a presentation are checked with
the suite's keys (the suite itself only checks the presentation).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from vc.errors import DataModelError, VcError
from vc.jose import StaticKeyLookup, issue_vc_jwt, issue_vp_jwt, parse_compact, verify_vc_jwt, verify_vp_jwt
from vc.keys import KeyPair, PublicKey
from vc.sdjwt import issue_sd_jwt, parse_disclosure, parse_sd_jwt, verify_sd_jwt

ROOT = Path(__file__).resolve().parents[2] / "vectors" / "vc-jose-cose"
INPUT = ROOT / "input"
MAPPING = json.loads((ROOT / "test-mapping.json").read_text())
NOW = datetime(2024, 12, 15, 12, 0, tzinfo=timezone.utc)  # inside the suite's presentations' iat..exp

CASES = [
    (name, case)
    for group in ("JOSETestMapping", "SDJWTTestMapping", "COSETestMapping")
    for name, case in MAPPING[group].items()
]

# the code each failing verification case must fail with (the reason the suite expects failure)
FAILURE_CODES = {
    9: "KID_NOT_FOUND",  # ES512 token checked with the Ed25519 key the case supplies
    10: "MALFORMED_JWS",  # an unsecured JSON credential is no JWS
    11: "MALFORMED_JWS",
    12: "INVALID_SIGNATURE",
    13: "TYP_MISMATCH",
    14: "TYP_MISMATCH",
    15: "JWT_VC_CLAIM_FORBIDDEN",
    16: "MALFORMED_ENVELOPE",  # its credential entry is not a data: URL
    23: "INVALID_SIGNATURE",
    24: "TYP_MISMATCH",
    25: "TYP_MISMATCH",
    26: "TYP_MISMATCH",
}


def _vm(name: str) -> dict:
    return json.loads((INPUT / name).read_text())


def _case_lookup(vm: dict) -> StaticKeyLookup:
    return StaticKeyLookup({vm["publicKeyJwk"]["kid"]: PublicKey.from_jwk(vm["publicKeyJwk"])}, controller=vm["controller"])


def _suite_lookup() -> StaticKeyLookup:
    vms = [_vm(f"vm-{n}.json") for n in ("p256", "p384", "p521", "ed25519")]
    return StaticKeyLookup({vm["publicKeyJwk"]["kid"]: PublicKey.from_jwk(vm["publicKeyJwk"]) for vm in vms}, controller=vms[0]["controller"])


def _verify(feature: str, text: str, vm: dict):
    opts = {"key_lookup": _case_lookup(vm), "now": _now_for(text)}
    if feature == "credential_jose":
        return verify_vc_jwt(text, **opts)
    if feature == "presentation_jose":
        return verify_vp_jwt(text, credential_key_lookup=_suite_lookup(), **opts)
    if feature == "credential_sdjwt":
        return verify_sd_jwt(text, **opts)
    return verify_sd_jwt(text, credential_key_lookup=_suite_lookup(), **opts)


def _now_for(text: str) -> datetime:
    """The suite's presentations carry iat/exp a day apart (December 2024): verify inside that day."""
    try:
        iat = parse_compact(text.split("~")[0]).payload_json().get("iat")
    except VcError:
        return NOW
    return datetime.fromtimestamp(iat + 60, tz=timezone.utc) if isinstance(iat, int) else NOW


@pytest.mark.parametrize(("name", "case"), CASES, ids=[n for n, _ in CASES])
def test_vc_jose_cose_suite(name: str, case: dict, extra_curves) -> None:
    if case["feature"].endswith("_cose"):
        pytest.skip("COSE_Sign1 (vc+cose) is not implemented in this issue; JOSE and SD-JWT cases run")
    vm = _vm(case["key_file"])
    text = (INPUT / case["input_file"]).read_text().strip()
    if case["fn"] == "verify":
        result = _verify(case["feature"], text, vm)
        if case["expected_result"] == "success":
            if case["number"] == 7:
                # enveloped vc+jwt, vc+sd-jwt and vc+cose; the fixture's vc+cose data: URL ends in a
                # newline, which no URL may hold: our data-model check refuses it (the suite's
                # reference verifier does not look inside the presentation)
                assert [c.code for c in result.checks if not c.passed] == ["INVALID_ENVELOPED_CREDENTIAL"]
                assert [c.codes for c in result.credentials] == [(), (), ("ENVELOPE_FORMAT_UNSUPPORTED",)]
                return
            assert result.verified, result.errors
        else:
            assert not result.verified
            assert FAILURE_CODES[case["number"]] in result.codes
        return
    _issue_case(case, json.loads(text), vm)


def _issue_case(case: dict, doc: dict, vm: dict) -> None:
    key = KeyPair.from_jwk(vm["secretKeyJwk"])
    kid = vm["publicKeyJwk"]["kid"]
    feature = case["feature"]
    if case["expected_result"] == "failure":  # case 5: top-level members VCDM 2.0 does not define
        with pytest.raises(DataModelError) as err:
            issue_vc_jwt(doc, key, kid=kid, known_properties_only=True)
        assert err.value.code == "UNKNOWN_PROPERTY"
        return
    if feature == "credential_jose":
        token = issue_vc_jwt(doc, key, kid=kid)
        assert parse_compact(token).header == {"alg": vm["publicKeyJwk"]["alg"], "kid": kid, "typ": "vc+jwt", "cty": "vc"}
        result = verify_vc_jwt(token, key_lookup=_case_lookup(vm), now=NOW)
        assert result.verified, result.errors
        assert result.document == doc
    elif feature == "presentation_jose":
        if case["number"] == 4:
            # the fixture's vc+cose entry id ends in a newline (not a URL): refused at issuance;
            # with the newline removed the presentation issues
            with pytest.raises(DataModelError) as err:
                issue_vp_jwt(doc["verifiableCredential"], key, holder=doc["holder"], kid=kid, now=NOW)
            assert err.value.code == "INVALID_ENVELOPED_CREDENTIAL"
            doc["verifiableCredential"][2]["id"] = doc["verifiableCredential"][2]["id"].strip()
        token = issue_vp_jwt(doc["verifiableCredential"], key, holder=doc["holder"], kid=kid, presentation={"id": doc["id"]}, now=NOW)
        result = verify_vp_jwt(token, key_lookup=_case_lookup(vm), credential_key_lookup=_suite_lookup(), now=NOW)
        assert all(c.passed for c in result.checks), result.checks
        assert result.document["verifiableCredential"] == doc["verifiableCredential"]
    else:
        typ, cty = ("vc+sd-jwt", "vc") if feature == "credential_sdjwt" else ("vp+sd-jwt", "vp")
        token = issue_sd_jwt(doc, key, sd=case["disclosure_paths"], typ=typ, kid=kid, header={"cty": cty})
        sd = parse_sd_jwt(token)
        assert len(sd.disclosures) == len(case["disclosure_paths"])
        result = verify_sd_jwt(token, key_lookup=_case_lookup(vm), now=NOW)
        assert all(c.passed for c in result.checks), result.checks
        # every selectively disclosable value is out of the signed payload, and back once disclosed
        assert {k: v for k, v in result.document.items() if k not in ("verifiableCredential",)} == {
            k: v for k, v in doc.items() if k not in ("verifiableCredential",)
        }
        names = sorted(str(parse_disclosure(d).name) for d in sd.disclosures)
        assert names == sorted("None" if p.endswith("]") else p.split(".")[-1] for p in case["disclosure_paths"])
