"""The jitsuin JSON-LD context, generated from the catalog, and the vocabulary document that aligns it.

- ``https://w3id.org/jitsuin/v1`` (``contexts/jitsuin-v1.jsonld``): ``@version 1.1``, ``@protected``; one term per
  claim name of the builtin types (IRIs under ``https://w3id.org/jitsuin/vocab#``, or schema.org where GIF takes
  a term from schema.org), ``xsd:date`` / ``xsd:dateTime`` for date claims, ``@list`` for ordered arrays, and
  each credential type. Pure: no alignment statements.
- ``https://w3id.org/jitsuin/vocab`` (``contexts/jitsuin-vocab.jsonld``): an RDFS description of every jitsuin
  term with labels in Japanese and English, ``rdfs:seeAlso`` to IMI 共通語彙基盤 terms and a comment naming the
  GIF item (GIF publishes no IRIs), as catalog.md §3 asks.

Claim terms are defined at the top of the context, not scoped to each credential type. A type-scoped context
only reaches ``credentialSubject`` with ``@propagate: true``, and JSON-LD 1.1 applies a node's type-scoped
contexts in lexicographic order of the types: for a type sorting after ``VerifiableCredential`` (such as
``WithholdingSlipCredential``) the non-propagating VerifiableCredential context is applied first and makes
the subject revert past the jitsuin terms, which are then dropped. So one name has one meaning across the whole
catalog (checked here), and claim names avoid every term the VC, Data Integrity and status contexts protect.

Both files are committed, pinned by SHA-256 in ``contexts/manifest.json``, and regenerated with
``python -m issuers.catalog`` after a type file changes (a test fails until then).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from vc.errors import CatalogError

from .certificate_type import JITSUIN_VOCAB, CertificateType
from .loader import JITSUIN_CONTEXT_URL

__all__ = [
    "CONTEXTS_DIR",
    "JITSUIN_CONTEXT_FILE",
    "JITSUIN_VOCAB_DOCUMENT_URL",
    "JITSUIN_VOCAB_FILE",
    "build_context",
    "build_vocabulary",
    "bundled_context_bytes",
    "extension_contexts",
    "register_catalog_contexts",
    "serialize",
    "write_bundled_contexts",
]

CONTEXTS_DIR = Path(__file__).parent / "contexts"
JITSUIN_CONTEXT_FILE = "jitsuin-v1.jsonld"
JITSUIN_VOCAB_FILE = "jitsuin-vocab.jsonld"
JITSUIN_VOCAB_DOCUMENT_URL = JITSUIN_VOCAB.rstrip("#")

IMI_NAMESPACE = "http://imi.go.jp/ns/core/rdf#"


def build_context(types: Iterable[CertificateType]) -> dict[str, Any]:
    """The JSON-LD context document defining the claim terms and credential types of ``types``.

    CatalogError TYPE_INVALID when two types give one term name different definitions.
    """
    terms: dict[str, tuple[str, Any]] = {}
    classes: dict[str, str] = {}
    for ctype in sorted(types, key=lambda t: (t.id, t.version_tuple)):
        if ctype.credential_type in classes and classes[ctype.credential_type] != ctype.id:
            raise CatalogError(f"types {classes[ctype.credential_type]} and {ctype.id} both use credential type "
                               f"{ctype.credential_type}; give each its own", code="TYPE_INVALID")
        classes[ctype.credential_type] = ctype.id
        for name, definition in ctype.terms.items():
            rendered = definition.to_context()
            if name in terms and terms[name][1] != rendered:
                raise CatalogError(
                    f"claim name {name!r} means different things in {terms[name][0]} and {ctype.id} "
                    f"({terms[name][1]} vs {rendered}); one context, one meaning per name: rename one",
                    code="TYPE_INVALID", term=name)
            terms.setdefault(name, (ctype.id, rendered))
    context: dict[str, Any] = {"@version": 1.1, "@protected": True}
    for name in sorted(classes):
        context[name] = {"@id": JITSUIN_VOCAB + name}
    for name in sorted(terms):
        context[name] = terms[name][1]
    return {"@context": context}


def build_vocabulary(types: Iterable[CertificateType]) -> dict[str, Any]:
    """The jitsuin vocabulary as JSON-LD: classes and properties with labels and GIF/IMI alignment."""
    graph: dict[str, dict[str, Any]] = {}
    for ctype in sorted(types, key=lambda t: (t.id, t.version_tuple)):
        class_id = JITSUIN_VOCAB + ctype.credential_type
        graph.setdefault(class_id, {
            "@id": class_id,
            "@type": "rdfs:Class",
            "rdfs:subClassOf": {"@id": "https://www.w3.org/2018/credentials#VerifiableCredential"},
            "rdfs:label": _lang_values(ctype.name),
            "rdfs:comment": _lang_values(ctype.description),
        })
        for name, definition in sorted(ctype.terms.items()):
            if not definition.iri.startswith(JITSUIN_VOCAB) or definition.iri in graph:
                continue
            entry: dict[str, Any] = {"@id": definition.iri, "@type": "rdf:Property",
                                     "rdfs:label": _lang_values(_term_labels(ctype, name))}
            if definition.datatype:
                entry["rdfs:range"] = {"@id": definition.datatype}
            alignment = ctype.alignment.get(name)
            if alignment is not None:
                if alignment.imi:
                    entry["rdfs:seeAlso"] = [{"@id": iri} for iri in alignment.imi]
                notes = [n for n in (f"GIF: {alignment.gif}" if alignment.gif else None, alignment.note) if n]
                if notes:
                    entry["rdfs:comment"] = " ".join(notes)
            graph[definition.iri] = entry
    ontology = {
        "@id": JITSUIN_VOCAB_DOCUMENT_URL,
        "@type": "owl:Ontology",
        "rdfs:label": [{"@value": "jitsuin 語彙", "@language": "ja"},
                       {"@value": "jitsuin vocabulary", "@language": "en"}],
        "rdfs:comment": "Terms of the jitsuin certificate catalog, aligned to the Digital Agency GIF data model "
                        "(no IRIs: named in comments) and to the IMI core vocabulary (rdfs:seeAlso).",
    }
    return {
        "@context": {
            "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "owl": "http://www.w3.org/2002/07/owl#",
            "rdfs:subClassOf": {"@type": "@id"},
            "rdfs:seeAlso": {"@type": "@id"},
            "rdfs:range": {"@type": "@id"},
        },
        "@graph": [ontology] + [graph[key] for key in sorted(graph)],
    }


def _term_labels(ctype: CertificateType, name: str) -> Mapping[str, str]:
    labels = ctype.labels.get(name)
    if labels is None:  # labelled only by path: take the first path ending in this name
        labels = next((v for k, v in ctype.labels.items() if k.rsplit(".", 1)[-1].replace("[]", "") == name), {})
    return labels


def _lang_values(texts: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"@value": texts[lang], "@language": lang} for lang in sorted(texts)]


def serialize(document: Mapping[str, Any]) -> bytes:
    """The exact bytes written for a generated document (stable: the SHA-256 pin depends on them)."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _manifest(files: Mapping[str, tuple[str, bytes]]) -> dict[str, Any]:
    return {"contexts": [
        {"url": url, "file": name, "sha256": hashlib.sha256(raw).hexdigest(),
         "source": "generated from issuers/catalog/types by python -m issuers.catalog",
         "license": "Apache-2.0"}
        for name, (url, raw) in sorted(files.items())
    ]}


def _generated_files(types: Iterable[CertificateType]) -> dict[str, tuple[str, bytes]]:
    builtin = [t for t in types if t.builtin]
    return {
        JITSUIN_CONTEXT_FILE: (JITSUIN_CONTEXT_URL, serialize(build_context(builtin))),
        JITSUIN_VOCAB_FILE: (JITSUIN_VOCAB_DOCUMENT_URL, serialize(build_vocabulary(builtin))),
    }


def write_bundled_contexts(types: Iterable[CertificateType] | None = None, *, directory: Path = CONTEXTS_DIR
                           ) -> list[Path]:
    """Regenerate the bundled context, vocabulary and manifest from the builtin types; returns the files."""
    if types is None:
        from .catalog import Catalog

        types = Catalog.load().all()
    files = _generated_files(list(types))
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (_, raw) in files.items():
        (directory / name).write_bytes(raw)
        written.append(directory / name)
    (directory / "manifest.json").write_bytes(serialize(_manifest(files)))
    written.append(directory / "manifest.json")
    return written


def bundled_context_bytes(url: str = JITSUIN_CONTEXT_URL) -> tuple[bytes, str]:
    """The committed bytes of a bundled document and its pinned SHA-256 (from ``contexts/manifest.json``)."""
    manifest = json.loads((CONTEXTS_DIR / "manifest.json").read_bytes())
    for item in manifest["contexts"]:
        if item["url"] == url:
            return (CONTEXTS_DIR / item["file"]).read_bytes(), item["sha256"]
    raise CatalogError(f"{url} is not a bundled jitsuin document", code="TYPE_UNKNOWN", url=url)


def extension_contexts(types: Iterable[CertificateType]) -> dict[str, dict[str, Any]]:
    """The context document of each non-builtin type, by its context URL (one type per context)."""
    out: dict[str, dict[str, Any]] = {}
    for ctype in types:
        if not ctype.builtin:
            out[ctype.context_url] = build_context([ctype])
    return out


def register_catalog_contexts(loader: Any, catalog: Any = None) -> Any:
    """Register the bundled jitsuin context (pinned by SHA-256) into ``loader``, plus the generated context of
    each non-builtin type of ``catalog`` (a Catalog or an iterable of types); returns the loader.

    ``loader`` is a :class:`vc.jsonld.DocumentLoader` (``register(url, document, *, sha256=None)``).
    """
    raw, sha256 = bundled_context_bytes(JITSUIN_CONTEXT_URL)
    result = loader.register(JITSUIN_CONTEXT_URL, raw, sha256=sha256)
    loader = result if result is not None else loader
    if catalog is not None:
        types = catalog.all() if hasattr(catalog, "all") else list(catalog)
        for url, document in extension_contexts(types).items():
            result = loader.register(url, document)
            loader = result if result is not None else loader
    return loader


def main(argv: list[str] | None = None) -> int:
    """``python -m issuers.catalog [--check]``: regenerate the bundled files (or check they are current)."""
    args = sys.argv[1:] if argv is None else argv
    from .catalog import Catalog

    files = _generated_files(Catalog.load().all())
    if "--check" in args:
        stale = [name for name, (_, raw) in files.items() if not (CONTEXTS_DIR / name).is_file()
                 or (CONTEXTS_DIR / name).read_bytes() != raw]
        for name in stale:
            print(f"{name} is out of date; run python -m issuers.catalog", file=sys.stderr)
        return 1 if stale else 0
    for path in write_bundled_contexts():
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
