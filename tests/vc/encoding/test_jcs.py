"""RFC 8785 (JCS): ``canonical_json`` gives exactly the ``rfc8785`` package's bytes, or its error, for any value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings, strategies as st

from vc.encoding.jcs import canonical_json

VECTORS = Path(__file__).resolve().parents[2] / "vectors"


def outcome(fn: Any, value: Any) -> tuple[str, Any]:
    try:
        return "ok", fn(value)
    except Exception as exc:  # noqa: BLE001 - the same failure is part of the contract
        return "error", type(exc)


def assert_same(value: Any) -> None:
    assert outcome(canonical_json, value) == outcome(rfc8785.dumps, value)


# characters around the places where the encoders could differ: escapes, controls, DEL, U+2028,
# the end of the BMP (U+E000-U+FFFF sort after surrogate pairs in UTF-16), supplementary planes
tricky_chars = st.sampled_from(list('"\\/\b\f\n\r\t\x00\x1f\x7f\u2028\u2029\ud7ff\ue000\uff08\uffff')
                               + ["\U00010000", "\U0001f600", "a", "é", "二"])
characters = st.one_of(tricky_chars, st.characters(codec="utf-8"), st.characters(min_codepoint=0xD800,
                                                                                  max_codepoint=0xDFFF))
texts = st.text(alphabet=characters, max_size=8)
numbers = st.one_of(
    st.integers(min_value=-(2**53) - 2, max_value=2**53 + 2),
    st.sampled_from([2**53 - 1, 2**53, -(2**53) + 1, -(2**53), 10**30, 0]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1.0, -0.0, 0.5, 1e21, 1e-7, 5e-324, 123456789.125, 1e300]),
)
scalars = st.one_of(texts, numbers, st.booleans(), st.none())
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.dictionaries(texts, children, max_size=5),
    ),
    max_leaves=20,
)


@settings(max_examples=600)
@given(values)
def test_same_as_rfc8785(value: Any) -> None:
    assert_same(value)


@given(st.dictionaries(st.text(alphabet=st.sampled_from(["a", "\ue000", "\uffff", "\U00010000", "\U0001f600", "z"]),
                               max_size=3), st.integers(), max_size=6))
def test_key_order_is_utf16_order(value: dict[str, int]) -> None:
    assert_same(value)


PLAIN = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "credentialSubject": {"familyName": "山田", "note": 'tab\t"quoted"\\ \x00\x7f\u2028（）', "count": 2**53 - 1,
                          "flag": True, "none": None, "nested": [{"z": 1, "a": [], "é": {}}]},
}


def test_plain_documents_take_the_standard_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = rfc8785.dumps(PLAIN)
    monkeypatch.setattr(rfc8785, "dumps", lambda value: pytest.fail("fell back to rfc8785"))
    assert canonical_json(PLAIN) == expected


@pytest.mark.parametrize(
    "odd", [1.5, {"a": 2**53}, ("a", 1), {"\U0001f600": 1}, "\ud800", {1: "a"}, {"a": float("nan")}]
)
def test_unusual_values_are_rfc8785s_results_or_errors(odd: Any) -> None:
    assert_same(odd)


def _vector_documents() -> list[Any]:
    documents = []
    for path in sorted(VECTORS.rglob("*.json")):
        try:
            documents.append(json.loads(path.read_text(encoding="utf-8")))
        except ValueError:
            continue  # a few inputs are deliberately not JSON
    return documents


def test_spec_vectors() -> None:
    """Every JSON document among the copied spec vectors: the same bytes as rfc8785."""
    inputs = _vector_documents()
    assert len(inputs) > 20
    for value in inputs:
        assert_same(value)
