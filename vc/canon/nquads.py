"""RDF terms as canonical N-Quads strings, and an N-Quads reader.

A quad is a tuple ``(subject, predicate, object, graph)`` of terms already written in canonical
N-Quads form: ``<iri>``, ``_:label`` or a literal (``"lexical"``, ``"lexical"@lang``,
``"lexical"^^<datatype>``); the graph is ``""`` for the default graph. Keeping terms pre-serialized
lets the canonicalization hash and sort lines without building them again, and a term's first
character tells its kind (``<``, ``_`` or ``"``).

Literal escaping follows the canonical N-Quads form that RDFC-1.0 requires (RDF 1.2 N-Quads §
"Canonical N-Quads"): ``\\b \\t \\n \\f \\r \\" \\\\`` as ECHAR and the other C0 controls and
U+007F as upper-case ``\\u00XX``. (PyLD's own serializer escapes only ``\\t \\n \\r \\" \\\\``, which
is why RDFC-1.0 test060 fails with PyLD's URDNA2015.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from vc.errors import MalformedError

__all__ = [
    "Quad",
    "RDF_LANGSTRING",
    "XSD_STRING",
    "blank",
    "escape_string",
    "iri",
    "literal",
    "parse_nquads",
    "serialize_nquads",
    "serialize_quad",
]

Quad = tuple[str, str, str, str]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_ECHAR = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_ESCAPES = {chr(c): f"\\u{c:04X}" for c in [*range(0x20), 0x7F]} | _ECHAR
_NEEDS_ESCAPE = re.compile('[\x00-\x1f\x7f"\\\\]')


def escape_string(value: str) -> str:
    """The lexical form escaped for a canonical N-Quads string literal (without quotes)."""
    if _NEEDS_ESCAPE.search(value) is None:
        return value
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES[m.group()], value)


def literal(value: str, datatype: str = XSD_STRING, language: str | None = None) -> str:
    """A literal term in canonical form (xsd:string written without its datatype)."""
    text = '"' + escape_string(value) + '"'
    if language:
        return text + "@" + language
    if datatype == XSD_STRING:
        return text
    return text + "^^<" + datatype + ">"


def iri(value: str) -> str:
    """An IRI term."""
    return "<" + value + ">"


def blank(label: str) -> str:
    """A blank node term from a label with or without its ``_:``."""
    return label if label.startswith("_:") else "_:" + label


def serialize_quad(quad: Quad) -> str:
    """One canonical N-Quads line, newline included."""
    s, p, o, g = quad
    if g:
        return f"{s} {p} {o} {g} .\n"
    return f"{s} {p} {o} .\n"


# --- reading --------------------------------------------------------------------------------

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_IRIREF = rf"<((?:[^\x00-\x20<>\"{{}}|^`\\]|{_UCHAR})*)>"
# PN_CHARS_U / PN_CHARS ranges of the N-Quads grammar, without the surrogate block
_PN_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_U = _PN_BASE + "_:"
_PN = _PN_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_BNODE = rf"_:([{_PN_U}0-9](?:[{_PN}.]*[{_PN}])?)"
_STRING = rf'"((?:[^"\\\n\r]|\\[tbnrf"\'\\]|{_UCHAR})*)"'
_LANG = r"@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*)"
_WS = r"[ \t]*"

_TERM = re.compile(
    rf"{_WS}(?:{_IRIREF}|{_BNODE}|{_STRING}(?:\^\^{_IRIREF}|{_LANG})?)"
)
_END = re.compile(rf"{_WS}\.{_WS}(?:#.*)?$")
_BLANK_LINE = re.compile(rf"{_WS}(?:#.*)?$")
_UNESCAPE = re.compile(rf'{_UCHAR}|\\[tbnrf"\'\\]')
_ECHAR_VALUES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        esc = m.group()
        if esc[1] in "uU":
            return chr(int(esc[2:], 16))
        return _ECHAR_VALUES[esc[1]]

    return _UNESCAPE.sub(one, text)


def _read_term(line: str, pos: int, lineno: int, *, allow_literal: bool) -> tuple[str, int]:
    m = _TERM.match(line, pos)
    if m is None:
        raise MalformedError(f"N-Quads line {lineno}: expected a term at column {pos + 1}.")
    iri_, bnode, string, datatype, lang = m.groups()
    if iri_ is not None:
        return iri(_unescape(iri_)), m.end()
    if bnode is not None:
        return "_:" + bnode, m.end()
    if not allow_literal:
        raise MalformedError(f"N-Quads line {lineno}: a literal is only allowed as the object.")
    value = _unescape(string)
    if lang is not None:
        return literal(value, language=lang), m.end()
    return literal(value, _unescape(datatype) if datatype is not None else XSD_STRING), m.end()


def parse_nquads(text: str) -> list[Quad]:
    """Parse N-Quads into quads of canonical terms (duplicates removed, first order kept)."""
    seen: dict[Quad, None] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if _BLANK_LINE.match(line):
            continue
        s, pos = _read_term(line, 0, lineno, allow_literal=False)
        p, pos = _read_term(line, pos, lineno, allow_literal=False)
        if not p.startswith("<"):
            raise MalformedError(f"N-Quads line {lineno}: the predicate must be an IRI.")
        o, pos = _read_term(line, pos, lineno, allow_literal=True)
        g = ""
        if _END.match(line, pos) is None:
            g, pos = _read_term(line, pos, lineno, allow_literal=False)
            if _END.match(line, pos) is None:
                raise MalformedError(f"N-Quads line {lineno}: expected ' .' after the quad.")
        seen.setdefault((s, p, o, g), None)
    return list(seen)


def serialize_nquads(quads: Iterable[Quad]) -> str:
    """Quads as N-Quads lines in the given order."""
    return "".join(serialize_quad(q) for q in quads)
