"""JSON-LD "safe mode": refuse documents whose JSON and RDF meaning differ, like jsonld.js ``safe: true``.

A credential property that JSON-LD expansion would silently drop (no term definition and no ``@vocab``), a
``type`` or ``id`` that expands to a relative IRI, and the other lossy cases jsonld.js flags in safe mode are
errors: otherwise a signature would cover less than the JSON shows. Digital Bazaar's vc and Data Integrity
libraries canonize with ``safe: true``; this module gives pyld (which has no safe mode) the same behaviour.

The checks run inside pyld's own expansion (a ``JsonLdProcessor`` subclass hooks the places where expansion
drops a key, a value or an object, or produces an IRI), so checking costs almost nothing beyond the expansion,
and :func:`expand_safe` / ``canonize(..., safe=True)`` check and produce their result in one pass.

jsonld.js safe-mode events and where they are caught here:

    invalid property                       a key that expands to neither an absolute IRI nor a keyword
    relative @type reference               a type that expands to a relative IRI (none under a v2 ``@vocab``)
    relative @id reference, reserved/null @id value
    relative @vocab reference              an active ``@vocab`` that is not an absolute IRI
    relative object reference              an ``"@type": "@id"`` property value that stays relative
    reserved term, reserved @id/@reverse value   in a document's inline ``@context``
    free-floating scalar, empty object, object with only @id / @value / @list / @language,
    null @value value                      anything else expansion drops
    blank node predicate                   a property mapped to ``_:...``
    invalid @language value                not BCP 47
    (rdfDirection not set cannot happen: jitsuin always converts with ``rdfDirection='i18n-datatype'``)
"""

from __future__ import annotations

import re
from typing import Any

from pyld import jsonld

from ..errors import UndefinedTermError, VcError
from ._pyld import Processor, pyld_options, translate

__all__ = ["SafeProcessor", "check_safe", "expand_safe"]

_KEYWORD_LIKE = re.compile(r"^@[a-zA-Z]+$")
_ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+\-.]*|_):[^\s]*$")  # same test as jsonld.js / pyld
_BCP47 = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")  # jsonld.js REGEX_BCP47
_MAX_SHOWN = 120


def check_safe(doc: Any, *, loader: Any = None) -> None:
    """Raise UndefinedTermError (naming the property path) if JSON-LD expansion of ``doc`` would lose or blur data.

    A document the compiled fast path of :mod:`vc.canon` processes in safe mode is safe (it declines on
    every safe-mode event), at a fraction of the cost of an expansion; any other document goes through
    :func:`expand_safe`, which decides and names the problem. Same verdict and error either way.
    """
    from ..canon import fast_safe_check  # vc.canon imports this package

    if not fast_safe_check(doc, loader=loader):
        expand_safe(doc, loader=loader)


def expand_safe(doc: Any, *, loader: Any = None) -> list[Any]:
    """Expand ``doc`` with the safe-mode checks and return the expansion (UndefinedTermError when unsafe)."""
    try:
        return SafeProcessor().expand(doc, pyld_options(loader))
    except VcError:
        raise
    except Exception as exc:
        raise translate(exc) from exc


class _UnsafeEvent(Exception):
    """Raised inside pyld's recursion; turned into UndefinedTermError with the path where it happened."""

    def __init__(self, code: str, message: str, *, key: str | _KeyFinder | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.key = key


class SafeProcessor(Processor):
    """A pyld processor that raises UndefinedTermError on every jsonld.js safe-mode event during expansion.

    Use one instance per operation (it tracks the path being expanded). Every pyld API on it (``expand``,
    ``to_rdf``, ``normalize``) expands through the hooks, so safe canonicalization costs one expansion.
    """

    def __init__(self) -> None:
        super().__init__(on_property_dropped=self._property_dropped)
        # (active property as written, element) for each object/array being expanded, root first
        self._frames: list[tuple[Any, Any]] = []
        self._vocabs_ok: set[str] = set()

    # -- hooks into pyld's expansion -----------------------------------------------------------

    def expand(self, input_: Any, options: Any) -> Any:  # noqa: D102 - pyld API
        try:
            return super().expand(input_, options)
        except _UnsafeEvent as event:  # raised outside any object (cannot happen today; kept for safety)
            raise UndefinedTermError(event.message.replace("{where}", "the document"), event=event.code) from None

    def _expand(self, active_ctx, active_property, element, *args, **kwargs):  # type: ignore[override]
        is_container = isinstance(element, (dict, list))
        if is_container:
            self._frames.append((active_property, element))
        try:
            if is_container and "@context" in element and isinstance(element, dict):
                _check_local_context(element["@context"])  # before pyld processes (and warns about) it
            result = super()._expand(active_ctx, active_property, element, *args, **kwargs)
            if result is None and element is not None:
                # pyld returns None only when it drops the element (jsonld.js raises an event for each case)
                self._dropped(element, active_property)
            return result
        except _UnsafeEvent as event:
            raise self._located(event, element, active_property) from None
        finally:
            if is_container:
                self._frames.pop()

    def _expand_object(self, active_ctx, active_property, expanded_active_property, element,  # type: ignore[override]
                       expanded_parent, options, *args, **kwargs):
        vocab = active_ctx.get("@vocab")
        if vocab is not None and vocab not in self._vocabs_ok:
            if not _ABSOLUTE_IRI.match(vocab):
                raise _UnsafeEvent("relative @vocab reference",
                                   "a @context sets @vocab to a relative IRI; use an absolute IRI")
            self._vocabs_ok.add(vocab)
        try:
            super()._expand_object(active_ctx, active_property, expanded_active_property, element,
                                   expanded_parent, options, *args, **kwargs)
        except _UnsafeEvent as event:
            if event.code == "invalid property" and event.key is None:
                event.key = self._dropped_key(active_ctx, element)
            raise
        self._check_expanded_node(active_ctx, element, expanded_parent)

    def _expand_value(self, active_ctx, active_property, value, options):  # type: ignore[override]
        result = super()._expand_value(active_ctx, active_property, value, options)
        if isinstance(result, dict):
            if "@id" in result:
                ref = result["@id"]
                if not (isinstance(ref, str) and _ABSOLUTE_IRI.match(ref)):
                    raise _UnsafeEvent("relative object reference",
                                       "{where} is a relative IRI reference (or a reserved '@' value) where an "
                                       "IRI is expected; use an absolute URL or URN")
            elif "@language" in result:
                _check_language(result["@language"], None)
        return result

    def _expand_language_map(self, active_ctx, language_map, direction):  # type: ignore[override]
        result = super()._expand_language_map(active_ctx, language_map, direction)
        for item in result:
            if "@language" in item:
                _check_language(item["@language"], None)
        return result

    def _property_dropped(self, expanded_property: Any) -> None:
        raise _UnsafeEvent("invalid property",
                           "property {where} is not defined by the document's @context (it does not expand to "
                           "an absolute IRI), so it would be left out of the signed data; define it in a "
                           "context or remove it")

    # -- checks --------------------------------------------------------------------------------

    def _check_expanded_node(self, active_ctx: Any, element: dict, node: dict) -> None:
        ids = node.get("@id")
        if "@id" in node:
            for ref in ids if isinstance(ids, list) else [ids]:
                if not (isinstance(ref, str) and _ABSOLUTE_IRI.match(ref)):
                    raise _UnsafeEvent("relative @id reference",
                                       "{where} is a relative IRI reference (or a reserved '@' value); an id "
                                       "must be an absolute URL or URN",
                                       key=self._key_for(active_ctx, element, "@id"))
        types = node.get("@type")
        if types is not None:
            for value in types if isinstance(types, list) else [types]:
                if isinstance(value, str) and value != "@json" and not _ABSOLUTE_IRI.match(value):
                    shown = value[:_MAX_SHOWN]
                    raise _UnsafeEvent("relative @type reference",
                                       f"type {shown!r} (in {{where}}) is not defined by the document's @context "
                                       "(it expands to a relative IRI); map it to a URL in a context or use a "
                                       "full URL", key=self._key_for(active_ctx, element, "@type"))
        if "@language" in node:
            _check_language(node["@language"], self._key_for(active_ctx, element, "@language"))
        for prop, values in node.items():
            if prop.startswith("_:"):
                raise _UnsafeEvent("blank node predicate",
                                   "property {where} maps to a blank node identifier, which RDF cannot use as "
                                   "a property; map it to a URL", key=self._key_for(active_ctx, element, prop))
            if isinstance(values, list):
                for item in values:
                    if isinstance(item, dict) and "@graph" in item and isinstance(item["@graph"], list):
                        for inner in item["@graph"]:
                            # jsonld.js drops these from @graph containers (pyld keeps them): unsafe either way
                            if isinstance(inner, dict) and _would_drop(inner):
                                raise _UnsafeEvent("empty object",
                                                   "{where} holds an object with no properties (or only an id), "
                                                   "which JSON-LD drops; add its properties or remove it",
                                                   key=self._key_for(active_ctx, element, prop))

    def _dropped(self, element: Any, active_property: Any) -> None:
        if isinstance(element, dict):
            raise _UnsafeEvent("empty object",
                               "{where} would be dropped by JSON-LD expansion (an object with no properties, only "
                               "an id, only @language, a null @value, or a value/list outside any property); "
                               "give it properties or remove it")
        raise _UnsafeEvent("free-floating scalar",
                           "{where} is a value outside any property and would be dropped by JSON-LD expansion")

    def _dropped_key(self, active_ctx: Any, element: dict) -> str | None:
        # pyld visits keys in sorted order and reports the first it drops; find that key again
        for key in sorted(element):
            if key == "@context":
                continue
            expanded = self._expand_iri(active_ctx, key, vocab=True)
            if expanded is None or not (jsonld._is_keyword(expanded) or _ABSOLUTE_IRI.match(expanded)):
                return key
        return None

    def _key_for(self, active_ctx: Any, element: dict, expanded: str) -> _KeyFinder:
        """Find, at error time only, the key (or alias) in ``element`` that expanded to ``expanded``."""
        return _KeyFinder(self, active_ctx, element, expanded)

    def _located(self, event: _UnsafeEvent, element: Any, active_property: Any) -> UndefinedTermError:
        parts = self._path()
        if not isinstance(element, (dict, list)):
            # a scalar has no frame of its own: name its property, unless the enclosing array already did
            enclosing = self._frames[-1][1] if self._frames else None
            if isinstance(enclosing, list):
                position = next((i for i, item in enumerate(enclosing)
                                 if type(item) is type(element) and item == element), None)
                if position is not None:
                    parts.append(position)
            elif active_property is not None:
                parts.append(active_property)
        key = event.key.find() if isinstance(event.key, _KeyFinder) else event.key
        if key is not None and isinstance(element, dict):
            parts.append(key)
        path = _render(parts)
        return UndefinedTermError(event.message.replace("{where}", path), event=event.code, path=path)

    def _path(self) -> list[Any]:
        parts: list[Any] = []
        previous: Any = None
        for index, (prop, element) in enumerate(self._frames):
            if isinstance(previous, list):
                position = next((i for i, item in enumerate(previous) if item is element), None)
                if position is not None:
                    parts.append(position)
            elif index > 0 and prop is not None:
                parts.append(prop)
            previous = element
        return parts


class _KeyFinder:
    """Defers the key lookup to error time, so the happy path does no extra IRI expansion."""

    def __init__(self, processor: SafeProcessor, active_ctx: Any, element: dict, expanded: str) -> None:
        self.processor, self.active_ctx, self.element, self.expanded = processor, active_ctx, element, expanded

    def find(self) -> str | None:
        if self.expanded in self.element:
            return self.expanded
        for key in sorted(self.element):
            if key != "@context" and self.processor._expand_iri(self.active_ctx, key, vocab=True) == self.expanded:
                return key
        return None


def _would_drop(node: dict) -> bool:
    return len(node) == 0 or "@value" in node or "@list" in node or (len(node) == 1 and "@id" in node)


def _check_language(language: Any, key: Any) -> None:
    for tag in language if isinstance(language, list) else [language]:
        if isinstance(tag, str) and not _BCP47.match(tag):
            raise _UnsafeEvent("invalid @language value",
                               "the language tag at {where} is not a valid BCP 47 tag", key=key)


def _check_local_context(context: Any) -> None:
    """jsonld.js flags '@'-terms and '@'-IRIs while processing a context; pyld only warns, so check inline ones."""
    for item in context if isinstance(context, list) else [context]:
        if not isinstance(item, dict):
            continue  # URLs are bundled or registered (trusted); other values fail in pyld itself
        for term, definition in item.items():
            if _KEYWORD_LIKE.match(term) and term not in jsonld.KEYWORDS:
                raise _UnsafeEvent("reserved term", f"the document's @context defines {term[:_MAX_SHOWN]!r}; "
                                   "terms beginning with '@' are reserved; rename it")
            target = definition if isinstance(definition, str) else None
            if isinstance(definition, dict):
                target = definition.get("@id", definition.get("@reverse"))
                if "@context" in definition:
                    _check_local_context(definition["@context"])
            if (isinstance(target, str) and _KEYWORD_LIKE.match(target) and target not in jsonld.KEYWORDS):
                raise _UnsafeEvent("reserved @id value", f"the document's @context maps {term[:_MAX_SHOWN]!r} "
                                   "to a reserved '@' value; map it to a URL")


def _render(parts: list[Any]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part)[:_MAX_SHOWN]
            out += f".{text}" if out else text
    return out or "(the document itself)"
