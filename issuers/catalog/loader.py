"""Read a type file, merge its shared parts, check its meaning and build the :class:`CertificateType`.

Every error is a :class:`~vc.errors.CatalogError` whose message starts with the file name and names the field:
``TYPE_INVALID`` (structure, schema, paths, formats, issuer kinds ...), ``FORBIDDEN_CLAIM`` (a My Number,
住民票コード or 基礎年金番号 field anywhere: claim names in nested objects and ``$defs``, terms, labels),
``MISSING_LABEL`` (a claim or the type name without both ja and en), ``UNDEFINED_TERM`` (a claim with no
JSON-LD term).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from vc.errors import CatalogError

from .certificate_type import JITSUIN_VOCAB, XSD, Alignment, CertificateType, Sensitivity, TermDefinition
from .claim_paths import ClaimPath, SchemaNode, format_path, parse_path, walk_claims
from .durations import Duration, parse_duration
from .forbidden import forbidden_reason
from .formats import FORMATS
from .issuer_kinds import ISSUER_KINDS
from .predicates import PREDICATE_KINDS, Predicate
from .type_file import AlignmentSpec, PartFile, TermSpec, TypeFile, parse_model, read_document
from .validation import claim_problems

__all__ = [
    "BUILTIN_PARTS_DIR",
    "BUILTIN_TYPES_DIR",
    "FORMAT_NAMES",
    "JITSUIN_CONTEXT_URL",
    "REQUIRED_LANGUAGES",
    "load_part",
    "load_type",
    "load_type_file",
]

BUILTIN_TYPES_DIR = Path(__file__).parent / "types"
BUILTIN_PARTS_DIR = Path(__file__).parent / "parts"

#: the bundled context of the builtin types (issuers/catalog/contexts/jitsuin-v1.jsonld)
JITSUIN_CONTEXT_URL = "https://w3id.org/jitsuin/v1"
SCHEMA_URL_TEMPLATE = "https://w3id.org/jitsuin/schemas/{id}/{version}"
EXTENSION_CONTEXT_TEMPLATE = "https://w3id.org/jitsuin/ext/{id}/{version}"

JSON_SCHEMA_2020_12 = "https://json-schema.org/draft/2020-12/schema"
REQUIRED_LANGUAGES = ("ja", "en")

#: credential formats a type may name as its default
FORMAT_NAMES = frozenset({"dc+sd-jwt", "jwt_vc_json", "eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019"})

#: IRI prefixes a type file may use in ``terms`` (compact IRIs like ``jitsuin:residentSince``)
TERM_PREFIXES = {"jitsuin": JITSUIN_VOCAB, "schema": "https://schema.org/"}

_DATATYPE_BY_FORMAT = {"date": f"{XSD}date", "date-time": f"{XSD}dateTime"}

# Terms of https://www.w3.org/ns/credentials/v2 that a claim may use with the same meaning, so the jitsuin
# context does not redefine them (the v2 context protects them).
VC_SHARED_TERMS = {"id": "@id", "name": "https://schema.org/name", "description": "https://schema.org/description"}
# Every other term the v2 context defines (top level, or scoped to a type that may appear in a credential): a
# claim with one of these names would be a protected-term redefinition or would be read as a VC property.
VC_RESERVED_TERMS = frozenset({
    "type", "digestMultibase", "digestSRI", "mediaType", "VerifiableCredential", "EnvelopedVerifiableCredential",
    "VerifiablePresentation", "EnvelopedVerifiablePresentation", "JsonSchemaCredential", "JsonSchema",
    "BitstringStatusListCredential", "BitstringStatusList", "BitstringStatusListEntry", "DataIntegrityProof",
    "...", "_sd", "_sd_alg", "aud", "cnf", "exp", "iat", "iss", "jku", "kid", "nbf", "sub", "x5u",
    "confidenceMethod", "credentialSchema", "credentialStatus", "credentialSubject", "evidence", "issuer", "proof",
    "refreshService", "relatedResource", "renderMethod", "termsOfUse", "validFrom", "validUntil",
    "holder", "verifiableCredential",
    # scoped to DataIntegrityProof, BitstringStatusList(Entry), JsonSchema and cnf: the jitsuin terms are
    # top-level and protected, so these scoped definitions would be protected-term redefinitions
    "challenge", "created", "cryptosuite", "domain", "expires", "nonce", "previousProof", "proofPurpose",
    "proofValue", "verificationMethod", "encodedList", "statusPurpose", "ttl", "statusListCredential",
    "statusListIndex", "statusMessage", "statusReference", "statusSize", "jsonSchema", "jwk",
})

# Registered JWT / SD-JWT VC claims: an SD-JWT VC carries the credentialSubject claims at the top of its payload,
# so a top-level claim must not take one of these names.
SD_JWT_RESERVED_CLAIMS = frozenset({"iss", "sub", "iat", "nbf", "exp", "cnf", "vct", "vct#integrity", "status",
                                    "aka_vcts", "jti", "aud", "_sd", "_sd_alg", "..."})


def load_type_file(path: str | Path, *, builtin: bool = False,
                   parts_dirs: Sequence[str | Path] = (BUILTIN_PARTS_DIR,)) -> CertificateType:
    """Read and check one type file (YAML or JSON); CatalogError naming the file and field on any problem."""
    path = Path(path)
    data = read_document(path)
    return load_type(data, file=str(path), builtin=builtin, parts_dirs=parts_dirs)


def load_type(data: Mapping[str, Any], *, file: str = "<type>", builtin: bool = False,
              parts_dirs: Sequence[str | Path] = (BUILTIN_PARTS_DIR,)) -> CertificateType:
    """Check a type given as parsed data (what a type file holds) and build it."""
    _check_forbidden_anywhere(data, file)
    model: TypeFile = parse_model(TypeFile, dict(data), file=file)
    return _Builder(model, file=file, builtin=builtin, parts_dirs=[Path(p) for p in parts_dirs]).build()


def load_part(name: str, *, parts_dirs: Sequence[str | Path] = (BUILTIN_PARTS_DIR,), file: str = "<type>"
              ) -> PartFile:
    """The shared part ``name`` (``parts/<name>.yaml``) from the first directory holding it."""
    for directory in parts_dirs:
        for suffix in (".yaml", ".yml", ".json"):
            candidate = Path(directory) / f"{name}{suffix}"
            if candidate.is_file():
                stat = candidate.stat()
                key = (str(candidate.resolve()), stat.st_mtime_ns, stat.st_size)
                cached = _PART_CACHE.get(key)
                if cached is not None:
                    return cached
                data = read_document(candidate)
                _check_forbidden_anywhere(data, str(candidate))
                part: PartFile = parse_model(PartFile, data, file=str(candidate))
                if part.part != name:
                    raise _invalid(str(candidate), "part", f"declares part {part.part!r} but is named {name!r}")
                _PART_CACHE[key] = part
                return part
    raise _invalid(file, "parts", f"names the part {name!r}, which does not exist; the parts are: "
                   + ", ".join(sorted(_part_names(parts_dirs))))


_PART_CACHE: dict[tuple[str, int, int], PartFile] = {}  # parts are immutable models; keyed by file state


def _part_names(parts_dirs: Sequence[str | Path]) -> set[str]:
    return {p.stem for d in parts_dirs if Path(d).is_dir() for p in Path(d).iterdir()
            if p.suffix in (".yaml", ".yml", ".json")}


# --- errors -------------------------------------------------------------------------------------


def _error(code: str, file: str, field: str, message: str) -> CatalogError:
    return CatalogError(f"{Path(file).name}: {field}: {message}", code=code, file=file, field=field)


def _invalid(file: str, field: str, message: str) -> CatalogError:
    return _error("TYPE_INVALID", file, field, message)


# --- forbidden identifiers, anywhere in the file --------------------------------------------------


def _check_forbidden_anywhere(data: Any, file: str) -> None:
    """Refuse a file that names a forbidden identifier as a claim, term, label or sample field.

    Runs before anything else, over every ``properties`` key at any depth (nested objects, ``$defs``), every
    term name and IRI, every label text and every sample key, so no spelling slips through a later step.
    """
    for where, text in _named_things(data):
        what = forbidden_reason(text)
        if what is not None:
            raise _error("FORBIDDEN_CLAIM", file, where,
                         f"names a {what}; jitsuin never puts a My Number, 住民票コード or 基礎年金番号 in a "
                         "credential: remove this field")


def _named_things(data: Any) -> Iterator[tuple[str, str]]:
    if not isinstance(data, Mapping):
        return
    for section in ("schema", "$defs"):
        if isinstance(data.get(section), Mapping):
            yield from _schema_names(data[section], section)
    for name, value in (data.get("terms") or {}).items() if isinstance(data.get("terms"), Mapping) else ():
        yield f"terms.{name}", str(name)
        iri = value.get("id") if isinstance(value, Mapping) else value
        if isinstance(iri, str):
            yield f"terms.{name}", iri
    labels = data.get("labels")
    display = data.get("display")
    if isinstance(display, Mapping) and isinstance(display.get("labels"), Mapping):
        labels = display["labels"]
    if isinstance(labels, Mapping):
        for key, texts in labels.items():
            yield f"labels.{key}", str(key)
            if isinstance(texts, Mapping):
                for lang, text in texts.items():
                    if isinstance(text, str):
                        yield f"labels.{key}.{lang}", text
    for section in ("sensitivity", "predicates", "alignment"):
        if isinstance(data.get(section), Mapping):
            for key in data[section]:
                yield f"{section}.{key}", str(key)
    if isinstance(data.get("sample"), Mapping):
        yield from _data_keys(data["sample"], "sample")


def _schema_names(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key in ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas") \
                    and isinstance(value, Mapping):
                for name, sub in value.items():
                    yield f"{where}.{key}.{name}", str(name)
                    yield from _schema_names(sub, f"{where}.{key}.{name}")
            elif key in ("title",) and isinstance(value, str):
                yield f"{where}.title", value
            elif key == "required" and isinstance(value, list):
                for name in value:
                    if isinstance(name, str):
                        yield f"{where}.required", name
            else:
                yield from _schema_names(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _schema_names(item, f"{where}[{i}]")


def _data_keys(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield f"{where}.{key}", str(key)
            yield from _data_keys(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _data_keys(item, f"{where}[{i}]")


# --- building -----------------------------------------------------------------------------------


class _Builder:
    """Checks one parsed type file step by step; each step raises with the file and field named."""

    def __init__(self, model: TypeFile, *, file: str, builtin: bool, parts_dirs: list[Path]) -> None:
        self.m = model
        self.file = file
        self.builtin = builtin
        self.parts_dirs = parts_dirs

    def build(self) -> CertificateType:
        m = self.m
        self._check_text("name", m.name)
        self._check_text("description", m.description)
        if m.basis is not None:
            self._check_text("basis", m.basis)
        parts = [load_part(p, parts_dirs=self.parts_dirs, file=self.file) for p in m.parts]
        schema_url = m.schema_url or SCHEMA_URL_TEMPLATE.format(id=m.id, version=m.version)
        schema = self._schema(parts, schema_url)
        try:
            claims = tuple(walk_claims(schema))
        except CatalogError as exc:  # the walk knows the schema path, not the file
            raise _invalid(self.file, "schema", exc.message) from None
        if not claims:
            raise _invalid(self.file, "schema", "declares no claims; list them under schema.properties")
        self._check_claim_names(claims)
        terms = self._terms(parts, claims)
        labels = self._labels(parts, claims)
        order = self._order(claims)
        sensitivity = self._sensitivity(parts, claims)
        predicates = self._predicates(claims)
        alignment = self._alignment(parts, terms)
        ctype = CertificateType(
            id=m.id,
            version=m.version,
            credential_type=m.credential_type or f"{m.id}Credential",
            name=dict(m.name),
            description=dict(m.description),
            issuer_kinds=self._issuer_kinds(),
            default_validity=self._validity(),
            default_format=self._format(),
            schema=schema,
            claims=claims,
            terms=terms,
            labels=labels,
            order=order,
            sensitivity=sensitivity,
            predicates=predicates,
            alignment=alignment,
            sample=copy.deepcopy(m.sample),
            context_url=JITSUIN_CONTEXT_URL if self.builtin else (
                m.context_url or EXTENSION_CONTEXT_TEMPLATE.format(id=m.id, version=m.version)),
            schema_url=schema_url,
            builtin=self.builtin,
            source=self.file,
            basis=dict(m.basis) if m.basis else None,
            parts=tuple(m.parts),
        )
        if ctype.credential_type in VC_RESERVED_TERMS:
            raise _invalid(self.file, "credentialType", f"{ctype.credential_type!r} is a VC data model type; "
                           "choose a name of your own")
        self._check_sample(ctype)
        return ctype

    # -- text -----------------------------------------------------------------------------------

    def _check_text(self, field: str, texts: Mapping[str, str]) -> None:
        for lang in REQUIRED_LANGUAGES:
            if not isinstance(texts.get(lang), str) or not texts[lang].strip():
                raise _error("MISSING_LABEL", self.file, f"{field}.{lang}",
                             f"is missing; give the {field} in both Japanese (ja) and English (en)")

    # -- schema ---------------------------------------------------------------------------------

    def _schema(self, parts: list[PartFile], schema_url: str) -> dict[str, Any]:
        schema = copy.deepcopy(self.m.claims_schema)
        declared = schema.get("$schema")
        if declared is not None and declared != JSON_SCHEMA_2020_12:
            raise _invalid(self.file, "schema.$schema", f"must be {JSON_SCHEMA_2020_12} (JSON Schema 2020-12)")
        if schema.get("type") != "object":
            raise _invalid(self.file, "schema.type", "must be 'object': the schema describes credentialSubject")
        defs = schema.setdefault("$defs", {})
        for part in parts:
            for name, definition in part.defs.items():
                if name in defs:
                    raise _invalid(self.file, f"schema.$defs.{name}",
                                   f"is also defined by part {part.part!r}; rename one of them")
                defs[name] = copy.deepcopy(definition)
        if not defs:
            del schema["$defs"]
        out = {"$schema": JSON_SCHEMA_2020_12, "$id": schema_url, **{k: v for k, v in schema.items()
                                                                        if k not in ("$schema", "$id")}}
        try:
            Draft202012Validator.check_schema(out)
        except SchemaError as exc:
            where = ".".join(str(p) for p in exc.absolute_path) or "(root)"
            raise _invalid(self.file, f"schema.{where}", f"is not valid JSON Schema 2020-12: {exc.message}") \
                from None
        for where, fmt in _formats(out, "schema"):
            if fmt not in FORMATS:
                raise _invalid(self.file, where, f"format {fmt!r} is unknown; use one of "
                               + ", ".join(sorted(FORMATS)))
        return out

    def _check_claim_names(self, claims: Sequence[SchemaNode]) -> None:
        for node in claims:
            name = node.name
            where = f"schema: claim '{format_path(node.path)}'"
            if name in VC_RESERVED_TERMS or name.startswith("@"):
                raise _invalid(self.file, where, f"the name {name!r} is reserved by the VC data model "
                               "(credentials v2 context); rename the claim")
            if len(node.path) == 1 and name in SD_JWT_RESERVED_CLAIMS:
                raise _invalid(self.file, where, f"the name {name!r} is a registered SD-JWT VC claim; rename the "
                               "claim")
            if name == "id" and len(node.path) == 1:
                raise _invalid(self.file, where, "credentialSubject.id is set by the issuer (subject_id=), not "
                               "a claim; remove it from the schema")

    # -- terms ----------------------------------------------------------------------------------

    def _terms(self, parts: list[PartFile], claims: Sequence[SchemaNode]) -> dict[str, TermDefinition]:
        declared: dict[str, tuple[str, str | TermSpec]] = {}
        for part in parts:
            for name, spec in part.terms.items():
                declared.setdefault(name, (f"part {part.part!r}", spec))
        for name, spec in self.m.terms.items():
            if name in declared and _iri_of(declared[name][1]) != _iri_of(spec):
                raise _invalid(self.file, f"terms.{name}", f"maps to a different IRI than {declared[name][0]} "
                               "does; one name, one meaning: rename the claim")
            declared[name] = ("the type file", spec)
        by_name: dict[str, list[SchemaNode]] = {}
        for node in claims:
            by_name.setdefault(node.name, []).append(node)
        terms: dict[str, TermDefinition] = {}
        for name, nodes in by_name.items():
            if name in VC_SHARED_TERMS:
                if name in declared and self._expand(name, declared[name][1]) != VC_SHARED_TERMS[name]:
                    raise _invalid(self.file, f"terms.{name}", f"the VC context defines {name!r} as "
                                   f"{VC_SHARED_TERMS[name]}; use that IRI or rename the claim")
                continue
            if name not in declared:
                raise _error("UNDEFINED_TERM", self.file, f"terms.{name}",
                             f"claim '{format_path(nodes[0].path)}' has no JSON-LD term; add "
                             f"'{name}: jitsuin:{name}' (or another IRI) under terms")
            spec = declared[name][1]
            formats = {n.format for n in nodes if "array" not in n.json_types}
            if len(formats) > 1:
                raise _invalid(self.file, f"schema: claim '{name}'", "is used with different formats ("
                               + ", ".join(sorted(str(f) for f in formats)) + "); one name, one meaning: rename one")
            datatype = _DATATYPE_BY_FORMAT.get(next(iter(formats)) or "") if formats else None
            ordered = {n.ordered for n in nodes}
            if len(ordered) > 1:
                raise _invalid(self.file, f"schema: claim '{name}'", "is an ordered list (x-ordered) in one place "
                               "and not in another; rename one")
            container = spec.container if isinstance(spec, TermSpec) and spec.container else (
                "@list" if True in ordered else None)
            terms[name] = TermDefinition(iri=self._expand(name, spec), datatype=datatype, container=container)
        unused = set(self.m.terms) - set(by_name)
        if unused:
            raise _invalid(self.file, "terms", "define(s) " + ", ".join(sorted(unused))
                           + " but no claim has that name; remove it or fix the spelling")
        return terms

    def _expand(self, name: str, spec: str | TermSpec) -> str:
        iri = _iri_of(spec)
        prefix, sep, rest = iri.partition(":")
        if sep and prefix in TERM_PREFIXES and not rest.startswith("//"):
            iri = TERM_PREFIXES[prefix] + rest
        if not iri.startswith(("https://", "http://", "urn:")) or any(c.isspace() for c in iri) or \
                iri.endswith(("#", "/")):
            raise _invalid(self.file, f"terms.{name}", "must be an absolute IRI (https://...), or jitsuin:NAME / "
                           "schema:NAME")
        return iri

    # -- labels, order --------------------------------------------------------------------------

    def _labels(self, parts: list[PartFile], claims: Sequence[SchemaNode]) -> dict[str, dict[str, str]]:
        labels: dict[str, dict[str, str]] = {}
        for part in parts:
            for key, texts in part.labels.items():
                labels.setdefault(key, dict(texts))
        labels.update({key: dict(texts) for key, texts in self.m.display.labels.items()})
        paths = {format_path(n.path) for n in claims}
        names = {n.name for n in claims}
        for key in self.m.display.labels:
            if key not in paths and key not in names:
                raise _invalid(self.file, f"display.labels.{key}", "labels no claim; remove it or fix the "
                               "claim name or path")
        for node in claims:
            text = format_path(node.path)
            found = labels.get(text) or labels.get(node.name)
            for lang in REQUIRED_LANGUAGES:
                if not found or not isinstance(found.get(lang), str) or not found[lang].strip():
                    raise _error("MISSING_LABEL", self.file, f"display.labels.{node.name}",
                                 f"claim '{text}' has no {_LANG_NAMES[lang]} ({lang}) label; every claim needs "
                                 "a label in Japanese and English")
        return labels

    def _order(self, claims: Sequence[SchemaNode]) -> tuple[str, ...]:
        top = [n.name for n in claims if len(n.path) == 1]
        listed = list(self.m.display.order)
        for name in listed:
            if name not in top:
                raise _invalid(self.file, "display.order", f"lists {name!r}, which is not a top-level claim")
        if len(set(listed)) != len(listed):
            raise _invalid(self.file, "display.order", "lists a claim twice")
        return tuple(listed + [n for n in top if n not in listed])

    # -- sensitivity, predicates ----------------------------------------------------------------

    def _sensitivity(self, parts: list[PartFile], claims: Sequence[SchemaNode]
                     ) -> dict[ClaimPath, Sensitivity]:
        node_paths = {n.path: n for n in claims}
        out: dict[ClaimPath, Sensitivity] = {}
        for key, level in self.m.sensitivity.items():
            try:
                path = parse_path(key)
            except ValueError:
                raise _invalid(self.file, f"sensitivity.{key}", "is not a claim path (a.b, list[], list[].c)") \
                    from None
            target = node_paths.get(path[:-1] if path and path[-1] is None else path)
            if target is None or (path[-1] is None and "array" not in target.json_types):
                raise _invalid(self.file, f"sensitivity.{key}", "names no claim of the schema"
                               + (" (only arrays take [])" if target is not None else ""))
            out[path] = level
        defaults: dict[str, Sensitivity] = {}
        for part in parts:
            for name, level in part.sensitivity.items():
                defaults.setdefault(name, level)
        for node in claims:
            if len(node.path) == 1 and node.path not in out and (node.path + (None,)) not in out:
                if node.name not in defaults:
                    raise _invalid(self.file, f"sensitivity.{node.name}", "is missing: give every top-level "
                                   "claim a sensitivity, H (identifier, health, income), M (personal) or L")
                out[node.path] = defaults[node.name]
        return out

    def _predicates(self, claims: Sequence[SchemaNode]) -> dict[str, Predicate]:
        node_paths = {n.path: n for n in claims}
        out: dict[str, Predicate] = {}
        for name, spec in self.m.predicates.items():
            where = f"predicates.{name}"
            target = node_paths.get((name,))
            if target is None:
                raise _invalid(self.file, where, "is not a top-level claim of the schema; declare it there (a "
                               "boolean, or a string for 'values')")
            predicate, problems = Predicate.parse(name, spec)
            if predicate is None:
                raise _invalid(self.file, where, "; ".join(problems))
            kind = PREDICATE_KINDS[predicate.kind]
            for source in predicate.sources:
                node = node_paths.get(source)
                if node is None:
                    raise _invalid(self.file, where, f"source '{format_path(source)}' is not a claim")
                if kind.source_formats is not None and node.format not in kind.source_formats:
                    raise _invalid(self.file, where, f"source '{format_path(source)}' must have format "
                                   + " or ".join(sorted(kind.source_formats)))
            wanted = "string" if predicate.values is not None else "boolean"
            if wanted not in target.json_types:
                raise _invalid(self.file, where, f"derives a {wanted}, so the schema must declare the claim with "
                               f"type {wanted}")
            outputs = list(predicate.values.values()) if predicate.values is not None else [True, False]
            if (predicate.values is not None and not all(isinstance(v, str) for v in outputs)) or (
                    target.enum is not None and not all(v in target.enum for v in outputs)):
                raise _invalid(self.file, where, "derives values the schema does not allow for the claim; make "
                               "'values' strings listed in the claim's enum")
            out[name] = predicate
        return out

    def _alignment(self, parts: list[PartFile], terms: Mapping[str, TermDefinition]) -> dict[str, Alignment]:
        specs: dict[str, AlignmentSpec] = {}
        for part in parts:
            specs.update(part.alignment)
        specs.update(self.m.alignment)
        out: dict[str, Alignment] = {}
        for name, spec in specs.items():
            if name not in terms:
                if name in self.m.alignment:
                    raise _invalid(self.file, f"alignment.{name}", "aligns a name that is not a claim term")
                continue  # a part's alignment for a claim this type does not use
            for iri in spec.imi:
                if not iri.startswith(("http://", "https://")):
                    raise _invalid(self.file, f"alignment.{name}.imi", "must list IMI term IRIs "
                                   "(http://imi.go.jp/ns/core/rdf#...)")
            out[name] = Alignment(gif=spec.gif, imi=tuple(spec.imi), note=spec.note)
        return out

    # -- the rest -------------------------------------------------------------------------------

    def _issuer_kinds(self) -> tuple[str, ...]:
        for kind in self.m.issuer_kinds:
            if kind not in ISSUER_KINDS:
                raise _invalid(self.file, "issuerKinds", f"{kind!r} is not an issuer kind; use "
                               + ", ".join(sorted(ISSUER_KINDS)))
        return tuple(self.m.issuer_kinds)

    def _validity(self) -> Duration | None:
        if self.m.default_validity is None:
            return None
        try:
            return parse_duration(self.m.default_validity)
        except ValueError as exc:
            raise _invalid(self.file, "defaultValidity", str(exc)) from None

    def _format(self) -> str:
        if self.m.default_format not in FORMAT_NAMES:
            raise _invalid(self.file, "defaultFormat", f"{self.m.default_format!r} is not a format; use "
                           + ", ".join(sorted(FORMAT_NAMES)))
        return self.m.default_format

    def _check_sample(self, ctype: CertificateType) -> None:
        problems = claim_problems(ctype, ctype.sample)
        if problems:
            raise _invalid(self.file, "sample", "does not fit the schema: "
                           + "; ".join(str(p) for p in problems[:5]))


_LANG_NAMES = {"ja": "Japanese", "en": "English"}


def _iri_of(spec: str | TermSpec) -> str:
    return spec.id if isinstance(spec, TermSpec) else spec


def _formats(node: Any, where: str) -> Iterable[tuple[str, str]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "format" and isinstance(value, str):
                yield f"{where}.format", value
            elif key not in ("enum", "const", "examples", "default"):
                yield from _formats(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _formats(item, f"{where}[{i}]")
