"""RFC 8785 JSON Canonicalization Scheme (JCS): the bytes ``eddsa-jcs-2022`` hashes.

The ``rfc8785`` package serializes in pure Python, one string and one number at a time. For the
usual document (objects with string keys, arrays, strings, integers within IEEE 754's exact range,
booleans, null) JCS is exactly what the standard library's C encoder writes with sorted keys, no
whitespace and no ASCII escaping: the same escapes (``\\"`` ``\\\\`` ``\\b`` ``\\f`` ``\\n`` ``\\r``
``\\t``, other controls as lowercase ``\\u00xx``), integers in decimal, and key order by code point,
which equals RFC 8785's UTF-16 order while no key holds a character from U+D800 up. Anything else
(floats, which JCS writes the ECMAScript way; big integers; tuples; such keys; lone surrogates) goes
to ``rfc8785``, so results and errors are always the package's (differential tests in
``tests/vc/encoding/test_jcs.py``).

    >>> canonical_json({"b": [1, "二"], "a": None})
    b'{"a":null,"b":[1,"\\xe4\\xba\\x8c"]}'
"""

from __future__ import annotations

import json
from typing import Any

import rfc8785

__all__ = ["canonical_json"]

_INT_LIMIT = 2**53 - 1  # rfc8785 refuses integers a double cannot hold exactly
_UTF16_ORDER_SAFE = "\ud800"  # below this, code point order is UTF-16 code unit order
_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")).encode


def canonical_json(value: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of ``value``; raises as ``rfc8785.dumps`` does."""
    try:
        plain = _plain(value)
    except RecursionError:
        plain = False  # let rfc8785 fail (or not) its own way
    if plain:
        try:
            return _encode(value).encode("utf-8")
        except UnicodeEncodeError:
            pass  # a lone surrogate: rfc8785 raises its CanonicalizationError
    return rfc8785.dumps(value)


def _plain(value: Any) -> bool:
    """True when the standard encoder writes ``value`` exactly as JCS does (see the module docstring)."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or not (key.isascii() or max(key, default="") < _UTF16_ORDER_SAFE):
                return False
            if type(item) is not str and not _plain(item):
                return False
        return True
    if kind is list:
        for item in value:
            if type(item) is not str and not _plain(item):
                return False
        return True
    if kind is int:
        return -_INT_LIMIT <= value <= _INT_LIMIT
    return False
