"""Schema validation against a credential's ``credentialSchema`` (W3C VC JSON Schema, type ``JsonSchema``).

Schemas come from a map the verifier is configured with (schema ``id`` -> JSON Schema document), never
from the network at verification time unless a ``fetch`` callable is configured. The schema validates
the whole credential (without its proof), as VC JSON Schema says. Failures name the JSON path and the
schema keyword, never the value found there.

Selectively disclosed credentials (SD-JWT) are not validated: the holder may leave out claims the
schema requires, so the verifier sees a partial document by design.

>>> schemas = SchemaSet({"https://w3id.org/jitsuin/schemas/Household/1.0.0": household_schema})
>>> schemas.check(credential).passed
True
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from referencing.exceptions import Unresolvable

from vc.errors import PolicyError
from vc.results import CheckResult

__all__ = ["SchemaSet"]

_MAX_REPORTED = 5


@dataclass(frozen=True, slots=True)
class SchemaSet:
    """JSON Schemas by id, with compiled validators cached; ``fetch(id) -> dict`` is called only for ids not
    in ``schemas`` (configure it only where fetching at verification time is acceptable)."""

    schemas: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    fetch: Callable[[str], Mapping[str, Any]] | None = field(default=None, compare=False)
    _validators: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "schemas", {str(k): dict(v) for k, v in dict(self.schemas).items()})

    @classmethod
    def from_directory(cls, path: str | os.PathLike[str]) -> SchemaSet:
        """Every ``*.json`` schema in ``path``, keyed by its ``$id``."""
        schemas: dict[str, Mapping[str, Any]] = {}
        for file in sorted(Path(path).glob("*.json")):
            try:
                doc = json.loads(file.read_bytes())
            except (OSError, ValueError) as exc:
                raise PolicyError(f"cannot read the schema {file.name}: {exc}", code="POLICY_INVALID") from None
            if not isinstance(doc, dict) or not isinstance(doc.get("$id"), str):
                raise PolicyError(f"the schema {file.name} has no '$id'", code="POLICY_INVALID")
            schemas[doc["$id"]] = doc
        return cls(schemas)

    def merged(self, other: Mapping[str, Mapping[str, Any]]) -> SchemaSet:
        return SchemaSet({**self.schemas, **dict(other)}, fetch=self.fetch)

    def check(self, credential: Mapping[str, Any], *, required: bool = False) -> CheckResult | None:
        """The ``schema`` check for a VCDM credential; None when it has no ``credentialSchema`` and none is
        ``required``. Codes: SCHEMA_REQUIRED, SCHEMA_TYPE_UNSUPPORTED, SCHEMA_UNAVAILABLE, SCHEMA_VIOLATION."""
        refs = credential.get("credentialSchema")
        if refs is None:
            if required:
                return CheckResult.fail("schema", "SCHEMA_REQUIRED",
                                        "the credential has no credentialSchema and this policy requires one")
            return None
        refs = refs if isinstance(refs, list) else [refs]
        document = {k: v for k, v in credential.items() if k != "proof"}
        for ref in refs:
            if not isinstance(ref, Mapping) or not isinstance(ref.get("id"), str):
                return CheckResult.fail("schema", "SCHEMA_UNAVAILABLE", "a credentialSchema entry has no id")
            if ref.get("type") != "JsonSchema":
                return CheckResult.fail("schema", "SCHEMA_TYPE_UNSUPPORTED",
                                        f"credentialSchema type {ref.get('type')!r} is not supported (use JsonSchema)")
            validator = self._validator(ref["id"])
            if validator is None:
                return CheckResult.fail("schema", "SCHEMA_UNAVAILABLE",
                                        f"the schema {ref['id']} is not configured for this verifier; add it to the "
                                        "policy's schemas")
            try:
                problems = _problems(validator, document)
            except Unresolvable as exc:
                return CheckResult.fail("schema", "SCHEMA_UNAVAILABLE",
                                        f"the schema {ref['id']} refers to {getattr(exc, 'ref', 'a schema')}, which is "
                                        "not configured for this verifier (schemas are never fetched by $ref)")
            if problems:
                more = f" and {len(problems) - _MAX_REPORTED} more" if len(problems) > _MAX_REPORTED else ""
                return CheckResult.fail("schema", "SCHEMA_VIOLATION",
                                        f"the credential does not fit {ref['id']}: "
                                        + "; ".join(problems[:_MAX_REPORTED]) + more)
        return CheckResult.ok("schema", "valid against " + ", ".join(r["id"] for r in refs))

    def _validator(self, schema_id: str) -> Any:
        with self._lock:
            if schema_id in self._validators:
                return self._validators[schema_id]
        schema = self.schemas.get(schema_id)
        if schema is None and self.fetch is not None:
            try:
                schema = dict(self.fetch(schema_id))
            except Exception:  # noqa: BLE001 - any fetch failure means the schema is unavailable
                schema = None
        if schema is None:
            return None
        validator = _compile(schema, self.schemas)
        with self._lock:
            self._validators[schema_id] = validator
        return validator


def _compile(schema: Mapping[str, Any], known: Mapping[str, Mapping[str, Any]]) -> Any:
    from jsonschema import FormatChecker
    from jsonschema.validators import validator_for
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    cls = validator_for(schema)
    try:
        cls.check_schema(schema)
    except Exception as exc:  # noqa: BLE001 - jsonschema.SchemaError; reported with the id, not raised later
        raise PolicyError(f"a configured schema is not a valid JSON Schema: {getattr(exc, 'message', exc)}",
                          code="POLICY_INVALID") from None
    # only the configured schemas are reachable by $ref: nothing is retrieved
    registry: Registry = Registry().with_resources(
        (sid, Resource.from_contents(dict(doc), default_specification=DRAFT202012)) for sid, doc in known.items()
    )
    return cls(dict(schema), registry=registry, format_checker=FormatChecker())


def _problems(validator: Any, document: Mapping[str, Any]) -> list[str]:
    out = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        path = "/" + "/".join(str(p) for p in error.absolute_path)
        if error.validator == "required" and isinstance(error.instance, Mapping):
            missing = [p for p in error.validator_value if p not in error.instance]
            out.append(f"{path}: missing {', '.join(repr(m) for m in missing)}")
        elif error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
            out.append(f"{path}: properties not allowed")
        else:
            out.append(f"{path}: breaks '{error.validator}'")
    return out
