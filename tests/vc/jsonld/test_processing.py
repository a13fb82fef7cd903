"""Expansion, N-Quads and RDFC-1.0 canonicalization through pyld, and the errors they raise."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from vc.errors import ContextNotAllowedError, InputError, JsonLdError, ProtectedTermError
from vc.jsonld import DocumentLoader, canonize, canonize_dataset, expand, to_dataset, to_nquads

V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
CRED = "https://www.w3.org/2018/credentials#"
UNKNOWN = "https://example.com/contexts/unknown/v1"

CREDENTIAL: dict[str, Any] = {
    "@context": [V2],
    "type": ["VerifiableCredential"],
    "issuer": "did:example:issuer",
    "credentialSubject": {"id": "did:example:subject"},
}

CANONICAL = (
    f"_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{CRED}VerifiableCredential> .\n"
    f"_:c14n0 <{CRED}credentialSubject> <did:example:subject> .\n"
    f"_:c14n0 <{CRED}issuer> <did:example:issuer> .\n"
)


@pytest.fixture(scope="module")
def loader() -> DocumentLoader:
    return DocumentLoader()


def test_canonize_gives_rdfc_nquads(loader: DocumentLoader) -> None:
    assert canonize(CREDENTIAL, loader=loader) == CANONICAL
    assert canonize(CREDENTIAL, loader=loader, safe=True) == CANONICAL


def test_canonize_does_not_modify_the_input(loader: DocumentLoader) -> None:
    doc = copy.deepcopy(CREDENTIAL)
    canonize(doc, loader=loader, safe=True)
    assert doc == CREDENTIAL


def test_canonize_is_canonize_dataset_of_to_dataset(loader: DocumentLoader) -> None:
    assert canonize_dataset(to_dataset(CREDENTIAL, loader=loader)) == CANONICAL


def test_expand(loader: DocumentLoader) -> None:
    [node] = expand(CREDENTIAL, loader=loader)
    assert node["@type"] == [f"{CRED}VerifiableCredential"]
    assert node[f"{CRED}issuer"] == [{"@id": "did:example:issuer"}]


def test_to_nquads_is_not_canonicalized_but_same_triples(loader: DocumentLoader) -> None:
    nquads = to_nquads(CREDENTIAL, loader=loader)
    assert sorted(line.split(" ", 1)[1] for line in nquads.splitlines()) == sorted(
        line.split(" ", 1)[1] for line in CANONICAL.splitlines()
    )


def test_language_direction_uses_i18n_datatype(loader: DocumentLoader) -> None:
    # what Digital Bazaar's Data Integrity libraries do (rdfDirection: 'i18n-datatype')
    doc = {**CREDENTIAL, "name": {"@value": "Example Credential", "@language": "en", "@direction": "ltr"}}
    assert '"Example Credential"^^<https://www.w3.org/ns/i18n#en_ltr>' in canonize(doc, loader=loader, safe=True)


def test_relative_iris_stay_relative(loader: DocumentLoader) -> None:
    # base is null like in jsonld.js: pyld's default would turn "urn-less" ids into http://example.org/base/...
    doc = {**CREDENTIAL, "id": "relative-id"}
    nquads = canonize(doc, loader=loader)
    assert "example.org/base" not in nquads
    assert "relative-id" not in nquads  # a relative subject is not RDF: its triples are left out, as in jsonld.js


def test_vocab_null_without_active_vocab_is_not_a_crash(loader: DocumentLoader) -> None:
    # pyld 3.3 raises KeyError here; JSON-LD 1.1 just means "no vocabulary mapping"
    doc = {**CREDENTIAL, "@context": [V2, {"@vocab": None, "ExampleTestCredential": "https://example.org/#T"}],
           "type": ["VerifiableCredential", "ExampleTestCredential"]}
    assert "<https://example.org/#T>" in canonize(doc, loader=loader, safe=True)


@pytest.mark.parametrize("operation", [canonize, expand, to_nquads, to_dataset])
def test_unknown_context_surfaces_as_context_not_allowed(operation: Any, loader: DocumentLoader) -> None:
    doc = {**CREDENTIAL, "@context": [V2, UNKNOWN]}
    with pytest.raises(ContextNotAllowedError) as info:
        operation(doc, loader=loader)
    assert UNKNOWN in info.value.message


def test_unknown_context_inside_a_registered_context(loader: DocumentLoader) -> None:
    app = "https://certificates.example.jp/contexts/app/v1"
    local = DocumentLoader(contexts={app: {"@context": [UNKNOWN, {"x": "https://x.example/x"}]}})
    with pytest.raises(ContextNotAllowedError) as info:
        canonize({**CREDENTIAL, "@context": [V2, app]}, loader=local, safe=True)
    assert UNKNOWN in info.value.message


def test_unknown_scoped_context_surfaces_as_context_not_allowed(loader: DocumentLoader) -> None:
    doc = {**CREDENTIAL, "@context": [V2, {"thing": {"@id": "https://x.example/thing", "@context": UNKNOWN}}],
           "thing": {"a": 1}}
    with pytest.raises(ContextNotAllowedError):
        canonize(doc, loader=loader)


def test_protected_term_redefinition(loader: DocumentLoader) -> None:
    doc = {**CREDENTIAL, "@context": [V2, {"VerifiableCredential": "https://example.org/#BadVerifiableCredential"}]}
    for safe in (False, True):
        with pytest.raises(ProtectedTermError) as info:
            canonize(doc, loader=loader, safe=safe)
        assert info.value.code == "PROTECTED_TERM_REDEFINITION"
        assert "VerifiableCredential" in info.value.message


def test_protected_term_redefinition_in_v1(loader: DocumentLoader) -> None:
    doc = {"@context": [V1, {"VerifiablePresentation": "https://evil.example/VP"}], "type": ["VerifiableCredential"]}
    with pytest.raises(ProtectedTermError):
        expand(doc, loader=loader)


@pytest.mark.parametrize(
    ("doc", "jsonld_code"),
    [
        ({**CREDENTIAL, "@context": [V2, 123192875]}, "invalid local context"),
        ({**CREDENTIAL, "id": ["urn:a", "urn:b"]}, "invalid @id value"),
        ({**CREDENTIAL, "type": [{"not": "a string"}]}, "invalid type value"),
    ],
)
def test_other_jsonld_errors(doc: dict[str, Any], jsonld_code: str, loader: DocumentLoader) -> None:
    with pytest.raises(JsonLdError) as info:
        canonize(doc, loader=loader)
    assert info.value.code == "JSONLD_ERROR"
    assert info.value.detail["jsonld_code"] == jsonld_code
    assert isinstance(info.value, InputError)


def test_a_plain_callable_loader_works_without_sharing_cache() -> None:
    calls: list[str] = []
    bundled = DocumentLoader()

    def plain(url: str, options: Any = None) -> dict[str, Any]:
        calls.append(url)
        return bundled(url, options)

    assert canonize(CREDENTIAL, loader=plain) == CANONICAL
    assert canonize(CREDENTIAL, loader=plain) == CANONICAL
    assert calls == [V2, V2]  # a private cache per call: nothing it served is reused by another loader
