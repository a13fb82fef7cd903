"""Tamper tests: every single-leaf change to a signed credential fails verification with the right code.

Hypothesis picks the place and the new value; the expected code follows from the kind of change:

- a changed value, a removed property or list item: INVALID_SIGNATURE (UNDEFINED_TERM for the RDFC
  suites on a VCDM 1.1 document when the removed item is its ``VerifiableCredential`` type, whose scoped
  context defines ``issuer``, ``credentialSubject`` ...);
- a renamed or added property: INVALID_SIGNATURE when the contexts still define it (VCDM 2.0 documents
  use the examples context's ``@vocab``; eddsa-jcs-2022 signs the JSON itself), UNDEFINED_TERM for the
  RDFC suites on a VCDM 1.1 document, whose contexts have no ``@vocab`` (safe mode);
- a changed type value on a VCDM 1.1 document with an RDFC suite: UNDEFINED_TERM (relative type IRI);
- a ``@context`` entry replaced by an unknown URL: CONTEXT_NOT_ALLOWED (RDFC suites), INVALID_SIGNATURE
  for eddsa-jcs-2022 (the document's contexts no longer start with the proof's);
- a changed proof option: INVALID_SIGNATURE, UNKNOWN_CRYPTOSUITE for an unknown suite name, and
  KEY_TYPE_MISMATCH when the suite is switched to one for another key type.
"""

from __future__ import annotations

import json
import string
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vc.did import DidResolver, did_key
from vc.encoding.multibase import decode_multibase, encode_base58btc
from vc.keys import KeyPair
from vc.proofs import add_proof, get_cryptosuite, verify_proofs

CASES = [
    (suite, alg, version)
    for suite, alg in [("eddsa-rdfc-2022", "Ed25519"), ("eddsa-jcs-2022", "Ed25519"),
                       ("ecdsa-rdfc-2019", "P-256"), ("Ed25519Signature2020", "Ed25519")]
    for version in ("2.0", "1.1")
]
CASE_IDS = [f"{suite}-vcdm{version}" for suite, _, version in CASES]
RESOLVER = DidResolver()
TAMPER_SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                           suppress_health_check=[HealthCheck.function_scoped_fixture])

suffixes = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=6)


def _key(alg: str, index: int = 0) -> KeyPair:
    return KeyPair.from_seed(bytes([index + 40]) * 32, alg)


def _vm(key: KeyPair) -> str:
    did = did_key(key.public)
    return f"{did}#{did.removeprefix('did:key:')}"


def _credential(issuer: str, version: str) -> dict[str, Any]:
    if version == "1.1":
        return {
            "@context": ["https://www.w3.org/2018/credentials/v1", "https://www.w3.org/2018/credentials/examples/v1"],
            "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
            "type": ["VerifiableCredential", "AlumniCredential"],
            "issuer": {"id": issuer, "name": "Example University"},
            "issuanceDate": "2024-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
        }
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
        "type": ["VerifiableCredential", "AlumniCredential"],
        "name": "Alumni Credential",
        "issuer": {"id": issuer, "name": "Example University"},
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:abcdefgh",
            "alumniOf": {"name": "The School of Examples", "department": ["Law", "Letters"]},
            "graduated": 2020,
        },
    }


@cache
def _signed_json(suite: str, alg: str, version: str) -> str:
    key = _key(alg)
    signed = add_proof(_credential(did_key(key.public), version), key, cryptosuite=suite,
                       verification_method=_vm(key), created="2024-04-01T00:00:00Z")
    return json.dumps(signed)


def _signed(suite: str, alg: str, version: str) -> dict[str, Any]:
    return json.loads(_signed_json(suite, alg, version))  # a fresh copy per example


# --- paths into the credential (never into @context or proof) --------------------------------


def _walk(value: Any, path: tuple = ()):  # yields (path, value) for every node below the top
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        if path == () and key in ("@context", "proof"):
            continue
        yield (*path, key), child
        yield from _walk(child, (*path, key))


def _parent(doc: dict, path: tuple) -> Any:
    node = doc
    for step in path[:-1]:
        node = node[step]
    return node


def _is_type_value(path: tuple) -> bool:
    return "type" in path[-2:]


def _proof_check(doc: dict[str, Any]):
    checks = verify_proofs(doc, resolver=RESOLVER)
    assert not all(c.passed for c in checks)
    return next(c for c in checks if c.check == "proof")


def _rdfc(suite: str) -> bool:
    return get_cryptosuite(suite).uses_jsonld


def test_untampered_credentials_verify():
    for suite, alg, version in CASES:
        checks = verify_proofs(_signed(suite, alg, version), resolver=RESOLVER)
        assert all(c.passed for c in checks), (suite, version, checks)


@pytest.mark.parametrize(("suite", "alg", "version"), CASES, ids=CASE_IDS)
@TAMPER_SETTINGS
@given(data=st.data())
def test_changed_value(suite, alg, version, data):
    doc = _signed(suite, alg, version)
    leaves = [(p, v) for p, v in _walk(doc) if isinstance(v, (str, int))]
    path, value = data.draw(st.sampled_from(leaves))
    if isinstance(value, str):
        _parent(doc, path)[path[-1]] = value + data.draw(suffixes)
    else:
        _parent(doc, path)[path[-1]] = value + data.draw(st.integers(min_value=1, max_value=10**6))
    undefined = _rdfc(suite) and version == "1.1" and _is_type_value(path)
    assert _proof_check(doc).code == ("UNDEFINED_TERM" if undefined else "INVALID_SIGNATURE")


@pytest.mark.parametrize(("suite", "alg", "version"), CASES, ids=CASE_IDS)
@TAMPER_SETTINGS
@given(data=st.data())
def test_renamed_property(suite, alg, version, data):
    doc = _signed(suite, alg, version)
    keys = [p for p, _ in _walk(doc) if isinstance(p[-1], str)]
    path = data.draw(st.sampled_from(keys))
    parent = _parent(doc, path)
    # "_" keeps the new name clear of every term the bundled contexts define
    parent[path[-1] + "_" + data.draw(suffixes)] = parent.pop(path[-1])
    undefined = _rdfc(suite) and version == "1.1"
    assert _proof_check(doc).code == ("UNDEFINED_TERM" if undefined else "INVALID_SIGNATURE")


@pytest.mark.parametrize(("suite", "alg", "version"), CASES, ids=CASE_IDS)
@TAMPER_SETTINGS
@given(data=st.data())
def test_added_property(suite, alg, version, data):
    doc = _signed(suite, alg, version)
    objects = [()] + [p for p, v in _walk(doc) if isinstance(v, dict)]
    path = data.draw(st.sampled_from(objects))
    target = doc
    for step in path:
        target = target[step]
    target["extra_" + data.draw(suffixes)] = data.draw(suffixes)
    undefined = _rdfc(suite) and version == "1.1"
    assert _proof_check(doc).code == ("UNDEFINED_TERM" if undefined else "INVALID_SIGNATURE")


@pytest.mark.parametrize(("suite", "alg", "version"), CASES, ids=CASE_IDS)
@TAMPER_SETTINGS
@given(data=st.data())
def test_removed_property_or_item(suite, alg, version, data):
    doc = _signed(suite, alg, version)
    path = data.draw(st.sampled_from([p for p, _ in _walk(doc)]))
    parent = _parent(doc, path)
    del parent[path[-1]]
    # VCDM 1.1 defines issuer, credentialSubject ... inside the VerifiableCredential type's scoped context
    undefined = _rdfc(suite) and version == "1.1" and path in (("type",), ("type", 0))
    assert _proof_check(doc).code == ("UNDEFINED_TERM" if undefined else "INVALID_SIGNATURE")


@pytest.mark.parametrize(("suite", "alg", "version"), CASES, ids=CASE_IDS)
@TAMPER_SETTINGS
@given(data=st.data())
def test_changed_context_entry(suite, alg, version, data):
    doc = _signed(suite, alg, version)
    index = data.draw(st.integers(min_value=0, max_value=len(doc["@context"]) - 1))
    doc["@context"][index] = "https://unknown.example/contexts/" + data.draw(suffixes)
    expected = "CONTEXT_NOT_ALLOWED" if _rdfc(suite) else "INVALID_SIGNATURE"
    assert _proof_check(doc).code == expected


def _option_changes(suite: str, alg: str) -> dict[str, tuple[Any, str]]:
    """name -> (change(proof, draw), expected code of the proof check)."""
    other_vm = _vm(_key(alg, 1))
    changes: dict[str, tuple[Any, str]] = {
        "created": (lambda p, draw: p.__setitem__("created", "2001-01-01T00:00:00Z"), "INVALID_SIGNATURE"),
        "verificationMethod": (lambda p, draw: p.__setitem__("verificationMethod", other_vm), "INVALID_SIGNATURE"),
        "proofPurpose": (lambda p, draw: p.__setitem__("proofPurpose", "authentication"), "INVALID_SIGNATURE"),
        "expires": (lambda p, draw: p.__setitem__("expires", "2001-01-01T00:00:00Z"), "INVALID_SIGNATURE"),
        "challenge": (lambda p, draw: p.__setitem__("challenge", draw(suffixes)), "INVALID_SIGNATURE"),
        "domain": (lambda p, draw: p.__setitem__("domain", draw(suffixes) + ".example"), "INVALID_SIGNATURE"),
        "nonce": (lambda p, draw: p.__setitem__("nonce", draw(suffixes)), "INVALID_SIGNATURE"),
        "proofValue": (_flip_signature_byte, "INVALID_SIGNATURE"),
    }
    if suite == "Ed25519Signature2020":
        changes["type"] = (lambda p, draw: p.__setitem__("type", "Ed25519Signature" + draw(suffixes)),
                           "UNKNOWN_CRYPTOSUITE")
        return changes
    changes["cryptosuite-unknown"] = (lambda p, draw: p.__setitem__("cryptosuite", "x-" + draw(suffixes)),
                                      "UNKNOWN_CRYPTOSUITE")
    for other in ("eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019"):
        if other != suite:
            code = "INVALID_SIGNATURE" if alg in get_cryptosuite(other).key_algs else "KEY_TYPE_MISMATCH"
            changes[f"cryptosuite-{other}"] = (lambda p, draw, o=other: p.__setitem__("cryptosuite", o), code)
    if suite == "eddsa-jcs-2022":
        # the proof's @context is still a prefix of the document's, but the hashed document changes
        changes["proof-context"] = (lambda p, draw: p.__setitem__("@context", p["@context"][:1]),
                                    "INVALID_SIGNATURE")
    return changes


def _flip_signature_byte(proof: dict[str, Any], draw: Any) -> None:
    signature = bytearray(decode_multibase(proof["proofValue"]))
    index = draw(st.integers(min_value=0, max_value=len(signature) - 1))
    signature[index] ^= draw(st.integers(min_value=1, max_value=255))
    proof["proofValue"] = encode_base58btc(bytes(signature))


@pytest.mark.parametrize(("suite", "alg", "version"), CASES, ids=CASE_IDS)
@TAMPER_SETTINGS
@given(data=st.data())
def test_changed_proof_option(suite, alg, version, data):
    doc = _signed(suite, alg, version)
    changes = _option_changes(suite, alg)
    name = data.draw(st.sampled_from(sorted(changes)))
    change, expected = changes[name]
    change(doc["proof"], data.draw)
    assert _proof_check(doc).code == expected, name
