"""Check the claims for a certificate type before signing.

Three passes, all errors collected (a batch run reports every bad field of a row at once):

1. forbidden identifiers: a claim named like a My Number, 住民票コード or 基礎年金番号 -> FORBIDDEN_CLAIM;
2. every claim is one the type declares, and each value fits its ``format`` (full-width kana, Western ISO
   dates, municipality code check digit ...; see :mod:`issuers.catalog.formats`);
3. the JSON Schema (2020-12) of the type: types, required claims, enums, ranges.

Errors name the field path (``members[1].familyNameKana``) and the rule, never the value: claims are personal
data and error messages end up in logs. Values are never rewritten (no Unicode normalisation: an IVS stays).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaValidationError

from vc.errors import CatalogError

from .certificate_type import CertificateType
from .claim_paths import ClaimPath, SchemaNode
from .forbidden import forbidden_reason
from .formats import check_format

__all__ = ["ClaimProblem", "claim_problems", "validate_claims"]

_MAX_IN_MESSAGE = 5
_MAX_ENUM_SHOWN = 12


@dataclass(frozen=True, slots=True)
class ClaimProblem:
    """One bad field: where (``members[0].birthDate``), what rule, and why (never the value)."""

    path: str
    rule: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "rule": self.rule, "reason": self.reason}

    def __str__(self) -> str:
        return f"claim '{self.path}' {self.reason}" if self.path else self.reason


def validate_claims(ctype: CertificateType, claims: Mapping[str, Any]) -> None:
    """Raise CatalogError (FORBIDDEN_CLAIM or CLAIMS_INVALID, ``detail["errors"]`` = every problem) unless
    ``claims`` fit ``ctype``.

    >>> validate_claims(catalog.get("ResidentRecord"), {"familyName": "山田", ...})
    """
    problems = claim_problems(ctype, claims)
    if not problems:
        return
    forbidden = [p for p in problems if p.rule == "forbidden"]
    code = "FORBIDDEN_CLAIM" if forbidden else "CLAIMS_INVALID"
    shown = forbidden or problems
    text = "; ".join(str(p) for p in shown[:_MAX_IN_MESSAGE])
    more = f" (and {len(shown) - _MAX_IN_MESSAGE} more)" if len(shown) > _MAX_IN_MESSAGE else ""
    raise CatalogError(f"claims for {ctype.id} {ctype.version}: {text}{more}", code=code,
                       type=ctype.id, errors=[p.to_dict() for p in problems])


def claim_problems(ctype: CertificateType, claims: Any) -> list[ClaimProblem]:
    """Every problem with ``claims`` for ``ctype`` (empty when they fit)."""
    if not isinstance(claims, Mapping):
        return [ClaimProblem("", "type", "the claims must be a JSON object")]
    problems: list[ClaimProblem] = []
    _walk_data(claims, (), "", _index(ctype), problems)
    seen = {p.path for p in problems}
    for problem in _schema_problems(ctype, claims):
        if problem.path not in seen or problem.rule == "required":
            problems.append(problem)
    return problems


# --- pass 1 and 2: our own walk ----------------------------------------------------------------


def _walk_data(value: Any, schema_path: ClaimPath, shown: str, index: Mapping[ClaimPath, SchemaNode],
               problems: list[ClaimProblem]) -> None:
    if isinstance(value, Mapping):
        for key, sub in value.items():
            key_text = str(key)
            path = (*schema_path, key_text)
            where = f"{shown}.{key_text}" if shown else key_text
            node = index.get(path)
            if node is None:  # declared claims passed the forbidden-name check when the type loaded
                what = forbidden_reason(key_text)
                if what is not None:
                    problems.append(ClaimProblem(where, "forbidden", f"is a {what}; jitsuin never puts it in a "
                                                 "credential: remove the field"))
                    continue
                hint = "; set the subject's id with subject_id=" if not schema_path and key_text == "id" else \
                    "; remove it or use a type version that defines it"
                problems.append(ClaimProblem(where, "unknown", f"is not a claim of this type{hint}"))
                continue
            fmt = node.format
            if fmt is not None:
                reason = check_format(fmt, sub)
                if reason is not None:
                    problems.append(ClaimProblem(where, f"format:{fmt}", reason))
            _walk_data(sub, path, where, index, problems)
    elif isinstance(value, list):
        element_path = (*schema_path, None)
        node = index.get(element_path)
        for position, item in enumerate(value):
            where = f"{shown}[{position}]"
            if node is not None and node.format is not None:
                reason = check_format(node.format, item)
                if reason is not None:
                    problems.append(ClaimProblem(where, f"format:{node.format}", reason))
            _walk_data(item, element_path, where, index, problems)


_INDEXES: weakref.WeakKeyDictionary[CertificateType, dict[ClaimPath, SchemaNode]] = weakref.WeakKeyDictionary()
_VALIDATORS: weakref.WeakKeyDictionary[CertificateType, Draft202012Validator] = weakref.WeakKeyDictionary()


def _index(ctype: CertificateType) -> dict[ClaimPath, SchemaNode]:
    index = _INDEXES.get(ctype)
    if index is None:
        index = {node.path: node for node in ctype.claims}
        # arrays of scalars with a format (e.g. a list of dates) carry it on the element path
        for node in ctype.claims:
            for schema in node.schemas:
                items = schema.get("items")
                if isinstance(items, Mapping) and isinstance(items.get("format"), str):
                    index.setdefault((*node.path, None), SchemaNode((*node.path, None), (items,), False))
        _INDEXES[ctype] = index
    return index


# --- pass 3: JSON Schema -----------------------------------------------------------------------


def _validator(ctype: CertificateType) -> Draft202012Validator:
    validator = _VALIDATORS.get(ctype)
    if validator is None:
        validator = Draft202012Validator(ctype.schema)  # no format checker: formats are ours (pass 2)
        _VALIDATORS[ctype] = validator
    return validator


def _schema_problems(ctype: CertificateType, claims: Mapping[str, Any]) -> Iterable[ClaimProblem]:
    for error in _validator(ctype).iter_errors(claims):
        yield from _describe(error)


def _describe(error: SchemaValidationError) -> Iterable[ClaimProblem]:
    where = _render(error.absolute_path)
    rule, expected = error.validator, error.validator_value
    if rule == "required":
        instance = error.instance if isinstance(error.instance, Mapping) else {}
        for name in expected:
            if name not in instance:
                yield ClaimProblem(f"{where}.{name}" if where else name, "required",
                                   "is required but missing")
        return
    if rule in ("additionalProperties", "unevaluatedProperties"):
        return  # reported by name in pass 2
    yield ClaimProblem(where, str(rule), _REASONS.get(str(rule), _generic)(expected))


def _generic(expected: Any) -> str:
    return "does not fit the type's schema"


def _enum(expected: Any) -> str:
    values = ", ".join(str(v) for v in list(expected)[:_MAX_ENUM_SHOWN])
    return f"must be one of: {values}" + (" ..." if len(expected) > _MAX_ENUM_SHOWN else "")


_REASONS = {
    "type": lambda e: f"must be of type {e if isinstance(e, str) else ' or '.join(e)}",
    "enum": _enum,
    "const": lambda e: f"must be {e}",
    "minimum": lambda e: f"must be at least {e}",
    "maximum": lambda e: f"must be at most {e}",
    "exclusiveMinimum": lambda e: f"must be greater than {e}",
    "exclusiveMaximum": lambda e: f"must be less than {e}",
    "minLength": lambda e: f"must be at least {e} character(s) long",
    "maxLength": lambda e: f"must be at most {e} character(s) long",
    "minItems": lambda e: f"must have at least {e} item(s)",
    "maxItems": lambda e: f"must have at most {e} item(s)",
    "uniqueItems": lambda e: "must not repeat items",
    "pattern": lambda e: f"does not have the expected form (pattern {e})",
    "oneOf": lambda e: "must match exactly one of the allowed forms",
    "anyOf": lambda e: "must match one of the allowed forms",
    "not": lambda e: "has a form the type does not allow",
    "minProperties": lambda e: f"must have at least {e} field(s)",
    "multipleOf": lambda e: f"must be a multiple of {e}",
}


def _render(parts: Iterable[Any]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
