"""Derived predicates: claims computed from other claims at issuance (``ageOver18``, ``taxStatus``, ``noArrears``).

A verifier that only needs "over 18" or "no unpaid tax" asks for the predicate and never sees the birth date or
the amounts (catalog.md §5, design rule 2). A type file declares each predicate with a ``kind`` from
:data:`PREDICATE_KINDS` and its parameters:

    ageOver18: {kind: ageOver, source: birthDate, age: 18}
    noArrears: {kind: equals, source: unpaidAmount, value: 0}
    incomeBelow3000000: {kind: below, source: totalIncome, threshold: 3000000}
    taxStatus: {kind: above, sources: [municipalTax.incomeLevy, ...], threshold: 0,
                values: {"true": 課税, "false": 非課税}}

Ages follow 年齢計算ニ関スル法律: a person born on 29 February turns a year older on 1 March in common years.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from .claim_paths import ClaimPath, format_path, parse_path

__all__ = ["PREDICATE_KINDS", "Predicate", "PredicateKind", "get_claim"]

_MISSING = object()


def get_claim(claims: Mapping[str, Any], path: ClaimPath) -> Any:
    """The value at a path of named parts (no array parts), or None when absent."""
    value: Any = claims
    for part in path:
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


class PredicateKind(ABC):
    """One way of deriving a claim; ``check_params`` returns the problems with a declaration."""

    name: ClassVar[str]
    params: ClassVar[frozenset[str]]
    source_formats: ClassVar[frozenset[str] | None] = None  # formats the sources must have (None: any)

    @abstractmethod
    def check_params(self, params: Mapping[str, Any]) -> list[str]:
        """Problems with ``params`` (empty when fine)."""

    @abstractmethod
    def evaluate(self, values: list[Any], params: Mapping[str, Any], *, as_of: date) -> bool | None:
        """The predicate over the source values (None when no source value is present)."""


class _AgeOver(PredicateKind):
    name = "ageOver"
    params = frozenset({"age"})
    source_formats = frozenset({"date"})

    def check_params(self, params: Mapping[str, Any]) -> list[str]:
        age = params.get("age")
        return [] if isinstance(age, int) and not isinstance(age, bool) and 0 < age < 150 else \
            ["'age' must be a whole number of years (1-149)"]

    def evaluate(self, values: list[Any], params: Mapping[str, Any], *, as_of: date) -> bool | None:
        if not isinstance(values[0], str):
            return None
        born = date.fromisoformat(values[0])
        age = as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))
        return age >= params["age"]


class _Compare(PredicateKind):
    params = frozenset({"threshold"})

    def check_params(self, params: Mapping[str, Any]) -> list[str]:
        t = params.get("threshold")
        return [] if isinstance(t, (int, float)) and not isinstance(t, bool) else ["'threshold' must be a number"]

    def evaluate(self, values: list[Any], params: Mapping[str, Any], *, as_of: date) -> bool | None:
        numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if not numbers:
            return None
        return self.compare(sum(numbers), params["threshold"])

    @staticmethod
    @abstractmethod
    def compare(total: float, threshold: float) -> bool: ...


class _Below(_Compare):
    name = "below"

    @staticmethod
    def compare(total: float, threshold: float) -> bool:
        return total < threshold


class _Above(_Compare):
    name = "above"

    @staticmethod
    def compare(total: float, threshold: float) -> bool:
        return total > threshold


class _Equals(PredicateKind):
    name = "equals"
    params = frozenset({"value"})

    def check_params(self, params: Mapping[str, Any]) -> list[str]:
        return [] if "value" in params else ["'value' is required"]

    def evaluate(self, values: list[Any], params: Mapping[str, Any], *, as_of: date) -> bool | None:
        present = [v for v in values if v is not None]
        if not present:
            return None
        return all(v == params["value"] for v in present)


PREDICATE_KINDS: dict[str, PredicateKind] = {k.name: k for k in (_AgeOver(), _Below(), _Above(), _Equals())}


@dataclass(frozen=True)
class Predicate:
    """A derived claim declared by a type: ``name`` is the claim it fills."""

    name: str
    kind: str
    sources: tuple[ClaimPath, ...]
    params: Mapping[str, Any] = field(default_factory=dict)
    values: Mapping[bool, Any] | None = None  # maps the boolean result to the claim value (e.g. 課税/非課税)

    def derive(self, claims: Mapping[str, Any], *, as_of: date) -> Any:
        """The claim value for ``claims`` on ``as_of`` (None when its sources are absent)."""
        result = PREDICATE_KINDS[self.kind].evaluate([get_claim(claims, s) for s in self.sources], self.params,
                                                     as_of=as_of)
        if result is None or self.values is None:
            return result
        return self.values[result]

    @property
    def source_text(self) -> list[str]:
        """The source paths in text form."""
        return [format_path(s) for s in self.sources]

    @classmethod
    def parse(cls, name: str, spec: Mapping[str, Any]) -> tuple[Predicate | None, list[str]]:
        """A predicate from its type-file declaration, or None and the problems found."""
        kind = PREDICATE_KINDS.get(spec.get("kind", ""))
        if kind is None:
            return None, [f"'kind' must be one of {', '.join(sorted(PREDICATE_KINDS))}"]
        problems = list(kind.check_params(spec))
        raw_sources = spec.get("sources") if spec.get("sources") is not None else (
            [spec["source"]] if spec.get("source") is not None else [])
        if not raw_sources or not all(isinstance(s, str) for s in raw_sources):
            problems.append("give the claim it derives from as 'source' (or a list as 'sources')")
            return None, problems
        sources: list[ClaimPath] = []
        for text in raw_sources:
            try:
                path = parse_path(text)
            except ValueError:
                problems.append(f"source {text!r} is not a claim path")
                continue
            if None in path:
                problems.append(f"source {text!r} goes through an array; predicates read single values")
            sources.append(path)
        values = spec.get("values")
        mapped: dict[bool, Any] | None = None
        if values is not None:
            if not isinstance(values, Mapping) or {str(k).lower() for k in values} != {"true", "false"}:
                problems.append("'values' must map both \"true\" and \"false\" to the claim value")
            else:
                mapped = {str(k).lower() == "true": v for k, v in values.items()}
        unknown = set(spec) - kind.params - {"kind", "source", "sources", "values"}
        if unknown:
            problems.append(f"unknown parameter(s) {', '.join(sorted(unknown))} for kind {kind.name!r}")
        if problems:
            return None, problems
        params = {k: spec[k] for k in kind.params}
        return cls(name=name, kind=kind.name, sources=tuple(sources), params=params, values=mapped), []
