"""Canonical N-Quads templates for documents that differ only in a few string values.

A Data Integrity proof configuration is the same object on every signature of an issuer except
for ``created`` (and, on a presentation, ``challenge`` / ``nonce`` / ``expires``). Canonicalizing
it from scratch is a fifth of the cost of an rdfc signature; this module canonicalizes its shape
once with sentinel strings in the varying members, checks that the result can be filled in
exactly, and from then on substitutes the escaped values and sorts a handful of lines.

A template is kept only when filling it in is provably the full algorithm's answer:

- the fast path (:mod:`vc.canon.compiled`) produced the quads (the same guarantees as ``canonize``);
- the dataset has at most one blank node, so canonical labelling does not depend on the values
  (a lone blank node is always ``_:c14n0``);
- each sentinel occurs exactly once, as the whole lexical form of a literal object whose datatype
  keeps the string as it is (no ``xsd:double``, no ``@id``/``@vocab`` coercion), and no other quad
  shares that literal's subject, predicate and graph (so no value can collide with another quad).

Anything else (several blank nodes, an inline context the fast path declines, a non-string value)
goes through :func:`vc.canon.canonize` unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from vc.canon import _compiler, canonize, fast_quads
from vc.canon.nquads import escape_string
from vc.jsonld.loader import DocumentLoader

__all__ = ["canonize_varying"]

_SENTINEL = "jitsuin-template-value-{}-6c1f0e"
_MAX_TEMPLATES = 512
_NOT_TEMPLATED = object()  # cached: this shape does not qualify, canonize it in full


class _Template:
    """Sorted fixed lines plus, per varying member, the text around its literal's lexical form."""

    __slots__ = ("fixed", "slots")

    def __init__(self, fixed: list[str], slots: list[tuple[str, str, str]]) -> None:
        self.fixed = fixed
        self.slots = slots  # (member name, line text before the value, line text after it)

    def fill(self, doc: dict[str, Any]) -> str:
        lines = [*self.fixed]
        for name, before, after in self.slots:
            lines.append(before + escape_string(doc[name]) + after)
        lines.sort()
        return "".join(lines)


def canonize_varying(
    doc: dict[str, Any],
    varying: Iterable[str],
    *,
    loader: Any = None,
    safe: bool = False,
) -> str:
    """``canonize(doc)``, through a cached template when only the ``varying`` string members change.

    Byte-identical to :func:`vc.canon.canonize` for every input (see the module docstring).
    """
    if not isinstance(doc, dict) or not isinstance(loader, DocumentLoader):
        return canonize(doc, loader=loader, safe=safe)
    # a varying member that is not a string (a list of domains, say) is part of the shape instead
    present = tuple(name for name in varying if type(doc.get(name)) is str)
    key = _template_key(doc, present, safe)
    if key is None:
        return canonize(doc, loader=loader, safe=safe)
    compiler = _compiler(loader)
    templates = compiler.templates  # dropped with the compiler when its contexts are forgotten
    template = templates.get(key)
    if template is None:
        template = _build(doc, present, loader=loader, safe=safe)
        if not compiler.volatile:
            if len(templates) >= _MAX_TEMPLATES:
                # keys hold verification methods (one per holder on a verifier): start afresh rather than
                # keep the first 512 forever; a template costs one fast canonicalization to rebuild
                templates.clear()
            templates[key] = template
    if template is _NOT_TEMPLATED:
        return canonize(doc, loader=loader, safe=safe)
    return template.fill(doc)  # type: ignore[union-attr]


def _template_key(doc: dict[str, Any], present: tuple[str, ...], safe: bool) -> Any:
    fixed: list[Any] = [present, safe]
    for name, value in doc.items():
        if name in present:
            continue
        kind = type(value)
        if kind is str:
            fixed.append((name, value))
        elif kind is list and all(type(v) is str for v in value):
            fixed.append((name, tuple(value)))
        else:
            try:  # an inline context or another structure: its exact JSON text (member order kept)
                fixed.append((name, "json", json.dumps(value, ensure_ascii=False)))
            except (TypeError, ValueError):
                return None
    # in the document's member order: another order is another key (and template), never a wrong one
    return tuple(fixed)


def _build(doc: dict[str, Any], present: tuple[str, ...], *, loader: Any, safe: bool) -> Any:
    sentinels = {name: _SENTINEL.format(i) for i, name in enumerate(present)}
    probe = {**doc, **sentinels}
    if any(_mentions(value, sentinels.values()) for name, value in doc.items() if name not in present):
        return _NOT_TEMPLATED
    try:
        quads = fast_quads(probe, loader=loader, safe=safe)
    except Exception:  # noqa: BLE001 - whatever the fast path declines is canonized in full
        return _NOT_TEMPLATED
    blanks = {term for quad in quads for term in quad if term[:2] == "_:"}
    if len(blanks) > 1:
        return _NOT_TEMPLATED

    def label(term: str) -> str:
        return "_:c14n0" if term[:2] == "_:" else term

    slots: list[tuple[str, str, str]] = []
    fixed: list[str] = []
    varying_quads = []
    for s, p, o, g in quads:
        found = [name for name, sentinel in sentinels.items() if sentinel in s + p + o + g]
        line_end = f" {label(g)} .\n" if g else " .\n"
        if not found:
            fixed.append(f"{label(s)} {p} {label(o)}{line_end}")
            continue
        if len(found) != 1:
            return _NOT_TEMPLATED
        name = found[0]
        tail = o[len(sentinels[name]) + 1:]
        exact_literal = o.startswith('"' + sentinels[name] + '"') and sentinels[name] not in s + p + g
        if not exact_literal or not _keeps_string(tail):
            return _NOT_TEMPLATED
        varying_quads.append((s, p, g))
        slots.append((name, f'{label(s)} {p} "', f"{tail}{line_end}"))
    if sorted(name for name, _b, _a in slots) != sorted(present):
        return _NOT_TEMPLATED  # a sentinel dropped (an undefined term) or emitted twice
    for s, p, g in varying_quads:
        if sum(1 for quad in quads if (quad[0], quad[1], quad[3]) == (s, p, g)) != 1:
            return _NOT_TEMPLATED
    fixed.sort()
    return _Template(fixed, slots)


def _keeps_string(tail: str) -> bool:
    # after the lexical form: '"' (xsd:string), '"@lang', or '"^^<datatype>' other than xsd:double,
    # whose lexical form pyld rewrites (1 -> 1.0E0)
    if tail == '"' or tail.startswith('"@'):
        return True
    return tail.startswith('"^^<') and tail != '"^^<http://www.w3.org/2001/XMLSchema#double>'


def _mentions(value: Any, sentinels: Iterable[str]) -> bool:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return any(sentinel in text for sentinel in sentinels)

