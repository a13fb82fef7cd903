"""Which presented credential fills which requirement of a procedure, and whether the procedure is satisfied.

A credential that answered a DCQL query (an OpenID4VP ``vp_token`` key) fills that query's requirement
when its type and format fit. Others are matched by type and format, requirement by requirement in file
order: first to a credential whose subject fits the requirement (``holder``: the holder's own;
``linked``: someone else's; ``holder_or_linked``: own first), then, for requirements still empty,
to any fitting credential except that a ``linked`` requirement never takes the holder's own (it would
duplicate another requirement, as with one parent's employment certificate presented twice).
Each credential fills at most one requirement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Procedure

__all__ = ["Candidate", "assign_requirements", "missing_requirements", "requested_claims"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A presented credential as matching sees it."""

    index: int
    type_names: frozenset[str]
    format: str
    own: bool
    query_id: str | None = None


def _prefers(mode: str, own: bool) -> bool:
    return {"holder": own, "linked": not own, "holder_or_linked": own, "any": True}[mode]


def assign_requirements(procedure: Procedure, candidates: Sequence[Candidate]) -> dict[int, str]:
    """Credential index -> requirement id."""
    assigned: dict[int, str] = {}
    filled: set[str] = set()
    for cand in candidates:
        if cand.query_id is None:
            continue
        req = procedure.requirement_for_query(cand.query_id)
        if req is not None and req.id not in filled and req.accepts(cand.type_names, cand.format, query_id=cand.query_id):
            assigned[cand.index] = req.id
            filled.add(req.id)
    free = [c for c in candidates if c.query_id is None]
    for strict in (True, False):
        for req in procedure.requirements:
            if req.id in filled:
                continue
            for cand in free:
                if cand.index in assigned or not req.accepts(cand.type_names, cand.format):
                    continue
                if strict and not _prefers(req.subject, cand.own):
                    continue
                if not strict and req.subject == "linked" and cand.own:
                    continue
                assigned[cand.index] = req.id
                filled.add(req.id)
                break
    return assigned


def missing_requirements(procedure: Procedure, filled: set[str] | frozenset[str]) -> list[str]:
    """What is missing, one description per unmet required set ([] when the procedure is satisfied)."""
    if procedure.credential_sets:
        return [
            " or ".join("+".join(option) for option in cset.options)
            for cset in procedure.credential_sets
            if cset.required and not any(set(option) <= set(filled) for option in cset.options)
        ]
    return [r.id for r in procedure.requirements if not r.optional and r.id not in filled]


_NOTHING = object()


def requested_claims(claims: Mapping[str, Any], paths: Sequence[tuple[Any, ...]]) -> dict[str, Any]:
    """Only the parts of ``claims`` that ``paths`` (DCQL claim paths relative to the subject; None = every
    array element) ask for."""
    kept = _prune(claims, [tuple(p) for p in paths])
    return kept if isinstance(kept, dict) else {}


def _prune(value: Any, paths: list[tuple[Any, ...]]) -> Any:
    if any(not p for p in paths):
        return value  # a path ends here: the whole value was asked for
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            sub = [p[1:] for p in paths if p[0] == key]
            if sub:
                kept = _prune(item, sub)
                if kept is not _NOTHING:
                    out[key] = kept
        return out if out else _NOTHING
    if isinstance(value, list):
        items = []
        for i, item in enumerate(value):
            sub = [p[1:] for p in paths if p[0] is None or p[0] == i]
            if sub:
                kept = _prune(item, sub)
                if kept is not _NOTHING:
                    items.append(kept)
        return items if items else _NOTHING
    return _NOTHING
