"""A certificate type as the rest of jitsuin uses it: checked, resolved, immutable.

The type file (``issuers/catalog/types/*.yaml``, read by :mod:`issuers.catalog.loader`) becomes a
:class:`CertificateType`: the claims schema with its shared parts merged in, a JSON-LD term for every claim,
labels in Japanese and English, the sensitivity of each claim (catalog.md: H, M, L), derived predicates, the
default validity and format, and the issuer kinds allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .claim_paths import ClaimPath, SchemaNode, format_path
from .durations import Duration
from .predicates import Predicate

__all__ = [
    "Alignment",
    "CertificateType",
    "JITSUIN_VOCAB",
    "Sensitivity",
    "TermDefinition",
    "XSD",
]

#: the jitsuin vocabulary namespace: every jitsuin term IRI is this plus the term name
JITSUIN_VOCAB = "https://w3id.org/jitsuin/vocab#"
XSD = "http://www.w3.org/2001/XMLSchema#"

Sensitivity = Literal["H", "M", "L"]


@dataclass(frozen=True, slots=True)
class TermDefinition:
    """A claim name's JSON-LD meaning: its IRI, and the value coercion the context gives it."""

    iri: str
    datatype: str | None = None  # e.g. xsd:date for ``format: date`` claims
    container: str | None = None  # "@list" for ordered arrays

    def to_context(self) -> str | dict[str, str]:
        """The term definition as it appears in a JSON-LD context."""
        out: dict[str, str] = {"@id": self.iri}
        if self.datatype:
            out["@type"] = self.datatype
        if self.container:
            out["@container"] = self.container
        return out


@dataclass(frozen=True, slots=True)
class Alignment:
    """How a jitsuin term relates to GIF (項目名, no IRIs exist) and to IMI 共通語彙基盤 terms (IRIs)."""

    gif: str | None = None
    imi: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, eq=False)
class CertificateType:
    """One version of a certificate type. Read-only: treat its mappings as frozen.

    ``schema`` validates ``credentialSubject`` claims (JSON Schema 2020-12, parts merged into ``$defs``);
    ``claims`` lists every claim the schema declares; ``sensitivity`` is keyed by claim path (``(name, None)``
    for "each element of array ``name``").
    """

    id: str
    version: str
    credential_type: str
    name: Mapping[str, str]
    description: Mapping[str, str]
    issuer_kinds: tuple[str, ...]
    default_validity: Duration | None
    default_format: str
    schema: Mapping[str, Any]
    claims: tuple[SchemaNode, ...]
    terms: Mapping[str, TermDefinition]
    labels: Mapping[str, Mapping[str, str]]
    order: tuple[str, ...]
    sensitivity: Mapping[ClaimPath, Sensitivity]
    predicates: Mapping[str, Predicate]
    alignment: Mapping[str, Alignment]
    sample: Mapping[str, Any]
    context_url: str
    schema_url: str
    builtin: bool = False
    source: str | None = None
    basis: Mapping[str, str] | None = None
    parts: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:
        return f"CertificateType(id={self.id!r}, version={self.version!r}, credential_type={self.credential_type!r})"

    @property
    def version_tuple(self) -> tuple[int, ...]:
        """``"1.2.0"`` -> ``(1, 2, 0)``, for ordering versions."""
        return tuple(int(p) for p in self.version.split("."))

    @property
    def major(self) -> int:
        return self.version_tuple[0]

    @property
    def vct(self) -> str:
        """The SD-JWT VC type (``vct``) for this type and major version."""
        return f"https://w3id.org/jitsuin/vct/{self.id}/v{self.major}"

    def claim(self, path: ClaimPath) -> SchemaNode | None:
        """The schema node of a claim path, or None."""
        return next((c for c in self.claims if c.path == path), None)

    @property
    def top_level_claims(self) -> tuple[str, ...]:
        """Top-level claim names in display order."""
        return self.order

    def label(self, path: ClaimPath | str, lang: str = "ja") -> str:
        """The display label of a claim in ``lang`` (falls back to English, then to the claim name)."""
        key = path if isinstance(path, str) else format_path(path)
        labels = self.labels.get(key)
        if labels is None:
            name = key.replace("[]", "").rsplit(".", 1)[-1]
            labels = self.labels.get(name, {})
        return labels.get(lang) or labels.get("en") or key

    def sensitivity_of(self, path: ClaimPath) -> Sensitivity:
        """The sensitivity that applies to a claim: its own, else the nearest enclosing claim's, else L."""
        for end in range(len(path), 0, -1):
            found = self.sensitivity.get(path[:end])
            if found is not None:
                return found
        return "L"
