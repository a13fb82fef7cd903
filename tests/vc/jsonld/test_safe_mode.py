"""Safe mode: every lossy JSON-LD expansion is an UndefinedTermError naming the property path."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from vc.errors import ProtectedTermError, UndefinedTermError
from vc.jsonld import DocumentLoader, canonize, check_safe, expand, expand_safe

V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
EXAMPLES_V1 = "https://www.w3.org/2018/credentials/examples/v1"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
UNDEFINED_TERMS_V2 = "https://www.w3.org/ns/credentials/undefined-terms/v2"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"


def credential(context: list[Any], **changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": context,
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:subject"},
    }
    if context and context[0] == V1:
        doc["issuanceDate"] = "2024-01-01T00:00:00Z"
    doc.update(changes)
    return doc


@pytest.fixture(scope="module")
def loader() -> DocumentLoader:
    return DocumentLoader()


SAFE = {
    "v2": credential([V2]),
    "v1": credential([V1]),
    "v2 examples (its @vocab maps undefined types and terms)": credential(
        [V2, EXAMPLES_V2], type=["VerifiableCredential", "UndefinedType"], anything="x"
    ),
    "v2 undefined-terms context (@vocab)": credential(
        [V2, UNDEFINED_TERMS_V2], type=["VerifiableCredential", "UndefinedType"],
        credentialSubject={"id": "did:example:subject", "nickname": "x", "type": "Person"},
    ),
    "v1 examples": credential(
        [V1, EXAMPLES_V1], type=["VerifiableCredential", "UniversityDegreeCredential"],
        credentialSubject={"id": "did:example:subject", "degree": {"type": "BachelorDegree", "name": "x"}},
    ),
    "full URL type and property": credential(
        [V2], type=["VerifiableCredential", "https://example.org/vocab#Thing"],
        credentialSubject={"id": "did:example:subject", "https://example.org/vocab#p": "x"},
    ),
    "blank-node ids": credential([V2], credentialSubject={"id": "_:b0", "https://example.org/vocab#p": "x"}),
    "language tag": credential([V2], name={"@value": "x", "@language": "ja-JP"}),
    "null values are simply absent": credential([V2, EXAMPLES_V2], anything=None),
    "data integrity proof": credential(
        [V2],
        proof={
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "created": "2024-01-01T00:00:00Z",
            "verificationMethod": "did:example:issuer#key-1",
            "proofPurpose": "assertionMethod",
            "proofValue": "z1111",
        },
    ),
}


@pytest.mark.parametrize("name", sorted(SAFE))
def test_safe_documents_pass(name: str, loader: DocumentLoader) -> None:
    check_safe(SAFE[name], loader=loader)


@pytest.mark.parametrize("name", sorted(SAFE))
def test_expand_safe_returns_the_plain_expansion(name: str, loader: DocumentLoader) -> None:
    assert expand_safe(SAFE[name], loader=loader) == expand(SAFE[name], loader=loader)


# name -> (document, jsonld.js safe-mode event, property path in the message)
UNSAFE: dict[str, tuple[dict[str, Any], str, str]] = {
    "undefined term at top level (v2)": (credential([V2], nickname="x"), "invalid property", "nickname"),
    "undefined term at top level (v1)": (credential([V1], nickname="x"), "invalid property", "nickname"),
    "undefined term in credentialSubject": (
        credential([V2], credentialSubject={"id": "did:example:subject", "nickname": "x"}),
        "invalid property", "credentialSubject.nickname",
    ),
    "undefined term deep in an array": (
        credential([V2], credentialSubject=[{"id": "did:example:a"},
                                            {"id": "did:example:b", "https://example.org/v#p": {"nickname": 1}}]),
        "invalid property", "credentialSubject[1].https://example.org/v#p.nickname",
    ),
    "undefined type (v1 has no @vocab)": (
        credential([V1], type=["VerifiableCredential", "UndefinedType"]), "relative @type reference", "type",
    ),
    "undefined type (the v2 context has no @vocab either)": (
        credential([V2], type=["VerifiableCredential", "UndefinedType"]), "relative @type reference", "type",
    ),
    "undefined type in credentialSubject": (
        credential([V2], credentialSubject={"id": "did:example:subject", "type": "Person"}),
        "relative @type reference", "credentialSubject.type",
    ),
    "@vocab reset to null": (
        credential([V2, EXAMPLES_V2, {"@vocab": None}], type=["VerifiableCredential", "UndefinedType"]),
        "relative @type reference", "type",
    ),
    "relative @id": (credential([V2], id="credential-1"), "relative @id reference", "id"),
    "relative @id of the subject": (
        credential([V2], credentialSubject={"id": "subject-1"}), "relative @id reference", "credentialSubject.id",
    ),
    "relative IRI for an @id-typed property": (
        credential([V2], issuer="issuer-1"), "relative object reference", "issuer",
    ),
    "relative IRI in an array": (
        credential([V2], evidence=[{"id": "urn:uuid:1", "type": "https://example.org/v#E"}, "ev-2"]),
        "relative object reference", "evidence[1]",
    ),
    "relative @vocab": (credential([V2, {"@vocab": "terms/"}], nickname="x"), "relative @vocab reference", ""),
    "reserved term in an inline context": (
        credential([V2, {"@nickname": "https://example.org/v#nickname"}]), "reserved term", "",
    ),
    "property mapped to a blank node": (
        credential([V2, {"nickname": "_:b0"}], nickname="x"), "blank node predicate", "nickname",
    ),
    "invalid language tag": (
        credential([V2], name={"@value": "x", "@language": "en_US"}), "invalid @language value", "name.@language",
    ),
    "null @value": (credential([V2, EXAMPLES_V2], anything={"@value": None}), "empty object", "anything"),
    "empty proof graph": (credential([V2], proof={}), "empty object", "proof"),
}


@pytest.mark.parametrize("name", sorted(UNSAFE))
def test_unsafe_documents_are_refused_with_their_path(name: str, loader: DocumentLoader) -> None:
    doc, event, path = UNSAFE[name]
    with pytest.raises(UndefinedTermError) as info:
        check_safe(doc, loader=loader)
    error = info.value
    assert error.code == "UNDEFINED_TERM"
    assert error.detail["event"] == event
    if path:
        assert error.detail["path"] == path
        assert path in error.message


@pytest.mark.filterwarnings("ignore:terms beginning with:SyntaxWarning")  # pyld's note on the '@' term
@pytest.mark.parametrize("name", sorted(UNSAFE))
def test_unsafe_documents_still_expand_without_safe_mode(name: str, loader: DocumentLoader) -> None:
    # the same documents are valid JSON-LD: only the safe check refuses them
    doc = UNSAFE[name][0]
    expand(doc, loader=loader)
    with pytest.raises(UndefinedTermError):
        canonize(doc, loader=loader, safe=True)


def test_messages_name_properties_but_not_values(loader: DocumentLoader) -> None:
    doc = credential([V2], credentialSubject={"id": "yamada-taro-1980-01-01"})
    with pytest.raises(UndefinedTermError) as info:
        check_safe(doc, loader=loader)
    assert "yamada" not in str(info.value)
    assert "credentialSubject.id" in info.value.message
    doc = credential([V2], credentialSubject={"id": "did:example:subject", "nickname": "Taro"})
    with pytest.raises(UndefinedTermError) as info:
        check_safe(doc, loader=loader)
    assert "Taro" not in str(info.value)
    assert "credentialSubject.nickname" in info.value.message


def test_protected_term_redefinition_is_its_own_error(loader: DocumentLoader) -> None:
    doc = credential([V2, {"VerifiableCredential": "https://example.org/#BadVerifiableCredential"}])
    with pytest.raises(ProtectedTermError):
        check_safe(doc, loader=loader)


def test_check_does_not_modify_the_input(loader: DocumentLoader) -> None:
    doc = credential([V2], nickname="x")
    before = copy.deepcopy(doc)
    with pytest.raises(UndefinedTermError):
        check_safe(doc, loader=loader)
    assert doc == before


def test_safe_and_plain_canonical_forms_agree(loader: DocumentLoader) -> None:
    doc = SAFE["v1 examples"]
    assert canonize(doc, loader=loader, safe=True) == canonize(doc, loader=loader)
