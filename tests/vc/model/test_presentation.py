"""validate_presentation and check_self_asserted."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from vc.errors import DataModelError
from vc.model import CREDENTIALS_V1_CONTEXT, CREDENTIALS_V2_CONTEXT, check_self_asserted, validate_presentation

HOLDER = "did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj"

CREDENTIAL = {
    "@context": [CREDENTIALS_V2_CONTEXT],
    "type": ["VerifiableCredential"],
    "issuer": "did:example:issuer",
    "credentialSubject": {"id": HOLDER},
    "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofValue": "z1"},
}

ENVELOPED = {
    "@context": CREDENTIALS_V2_CONTEXT,
    "type": "EnvelopedVerifiableCredential",
    "id": "data:application/vc+jwt,eyJhbGciOiJFUzI1NiJ9.e30.c2ln",
}

PRESENTATION = {
    "@context": [CREDENTIALS_V2_CONTEXT],
    "id": "urn:uuid:9c9a36f8-518f-4976-a934-6649502d0008",
    "type": ["VerifiablePresentation"],
    "holder": HOLDER,
    "verifiableCredential": [CREDENTIAL, ENVELOPED],
    "proof": {"type": "DataIntegrityProof", "proofPurpose": "authentication", "challenge": "abc"},
}


def _with(**changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(PRESENTATION)
    doc.update(copy.deepcopy(changes))
    return doc


def _code(doc: Any, check: Any = validate_presentation) -> tuple[str, str]:
    with pytest.raises(DataModelError) as info:
        check(doc)
    return info.value.code, info.value.detail["property"]


def test_full_presentation_is_accepted() -> None:
    validate_presentation(PRESENTATION)


def test_single_credential_object_and_holder_object_are_accepted() -> None:
    validate_presentation(_with(verifiableCredential=CREDENTIAL, holder={"id": HOLDER, "name": "Taro"}))


def test_v11_presentation_is_accepted() -> None:
    credential = {
        "@context": [CREDENTIALS_V1_CONTEXT],
        "type": "VerifiableCredential",
        "issuer": "did:example:issuer",
        "issuanceDate": "2020-01-01T00:00:00Z",
        "credentialSubject": {"id": HOLDER},
    }
    validate_presentation(_with(**{"@context": [CREDENTIALS_V1_CONTEXT], "verifiableCredential": [credential]}))


@pytest.mark.parametrize(
    ("changes", "code", "prop"),
    [
        ({"type": ["VerifiableCredential"]}, "INVALID_TYPE", "type"),
        ({"id": "9c9a36f8"}, "INVALID_ID", "id"),
        ({"holder": None}, "INVALID_HOLDER", "holder"),
        ({"holder": {"id": ["did:example:a"]}}, "INVALID_HOLDER", "holder.id"),
        ({"verifiableCredential": []}, "INVALID_CREDENTIAL", "verifiableCredential"),
        ({"verifiableCredential": [CREDENTIAL, 5]}, "INVALID_CREDENTIAL", "verifiableCredential[1]"),
        ({"verifiableCredential": [{**CREDENTIAL, "issuer": "x"}]}, "INVALID_ISSUER", "verifiableCredential[0].issuer"),
        ({"verifiableCredential": [{**ENVELOPED, "id": "https://example.org/vc/1"}]},
         "INVALID_ENVELOPED_CREDENTIAL", "verifiableCredential[0].id"),
        ({"verifiableCredential": [{**ENVELOPED, "@context": [CREDENTIALS_V1_CONTEXT]}]},
         "INVALID_CONTEXT", "verifiableCredential[0].@context"),
        ({"termsOfUse": {"id": "https://example.org/terms"}}, "INVALID_TERMS_OF_USE", "termsOfUse.type"),
        ({"proof": [{"type": "DataIntegrityProof"}, {}]}, "INVALID_PROOF", "proof[1].type"),
    ],
)
def test_presentation_rules(changes: dict[str, Any], code: str, prop: str) -> None:
    assert _code(_with(**changes)) == (code, prop)


@pytest.mark.parametrize("doc", [None, [], "vp"])
def test_not_an_object(doc: Any) -> None:
    assert _code(doc)[0] == "INVALID_PRESENTATION"


def _unsigned(issuer: Any) -> dict[str, Any]:
    credential = {k: v for k, v in CREDENTIAL.items() if k != "proof"}
    credential["issuer"] = issuer
    return credential


def test_self_asserted_credential_issued_by_holder_is_accepted() -> None:
    check_self_asserted(_with(verifiableCredential=[_unsigned({"id": HOLDER}), CREDENTIAL, ENVELOPED]))
    check_self_asserted(_with(holder={"id": HOLDER}, verifiableCredential=[_unsigned(HOLDER)]))


def test_credentials_with_own_proof_need_no_holder() -> None:
    doc = _with()
    del doc["holder"]
    check_self_asserted(doc)


def test_self_asserted_without_holder() -> None:
    doc = _with(verifiableCredential=[CREDENTIAL, _unsigned(HOLDER)])
    del doc["holder"]
    assert _code(doc, check_self_asserted) == ("MISSING_HOLDER", "holder")


def test_self_asserted_issuer_must_be_holder() -> None:
    doc = _with(verifiableCredential=[CREDENTIAL, _unsigned("did:example:someone-else")])
    assert _code(doc, check_self_asserted) == ("HOLDER_MISMATCH", "verifiableCredential[1].issuer")
