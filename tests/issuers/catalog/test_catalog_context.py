"""The generated jitsuin context: committed bytes equal the generated ones, pinned, registered, and sound."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import datetime, timezone
from typing import Any

import pytest
from pyld import jsonld

from issuers.catalog import (
    JITSUIN_CONTEXT_URL,
    JITSUIN_VOCAB,
    JITSUIN_VOCAB_DOCUMENT_URL,
    Catalog,
    build_context,
    build_credential,
    build_vocabulary,
    extension_contexts,
    load_type,
    register_catalog_contexts,
)
from issuers.catalog.context import CONTEXTS_DIR, JITSUIN_CONTEXT_FILE, JITSUIN_VOCAB_FILE, serialize
from issuers.catalog.loader import VC_RESERVED_TERMS, VC_SHARED_TERMS
from vc.errors import CatalogError, ContextIntegrityError
from vc.jsonld import BUNDLED_CONTEXTS_DIR, DocumentLoader
from vc.jsonld.safe_mode import check_safe

VALID_FROM = datetime(2025, 4, 1, tzinfo=timezone.utc)


def test_committed_context_equals_the_generated_one(catalog: Catalog) -> None:
    generated = serialize(build_context(catalog.all()))
    committed = (CONTEXTS_DIR / JITSUIN_CONTEXT_FILE).read_bytes()
    assert committed == generated, "a type file changed: run `python -m issuers.catalog` and commit the result"


def test_committed_vocabulary_equals_the_generated_one(catalog: Catalog) -> None:
    generated = serialize(build_vocabulary(catalog.all()))
    assert (CONTEXTS_DIR / JITSUIN_VOCAB_FILE).read_bytes() == generated, "run `python -m issuers.catalog`"


def test_manifest_pins_the_committed_bytes() -> None:
    manifest = json.loads((CONTEXTS_DIR / "manifest.json").read_bytes())
    urls = {item["url"]: item for item in manifest["contexts"]}
    assert set(urls) == {JITSUIN_CONTEXT_URL, JITSUIN_VOCAB_DOCUMENT_URL}
    for item in urls.values():
        assert hashlib.sha256((CONTEXTS_DIR / item["file"]).read_bytes()).hexdigest() == item["sha256"]


def test_context_is_protected_json_ld_1_1(catalog: Catalog) -> None:
    context = json.loads((CONTEXTS_DIR / JITSUIN_CONTEXT_FILE).read_bytes())["@context"]
    assert context["@version"] == 1.1 and context["@protected"] is True
    for ctype in catalog.all():
        assert context[ctype.credential_type] == {"@id": JITSUIN_VOCAB + ctype.credential_type}
        for name, definition in ctype.terms.items():
            assert context[name] == definition.to_context()
    assert context["birthDate"] == {"@id": "https://schema.org/birthDate",
                                    "@type": "http://www.w3.org/2001/XMLSchema#date"}
    assert context["chain"]["@container"] == "@list"  # the causal chain of a death certificate is ordered
    assert "name" not in context and "id" not in context  # shared with the VC context, not redefined


def test_register_serves_the_pinned_context() -> None:
    loader = register_catalog_contexts(DocumentLoader())
    assert JITSUIN_CONTEXT_URL in loader.urls
    assert loader(JITSUIN_CONTEXT_URL)["document"]["@context"]["@protected"] is True
    tampered = DocumentLoader()
    raw = (CONTEXTS_DIR / JITSUIN_CONTEXT_FILE).read_bytes()
    with pytest.raises(ContextIntegrityError):
        tampered.register(JITSUIN_CONTEXT_URL, raw + b" ", sha256=hashlib.sha256(raw).hexdigest())


def test_terms_reach_the_subject_whatever_the_type_name_sorts_as(catalog: Catalog, loader: Any) -> None:
    # WithholdingSlipCredential sorts after VerifiableCredential: type-scoped terms would be lost in the subject
    ctype = catalog.get("WithholdingSlip")
    credential = build_credential(ctype, ctype.sample, issuer="did:example:i", valid_from=VALID_FROM)
    expanded = jsonld.expand(credential, loader.pyld_options())
    subject = expanded[0]["https://www.w3.org/2018/credentials#credentialSubject"][0]
    assert f"{JITSUIN_VOCAB}paymentAmount" in subject


def test_every_term_of_every_type_expands_to_its_iri(catalog: Catalog, loader: Any) -> None:
    for ctype in catalog.all():
        subject = {name: "x" for name in ctype.terms}
        document = {"@context": ["https://www.w3.org/ns/credentials/v2", JITSUIN_CONTEXT_URL],
                    "type": ["VerifiableCredential", ctype.credential_type], "issuer": "did:example:i",
                    "credentialSubject": subject}
        check_safe(document, loader=loader)
        expanded = jsonld.expand(document, loader.pyld_options())[0]
        node = expanded["https://www.w3.org/2018/credentials#credentialSubject"][0]
        assert expanded["@type"][1] == JITSUIN_VOCAB + ctype.credential_type
        assert {d.iri for d in ctype.terms.values()} == set(node), ctype.id


def test_undefined_claim_is_caught_by_safe_mode(catalog: Catalog, loader: Any) -> None:
    ctype = catalog.get("ResidentRecord")
    credential = build_credential(ctype, ctype.sample, issuer="did:example:i", valid_from=VALID_FROM)
    check_safe(credential, loader=loader)
    credential["credentialSubject"]["unmapped"] = "x"
    with pytest.raises(Exception, match="unmapped"):
        check_safe(credential, loader=loader)


def test_reserved_names_cover_the_vc_and_data_integrity_contexts() -> None:
    defined: set[str] = set()
    for name in ("credentials-v2.jsonld", "data-integrity-v2.jsonld"):
        _collect_terms(json.loads((BUNDLED_CONTEXTS_DIR / name).read_bytes())["@context"], defined)
    missing = defined - VC_RESERVED_TERMS - set(VC_SHARED_TERMS)
    assert not missing, f"add to VC_RESERVED_TERMS: {sorted(missing)}"


def test_conflicting_definitions_across_types_refused(minimal_type: dict) -> None:
    other = copy.deepcopy(minimal_type)
    other["id"] = "BicyclePermit"
    other["terms"]["plate"] = "https://bicycle.example.jp/vocab#plate"
    with pytest.raises(CatalogError) as info:
        build_context([load_type(minimal_type), load_type(other)])
    assert info.value.code == "TYPE_INVALID" and "plate" in info.value.message


def test_extension_type_gets_its_own_context(minimal_type: dict) -> None:
    ctype = load_type(minimal_type)
    contexts = extension_contexts([ctype])
    assert list(contexts) == [ctype.context_url]
    loader = register_catalog_contexts(DocumentLoader(), Catalog([ctype]))
    credential = build_credential(ctype, ctype.sample, issuer="did:example:i", valid_from=VALID_FROM)
    assert credential["@context"][1] == ctype.context_url
    check_safe(credential, loader=loader)


def test_vocabulary_aligns_to_imi_and_gif(catalog: Catalog) -> None:
    vocabulary = json.loads((CONTEXTS_DIR / JITSUIN_VOCAB_FILE).read_bytes())
    entries = {e["@id"]: e for e in vocabulary["@graph"]}
    kana = entries[JITSUIN_VOCAB + "familyNameKana"]
    assert {"@id": "http://imi.go.jp/ns/core/rdf#カナ表記"} in kana["rdfs:seeAlso"]
    assert "GIF: Person.familyNameKana" in kana["rdfs:comment"]
    assert {"@value": "氏（カナ）", "@language": "ja"} in kana["rdfs:label"]
    code = entries[JITSUIN_VOCAB + "localGovernmentCode"]
    assert {"@id": "http://imi.go.jp/ns/core/rdf#市区町村コード"} in code["rdfs:seeAlso"]
    # every jitsuin IRI used by a term is described, with labels in both languages
    for ctype in catalog.all():
        for definition in ctype.terms.values():
            if definition.iri.startswith(JITSUIN_VOCAB):
                languages = {label["@language"] for label in entries[definition.iri]["rdfs:label"]}
                assert {"ja", "en"} <= languages, definition.iri
    # it is plain JSON-LD with an inline context: expansion keeps every entry
    expanded = jsonld.expand(vocabulary, {"documentLoader": DocumentLoader(bundle=None)})
    assert len(expanded) == len(vocabulary["@graph"])
    assert entries[JITSUIN_VOCAB_DOCUMENT_URL]["@type"] == "owl:Ontology"


def _collect_terms(context: Any, out: set[str]) -> None:
    """Top-level terms and the terms of type-scoped contexts (a protected jitsuin term clashes with those);
    property-scoped contexts may override protected terms, so they cannot clash."""
    if isinstance(context, dict):
        for key, value in context.items():
            if not key.startswith("@"):
                out.add(key)
            if key[:1].isupper() and isinstance(value, dict) and "@context" in value:
                _collect_terms(value["@context"], out)


def test_core_bundle_carries_the_same_jitsuin_context() -> None:
    """vc bundles a copy of the generated context so verifiers need not import issuers; they must not drift."""
    from pathlib import Path

    import vc.jsonld

    core = Path(vc.jsonld.__file__).parent / "contexts" / "jitsuin-v1.jsonld"
    catalog = Path(__file__).parents[3] / "issuers" / "catalog" / "contexts" / "jitsuin-v1.jsonld"
    assert core.read_bytes() == catalog.read_bytes(), (
        "vc/jsonld/contexts/jitsuin-v1.jsonld differs from the catalog's: copy it over and update "
        "vc/jsonld/contexts/manifest.json's sha256"
    )
