"""A procedure as a declarative file: what it asks for, why, whom it trusts, and which form fields it fills.

File shape (YAML or JSON; ``verifier/procedures/builtin/`` holds the shipped ones):

    id: school-transfer
    version: "1"
    name: {ja: 転校（転入学）の手続, en: School transfer}
    purpose: {ja: ..., en: ...}               # shown to the resident with the request
    scope: [転校, 転入学]                     # the codes a RepresentationCredential's scope names it by
    credentials:                              # each becomes DCQL credential queries (one per format)
      - id: enrollment
        type: SchoolEnrollmentCredential      # VCDM type (ldp_vc, jwt_vc_json)
        typeIri: https://w3id.org/jitsuin/vocab#SchoolEnrollmentCredential
        vct: https://w3id.org/jitsuin/vct/SchoolEnrollment/v1   # SD-JWT VC type (dc+sd-jwt)
        formats: [dc+sd-jwt, ldp_vc]
        subject: holder_or_linked             # holder | holder_or_linked | linked | any
        maxAgeDays: 90                        # at most this long after validFrom / iat
        holderBinding: true                   # DCQL require_cryptographic_holder_binding (default true)
        claims: [{path: [familyName]}, {path: [school, name]}]   # relative to the subject
        links: {household: {relationships: [子]}}   # optional: this credential's own link rules (else the
                                                  # procedure's ``links``), e.g. a child's but not a partner's
    credentialSets:                           # alternatives, by credential id (DCQL credential_sets)
      - {options: [[enrollment]]}
      - {options: [[household], [representation]], required: false}
    links:                                    # which household/proxy links make a credential about
      household: {relationships: [子]}        # another person acceptable (verifier.policy.links)
      representation: {bases: [親権, 未成年後見]}
    trust:                                    # trust list entries this procedure adds
      - {domain: "*.lg.jp", types: [HouseholdCredential]}
    form:
      title: {ja: 転入学届, en: School transfer form}
      fields:
        - id: student_family_name
          label: {ja: 児童生徒の氏, en: Student's family name}
          from: [{credential: enrollment, path: [familyName]}]
          required: true
          display: text                       # how it reads (verifier.procedures.form DISPLAYS: text, date,
                                              # datetime, full_name, address, sex, yen, member, schedule)

Every form source must be covered by a claim the procedure asks for, so a form never shows what was not
requested.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from vc.dcql import REPORTED_FORMATS, ClaimPath
from vc.errors import PolicyError
from verifier.policy.links import LinkRules
from verifier.policy.trust import TrustEntry, _EntryFile, _pydantic_problems, read_structured_file

if TYPE_CHECKING:
    from verifier.results import VerifierResult

    from .form import FilledForm

__all__ = [
    "DCQL_FORMATS",
    "SUBJECT_MODES",
    "CredentialSet",
    "FieldSource",
    "FormField",
    "Procedure",
    "Requirement",
]

#: DCQL credential format -> the formats ``vc`` verifiers report for it
DCQL_FORMATS: Mapping[str, frozenset[str]] = REPORTED_FORMATS
_QUERY_SUFFIX = {"dc+sd-jwt": "sdjwt", "ldp_vc": "ldp", "jwt_vc_json": "jwt"}
SUBJECT_MODES = ("holder", "holder_or_linked", "linked", "any")
_ID = re.compile(r"^[A-Za-z0-9_-]+$")


def _path_text(path: ClaimPath) -> str:
    return ".".join("[]" if p is None else str(p) for p in path)


@dataclass(frozen=True, slots=True)
class Requirement:
    """One credential a procedure asks for."""

    id: str
    type: str
    formats: tuple[str, ...]
    claims: tuple[ClaimPath, ...]
    subject: str = "holder_or_linked"
    vct: str | None = None
    type_iri: str | None = None
    optional: bool = False
    max_age: timedelta | None = None
    holder_binding: bool = True
    claim_values: Mapping[ClaimPath, tuple[Any, ...]] = field(default_factory=dict, compare=False)
    link_rules: LinkRules | None = None  # None: the procedure's

    def links(self, procedure_rules: LinkRules) -> LinkRules:
        """The household/proxy link rules for a credential filling this requirement."""
        return self.link_rules if self.link_rules is not None else procedure_rules

    @property
    def type_names(self) -> frozenset[str]:
        return frozenset(n for n in (self.type, self.vct) if n)

    @property
    def query_ids(self) -> tuple[str, ...]:
        """The DCQL credential query ids for this requirement: its id for the first format, ``id_<fmt>`` after."""
        return tuple(self.id if i == 0 else f"{self.id}_{_QUERY_SUFFIX[f]}" for i, f in enumerate(self.formats))

    def query_format(self, query_id: str) -> str | None:
        return dict(zip(self.query_ids, self.formats)).get(query_id)

    def accepts(self, type_names: frozenset[str], fmt: str, *, query_id: str | None = None) -> bool:
        """True when a credential with these type names (aliases included) and ``vc`` format fits."""
        formats = [self.query_format(query_id)] if query_id is not None else list(self.formats)
        return bool(self.type_names & type_names) and any(f and fmt in DCQL_FORMATS[f] for f in formats)

    def covers(self, path: ClaimPath) -> bool:
        """True when ``path`` (relative to the subject) lies within a requested claim."""
        return any(len(path) >= len(c) and all(a == b for a, b in zip(path, c)) for c in self.claims)


@dataclass(frozen=True, slots=True)
class CredentialSet:
    """DCQL credential set: ``options`` of requirement ids, one of which must be fully presented if ``required``."""

    options: tuple[tuple[str, ...], ...]
    required: bool = True


@dataclass(frozen=True, slots=True)
class FieldSource:
    """Where a form field's value comes from: a requirement's claim (``where`` filters array elements)."""

    credential: str
    path: ClaimPath
    where: Mapping[str, Any] = field(default_factory=dict)

    @property
    def path_text(self) -> str:
        return _path_text(self.path)


@dataclass(frozen=True, slots=True)
class FormField:
    id: str
    label: Mapping[str, str]
    sources: tuple[FieldSource, ...]
    required: bool = False
    display: str = "text"


@dataclass(frozen=True, slots=True)
class Procedure:
    """A loaded procedure (``Procedure.load(path)``, ``verifier.procedures.builtin_procedure(id)``)."""

    id: str
    version: str
    name: Mapping[str, str]
    purpose: Mapping[str, str]
    scope: frozenset[str]
    requirements: tuple[Requirement, ...]
    credential_sets: tuple[CredentialSet, ...] = ()
    link_rules: LinkRules = field(default_factory=LinkRules)
    trust_entries: tuple[TrustEntry, ...] = ()
    form_title: Mapping[str, str] = field(default_factory=dict)
    fields: tuple[FormField, ...] = ()

    # --- loading ---------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Procedure:
        """Read a procedure file (YAML or JSON); PolicyError PROCEDURE_INVALID naming each problem."""
        return cls.from_dict(read_structured_file(path, what="procedure"), source=os.fspath(path))

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "procedure") -> Procedure:
        try:
            model = _ProcedureFile.model_validate(data)
        except ValidationError as exc:
            raise PolicyError(f"{Path(source).name} is not a valid procedure: " + _pydantic_problems(exc),
                              code="PROCEDURE_INVALID") from None
        try:
            return model.to_procedure()
        except PolicyError as exc:
            raise PolicyError(f"{Path(source).name} is not a valid procedure: {exc.message}",
                              code="PROCEDURE_INVALID") from None

    # --- lookups ---------------------------------------------------------------------------

    def requirement(self, requirement_id: str) -> Requirement | None:
        return next((r for r in self.requirements if r.id == requirement_id), None)

    def requirement_for_query(self, query_id: str) -> Requirement | None:
        """The requirement whose DCQL credential query has this id."""
        return next((r for r in self.requirements if query_id in r.query_ids), None)

    @property
    def type_aliases(self) -> Mapping[str, str]:
        """``vct`` -> VCDM type name, for every requirement that gives both."""
        return {r.vct: r.type for r in self.requirements if r.vct}

    # --- the request and the form ----------------------------------------------------------

    def dcql_query(self) -> dict[str, Any]:
        """The DCQL query (OpenID4VP 1.0 section 6) asking for this procedure's credentials and claims."""
        from .dcql import dcql_query

        return dcql_query(self)

    def missing(self, filled: set[str] | frozenset[str]) -> list[str]:
        """Descriptions of the required credential sets not met by the ``filled`` requirement ids ([] = satisfied)."""
        from .matching import missing_requirements

        return missing_requirements(self, filled)

    def fill_form(self, result: VerifierResult) -> FilledForm:
        """The form pre-filled from a verified result; each filled field names the credential it came from."""
        from .form import fill_form

        return fill_form(self, result)

    def to_dict(self) -> dict[str, Any]:
        """A short description (id, names, purpose, requested credentials) for listings and the service."""
        return {
            "id": self.id,
            "version": self.version,
            "name": dict(self.name),
            "purpose": dict(self.purpose),
            "scope": sorted(self.scope),
            "credentials": [
                {"id": r.id, "type": r.type, "formats": list(r.formats), "subject": r.subject,
                 "optional": r.optional, "claims": [_path_text(c) for c in r.claims]}
                for r in self.requirements
            ],
        }


# --- the file shape (pydantic, at the edge) --------------------------------------------------


class _Text(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)


PathItem = str | int | None


class _ClaimFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: list[PathItem] = Field(min_length=1)
    values: list[str | int | bool] | None = None


class _CredentialFile(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(pattern=_ID.pattern)
    type: str = Field(min_length=1)
    type_iri: str | None = Field(default=None, alias="typeIri")
    vct: str | None = None
    formats: list[Literal["dc+sd-jwt", "ldp_vc", "jwt_vc_json"]] = Field(default=["dc+sd-jwt"], min_length=1)
    subject: Literal["holder", "holder_or_linked", "linked", "any"] = "holder_or_linked"
    optional: bool = False
    max_age_days: int | None = Field(default=None, alias="maxAgeDays", ge=1)
    holder_binding: bool = Field(default=True, alias="holderBinding")
    claims: list[_ClaimFile] = Field(min_length=1)
    links: _LinksFile | None = None

    @model_validator(mode="after")
    def _metadata(self) -> _CredentialFile:
        if "dc+sd-jwt" in self.formats and not self.vct:
            raise ValueError("a dc+sd-jwt credential needs 'vct'")
        if set(self.formats) & {"ldp_vc", "jwt_vc_json"} and not self.type_iri:
            raise ValueError("an ldp_vc / jwt_vc_json credential needs 'typeIri' (the expanded type IRI)")
        if len(set(self.formats)) != len(self.formats):
            raise ValueError("'formats' lists a format twice")
        if self.links is not None and self.subject not in ("linked", "holder_or_linked"):
            raise ValueError("'links' is for a credential whose subject may be linked (subject: linked or "
                             "holder_or_linked)")
        return self

    def to_requirement(self, *, scope: frozenset[str]) -> Requirement:
        claims = tuple(tuple(c.path) for c in self.claims)
        return Requirement(
            id=self.id, type=self.type, formats=tuple(self.formats), claims=claims, subject=self.subject,
            vct=self.vct, type_iri=self.type_iri, optional=self.optional,
            max_age=timedelta(days=self.max_age_days) if self.max_age_days else None,
            holder_binding=self.holder_binding,
            claim_values={tuple(c.path): tuple(c.values) for c in self.claims if c.values},
            link_rules=self.links.to_rules(scope) if self.links is not None else None,
        )


class _CredentialSetFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    options: list[list[str]] = Field(min_length=1)
    required: bool = True


class _HouseholdLinkFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    relationships: list[str] = Field(min_length=1)


class _RepresentationLinkFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bases: list[str] = Field(default_factory=list)


class _LinksFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    household: _HouseholdLinkFile | None = None
    representation: _RepresentationLinkFile | None = None

    def to_rules(self, scope: frozenset[str]) -> LinkRules:
        return LinkRules(
            household_relationships=frozenset(self.household.relationships) if self.household else None,
            representation_bases=frozenset(self.representation.bases) if self.representation else None,
            scope=scope,
        )


class _SourceFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credential: str
    path: list[PathItem] = Field(min_length=1)
    where: dict[str, str | int | bool] = Field(default_factory=dict)


class _FieldFile(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(pattern=_ID.pattern)
    label: _Text
    sources: list[_SourceFile] = Field(alias="from", min_length=1)
    required: bool = False
    display: str = "text"


class _FormFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: _Text
    fields: list[_FieldFile] = Field(min_length=1)


class _ProcedureFile(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(pattern=_ID.pattern)
    version: str = "1"
    name: _Text
    purpose: _Text
    scope: list[str] = Field(min_length=1)
    credentials: list[_CredentialFile] = Field(min_length=1)
    credential_sets: list[_CredentialSetFile] | None = Field(default=None, alias="credentialSets")
    links: _LinksFile = Field(default_factory=_LinksFile)
    trust: list[_EntryFile] = Field(default_factory=list)
    form: _FormFile

    def to_procedure(self) -> Procedure:
        from .form import DISPLAYS

        requirements = tuple(c.to_requirement(scope=frozenset(self.scope)) for c in self.credentials)
        by_id = {r.id: r for r in requirements}
        if len(by_id) != len(requirements):
            raise PolicyError("two credentials share an id", code="PROCEDURE_INVALID")
        query_ids = [q for r in requirements for q in r.query_ids]
        if len(set(query_ids)) != len(query_ids):
            raise PolicyError("credential query ids collide (an id equals another's id_<format>)", code="PROCEDURE_INVALID")
        sets = tuple(CredentialSet(tuple(tuple(o) for o in s.options), s.required) for s in self.credential_sets or [])
        referenced = {rid for s in sets for option in s.options for rid in option}
        unknown = referenced - by_id.keys()
        if unknown:
            raise PolicyError(f"credentialSets name unknown credentials {', '.join(sorted(unknown))}",
                              code="PROCEDURE_INVALID")
        if sets and set(by_id) - referenced:
            raise PolicyError("with credentialSets, every credential must appear in a set (unlisted: "
                              + ", ".join(sorted(set(by_id) - referenced)) + ")", code="PROCEDURE_INVALID")
        fields = []
        for f in self.form.fields:
            if f.display not in DISPLAYS:
                raise PolicyError(f"field {f.id}: display {f.display!r} is not one of {', '.join(sorted(DISPLAYS))}",
                                  code="PROCEDURE_INVALID")
            sources = []
            for s in f.sources:
                req = by_id.get(s.credential)
                if req is None:
                    raise PolicyError(f"field {f.id} takes its value from unknown credential {s.credential!r}",
                                      code="PROCEDURE_INVALID")
                path = tuple(s.path)
                if not req.covers(path):
                    raise PolicyError(f"field {f.id} uses {s.credential}.{_path_text(path)}, a claim the procedure "
                                      "does not ask for; add it to the credential's claims", code="PROCEDURE_INVALID")
                sources.append(FieldSource(s.credential, path, dict(s.where)))
            fields.append(FormField(f.id, _text(f.label), tuple(sources), f.required, f.display))
        if len({f.id for f in fields}) != len(fields):
            raise PolicyError("two form fields share an id", code="PROCEDURE_INVALID")
        return Procedure(
            id=self.id,
            version=self.version,
            name=_text(self.name),
            purpose=_text(self.purpose),
            scope=frozenset(self.scope),
            requirements=requirements,
            credential_sets=sets,
            link_rules=self.links.to_rules(frozenset(self.scope)),
            trust_entries=tuple(e.to_entry() for e in self.trust),
            form_title=_text(self.form.title),
            fields=tuple(fields),
        )


def _text(text: _Text) -> Mapping[str, str]:
    return MappingProxyType({"ja": text.ja, "en": text.en})
