"""Proof-configuration templates (vc.canon.templates): filled in, they give the full algorithm's bytes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vc.canon import canonize_full
from vc.canon.templates import _NOT_TEMPLATED, _Template, canonize_varying
from vc.jsonld import DocumentLoader

V2 = "https://www.w3.org/ns/credentials/v2"
V1 = "https://www.w3.org/2018/credentials/v1"
DI = "https://w3id.org/security/data-integrity/v2"
ED2020 = "https://w3id.org/security/suites/ed25519-2020/v1"
VARYING = ("created", "expires", "challenge", "nonce", "domain")

CONFIGS: dict[str, dict[str, Any]] = {
    "eddsa-rdfc-2022": {
        "@context": [V2], "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-04-01T00:00:00Z", "verificationMethod": "did:example:city#key-1",
        "proofPurpose": "assertionMethod",
    },
    "presentation": {
        "@context": [V2], "type": "DataIntegrityProof", "cryptosuite": "ecdsa-rdfc-2019",
        "created": "2026-04-01T00:00:00Z", "expires": "2026-04-01T00:05:00Z",
        "verificationMethod": "did:example:resident#key-1", "proofPurpose": "authentication",
        "challenge": "c-123", "domain": "https://city.example", "nonce": "n-456",
    },
    "domain list": {
        "@context": [V2], "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-04-01T00:00:00Z", "verificationMethod": "did:example:resident#key-1",
        "proofPurpose": "authentication", "domain": ["https://a.example", "https://b.example"],
    },
    "vcdm 1.1": {
        "@context": [V1, DI], "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-04-01T00:00:00Z", "verificationMethod": "did:example:city#key-1",
        "proofPurpose": "assertionMethod",
    },
    "Ed25519Signature2020": {
        "@context": [V1, ED2020], "type": "Ed25519Signature2020", "created": "2026-04-01T00:00:00Z",
        "verificationMethod": "did:example:city#key-1", "proofPurpose": "assertionMethod",
    },
    "with id": {
        "@context": [V2], "id": "urn:uuid:proof-1", "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022", "created": "2026-04-01T00:00:00Z",
        "verificationMethod": "did:example:city#key-1", "proofPurpose": "assertionMethod",
    },
}

# values a template must escape as the full path does
ODD_VALUES = ["", "plain", 'quote " and \\ backslash', "line\nbreak\ttab\rcr\b\f", "nul\x00del\x7f",
              "日本語", "_:b0", "did:example:x", "jitsuin-template-value-0-6c1f0e"]


@pytest.fixture()
def loader() -> DocumentLoader:
    return DocumentLoader()  # a fresh loader per test: a fresh compiler and template cache


def templates_of(loader: DocumentLoader) -> list[Any]:
    from vc.canon import _compiler

    return list(_compiler(loader).templates.values())


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_templated_configs_match_the_full_algorithm(name: str, loader: DocumentLoader) -> None:
    config = CONFIGS[name]
    for value in ODD_VALUES:
        doc = {**config, **{k: value for k in VARYING if type(config.get(k)) is str}}
        assert canonize_varying(doc, VARYING, loader=loader, safe=True) == canonize_full(doc, loader=loader, safe=True)
    assert [type(t) for t in templates_of(loader)] == [_Template]  # one shape, one template, used throughout


@given(created=st.text(max_size=40), challenge=st.text(max_size=10))
def test_any_string_values(created: str, challenge: str) -> None:
    loader = _SHARED
    doc = {**CONFIGS["presentation"], "created": created, "challenge": challenge}
    assert canonize_varying(doc, VARYING, loader=loader, safe=True) == canonize_full(doc, loader=loader, safe=True)


_SHARED = DocumentLoader()

INLINE = {"@version": 1.1, "ex": "https://example.org/#", "Thing": "ex:Thing", "type": "@type"}
XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
# (VC v2's DataIntegrityProof scope defines "created" itself, so these use a type of their own)
UNTEMPLATED: dict[str, dict[str, Any]] = {
    # the varying member is an IRI (coerced @id): its value changes the term, not a literal
    "coerced to @id": {"@context": [{**INLINE, "created": {"@id": "ex:created", "@type": "@id"}}],
                       "type": "Thing", "created": "https://example.org/when"},
    # xsd:double rewrites the lexical form (1 -> 1.0E0)
    "xsd:double": {"@context": [{**INLINE, "created": {"@id": "ex:created", "@type": XSD_DOUBLE}}],
                   "type": "Thing", "created": "1"},
    # another member has the same predicate: the two values could be one quad
    "shared predicate": {"@context": [{**INLINE, "created": "ex:created", "when": "ex:created"}],
                         "type": "Thing", "created": "2026-04-01T00:00:00Z", "when": "x"},
    # two blank nodes: labels depend on the values' hashes
    "two blank nodes": {"@context": [V2], "type": "DataIntegrityProof", "created": "2026-04-01T00:00:00Z",
                        "proofPurpose": "assertionMethod", "verificationMethod": {"type": "Multikey"}},
    # the varying member is undefined: dropped (plain) or refused (safe) by the full path
    "undefined": {"@context": [INLINE], "type": "Thing", "created": "x", "name": "y"},
}


@pytest.mark.parametrize("name", sorted(UNTEMPLATED))
@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
def test_shapes_that_do_not_qualify_are_canonized_in_full(name: str, safe: bool, loader: DocumentLoader) -> None:
    doc = UNTEMPLATED[name]
    for value in ("1", "2026-04-01T00:00:00Z", "x"):
        varied = {**doc, "created": value}
        expected = _outcome(lambda: canonize_full(varied, loader=loader, safe=safe))
        assert _outcome(lambda: canonize_varying(varied, VARYING, loader=loader, safe=safe)) == expected
    assert all(t is _NOT_TEMPLATED for t in templates_of(loader))


def test_shared_predicate_is_a_real_collision(loader: DocumentLoader) -> None:
    # the reason such shapes are refused: equal values make one quad where a template would write two
    doc = {**UNTEMPLATED["shared predicate"], "created": "x"}
    assert canonize_full(doc, loader=loader).count("\n") == 2  # the type and one ex:created "x"
    assert canonize_varying(doc, VARYING, loader=loader) == canonize_full(doc, loader=loader)


def test_a_plain_callable_loader_is_not_templated(monkeypatch: Any) -> None:
    # a plain callable gets a fresh compiler per call (vc.canon._compiler): no cache to keep a template in
    import vc.canon.templates as templates_module
    from vc.jsonld import default_loader

    def no_template(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a template was built for a plain callable loader")

    monkeypatch.setattr(templates_module, "_build", no_template)
    loader = default_loader()
    config = CONFIGS["eddsa-rdfc-2022"]
    assert canonize_varying(config, VARYING, loader=lambda url, options=None: loader(url, options), safe=True) == \
        canonize_full(config, loader=loader, safe=True)


def _outcome(run: Any) -> tuple[str, Any]:
    try:
        return "ok", run()
    except Exception as exc:  # noqa: BLE001 - the error (class and code) must be the full path's
        return "error", type(exc).__name__, getattr(exc, "code", None)


def test_the_template_cache_is_bounded_and_keeps_working(loader: DocumentLoader, monkeypatch: Any) -> None:
    import vc.canon.templates as templates_module

    monkeypatch.setattr(templates_module, "_MAX_TEMPLATES", 3)
    for holder in range(7):  # one shape per holder's verification method
        doc = {**CONFIGS["presentation"], "verificationMethod": f"did:example:holder-{holder}#key-1"}
        assert canonize_varying(doc, VARYING, loader=loader, safe=True) == canonize_full(doc, loader=loader, safe=True)
        assert 1 <= len(templates_of(loader)) <= 3
    assert [type(t) for t in templates_of(loader)] == [_Template]  # the newest shape is cached after a reset
