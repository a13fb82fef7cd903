"""The shape of a type file and a part file (pydantic, at the edge), and reading them from YAML or JSON.

Only the structure is checked here; :mod:`issuers.catalog.loader` checks the meaning (terms, labels, claim
paths, forbidden fields) and builds the :class:`~issuers.catalog.certificate_type.CertificateType`.

YAML is read with safe loading plus three restrictions that keep a declarative file unambiguous: no anchors or
aliases, no duplicate keys, and dates stay strings (``birthDate: 1990-04-01`` in a sample is the string the
schema expects, not a YAML timestamp).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vc.errors import CatalogError, VcError
from vc.input import load_json

__all__ = [
    "MAX_FILE_BYTES",
    "PartFile",
    "TypeFile",
    "parse_model",
    "read_document",
]

MAX_FILE_BYTES = 1 << 20

_ID_PATTERN = r"^[A-Z][A-Za-z0-9]{1,63}$"
_VERSION_PATTERN = r"^[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}$"
_PART_PATTERN = r"^[a-z][a-z0-9-]{0,31}$"
PartName = Annotated[str, Field(pattern=_PART_PATTERN)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class AlignmentSpec(_Strict):
    """Alignment of one term to GIF (a 項目名 reference) and IMI (term IRIs)."""

    gif: str | None = None
    imi: list[str] = Field(default_factory=list)
    note: str | None = None


class TermSpec(_Strict):
    """A term given as an object: its IRI (``id``) and, rarely, an explicit container."""

    id: str
    container: Literal["@list", "@set"] | None = None


class DisplaySpec(_Strict):
    """Claim labels (by claim name or path, each ``{ja, en, ...}``) and the order of top-level claims."""

    order: list[str] = Field(default_factory=list)
    labels: dict[str, dict[str, str]] = Field(default_factory=dict)


class TypeFile(_Strict):
    """One certificate type, one version: what an institution writes (see issuers/catalog/README.md)."""

    id: str = Field(pattern=_ID_PATTERN)
    version: str = Field(pattern=_VERSION_PATTERN)
    credential_type: str | None = Field(default=None, alias="credentialType", pattern=_ID_PATTERN)
    name: dict[str, str]
    description: dict[str, str]
    basis: dict[str, str] | None = None
    issuer_kinds: list[str] = Field(alias="issuerKinds", min_length=1)
    default_validity: str | None = Field(alias="defaultValidity")
    default_format: str = Field(alias="defaultFormat")
    parts: list[PartName] = Field(default_factory=list)
    claims_schema: dict[str, Any] = Field(alias="schema")
    terms: dict[str, str | TermSpec] = Field(default_factory=dict)
    display: DisplaySpec
    sensitivity: dict[str, Literal["H", "M", "L"]] = Field(default_factory=dict)
    predicates: dict[str, dict[str, Any]] = Field(default_factory=dict)
    alignment: dict[str, AlignmentSpec] = Field(default_factory=dict)
    sample: dict[str, Any]
    context_url: str | None = Field(default=None, alias="contextUrl")
    schema_url: str | None = Field(default=None, alias="schemaUrl")


class PartFile(_Strict):
    """Shared claim definitions (GIF コアデータパーツ): schema ``$defs``, terms, labels, default sensitivity."""

    part: str = Field(pattern=_PART_PATTERN)
    description: dict[str, str] = Field(default_factory=dict)
    defs: dict[str, dict[str, Any]] = Field(alias="$defs")
    terms: dict[str, str | TermSpec] = Field(default_factory=dict)
    labels: dict[str, dict[str, str]] = Field(default_factory=dict)
    sensitivity: dict[str, Literal["H", "M", "L"]] = Field(default_factory=dict)
    alignment: dict[str, AlignmentSpec] = Field(default_factory=dict)


# --- reading ------------------------------------------------------------------------------------


_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: 10x faster


class _StrictYamlLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML without duplicate keys, timestamps, or yes/no/on/off booleans (aliases: see _refuse_aliases)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:  # type: ignore[override]
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# keep every implicit resolver except timestamps and the YAML 1.1 yes/no/on/off booleans
_BOOL = "tag:yaml.org,2002:bool"
_StrictYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:timestamp", _BOOL)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictYamlLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _refuse_aliases(text: str) -> None:
    """Anchors and aliases make a declarative file hard to read and can expand exponentially: refuse them."""
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.constructor.ConstructorError(None, None, "anchors and aliases are not allowed in a type file",
                                                    event.start_mark)


def read_document(path: Path) -> dict[str, Any]:
    """The parsed YAML (``.yaml``/``.yml``) or JSON (``.json``) object in ``path``; CatalogError TYPE_INVALID."""
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise CatalogError(f"{path.name}: a type file must end in .yaml, .yml or .json", code="TYPE_INVALID",
                           file=str(path))
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the type file ({exc.strerror})", code="TYPE_INVALID",
                           file=str(path)) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise CatalogError(f"{path.name}: larger than {MAX_FILE_BYTES} bytes; a type file is small",
                           code="TYPE_INVALID", file=str(path))
    try:
        if suffix == ".json":
            data = load_json(raw, max_bytes=MAX_FILE_BYTES)  # duplicate keys refused, as in YAML
        else:
            text = raw.decode("utf-8")
            _refuse_aliases(text)
            data = yaml.load(text, Loader=_StrictYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except (VcError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        reason = exc.message if isinstance(exc, VcError) else exc
        raise CatalogError(f"{path.name}: not valid {'JSON' if suffix == '.json' else 'YAML'}: {reason}",
                           code="TYPE_INVALID", file=str(path)) from exc
    if not isinstance(data, dict):
        raise CatalogError(f"{path.name}: the file must hold one object (a mapping)", code="TYPE_INVALID",
                           file=str(path))
    return data


def parse_model(model: type[TypeFile] | type[PartFile], data: dict[str, Any], *, file: str) -> Any:
    """Validate ``data`` against a file model; CatalogError naming the file and the first bad fields."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err["loc"]) or "(top level)"
            problems.append(f"field '{where}': {err['msg']}")
        more = "" if exc.error_count() <= 5 else f" (and {exc.error_count() - 5} more)"
        first = exc.errors()[0]
        code = "MISSING_LABEL" if _is_missing_label(first) else "TYPE_INVALID"
        raise CatalogError(f"{Path(file).name}: " + "; ".join(problems) + more, code=code, file=file,
                           field=".".join(str(p) for p in first["loc"])) from None


def _is_missing_label(err: Any) -> bool:
    loc = err["loc"]
    return err["type"] == "missing" and len(loc) == 1 and loc[0] in ("name", "description")
