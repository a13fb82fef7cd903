"""RDFC-1.0 (vc/canon/rdfc10.py): the W3C test suite, the work limit and the issued identifiers map."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from vc.canon.nquads import parse_nquads
from vc.canon.rdfc10 import DEFAULT_MAX_WORK, canonicalize, canonicalize_with_map
from vc.errors import CanonicalizationLimitError, InputError, UsageError

SUITE = Path(__file__).parents[2] / "vectors" / "rdf-canon"
ENTRIES: list[dict[str, Any]] = json.loads((SUITE / "manifest.jsonld").read_text(encoding="utf-8"))["entries"]


def _quads(entry: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return parse_nquads((SUITE / entry["action"]).read_text(encoding="utf-8"))


def _hash(entry: dict[str, Any]) -> str:
    return entry.get("hashAlgorithm", "sha256")


def _ids(kind: str) -> list[Any]:
    return [pytest.param(e, id=e["id"].lstrip("#")) for e in ENTRIES if e["type"] == kind]


def test_the_suite_is_complete() -> None:
    kinds = [e["type"] for e in ENTRIES]
    assert (len(kinds), kinds.count("rdfc:RDFC10EvalTest"), kinds.count("rdfc:RDFC10MapTest")) == (86, 64, 21)
    assert [e["id"] for e in ENTRIES if e.get("hashAlgorithm")] == ["#test075c", "#test075m"]


@pytest.mark.parametrize("entry", _ids("rdfc:RDFC10EvalTest"))
def test_canonical_nquads(entry: dict[str, Any]) -> None:
    expected = (SUITE / entry["result"]).read_text(encoding="utf-8")
    assert canonicalize(_quads(entry), hash_algorithm=_hash(entry)) == expected


@pytest.mark.parametrize("entry", _ids("rdfc:RDFC10MapTest"))
def test_issued_identifiers_map(entry: dict[str, Any]) -> None:
    expected = json.loads((SUITE / entry["result"]).read_text(encoding="utf-8"))
    assert canonicalize_with_map(_quads(entry), hash_algorithm=_hash(entry)).issued == expected


@pytest.mark.parametrize("entry", _ids("rdfc:RDFC10NegativeEvalTest"))
def test_poison_graph_is_refused_quickly(entry: dict[str, Any]) -> None:
    quads = _quads(entry)
    started = time.perf_counter()
    with pytest.raises(CanonicalizationLimitError) as info:
        canonicalize(quads)
    elapsed = time.perf_counter() - started
    assert info.value.code == "CANONICALIZATION_LIMIT"
    assert isinstance(info.value, InputError)  # unusable input (CLI exit 2), not a crash
    assert info.value.detail["max_work"] == DEFAULT_MAX_WORK
    # bounded: the limit stops it after DEFAULT_MAX_WORK steps (measured ~0.05 s), not minutes
    assert elapsed < 10, elapsed


def test_the_limit_is_configurable() -> None:
    evil = next(e for e in ENTRIES if e["id"] == "#test044c")
    quads = _quads(evil)
    expected = (SUITE / evil["result"]).read_text(encoding="utf-8")
    assert canonicalize(quads) == expected  # the hardest positive tests pass with the default
    with pytest.raises(CanonicalizationLimitError):
        canonicalize(quads, max_work=100)
    # a dataset whose blank nodes all have distinct first-degree hashes needs no N-degree work at all
    simple = next(e for e in ENTRIES if e["id"] == "#test002c")
    assert canonicalize(_quads(simple), max_work=0) == (SUITE / simple["result"]).read_text(encoding="utf-8")


def test_unknown_hash_algorithm_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        canonicalize([], hash_algorithm="md5")


def test_blank_node_labels_and_input_order_do_not_matter() -> None:
    entry = next(e for e in ENTRIES if e["id"] == "#test020c")  # the blank node diamond: N-degree step
    quads = _quads(entry)
    relabelled = [tuple(t.replace("_:", "_:other") if t.startswith("_:") else t for t in q) for q in quads]
    expected = (SUITE / entry["result"]).read_text(encoding="utf-8")
    assert canonicalize(list(reversed(relabelled))) == expected  # type: ignore[arg-type]


def test_max_work_factor_is_rdf_canonizes_bound() -> None:
    """rdf-canonize (jsonld.js, vc-js) allows n^factor Hash N-Degree Quads calls for n look-alike blank nodes."""
    entry = next(e for e in ENTRIES if e["id"] == "#test021c")
    quads, expected = _quads(entry), (SUITE / entry["result"]).read_text(encoding="utf-8")
    assert canonicalize(quads) == expected  # the poison guard alone lets it through
    for factor in (0, 1):
        with pytest.raises(CanonicalizationLimitError) as info:
            canonicalize(quads, max_work_factor=factor)
        assert info.value.detail["max_work_factor"] == factor
        assert "vc-js" in info.value.message
    assert canonicalize(quads, max_work_factor=2) == expected
    # no look-alike blank nodes, no deep iterations: even factor 0 passes (as in rdf-canonize)
    simple = next(e for e in ENTRIES if e["id"] == "#test002c")
    assert canonicalize(_quads(simple), max_work_factor=0) == (SUITE / simple["result"]).read_text(encoding="utf-8")
