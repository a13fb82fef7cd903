import json
import re
from pathlib import Path

import pytest

from vc.did import DidResolver, did_jwk, did_jwk_document
from vc.encoding import b64url_encode
from vc.errors import InvalidDidError, VerificationMethodNotFoundError
from vc.keys import KeyPair, PublicKey

SPEC = (Path(__file__).resolve().parents[2] / "vectors" / "did-jwk" / "spec.md").read_text()


def _example(title):
    """The DID and DID document of the spec's example section ``title``."""
    section = SPEC.split(f"### {title}\n", 1)[1]
    did = re.search(r"#### DID\n```text\n(.+?)\n```", section).group(1)
    document = json.loads(re.search(r"#### DID Document\n```json\n(.+?)\n```", section, re.S).group(1))
    return did, document


def test_p256_example_round_trips_exactly():
    did, expected = _example("P-256")
    # the spec's authentication entry has a stray "$" from its template; everything else is literal
    assert expected["authentication"][0].startswith("did:jwk:$")
    expected["authentication"] = [expected["authentication"][0].replace("did:jwk:$", "did:jwk:")]
    public = PublicKey.from_jwk(expected["verificationMethod"][0]["publicKeyJwk"])
    assert did_jwk(public) == did
    assert DidResolver().resolve(did) == expected
    vm = DidResolver().dereference(did + "#0")
    assert vm == expected["verificationMethod"][0]
    assert DidResolver().verification_method_key(vm) == public


def test_x25519_example_document():
    did, expected = _example("X25519")
    assert did_jwk_document(did) == expected  # use "enc": keyAgreement only


def test_round_trip_generated_keys():
    resolver = DidResolver()
    for alg in ("Ed25519", "P-256"):
        public = KeyPair.generate(alg).public
        did = did_jwk(public)
        vm = resolver.dereference(did + "#0")
        assert vm["type"] == "JsonWebKey2020"
        assert resolver.verification_method_key(vm) == public
        assert resolver.is_authorized(did + "#0", "assertionMethod")


def test_use_sig_has_no_key_agreement():
    jwk = {**KeyPair.generate().public.to_jwk(), "use": "sig"}
    did = "did:jwk:" + b64url_encode(json.dumps(jwk).encode())
    document = did_jwk_document(did)
    assert "keyAgreement" not in document
    assert document["assertionMethod"] == [did + "#0"]
    assert document["verificationMethod"][0]["publicKeyJwk"] == jwk


def test_only_fragment_0_exists():
    did = did_jwk(KeyPair.generate().public)
    with pytest.raises(VerificationMethodNotFoundError):
        DidResolver().dereference(did + "#1")


@pytest.mark.parametrize(
    "payload",
    [
        KeyPair.generate().to_jwk(private=True),  # private keys must be rejected
        [1, 2],
        {"crv": "Ed25519"},
    ],
    ids=["private", "array", "no-kty"],
)
def test_invalid_payloads(payload):
    did = "did:jwk:" + b64url_encode(json.dumps(payload).encode())
    with pytest.raises(InvalidDidError):
        did_jwk_document(did)


@pytest.mark.parametrize("bad", ["did:jwk:eyJ=", "did:jwk:!!", "did:jwk:bm90IGpzb24", "did:jwk:a:b"])
def test_malformed_did_jwk(bad):
    with pytest.raises(InvalidDidError):
        DidResolver().resolve(bad)
