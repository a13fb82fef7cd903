"""Spec and reference-library vectors for the Data Integrity cryptosuites, step by step and byte for byte.

Vectors: tests/vectors/vc-di-eddsa (W3C vc-di-eddsa), tests/vectors/vcdm11-eddsa (Digital Bazaar libraries),
tests/vectors/vc-di-ecdsa (W3C vc-di-ecdsa); see each folder's SOURCE.md.
"""

from __future__ import annotations

import hashlib

import pytest

from vc.did import DidResolver
from vc.encoding.multibase import decode_multibase, encode_base58btc
from vc.jsonld import default_loader
from vc.keys import KeyPair, PublicKey
from vc.proofs import ED25519_2020_CONTEXT, add_proof, get_cryptosuite, verify_proofs

SPEC_VM = (
    "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
)
P256_VM = (
    "did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
    "#zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
)
CREATED = "2023-02-24T23:36:38Z"


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def failed_codes(checks) -> list[str]:
    return [c.code for c in checks if not c.passed]


# --- vc-di-eddsa: every step of every suite -----------------------------------------------------

# (folder, file suffix, cryptosuite, unsigned document file)
EDDSA_CASES = [
    ("vc-di-eddsa/eddsa-rdfc-2022", "DataInt", "eddsa-rdfc-2022", "vc-di-eddsa/unsigned.json"),
    ("vc-di-eddsa/eddsa-rdfc-2022/employ", "DataInt", "eddsa-rdfc-2022", "vc-di-eddsa/employmentAuth.json"),
    ("vc-di-eddsa/eddsa-jcs-2022", "JCS", "eddsa-jcs-2022", "vc-di-eddsa/unsigned.json"),
    ("vc-di-eddsa/Ed25519Signature2020", "EdSig", "Ed25519Signature2020", "vc-di-eddsa/unsigned.json"),
]


def _unsigned_for(vectors, suite_name: str, unsigned_file: str) -> dict:
    unsigned = vectors.json(unsigned_file)
    if suite_name == "Ed25519Signature2020":  # the legacy suite's vectors sign with its context appended
        unsigned["@context"] = [*unsigned["@context"], ED25519_2020_CONTEXT]
    return unsigned


@pytest.mark.parametrize(("folder", "suffix", "suite_name", "unsigned_file"), EDDSA_CASES,
                         ids=[c[0].removeprefix("vc-di-eddsa/") for c in EDDSA_CASES])
def test_eddsa_vector_steps_reproduce_byte_for_byte(vectors, spec_ed25519_key, folder, suffix, suite_name,
                                                    unsigned_file):
    suite = get_cryptosuite(suite_name)
    loader = default_loader()
    unsigned = _unsigned_for(vectors, suite_name, unsigned_file)
    expected_config = vectors.json(f"{folder}/proofConfig{suffix}.json")
    options = {k: v for k, v in expected_config.items() if k != "@context"}

    proof = suite.proof_from_options(unsigned, options)
    config = suite.proof_config(unsigned, proof)
    assert config == expected_config

    canonical_doc = suite.transform(unsigned, config, loader=loader)
    canonical_config = suite.canonize_config(config, loader=loader)
    assert canonical_doc.decode("utf-8") == vectors.text(f"{folder}/canonDoc{suffix}.txt")
    assert canonical_config.decode("utf-8") == vectors.text(f"{folder}/proofCanon{suffix}.txt")
    assert _sha256_hex(canonical_doc) == vectors.value(f"{folder}/docHash{suffix}.txt")
    assert _sha256_hex(canonical_config) == vectors.value(f"{folder}/proofHash{suffix}.txt")

    hash_data = suite.hash(canonical_doc, canonical_config)
    assert hash_data.hex() == vectors.value(f"{folder}/combinedHash{suffix}.txt")
    signature = suite.serialize_proof(hash_data, spec_ed25519_key)
    assert signature.hex() == vectors.value(f"{folder}/sigHex{suffix}.txt")
    assert encode_base58btc(signature) == vectors.value(f"{folder}/sigBTC58{suffix}.txt")
    assert suite.verify_signature(hash_data, signature, spec_ed25519_key.public)


@pytest.mark.parametrize(("folder", "suffix", "suite_name", "unsigned_file"), EDDSA_CASES,
                         ids=[c[0].removeprefix("vc-di-eddsa/") for c in EDDSA_CASES])
def test_eddsa_vector_signed_document_is_reproduced(vectors, spec_ed25519_key, folder, suffix, suite_name,
                                                    unsigned_file):
    expected = vectors.json(f"{folder}/signed{suffix}.json")
    # the legacy suite's context is appended by add_proof, as jsonld-signatures does
    signed = add_proof(vectors.json(unsigned_file), spec_ed25519_key, cryptosuite=suite_name,
                       verification_method=SPEC_VM, created=CREATED)
    assert signed == expected
    assert list(signed["proof"]) == list(expected["proof"])  # same member order as the spec's file


@pytest.mark.parametrize(("folder", "suffix", "suite_name", "unsigned_file"), EDDSA_CASES,
                         ids=[c[0].removeprefix("vc-di-eddsa/") for c in EDDSA_CASES])
def test_eddsa_vector_verifies_but_issuer_is_not_the_key_controller(vectors, resolver, folder, suffix,
                                                                     suite_name, unsigned_file):
    checks = verify_proofs(vectors.json(f"{folder}/signed{suffix}.json"), resolver=resolver)
    by_name = {c.check: c for c in checks}
    assert by_name["proof"].passed, by_name["proof"]
    assert by_name["proof_purpose"].passed
    # the spec's issuer (https://vc.example/issuers/5678) does not control did:key:z6MkrJVn...
    assert by_name["proof_controller"].code == "ISSUER_MISMATCH"
    assert failed_codes(checks) == ["ISSUER_MISMATCH"]


# --- vc-di-eddsa proof sets and chains ----------------------------------------------------------

PSC = "vc-di-eddsa/proof-set-chain"


def _psc_key(vectors, name: str) -> KeyPair:
    return KeyPair.from_multibase(vectors.json(f"{PSC}/multiKeyPairs.json")[name]["privateKeyMultibase"])


def _add_from_config(vectors, document: dict, config_file: str, key_name: str) -> dict:
    config = vectors.json(f"{PSC}/{config_file}")
    return add_proof(
        document,
        _psc_key(vectors, key_name),
        cryptosuite=config["cryptosuite"],
        verification_method=config["verificationMethod"],
        created=config["created"],
        proof_id=config.get("id"),
        previous_proof=config.get("previousProof"),
    )


def test_proof_set_and_chain_vectors_are_reproduced_step_by_step(vectors):
    set1 = _add_from_config(vectors, vectors.json(f"{PSC}/unsigned.json"), "proofSetConfig1.json", "keyPair1")
    assert set1 == vectors.json(f"{PSC}/signedProofSet1.json")
    set2 = _add_from_config(vectors, set1, "proofSetConfig2.json", "keyPair2")
    assert set2 == vectors.json(f"{PSC}/signedProofSet2.json")
    assert set2["proof"][1] == vectors.json(f"{PSC}/proofSetConfigSigned2.json")
    chain1 = _add_from_config(vectors, set2, "proofChainConfig1.json", "keyPair3")
    assert chain1 == vectors.json(f"{PSC}/signedProofChain1.json")
    assert chain1["proof"][2] == vectors.json(f"{PSC}/proofChainConfigSigned1.json")
    chain2 = _add_from_config(vectors, chain1, "proofChainConfig2.json", "keyPair4")
    assert chain2 == vectors.json(f"{PSC}/signedProofChain2.json")
    assert chain2["proof"][3] == vectors.json(f"{PSC}/proofChainConfigSigned2.json")


@pytest.mark.parametrize(("temp_doc", "signed_proof", "key_name"), [
    ("proofChainTempDoc1.json", "proofChainConfigSigned1.json", "keyPair3"),
    ("proofChainTempDoc2.json", "proofChainConfigSigned2.json", "keyPair4"),
])
def test_chained_proof_signs_the_document_with_its_previous_proofs(vectors, temp_doc, signed_proof, key_name):
    # the spec's intermediate document: unsecured document + the proofs named by previousProof
    suite = get_cryptosuite("eddsa-rdfc-2022")
    suite.verify_proof(vectors.json(f"{PSC}/{temp_doc}"), vectors.json(f"{PSC}/{signed_proof}"),
                       _psc_key(vectors, key_name).public, loader=default_loader())


@pytest.mark.parametrize("name", ["signedProofSet1.json", "signedProofSet2.json",
                                  "signedProofChain1.json", "signedProofChain2.json"])
def test_proof_set_and_chain_vectors_verify_every_proof(vectors, resolver, name):
    document = vectors.json(f"{PSC}/{name}")
    checks = verify_proofs(document, resolver=resolver)
    proofs = [c for c in checks if c.check == "proof"]
    expected = len(document["proof"]) if isinstance(document["proof"], list) else 1
    assert len(proofs) == expected
    assert all(c.passed for c in proofs), proofs
    assert all(c.passed for c in checks if c.check == "proof_purpose")
    assert set(failed_codes(checks)) == {"ISSUER_MISMATCH"}  # vc.example issuer, did:key methods


def test_chained_proof_fails_when_a_previous_proof_is_removed(vectors, resolver):
    document = vectors.json(f"{PSC}/signedProofChain2.json")
    document["proof"] = [p for p in document["proof"] if p.get("id") != "urn:uuid:d94f792a-c546-4d06-b38a-da070ab56c23"]
    checks = verify_proofs(document, resolver=resolver)
    proof_checks = [c for c in checks if c.check == "proof"]
    assert [c.passed for c in proof_checks] == [True, True, False]
    assert proof_checks[2].code == "MALFORMED_PROOF"
    assert "previousProof" in proof_checks[2].message


def test_chained_proof_fails_when_a_previous_proof_changes(vectors, resolver):
    document = vectors.json(f"{PSC}/signedProofChain2.json")
    document["proof"][2]["created"] = "2023-02-26T22:06:39Z"  # breaks proof 3, and proof 4 that covers it
    checks = verify_proofs(document, resolver=resolver)
    proof_checks = [c for c in checks if c.check == "proof"]
    assert [c.code for c in proof_checks] == [None, None, "INVALID_SIGNATURE", "INVALID_SIGNATURE"]


# --- VCDM 1.1 credentials signed by Digital Bazaar's libraries ---------------------------------

VC11 = "vcdm11-eddsa"
VC11_SUITES = ["eddsa-rdfc-2022", "eddsa-jcs-2022", "Ed25519Signature2020"]


@pytest.mark.parametrize("suite_name", VC11_SUITES)
def test_vcdm11_reference_credentials_fully_verify(vectors, resolver, suite_name):
    checks = verify_proofs(vectors.json(f"{VC11}/signed-vc11-{suite_name}.json"), resolver=resolver)
    assert [c.check for c in checks] == ["proof", "proof_purpose", "proof_controller"]
    assert all(c.passed for c in checks), checks


@pytest.mark.parametrize("suite_name", VC11_SUITES)
def test_vcdm11_reference_credentials_verify_with_the_reference_did_document(vectors, suite_name):
    offline = DidResolver(methods=(), preloaded=[vectors.json(f"{VC11}/did-key-z6MkrJVn-document.json")])
    checks = verify_proofs(vectors.json(f"{VC11}/signed-vc11-{suite_name}.json"), resolver=offline)
    assert all(c.passed for c in checks), checks


@pytest.mark.parametrize("suite_name", VC11_SUITES)
def test_vcdm11_resigning_gives_the_reference_proof_value(vectors, spec_ed25519_key, suite_name):
    expected = vectors.json(f"{VC11}/signed-vc11-{suite_name}.json")
    signed = add_proof(vectors.json(f"{VC11}/unsigned-vc11.json"), spec_ed25519_key, cryptosuite=suite_name,
                       verification_method=SPEC_VM, created=CREATED)
    assert signed["proof"]["proofValue"] == expected["proof"]["proofValue"]
    assert signed == expected  # the suite's context appended exactly as vc-js does


# --- vc-di-ecdsa: ecdsa-rdfc-2019 with P-256 ----------------------------------------------------

ECDSA = "vc-di-ecdsa/ecdsa-rdfc-2019-p256"


def test_ecdsa_spec_key_pair_decodes(vectors, spec_p256_key):
    key = spec_p256_key
    assert key.alg == "P-256"
    assert key.public == PublicKey.from_multibase(vectors.json("vc-di-ecdsa/p256KeyPair.json")["publicKeyMultibase"])


def test_ecdsa_employ_vector_steps_and_signature(vectors, spec_p256_key):
    suite = get_cryptosuite("ecdsa-rdfc-2019")
    loader = default_loader()
    signed = vectors.json(f"{ECDSA}/employ/signedECDSAP256.json")
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    options = {k: v for k, v in signed["proof"].items() if k != "proofValue"}
    config = suite.proof_config(unsigned, options)
    canonical_config = suite.canonize_config(config, loader=loader)
    assert canonical_config.decode("utf-8") == vectors.text(f"{ECDSA}/employ/proofCanonECDSAP256.txt")
    assert _sha256_hex(canonical_config) == vectors.value(f"{ECDSA}/employ/proofHashECDSAP256.txt")
    hash_data = suite.hash(suite.transform(unsigned, config, loader=loader), canonical_config, alg="P-256")
    assert hash_data.hex() == vectors.value(f"{ECDSA}/employ/combinedHashECDSAP256.txt")

    signature = decode_multibase(signed["proof"]["proofValue"])
    assert signature.hex() == vectors.value(f"{ECDSA}/employ/sigHexECDSAP256.txt")
    assert signed["proof"]["proofValue"] == vectors.value(f"{ECDSA}/employ/sigBTC58ECDSAP256.txt")
    assert suite.verify_signature(hash_data, signature, spec_p256_key.public)


def test_ecdsa_employ_vector_verifies_but_issuer_is_another_did(vectors, resolver):
    checks = verify_proofs(vectors.json(f"{ECDSA}/employ/signedECDSAP256.json"), resolver=resolver)
    by_name = {c.check: c for c in checks}
    assert by_name["proof"].passed, by_name["proof"]
    assert by_name["proof_purpose"].passed
    assert by_name["proof_controller"].code == "ISSUER_MISMATCH"


def _ecdsa_alumni_signed(vectors) -> dict:
    # rebuilt from the upstream files of one commit (see SOURCE.md): unsigned + proof options + sigBTC58
    return {
        **vectors.json("vc-di-eddsa/unsigned.json"),
        "proof": {
            "type": "DataIntegrityProof",
            "cryptosuite": "ecdsa-rdfc-2019",
            "created": CREATED,
            "verificationMethod": P256_VM,
            "proofPurpose": "assertionMethod",
            "proofValue": vectors.value(f"{ECDSA}/alumni/sigBTC58ECDSAP256.txt"),
        },
    }


def test_ecdsa_alumni_vector_hash_and_signature(vectors, spec_p256_key, resolver):
    suite = get_cryptosuite("ecdsa-rdfc-2019")
    loader = default_loader()
    signed = _ecdsa_alumni_signed(vectors)
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    config = suite.proof_config(unsigned, {k: v for k, v in signed["proof"].items() if k != "proofValue"})
    hash_data = suite.hash(suite.transform(unsigned, config, loader=loader),
                           suite.canonize_config(config, loader=loader), alg="P-256")
    assert hash_data.hex() == vectors.value(f"{ECDSA}/alumni/combinedHashECDSAP256.txt")
    signature = bytes.fromhex(vectors.value(f"{ECDSA}/alumni/sigHexECDSAP256.txt"))
    assert encode_base58btc(signature) == signed["proof"]["proofValue"]
    assert suite.verify_signature(hash_data, signature, spec_p256_key.public)
    checks = verify_proofs(signed, resolver=resolver)
    assert {c.check: c.code for c in checks} == {
        "proof": None, "proof_purpose": None, "proof_controller": "ISSUER_MISMATCH",
    }


def test_ecdsa_signing_with_the_spec_key_matches_the_deterministic_parts(vectors, spec_p256_key, resolver):
    # ECDSA signatures are randomized: the hash data is fixed, the signature differs but verifies
    unsigned = vectors.json("vc-di-eddsa/unsigned.json")
    signed = add_proof(unsigned, spec_p256_key, cryptosuite="ecdsa-rdfc-2019",
                       verification_method=P256_VM, created=CREATED)
    assert signed["proof"] == {**_ecdsa_alumni_signed(vectors)["proof"], "proofValue": signed["proof"]["proofValue"]}
    assert len(decode_multibase(signed["proof"]["proofValue"])) == 64
    again = add_proof(unsigned, spec_p256_key, cryptosuite="ecdsa-rdfc-2019",
                      verification_method=P256_VM, created=CREATED)
    assert again["proof"]["proofValue"] != signed["proof"]["proofValue"]
    for document in (signed, again):
        checks = verify_proofs(document, resolver=resolver)
        assert failed_codes(checks) == ["ISSUER_MISMATCH"]
