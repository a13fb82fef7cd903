"""Data Integrity interop with Digital Bazaar's VC stack (vc-js 7, data-integrity 2, the cryptosuites).

jitsuin signs with every suite it issues (eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019 with P-256,
Ed25519Signature2020), on a VCDM 2.0 and a VCDM 1.1 credential with Japanese text and a catalog
credential under the jitsuin context; ``vc.verifyCredential`` must accept each and refuse each with a
changed claim. Node signs the same credentials with the same suites (fresh did:key issuers) and
``vc.credentials.verify_credential`` must accept each and refuse each with a changed claim. The same for
presentations (proof purpose ``authentication`` with challenge and domain) both ways.

Node runs once for the module (``node/data_integrity.mjs``); its loader serves only jitsuin's bundled
contexts (vc/jsonld/contexts/manifest.json) and did:key.
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import pytest

from tests.interop.credentials import CREDENTIALS, japanese_v2, look_alike, tampered
from tests.interop.node_runner import bundled_contexts, run_node
from vc.credentials import DI_FORMATS, issue_credential, verify_credential
from vc.errors import VcError
from vc.keys import KeyPair
from vc.presentations import PRESENTATION_SUITES, issue_presentation, verify_presentation
from vc.results import VerificationResult

NOW = datetime(2026, 5, 1, tzinfo=timezone.utc)
KEY_TYPES = {"eddsa-rdfc-2022": "Ed25519", "eddsa-jcs-2022": "Ed25519", "ecdsa-rdfc-2019": "P-256",
             "Ed25519Signature2020": "Ed25519"}
CASES = [f"{suite}/{variant}" for suite in DI_FORMATS for variant in CREDENTIALS]
VP_CASES = list(PRESENTATION_SUITES)
CHALLENGE, DOMAIN = "c-9d1e4f", "https://verifier.example.jp"

# I-JSON (RFC 7493 section 2.2): JavaScript parses an integer beyond 2^53 - 1 as the nearest double, so
# a JS verifier canonicalizes another number than the one signed. eddsa-jcs-2022 refuses it at issuance.
BEYOND_I_JSON = 9007199254740993  # 2^53 + 1
RDFC_SUITES = [s for s in DI_FORMATS if s != "eddsa-jcs-2022"]


@pytest.fixture(scope="module")
def keys() -> dict[str, KeyPair]:
    return {suite: KeyPair.generate(alg) for suite, alg in KEY_TYPES.items()}


@pytest.fixture(scope="module")
def jitsuin_signed(keys: dict[str, KeyPair]) -> dict[str, dict[str, Any]]:
    """Case -> credential jitsuin signed (a did:key issuer per suite)."""
    out = {}
    for case in CASES:
        suite, variant = case.split("/")
        out[case] = issue_credential(CREDENTIALS[variant](), keys[suite], cryptosuite=suite, now=NOW)
    return out


@pytest.fixture(scope="module")
def jitsuin_presentations(jitsuin_signed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Suite -> presentation of jitsuin's VCDM 2.0 credential, signed by a did:key holder."""
    return {suite: issue_presentation([jitsuin_signed[f"{suite}/vcdm2"]], KeyPair.generate(KEY_TYPES[suite]),
                                      cryptosuite=suite, challenge=CHALLENGE, domain=DOMAIN, now=NOW)
            for suite in VP_CASES}


@pytest.fixture(scope="module")
def beyond_i_json(keys: dict[str, KeyPair]) -> dict[str, dict[str, Any] | None]:
    """Suite -> a credential with an integer beyond 2^53 as jitsuin signs it, or None when jitsuin refuses."""
    out: dict[str, dict[str, Any] | None] = {}
    for suite in RDFC_SUITES:
        credential = japanese_v2()
        credential["credentialSubject"]["registryNumber"] = BEYOND_I_JSON
        try:
            out[suite] = issue_credential(credential, keys[suite], cryptosuite=suite, now=NOW)
        except VcError:
            out[suite] = None
    return out


@pytest.fixture(scope="module")
def look_alike_signed(keys: dict[str, KeyPair]) -> dict[str, dict[str, Any]]:
    """Suite -> the look-alike credential within rdf-canonize's bound, as jitsuin signs it."""
    return {suite: issue_credential(look_alike(1), keys[suite], cryptosuite=suite, now=NOW) for suite in RDFC_SUITES}


@pytest.fixture(scope="module")
def node(jitsuin_signed: dict[str, Any], jitsuin_presentations: dict[str, Any],
         beyond_i_json: dict[str, Any], look_alike_signed: dict[str, Any]) -> dict[str, Any]:
    """The one Node run: verify jitsuin's credentials and presentations (and tampered copies); sign the same."""
    verify = []
    for case, credential in jitsuin_signed.items():
        verify.append({"id": case, "credential": credential})
        verify.append({"id": f"{case}/tampered", "credential": tampered(credential, case.split("/")[1])})
    verify += [{"id": f"i-json/{suite}", "credential": c} for suite, c in beyond_i_json.items() if c is not None]
    verify += [{"id": f"look-alike/{suite}", "credential": c} for suite, c in look_alike_signed.items()]
    sign = [{"id": case, "suite": case.split("/")[0], "credential": CREDENTIALS[case.split("/")[1]]()}
            for case in CASES]
    sign += [{"id": f"look-alike/{toys}/{suite}", "suite": suite, "credential": look_alike(toys)}
             for suite in RDFC_SUITES for toys in (1, 2)]
    verify_vps = []
    for suite, vp in jitsuin_presentations.items():
        verify_vps.append({"id": f"vp/{suite}", "presentation": vp, "challenge": CHALLENGE, "domain": DOMAIN})
        verify_vps.append({"id": f"vp/{suite}/tampered", "presentation": tampered_presentation(vp),
                           "challenge": CHALLENGE, "domain": DOMAIN})
        verify_vps.append({"id": f"vp/{suite}/other-challenge", "presentation": vp, "challenge": "c-other",
                           "domain": DOMAIN})
    sign_vps = [{"id": suite, "suite": suite, "credentialId": f"{suite}/vcdm2", "challenge": CHALLENGE,
                 "domain": DOMAIN} for suite in VP_CASES]
    return run_node("data_integrity.mjs", {
        "now": NOW.isoformat().replace("+00:00", "Z"), "contexts": bundled_contexts(), "verify": verify,
        "sign": sign, "verifyPresentations": verify_vps, "signPresentations": sign_vps,
    })


def tampered_presentation(vp: dict[str, Any]) -> dict[str, Any]:
    """``vp`` with a claim of its (first) credential changed."""
    changed = copy.deepcopy(vp)
    changed["verifiableCredential"][0] = tampered(vp["verifiableCredential"][0], "vcdm2")
    return changed


def describe(result: VerificationResult) -> str:
    failed = [f"{c.check}: {c.code} {c.message}" for c in result.checks if not c.passed]
    failed += [f"credential {describe(r)}" for r in result.credentials if not r.verified]
    return "; ".join(failed)


def node_signed(node: dict[str, Any], table: str, case: str) -> dict[str, Any]:
    signed = node[table][case]
    assert "error" not in signed, f"Digital Bazaar could not sign {case}: {signed.get('error')}"
    return signed


# --- jitsuin signs, Digital Bazaar verifies -----------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_digital_bazaar_verifies_what_jitsuin_signs(case: str, jitsuin_signed: dict[str, Any],
                                                    node: dict[str, Any]) -> None:
    proof = jitsuin_signed[case]["proof"]
    assert proof.get("cryptosuite", proof["type"]) == case.split("/")[0]
    answer = node["verified"][case]
    assert answer["verified"], f"vc.verifyCredential refused jitsuin's {case}: {answer['errors']}"


@pytest.mark.parametrize("case", CASES)
def test_digital_bazaar_refuses_a_changed_claim(case: str, node: dict[str, Any]) -> None:
    answer = node["verified"][f"{case}/tampered"]
    assert not answer["verified"]
    # refused for the signature, not for an unrelated reason (a loader error, a data-model check)
    assert any("signature" in message.lower() for message in answer["errors"]), answer["errors"]


@pytest.mark.parametrize("suite", VP_CASES)
def test_digital_bazaar_verifies_jitsuins_presentation(suite: str, node: dict[str, Any]) -> None:
    answer = node["verified"][f"vp/{suite}"]
    assert answer["verified"], f"vc.verifyPresentation refused jitsuin's {suite} presentation: {answer['errors']}"


@pytest.mark.parametrize("suite", VP_CASES)
def test_digital_bazaar_refuses_jitsuins_presentation_changed_or_replayed(suite: str, node: dict[str, Any]) -> None:
    changed = node["verified"][f"vp/{suite}/tampered"]
    assert not changed["verified"]
    assert any("signature" in message.lower() for message in changed["errors"]), changed["errors"]
    replayed = node["verified"][f"vp/{suite}/other-challenge"]
    assert not replayed["verified"]
    assert any("challenge" in message.lower() for message in replayed["errors"]), replayed["errors"]


@pytest.mark.parametrize("suite", RDFC_SUITES)
def test_a_credential_jitsuin_agrees_to_sign_verifies_in_digital_bazaar_whatever_its_numbers(
        suite: str, beyond_i_json: dict[str, Any], node: dict[str, Any]) -> None:
    if beyond_i_json[suite] is None:
        return  # refused at issuance: nothing unverifiable leaves jitsuin
    answer = node["verified"][f"i-json/{suite}"]
    assert answer["verified"], answer["errors"]


@pytest.mark.parametrize("suite", RDFC_SUITES)
def test_look_alike_blank_nodes_within_rdf_canonize_bound_go_both_ways(
        suite: str, look_alike_signed: dict[str, Any], node: dict[str, Any]) -> None:
    answer = node["verified"][f"look-alike/{suite}"]
    assert answer["verified"], answer["errors"]
    signed = node_signed(node, "signed", f"look-alike/1/{suite}")
    assert verify_credential(signed, now=NOW, status=False).verified


@pytest.mark.parametrize("suite", RDFC_SUITES)
def test_look_alike_blank_nodes_beyond_rdf_canonize_bound_are_refused_by_both_signers(
        suite: str, keys: dict[str, KeyPair], node: dict[str, Any]) -> None:
    # what Digital Bazaar cannot canonicalize, jitsuin must not sign: nobody there could verify it
    assert "deep iterations" in node["signed"][f"look-alike/2/{suite}"].get("error", "").lower()
    with pytest.raises(VcError) as refused:
        issue_credential(look_alike(2), keys[suite], cryptosuite=suite, now=NOW)
    assert refused.value.code == "CANONICALIZATION_LIMIT"


# --- Digital Bazaar signs, jitsuin verifies -----------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_jitsuin_verifies_what_digital_bazaar_signs(case: str, node: dict[str, Any]) -> None:
    signed = node_signed(node, "signed", case)
    suite, variant = case.split("/")
    proof = signed["proof"]
    assert proof.get("cryptosuite", proof["type"]) == suite
    assert signed["credentialSubject"] == CREDENTIALS[variant]()["credentialSubject"]
    result = verify_credential(signed, now=NOW, status=False)
    assert result.verified, f"jitsuin refused Digital Bazaar's {case}: {describe(result)}"
    assert {"proof", "proof_purpose", "proof_controller"} <= {c.check for c in result.checks}


@pytest.mark.parametrize("case", CASES)
def test_jitsuin_refuses_a_changed_claim_in_what_digital_bazaar_signs(case: str, node: dict[str, Any]) -> None:
    signed = node_signed(node, "signed", case)
    result = verify_credential(tampered(signed, case.split("/")[1]), now=NOW, status=False)
    assert not result.verified
    assert [c.code for c in result.checks if not c.passed] == ["INVALID_SIGNATURE"], describe(result)


@pytest.mark.parametrize("suite", VP_CASES)
def test_jitsuin_verifies_digital_bazaars_presentation(suite: str, node: dict[str, Any]) -> None:
    vp = node_signed(node, "presentations", suite)
    assert vp["proof"]["proofPurpose"] == "authentication"
    result = verify_presentation(vp, challenge=CHALLENGE, domain=DOMAIN, now=NOW, status=False)
    assert result.verified, f"jitsuin refused Digital Bazaar's {suite} presentation: {describe(result)}"
    assert len(result.credentials) == 1


@pytest.mark.parametrize("suite", VP_CASES)
def test_jitsuin_refuses_digital_bazaars_presentation_changed_or_replayed(suite: str, node: dict[str, Any]) -> None:
    vp = node_signed(node, "presentations", suite)
    changed = verify_presentation(tampered_presentation(vp), challenge=CHALLENGE, domain=DOMAIN, now=NOW, status=False)
    assert not changed.verified
    # the holder signed over the credential too: both signatures break
    assert [c.code for c in changed.checks if not c.passed] == ["INVALID_SIGNATURE"], describe(changed)
    assert [c.code for c in changed.credentials[0].checks if not c.passed] == ["INVALID_SIGNATURE"]
    replayed = verify_presentation(vp, challenge="c-other", domain=DOMAIN, now=NOW, status=False)
    assert not replayed.verified
    assert [c.check for c in replayed.checks if not c.passed] == ["proof_challenge"], describe(replayed)
