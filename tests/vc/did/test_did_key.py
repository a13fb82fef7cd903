import json
from pathlib import Path

import pytest

from vc.did import DidResolver, did_key, did_key_document, did_key_public_key, verification_method_key
from vc.encoding import decode_base58btc
from vc.errors import InvalidDidError
from vc.keys import KeyPair, PublicKey

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "did-key"


def _load(*parts):
    return json.loads(VECTORS.joinpath(*parts).read_text())


def test_digitalbazaar_document_exactly():
    expected_text = (VECTORS / "digitalbazaar" / "did-key-z6MkrJVn-document.json").read_text()
    expected = json.loads(expected_text)
    spec_key = _load("digitalbazaar", "vc-di-eddsa-keyPair.json")
    did = did_key(KeyPair.from_multibase(spec_key["privateKeyMultibase"]).public)
    assert did == expected["id"]
    document = DidResolver().resolve(did)
    assert document == expected
    assert json.dumps(document, indent=2) == expected_text.strip()  # same member order too


ED25519_2022 = _load("did-method-key-2022", "ed25519-x25519.json")


@pytest.mark.parametrize("did", sorted(ED25519_2022))
def test_2022_ed25519_seed_to_did(did):
    vector = ED25519_2022[did]
    pair = KeyPair.from_seed(bytes.fromhex(vector["seed"]))
    assert did_key(pair.public) == did
    assert vector["didDocument"]["id"] == did
    # the old-style document: its first verification method holds the same key
    old_vm = vector["didDocument"]["verificationMethod"][0]
    assert verification_method_key(old_vm) == pair.public
    assert old_vm["id"] == f"{did}#{pair.public.to_multibase()}"
    # and our (Multikey) resolution carries that same key under the same VM id
    ours = DidResolver().dereference(old_vm["id"])
    assert ours["type"] == "Multikey"
    assert verification_method_key(ours) == pair.public
    private = vector["verificationKeyPair"].get("privateKeyJwk")
    if private:
        assert KeyPair.from_jwk(private) == pair


NIST_2022 = _load("did-method-key-2022", "nist-curves.json")
P256_DIDS = sorted(d for d in NIST_2022 if d.startswith("did:key:zDn"))


def test_p256_vectors_present():
    assert len(P256_DIDS) == 3


@pytest.mark.parametrize("did", P256_DIDS)
def test_2022_p256_vectors(did):
    vector = NIST_2022[did]
    vm = vector["verificationMethod"]
    if "privateKeyJwk" in vm:
        pair = KeyPair.from_jwk(vm["privateKeyJwk"])
        assert pair.public == PublicKey.from_jwk(vm["publicKeyJwk"])
    else:  # P256Key2021: raw base58 compressed point and scalar
        pair = KeyPair.from_secret(decode_base58btc(vm["privateKeyBase58"]), "P-256")
        assert pair.public.raw == decode_base58btc(vm["publicKeyBase58"])
    assert did_key(pair.public) == did
    assert did_key_public_key(did) == pair.public
    document = DidResolver().resolve(did)
    assert document["id"] == vector["didDocument"]["id"]
    assert [v["id"] for v in document["verificationMethod"]] == [
        v["id"] for v in vector["didDocument"]["verificationMethod"]
    ]
    assert verification_method_key(document["verificationMethod"][0]) == pair.public
    for relationship in ("assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation"):
        assert document[relationship] == vector["didDocument"][relationship]


@pytest.mark.parametrize("did", sorted(d for d in NIST_2022 if not d.startswith("did:key:zDn")))
def test_other_nist_curves_are_refused(did):
    with pytest.raises(InvalidDidError):
        DidResolver().resolve(did)


def test_did_key_spec_multikey_document():
    expected = _load("did-key-spec", "did-document-ed25519-x25519-z6MkhaXg.json")
    document = did_key_document(expected["id"])
    # the spec document uses the DID v1.1 context and adds a derived X25519 keyAgreement key,
    # which we do not produce; every other part must match
    for member in ("id", "verificationMethod", "authentication", "assertionMethod",
                   "capabilityDelegation", "capabilityInvocation"):
        assert document[member] == expected[member], member
    assert "keyAgreement" not in document


SPEC_VALUES = _load("did-key-spec", "did-key-values.json")["did_key_values"]


@pytest.mark.parametrize("did", SPEC_VALUES)
def test_did_key_spec_values(did):
    supported = did.startswith(("did:key:z6Mk", "did:key:zDn"))
    if supported:
        public = did_key_public_key(did)
        assert did_key(public) == did
        assert DidResolver().resolve(did)["verificationMethod"][0]["publicKeyMultibase"] == did[8:]
    else:  # secp256k1, BLS12-381, P-384 keys are not supported
        with pytest.raises(InvalidDidError):
            did_key_public_key(did)


def test_p256_document_shape():
    public = KeyPair.generate("P-256").public
    did = did_key(public)
    assert did.startswith("did:key:zDn")
    document = did_key_document(did)
    assert document["@context"] == ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
    vm = document["verificationMethod"][0]
    assert vm == {"id": f"{did}#{did[8:]}", "type": "Multikey", "controller": did, "publicKeyMultibase": did[8:]}


def test_document_is_a_fresh_copy():
    did = did_key(KeyPair.generate().public)
    document = did_key_document(did)
    document["assertionMethod"].append("did:key:evil#evil")
    assert did_key_document(did)["assertionMethod"] == [f"{did}#{did[8:]}"]


@pytest.mark.parametrize(
    "bad",
    ["did:key:6MkrJVna", "did:key:z", "did:key:zzzz", "did:key:" + "z" + "1" * 40, "did:jwk:eyJ9"],
)
def test_invalid_did_key(bad):
    with pytest.raises(InvalidDidError):
        did_key_public_key(bad)
