"""vc.canon.canonize: choosing the fast path, falling back to pyld, errors, limits and caching."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from vc.canon import Unsupported, canonicalize, canonize, canonize_full, fast_quads
from vc.errors import (
    CanonicalizationLimitError,
    ContextNotAllowedError,
    InputTooLargeError,
    ProtectedTermError,
    UndefinedTermError,
)
from vc.jsonld import DocumentLoader
from vc.jsonld.processing import canonize as jsonld_canonize

V2 = "https://www.w3.org/ns/credentials/v2"
EX = "https://jitsuin.example/vocab#"
VOCAB = {"@vocab": EX}
CRED = "https://www.w3.org/2018/credentials#"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

CREDENTIAL: dict[str, Any] = {
    "@context": [V2, {"familyName": f"{EX}familyName", "age": {"@id": f"{EX}age", "@type": XSD_INTEGER}}],
    "id": "urn:uuid:11111111-2222-3333-4444-555555555555",
    "type": ["VerifiableCredential"],
    "issuer": {"id": "did:example:city", "name": "千代田区"},
    "validFrom": "2026-04-01T09:00:00+09:00",
    "credentialSubject": {"id": "did:example:resident", "familyName": "山田", "age": 35},
}


@pytest.fixture(scope="module")
def loader() -> DocumentLoader:
    return DocumentLoader()


def test_a_credential_takes_the_fast_path_and_matches_pyld(loader: DocumentLoader) -> None:
    expected = canonize_full(CREDENTIAL, loader=loader)
    assert canonicalize(fast_quads(CREDENTIAL, loader=loader)) == expected
    assert canonize(CREDENTIAL, loader=loader) == expected
    assert jsonld_canonize(CREDENTIAL, loader=loader, safe=True) == expected  # what the proofs call
    assert f'<did:example:resident> <{EX}age> "35"^^<http://www.w3.org/2001/XMLSchema#integer> .\n' in expected
    assert f"<urn:uuid:11111111-2222-3333-4444-555555555555> <{CRED}issuer> <did:example:city> .\n" in expected


@pytest.mark.parametrize(
    "claim",
    [
        {"@list": [1, 2]},  # lists
        {"@value": "x", "@direction": "rtl", "@language": "ar"},  # base direction
        {"@type": "@json", "@value": {"a": 1}},  # JSON literals
        [1, {"@value": "1", "@type": XSD_INTEGER}],  # two JSON-LD values, one quad: pyld emits it twice
        {"@id": "relative/path"},  # a relative IRI
        {"@graph": {"p": 1}},
    ],
    ids=["list", "direction", "json", "duplicate-quad", "relative-iri", "graph"],
)
def test_unsupported_features_fall_back_to_pyld(claim: Any, loader: DocumentLoader) -> None:
    doc = {"@context": [V2, VOCAB], "claim": claim}
    with pytest.raises(Unsupported):
        fast_quads(doc, loader=loader)
    assert canonize(doc, loader=loader) == canonize_full(doc, loader=loader)


def test_errors_are_the_full_paths(loader: DocumentLoader) -> None:
    with pytest.raises(ContextNotAllowedError):
        canonize({"@context": [V2, "https://unknown.example/ctx"], "type": "VerifiableCredential"}, loader=loader)
    with pytest.raises(ProtectedTermError):
        canonize({"@context": [V2, {"name": f"{EX}name"}], "name": "x"}, loader=loader)
    undefined = {**CREDENTIAL, "credentialSubject": {"id": "did:example:x", "undefinedClaim": 1}}
    assert canonize(undefined, loader=loader) == canonize_full(undefined, loader=loader)  # dropped silently
    with pytest.raises(UndefinedTermError) as info:
        canonize(undefined, loader=loader, safe=True)
    assert info.value.detail["path"] == "credentialSubject.undefinedClaim"


def test_nesting_too_deep_is_input_too_large(loader: DocumentLoader) -> None:
    doc: dict[str, Any] = {"@context": VOCAB, "a": 0}
    node = doc
    for depth in range(5000):
        node["b"] = {"a": depth}
        node = node["b"]
    with pytest.raises(InputTooLargeError):
        canonize(doc, loader=loader)


def _clique(size: int) -> dict[str, Any]:
    """A credential whose subjects form a clique of blank nodes: the RDFC-1.0 poison shape (test074)."""
    nodes = [{"id": f"_:n{i}", "knows": [{"id": f"_:n{j}"} for j in range(size) if j != i]} for i in range(size)]
    return {"@context": [V2, VOCAB], "type": "VerifiableCredential", "credentialSubject": nodes}


@pytest.mark.parametrize("canonize_function", [canonize, jsonld_canonize], ids=["vc.canon", "vc.jsonld"])
def test_a_poisoned_credential_is_refused_quickly(canonize_function: Any, loader: DocumentLoader) -> None:
    doc = _clique(10)
    started = time.perf_counter()
    with pytest.raises(CanonicalizationLimitError) as info:
        canonize_function(doc, loader=loader)
    assert info.value.code == "CANONICALIZATION_LIMIT"
    assert time.perf_counter() - started < 10  # bounded (measured ~0.1 s); unbounded it runs for hours


def test_the_work_limit_is_a_parameter(loader: DocumentLoader) -> None:
    small = _clique(4)
    expected = canonize(small, loader=loader)
    assert canonize(small, loader=loader, max_work=10**6) == expected
    with pytest.raises(CanonicalizationLimitError):
        canonize(small, loader=loader, max_work=3)


def test_literals_are_escaped_as_rdfc_requires(loader: DocumentLoader) -> None:
    doc = {"@context": VOCAB, "@id": "urn:ex:s", "text": 'tab\tbs\bff\fnul\x00del\x7fq"'}
    line = '<urn:ex:s> <https://jitsuin.example/vocab#text> "tab\\tbs\\bff\\fnul\\u0000del\\u007Fq\\"" .\n'
    assert canonize(doc, loader=loader) == line
    assert canonize_full(doc, loader=loader) == line


def test_contexts_registered_in_one_loader_stay_there() -> None:
    url = "https://jitsuin.example/contexts/only-in-a"
    first, second = DocumentLoader(), DocumentLoader()
    first.register(url, {"@context": {"claim": f"{EX}claim"}})
    doc = {"@context": [V2, url], "claim": "x", "id": "urn:ex:s"}
    assert canonize(doc, loader=first) == f'<urn:ex:s> <{EX}claim> "x" .\n'
    with pytest.raises(ContextNotAllowedError):
        canonize(doc, loader=second)


class _UncachedLoader(DocumentLoader):
    """Serves documents without pyld's 'static' tag: they may change, so nothing may be kept."""

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        return {**super().__call__(url, options), "tag": None}


def test_documents_without_the_static_tag_are_loaded_again_each_call() -> None:
    loader = _UncachedLoader()
    for _ in range(3):
        canonize(CREDENTIAL, loader=loader)
    assert loader.load_counts[V2] == 3


def test_processed_contexts_are_reused_across_calls() -> None:
    loader = DocumentLoader()
    for _ in range(3):
        canonize(CREDENTIAL, loader=loader)
    assert loader.load_counts[V2] == 1


def test_concurrent_use(loader: DocumentLoader) -> None:
    docs = [{**CREDENTIAL, "credentialSubject": {"id": f"did:example:{i}", "age": i}} for i in range(40)]
    expected = [canonize_full(d, loader=loader) for d in docs]
    fresh = DocumentLoader()  # caches filled concurrently from empty
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(lambda d: canonize(d, loader=fresh), docs)) == expected
