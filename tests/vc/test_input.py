"""load_json / require_object: untrusted JSON is parsed or refused with a coded error, never a traceback."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vc.errors import InputTooLargeError, MalformedError
from vc.input import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, copy_json, copy_json_checked, load_json, require_object


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"a": [1, 2.5, "x", true, null]}', {"a": [1, 2.5, "x", True, None]}),
        ('{"名前": "山田"}', {"名前": "山田"}),
        ('{"名前": "山田"}'.encode(), {"名前": "山田"}),
        (b"\xef\xbb\xbf{}", {}),  # a leading UTF-8 BOM is ignored
        ('"\\ud83d\\ude00"', "\U0001f600"),  # a surrogate pair escape is fine
        (bytearray(b"[]"), []),
        ("  7 ", 7),
    ],
)
def test_parses(data: Any, expected: Any) -> None:
    assert load_json(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b"{'a': 1}",
        b'{"a": 1,}',
        b'{"a": 1} {"b": 2}',
        b'{"a": 1, "a": 2}',  # duplicate names are ambiguous in signed data
        b'[{"x": {"k": 1, "k": 1}}]',
        b"[NaN]",
        b"[Infinity]",
        b"-Infinity",
        b"1e400",
        b"[-1e999]",
        b'"\\ud800"',  # lone surrogate escapes
        b'{"\\udc00": 1}',
        b'["ok", ["\\ud83d"]]',
        b"\xff\xfe{}",  # not UTF-8
        b'{"a": "\xc0\xaf"}',  # overlong UTF-8
        b'"\xed\xa0\x80"',  # encoded surrogate
        '{"a": 1}'.encode("utf-16"),
        b'"tab\there"',  # raw control character in a string
        b"1" * 5000,  # longer than Python's int digit limit
    ],
)
def test_malformed(data: bytes) -> None:
    with pytest.raises(MalformedError):
        load_json(data)


def test_text_with_lone_surrogate_is_malformed() -> None:
    with pytest.raises(MalformedError):
        load_json('"\ud800"')


def test_wrong_input_type() -> None:
    with pytest.raises(MalformedError):
        load_json(123)  # type: ignore[arg-type]


def test_size_limit_bytes_and_text() -> None:
    doc = json.dumps({"pad": "x" * 100})
    assert load_json(doc, max_bytes=len(doc)) == {"pad": "x" * 100}
    for data in (doc, doc.encode()):
        with pytest.raises(InputTooLargeError):
            load_json(data, max_bytes=len(doc) - 1)
    # characters vs bytes: 3-byte characters count as 3
    with pytest.raises(InputTooLargeError):
        load_json('"' + "山" * 10 + '"', max_bytes=20)


def test_ten_megabytes_is_too_large() -> None:
    big = b'{"pad": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    assert len(big) > DEFAULT_MAX_BYTES
    with pytest.raises(InputTooLargeError):
        load_json(big)


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_ten_thousand_deep_is_refused_without_recursion_error(opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    with pytest.raises(InputTooLargeError) as info:
        load_json(opener * 10_000 + "1" + closer * 10_000)
    # refused by the pre-scan (which reports the limit), not by the parser hitting recursion
    assert info.value.detail == {"max_depth": DEFAULT_MAX_DEPTH}


def test_unclosed_deep_nesting_is_refused() -> None:
    with pytest.raises(InputTooLargeError):
        load_json("[" * 10_000)


def test_parser_recursion_becomes_input_too_large() -> None:
    # a caller that raises max_depth past the parser's own limit still gets a coded error
    with pytest.raises(InputTooLargeError):
        load_json("[" * 100_000 + "]" * 100_000, max_depth=1_000_000, max_bytes=10**6)


def test_depth_limit_is_exact() -> None:
    ok = "[" * DEFAULT_MAX_DEPTH + "]" * DEFAULT_MAX_DEPTH
    assert load_json(ok) is not None
    with pytest.raises(InputTooLargeError):
        load_json("[" + ok + "]")
    assert load_json('{"a": {"b": [1]}}', max_depth=3) == {"a": {"b": [1]}}
    with pytest.raises(InputTooLargeError):
        load_json('{"a": {"b": [1]}}', max_depth=2)


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps(["[" * 1000, "{" * 1000, '\\"[[[[', "\\\\"])
    assert load_json(text, max_depth=1) == ["[" * 1000, "{" * 1000, '\\"[[[[', "\\\\"]


def test_many_escaped_quotes_stay_fast() -> None:
    # an unterminated string full of escaped quotes must not make the depth scan quadratic
    with pytest.raises(MalformedError):
        load_json('"' + '\\"' * 500_000)


def test_error_names_position() -> None:
    with pytest.raises(MalformedError) as info:
        load_json(b'{\n  "a": ,\n}')
    assert info.value.detail["line"] == 2


def test_require_object() -> None:
    assert require_object({"a": 1}) == {"a": 1}
    for value, kind in (([], "an array"), ("s", "a string"), (None, "null"), (True, "a boolean"), (1.5, "a number")):
        with pytest.raises(MalformedError) as info:
            require_object(value, what="presentation")
        assert info.value.message == f"the presentation must be a JSON object, got {kind}"


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_only_raise_our_errors(data: bytes) -> None:
    try:
        load_json(data, max_depth=8)
    except (MalformedError, InputTooLargeError):
        pass


@settings(max_examples=300)
@given(st.text(alphabet='[]{}"\\,:0a \ud800', max_size=200))
def test_bracket_and_quote_soup_only_raises_our_errors(text: str) -> None:
    try:
        load_json(text, max_depth=4)
    except (MalformedError, InputTooLargeError):
        pass


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=25,
)


@given(_json_values)
def test_round_trips_json_it_did_not_write(value: Any) -> None:
    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False)):
        parsed = load_json(text, max_depth=1000)
        assert parsed == value


json_values = st.recursive(
    st.one_of(st.text(max_size=5), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none()),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=15,
)


@given(json_values)
def test_copy_json_is_an_independent_equal_copy(value: Any) -> None:
    copied = copy_json(value)
    assert copied == value and json.dumps(copied) == json.dumps(value)
    stack = [(value, copied)]
    while stack:  # no container is shared with the original
        original, duplicate = stack.pop()
        if isinstance(original, (dict, list)):
            assert original is not duplicate
            if isinstance(original, dict):
                stack.extend(zip(original.values(), duplicate.values()))
            else:
                stack.extend(zip(original, duplicate))


def test_copy_json_deep_copies_other_values() -> None:
    when = datetime(2026, 1, 1, tzinfo=timezone.utc)
    value = {"set": {1, 2}, "tuple": ([1], 2), "when": when}
    copied = copy_json(value)
    assert copied == copy.deepcopy(value)
    assert copied["set"] is not value["set"] and copied["tuple"][0] is not value["tuple"][0]


@pytest.mark.parametrize(
    "value,path",
    [({"a": {"b": [1, 2**53]}}, "a.b[1]"), ([2**60], "[0]"), ({"x": -(2**53)}, "x")],
)
def test_integers_beyond_i_json_are_named_by_path(value, path):
    from vc.input import require_interoperable_numbers

    with pytest.raises(MalformedError) as raised:
        require_interoperable_numbers(value)
    assert raised.value.detail["property"] == path


def test_safe_integers_and_floats_pass():
    from vc.input import MAX_SAFE_INTEGER, require_interoperable_numbers

    require_interoperable_numbers({"a": [MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER, 1e300, "9007199254740993"]})


def test_copy_json_checked_copies_and_flags_unsafe_integers() -> None:
    doc = {"a": [{"n": 2**53 - 1}, True, 1.5e300, None, "x"], "b": {"c": [-(2**53 - 1)]}}
    copied, ok = copy_json_checked(doc)
    assert ok and copied == doc
    assert copied["a"] is not doc["a"] and copied["a"][0] is not doc["a"][0] and copied["b"]["c"] is not doc["b"]["c"]
    for unsafe in ({"a": [{"n": 2**53}]}, {"b": {"c": [-(2**53)]}}, [2**64]):
        copied, ok = copy_json_checked(unsafe)
        assert not ok and copied == unsafe and copied is not unsafe  # still a full copy
