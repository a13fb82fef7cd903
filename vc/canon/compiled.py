"""JSON-LD -> RDF quads without pyld's expansion and node map, for the shapes credentials use.

pyld's ``to_rdf`` expands the whole document (re-processing the VC v2 type- and property-scoped
contexts on every call), builds a node map and only then the dataset: about 90% of the time of
an RDFC-1.0 canonicalization. This module walks the compacted document once and emits quads
directly, with every decision that depends only on the contexts and on the document's shape
compiled once and cached:

- a *shape* per (active context, property, keys of the object, its ``@context``): the context
  after reverting a type-scoped context and applying the property-scoped one, and which keys
  are ``@type`` aliases;
- a *plan* per (shape, values of the ``@type`` keys): the context after the type-scoped
  contexts, the expanded types, and for each key its role (``@id``, ``@value``, ``@language``)
  or its predicate, the context its value is expanded in and that value's coercion.

The term definitions come from pyld's own context processing with the same loader, processor
class and options as the full path, so they are exactly pyld's. Building a plan mirrors pyld's
``_expand`` / ``_prepare_nested_context`` / ``_expand_object`` step for step; running it mirrors
``_expand_value``, ``_create_node_map`` (including its duplicate rule) and ``_object_to_rdf``.
Anything outside the supported subset raises :class:`Unsupported` and the caller uses the full
pyld path: the ``@graph`` keyword, ``@list``, ``@reverse``, ``@nest``, ``@included``, ``@index``,
``@direction``, ``@json``, map containers, relative or blank-node IRIs where an IRI is needed,
value objects pyld would reject, values that are duplicates for JSON-LD but not for RDF (or the
other way round), and non-JSON Python values. Every input thus gets exactly the quads of pyld's
``to_rdf`` (up to blank node labels, which canonicalization replaces).

In ``safe`` mode every event of :mod:`vc.jsonld.safe_mode` is also a reason to fall back, so
the full path raises the proper UndefinedTermError.
"""

from __future__ import annotations

import json
import math
import re
import threading
import weakref
from collections.abc import Callable
from typing import Any

from pyld import jsonld
from pyld.jsonld import _canonicalize_double

from vc.canon.nquads import RDF_LANGSTRING, XSD_STRING, Quad, escape_string

__all__ = ["QuadCompiler", "Unsupported", "compiler_for", "forget_compiler"]

XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

# pyld's _is_absolute_iri, compiled once (pyld passes the pattern to re.match on every call)
_ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$")
_BCP47 = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")  # the safe-mode language check
_PLAIN_CONTAINERS = ((), ("@set",))
_GRAPH_CONTAINERS = (("@graph",), ("@graph", "@set"), ("@set", "@graph"))
# caches keyed by what documents contain are bounded, so hostile input cannot grow them forever
_MAX_INLINE_CONTEXTS = 256
_MAX_SHAPES_PER_CONTEXT = 2048
_MAX_PLANS_PER_SHAPE = 256
_MAX_TERMS_PER_CONTEXT = 4096
_MAX_CONTEXTS = 4096


def _is_absolute_iri(value: Any) -> bool:
    return isinstance(value, str) and _ABSOLUTE_IRI.match(value) is not None


class Unsupported(Exception):
    """The document uses a JSON-LD feature the fast path leaves to pyld (internal signal)."""


class _Restart(Exception):
    """A node subject seen twice: walk again, checking every quad for duplicates (internal signal)."""


def _valid_iri(value: Any) -> bool:
    return isinstance(value, str) and not value.startswith("_:") and bool(_is_absolute_iri(value))


class _Term:
    """What the fast path needs about one key in one active context (pyld's lookups, cached)."""

    __slots__ = ("iri", "predicate", "keeps", "is_keyword", "scoped", "container", "coerce",
                 "datatype", "language", "direction", "reverse", "string_tail", "string_key",
                 "boolean_objects", "integer_tail")

    def __init__(self, ctx: _Ctx, key: str) -> None:
        raw = ctx.raw
        get = jsonld.JsonLdProcessor.get_context_value
        self.iri: Any = ctx.compiler.processor._expand_iri(raw, key, vocab=True)
        self.is_keyword = isinstance(self.iri, str) and jsonld._is_keyword(self.iri)
        # pyld drops a key whose expansion is neither a keyword nor an absolute IRI
        self.keeps = self.iri is not None and (self.is_keyword or bool(_is_absolute_iri(self.iri)))
        self.predicate = "<" + self.iri + ">" if isinstance(self.iri, str) else None
        self.scoped = get(raw, key, "@context")
        container = get(raw, key, "@container")
        self.container = () if container is None else tuple(jsonld.JsonLdProcessor.arrayify(container))
        self.coerce = get(raw, key, "@type")
        # the datatype _expand_value gives a value of this term (None for @id/@vocab/@none)
        self.datatype = None if self.coerce in (None, "@id", "@vocab", "@none") else self.coerce
        self.language = get(raw, key, "@language")
        self.direction = get(raw, key, "@direction")
        mapping = raw["mappings"].get(key)
        self.reverse = bool(mapping and mapping.get("reverse"))
        # a string value of this term becomes '"' + escaped value + string_tail, with JSON-LD value
        # key string_key + (value,); None where strings take another path (@id/@vocab coercion,
        # xsd:double, a base direction, rdf:langString, an empty language tag)
        self.string_tail: str | None = None
        self.string_key = (self.datatype, None, False)
        if self.coerce in (None, "@none"):
            if self.direction is None:
                if self.language is None:
                    self.string_tail = '"'
                elif isinstance(self.language, str) and self.language:
                    self.string_tail = '"@' + self.language
                    self.string_key = (None, self.language, False)
        elif self.datatype == XSD_STRING:
            self.string_tail = '"'
        elif isinstance(self.datatype, str) and self.datatype not in (XSD_DOUBLE, RDF_LANGSTRING):
            self.string_tail = '"^^<' + self.datatype + ">"
        # the object of a JSON boolean (false, true) and what follows the digits of a JSON integer
        # below 1e21, as _literal writes them; None where it would refuse or rewrite them
        datatype = self.datatype
        self.boolean_objects: tuple[str, str] | None = None
        self.integer_tail: str | None = None
        if datatype is None or (isinstance(datatype, str) and datatype != RDF_LANGSTRING):
            self.boolean_objects = (_literal(False, datatype, None), _literal(True, datatype, None))
            if datatype != XSD_DOUBLE:
                self.integer_tail = _literal(0, datatype, None)[2:]


class _Ctx:
    """A pyld active context plus caches: terms, IRI expansions, transitions, shapes."""

    __slots__ = ("raw", "compiler", "terms", "transitions", "shapes", "_previous", "vocab_ok")

    def __init__(self, compiler: QuadCompiler, raw: Any) -> None:
        self.raw = raw
        self.compiler = compiler
        self.terms: dict[str, _Term] = {}
        self.transitions: dict[Any, tuple[Any, _Ctx]] = {}
        self.shapes: dict[Any, _Shape] = {}
        self._previous: _Ctx | None = None
        vocab = raw.get("@vocab")
        self.vocab_ok = vocab is None or bool(_is_absolute_iri(vocab))

    def term(self, key: str) -> _Term:
        term = self.terms.get(key)
        if term is None:
            term = _Term(self, key)
            if len(self.terms) < _MAX_TERMS_PER_CONTEXT:
                self.terms[key] = term
        return term

    # values are expanded on every call, not cached: they are claim data (ids, coded values)
    def expand_id(self, value: str) -> Any:
        """pyld's @id expansion with jitsuin's ``base: None`` (relative stays relative)."""
        colon = value.find(":")
        if colon > 0:
            # pyld _expand_iri(vocab=False, base=None) for "prefix:suffix", which cannot be a
            # keyword: a blank node, "scheme://", a defined prefix, or the value itself
            prefix = value[:colon]
            if prefix == "_" or value.startswith("//", colon + 1):
                return value
            mapping = self.raw["mappings"].get(prefix)
            if mapping and mapping["_prefix"]:
                return mapping["@id"] + value[colon + 1:]
            return value
        return self.compiler.processor._expand_iri(self.raw, value, base=None)

    def expand_vocab(self, value: str) -> Any:
        """pyld's vocabulary-relative expansion (types, ``"@type": "@vocab"`` values)."""
        return self.compiler.processor._expand_iri(self.raw, value, vocab=True, base=None)

    def previous(self) -> _Ctx:
        if self._previous is None:
            prev = self.raw.get("previousContext")
            self._previous = self if prev is None else self.compiler.wrap(prev)
        return self._previous

    def child(self, local: Any, *, propagate: bool = True, override: bool = False) -> _Ctx:
        """The context after a scoped context held by a term definition (cached by identity)."""
        key = (id(local), propagate, override)
        hit = self.transitions.get(key)
        if hit is not None and hit[0] is local:
            return hit[1]
        result = self.compiler.process(self, local, propagate=propagate, override=override)
        self.transitions[key] = (local, result)
        return result

    def child_inline(self, local: Any, key: Any) -> _Ctx:
        """The context after a document's own ``@context`` (cached by its content)."""
        hit = self.transitions.get(key)
        if hit is not None:
            return hit[1]
        result = self.compiler.process(self, local, propagate=True, override=False)
        if len(self.transitions) < _MAX_INLINE_CONTEXTS:
            self.transitions[key] = (None, result)
        return result


def _inline_key(local: Any) -> Any:
    if isinstance(local, str):
        return ("url", local)
    if isinstance(local, list) and all(type(c) is str for c in local):
        return ("urls", *local)
    return ("json", json.dumps(local, ensure_ascii=False))


def _hashable(value: Any) -> Any:
    if type(value) is str:
        return value
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        raise Unsupported("an object as a @type value")
    return value


class _Shape:
    """Per (context, property, keys, @context): the context before type-scoped contexts."""

    __slots__ = ("ctx", "type_names", "plans")

    def __init__(self, ctx: _Ctx, type_names: tuple[str, ...]) -> None:
        self.ctx = ctx
        self.type_names = type_names
        self.plans: dict[Any, _Plan] = {}


class _Prop:
    __slots__ = ("name", "iri", "predicate", "ctx", "term", "graph")

    def __init__(self, name: str, iri: str, predicate: str, ctx: _Ctx, term: _Term, graph: bool) -> None:
        self.name = name
        self.iri = iri
        self.predicate = predicate
        self.ctx = ctx  # the context the value is expanded in (after a property-scoped context)
        self.term = term  # the key's definition in that context
        self.graph = graph  # "@container": "@graph": each value becomes a named graph


class _Plan:
    """Per shape and @type values: what each key of the object means."""

    __slots__ = ("ctx", "id_name", "value_name", "language_name", "types", "props", "direct")

    def __init__(self) -> None:
        self.ctx: _Ctx | None = None
        self.id_name: str | None = None
        self.value_name: str | None = None
        self.language_name: str | None = None
        self.types: list[str] = []  # expanded @type IRIs, in pyld's order
        self.props: list[_Prop] = []
        # True when no two properties (nor a type) can produce the same quad: then the single values
        # of a node seen for the first time are emitted without the duplicate bookkeeping
        self.direct = False


def _literal(value: Any, datatype: str | None, language: str | None) -> str:
    """pyld ``_object_to_rdf`` + ``serialize_nquad`` for a value, with canonical escaping.

    The branches keep pyld's order; ``value`` is a JSON scalar (str, int, float, bool).
    """
    kind = type(value)
    if kind is bool:
        lexical = "true" if value else "false"
        datatype = datatype or XSD_BOOLEAN
    elif kind is float and not value.is_integer():
        lexical, datatype = _canonicalize_double(value), datatype or XSD_DOUBLE
    elif datatype == XSD_DOUBLE:
        try:
            lexical = _canonicalize_double(float(value))
        except (ValueError, TypeError):
            if kind is not str:
                raise Unsupported("a non-string value pyld cannot read as xsd:double") from None
            lexical = value
        except OverflowError:
            raise Unsupported("an integer too large for xsd:double") from None
    elif kind is not str and abs(value) >= 1e21:
        lexical, datatype = _canonicalize_double(value), datatype or XSD_DOUBLE
    elif kind is not str:
        lexical, datatype = str(int(value)), datatype or XSD_INTEGER
    elif language is not None:
        if not language:
            raise Unsupported("an empty language tag")
        return '"' + escape_string(value) + '"@' + language
    else:
        lexical, datatype = value, datatype or XSD_STRING
    if datatype == XSD_STRING:
        return '"' + escape_string(lexical) + '"'
    if datatype == RDF_LANGSTRING:
        raise Unsupported("rdf:langString without a language")
    return '"' + escape_string(lexical) + '"^^<' + datatype + ">"


_SCALARS = (str, int, float, bool)


class QuadCompiler:
    """Turns JSON-LD documents into pyld's RDF quads; one per loader, contexts and plans cached."""

    def __init__(self, *, processor: Any, options: dict[str, Any]) -> None:
        self.processor = processor
        self.options = options
        #: set when the loader served a document without the 'static' tag (see vc.canon.fast_quads)
        self.volatile = False
        #: canonical N-Quads templates of documents that differ in a few strings (vc.canon.templates)
        self.templates: dict[Any, Any] = {}
        self._wrapped: dict[int, _Ctx] = {}
        self._lock = threading.RLock()
        self.initial = self.wrap(processor._get_initial_context({"processingMode": "json-ld-1.1"}))

    def quads(self, document: Any, *, safe: bool = False) -> list[Quad]:
        """The RDF quads pyld's ``to_rdf`` gives ``document`` (blank nodes labelled differently).

        Raises :class:`Unsupported` when the document is outside the supported subset.
        """
        return _Walk(self, safe).run(document)

    # -- contexts ------------------------------------------------------------------------------

    def wrap(self, raw: Any) -> _Ctx:
        ctx = self._wrapped.get(id(raw))
        if ctx is None or ctx.raw is not raw:
            ctx = _Ctx(self, raw)
            # contexts made from documents' own inline @context can be endless: past the bound they
            # are used for one document and dropped (the registry keeps ``raw`` alive, so ids stay unique)
            if len(self._wrapped) < _MAX_CONTEXTS:
                self._wrapped[id(raw)] = ctx
        return ctx

    def process(self, ctx: _Ctx, local: Any, *, propagate: bool, override: bool) -> _Ctx:
        # one context at a time per compiler: its resolver (and that resolver's per-operation
        # cache) is shared by every call; the shared caches below it are locked themselves
        with self._lock:
            try:
                raw = self.processor._process_context(
                    ctx.raw, local, self.options, override_protected=override, propagate=propagate
                )
            except Exception as exc:  # the full path raises the proper error
                raise Unsupported(f"context processing failed: {exc}") from exc
            finally:
                # pyld empties it with every new operation; this resolver lives as long as the
                # compiler, so without this every inline context ever seen would stay in memory
                resolver = self.options.get("contextResolver")
                if resolver is not None:
                    resolver.per_op_cache.clear()
            return self.wrap(raw)

    # -- compiling -----------------------------------------------------------------------------

    def shape(self, ctx: _Ctx, key: str | None, element: dict[str, Any], safe: bool) -> _Shape:
        """pyld ``_expand`` up to ``_prepare_nested_context``'s type scan (keys only)."""
        inline = element.get("@context") if "@context" in element else None
        inline_key = _inline_key(inline) if "@context" in element else None
        cache_key = (key, tuple(element), inline_key, safe)
        shape = ctx.shapes.get(cache_key)
        if shape is not None:
            return shape
        shapes = ctx.shapes
        scoped = ctx.term(key).scoped if key is not None else None
        # revert a non-propagated (type-scoped) context unless this is a value object or a
        # lone node reference
        if ctx.raw.get("previousContext"):
            must_revert = True
            if len(element) <= 2 and "@context" not in element:
                for name in sorted(element):
                    expanded = ctx.term(name).iri
                    if expanded == "@value":
                        must_revert = False
                        break
                    if expanded == "@id" and len(element) == 1:
                        must_revert = False
                        break
            if must_revert:
                ctx = ctx.previous()
        if scoped is not None:
            ctx = ctx.child(scoped, override=True)
        if "@context" in element:
            if isinstance(inline, dict) and len(inline) == 1 and "@context" in inline:
                raise Unsupported("a @context holding only @context")
            if safe:
                _check_inline_context(inline)
            ctx = ctx.child_inline(inline, inline_key)
        type_names = tuple(name for name in sorted(element) if ctx.term(name).iri == "@type")
        shape = _Shape(ctx, type_names)
        if len(shapes) < _MAX_SHAPES_PER_CONTEXT:
            shapes[cache_key] = shape
        return shape

    def plan(self, shape: _Shape, element: dict[str, Any], signature: Any, safe: bool) -> _Plan:
        """The rest of ``_prepare_nested_context`` and ``_expand_object`` for these @type values."""
        type_ctx = shape.ctx
        ctx = type_ctx
        type_names = []
        for name in sorted(element):
            # pyld re-reads each key with the context as changed by the types seen so far
            if ctx.term(name).iri != "@type":
                continue
            type_names.append(name)
            values = element[name]
            types = [t for t in (values if isinstance(values, list) else [values]) if isinstance(t, str)]
            for type_name in sorted(types):
                local = type_ctx.term(type_name).scoped
                if local is not None and local is not False:
                    ctx = ctx.child(local, propagate=False)
        if tuple(type_names) != shape.type_names:
            raise Unsupported("a type-scoped context that changes which keys are @type")
        if safe and not ctx.vocab_ok:
            raise Unsupported("a relative @vocab (safe mode)")
        if shape.type_names:
            first = element[shape.type_names[0]]
            if isinstance(first, list) and first:
                first = first[0]
            if isinstance(first, str) and ctx.expand_vocab(first) == "@json":
                raise Unsupported("@json")

        plan = _Plan()
        plan.ctx = ctx
        type_is_array = False
        for name in sorted(element):
            if name == "@context":
                continue
            term = ctx.term(name)
            if not term.keeps:
                if safe:
                    raise Unsupported("a property dropped by expansion (safe mode)")
                continue
            expanded = term.iri
            if term.is_keyword:
                if expanded == "@id":
                    if plan.id_name is not None:
                        raise Unsupported("two @id keys")
                    plan.id_name = name
                elif expanded == "@type":
                    values = element[name]
                    if isinstance(values, list):
                        type_is_array = True
                    else:
                        values = [values]
                    for type_name in values:
                        if not isinstance(type_name, str):
                            raise Unsupported("@type not a string")
                        iri = type_ctx.expand_vocab(type_name)
                        if not _valid_iri(iri):
                            raise Unsupported("a relative or blank node @type")
                        plan.types.append(iri)
                elif expanded == "@value":
                    if plan.value_name is not None:
                        raise Unsupported("two @value keys")
                    plan.value_name = name
                elif expanded == "@language":
                    if plan.language_name is not None:
                        raise Unsupported("two @language keys")
                    plan.language_name = name
                else:
                    raise Unsupported(f"the keyword {expanded}")
                continue
            if expanded.startswith("_:"):
                raise Unsupported("a blank node predicate")
            graph = term.container in _GRAPH_CONTAINERS
            if not (graph or term.container in _PLAIN_CONTAINERS) or term.coerce == "@json":
                raise Unsupported("a container other than @set or @graph, or @json")
            term_ctx = ctx if term.scoped is None else ctx.child(term.scoped, override=True)
            # the value is expanded with the key's definition in term_ctx (pyld: array items become
            # lists by that definition's container, scalars follow its coercion); for a scoped
            # "@context": null (VC v2 verifiableCredential) that is the initial context
            inner = term_ctx.term(name)
            if inner.reverse or "@list" in inner.container or inner.coerce == "@json":
                raise Unsupported("a reverse property, or a list or @json in the scoped definition")
            if inner.datatype is not None and not _valid_iri(inner.datatype):
                raise Unsupported("a datatype that is not an absolute IRI")
            if inner.direction is not None and inner.datatype is None:
                raise Unsupported("@direction")
            if safe and inner.language is not None and not _BCP47.match(inner.language):
                raise Unsupported("an invalid language tag (safe mode)")
            plan.props.append(_Prop(name, expanded, term.predicate, term_ctx, inner, graph))
        if plan.value_name is not None and (
            plan.id_name is not None or plan.props or type_is_array or len(plan.types) > 1
        ):
            raise Unsupported("a value object with other entries")
        predicates = [prop.predicate for prop in plan.props]
        if len(set(predicates)) == len(predicates) and RDF_TYPE not in predicates \
                and len(set(plan.types)) == len(plan.types):
            plan.direct = True
        if len(shape.plans) < _MAX_PLANS_PER_SHAPE:
            shape.plans[signature] = plan
        return plan


def _check_inline_context(local: Any) -> None:
    from vc.jsonld.safe_mode import _check_local_context

    try:
        _check_local_context(local)
    except Exception as exc:
        raise Unsupported("an inline context that safe mode refuses") from exc


class _Walk:
    """One document: output quads, blank node labels and pyld's duplicate bookkeeping."""

    __slots__ = ("compiler", "safe", "out", "seen", "numbers", "blank_count", "named_blanks", "careful",
                 "subjects")

    def __init__(self, compiler: QuadCompiler, safe: bool, careful: bool = False) -> None:
        self.compiler = compiler
        self.safe = safe
        self.out: list[Quad] = []
        self.seen: dict[Quad, Any] = {}  # quad -> (property, JSON-LD value key) that produced it
        self.numbers: dict[Any, str] = {}  # (subject, property, numeric value key) -> object term
        self.blank_count = 0
        self.named_blanks: dict[str, str] = {}
        # not careful: a node whose subject is new emits its plain string values directly (its
        # quads cannot repeat any other); a subject met twice restarts the walk careful
        self.careful = careful
        self.subjects: set[str] = set()

    def run(self, document: Any) -> list[Quad]:
        try:
            return self._run(document)
        except _Restart:
            return _Walk(self.compiler, self.safe, careful=True)._run(document)

    def _run(self, document: Any) -> list[Quad]:
        initial = self.compiler.initial
        if isinstance(document, dict):
            self.node(initial, None, document, True, "")
        elif isinstance(document, list):
            for item in self.top_items(document):
                self.node(initial, None, item, True, "")
        else:
            raise Unsupported("the document is not a JSON object")
        return self.out

    def top_items(self, items: list[Any]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for item in items:
            if isinstance(item, list):
                found.extend(self.top_items(item))
            elif isinstance(item, dict):
                found.append(item)
            elif item is not None and self.safe:
                raise Unsupported("a free-floating scalar (safe mode)")
        return found

    # -- output ----------------------------------------------------------------------------------

    def subject_term(self, iri: str) -> str:
        if iri[:2] == "_:":
            label = self.named_blanks.get(iri)
            if label is None:
                label = self.named_blanks[iri] = f"_:n{len(self.named_blanks)}"
            return label
        return "<" + iri + ">"

    def emit(self, subject: str, prop: str, predicate: str, obj: str, value_key: Any, graph: str,
             numeric: bool = False) -> None:
        # pyld's node map keeps one of each JSON-LD-equal value per (graph, subject, property) and
        # emits each kept value as a quad; both notions of "equal" must agree here
        quad = (subject, predicate, obj, graph)
        origin = (prop, value_key)
        seen = self.seen.setdefault(quad, origin)
        if seen is not origin:
            if seen != origin:  # two JSON-LD values, one quad: pyld would emit it twice
                raise Unsupported("a quad produced by two different JSON-LD values")
            return
        if numeric:
            # 1 and 1.0 are one JSON-LD value (pyld keeps the first); they must be one literal too
            key = (subject, prop, value_key, graph)
            other = self.numbers.setdefault(key, obj)
            if other != obj:
                raise Unsupported("numbers equal for JSON-LD but not for RDF")
        self.out.append(quad)

    # -- the walk ----------------------------------------------------------------------------------

    def add_values(self, subject: str, prop: _Prop, value: Any, graph: str) -> bool:
        """Emit the quads of one property value; False when pyld would drop the value."""
        if prop.graph:
            return self.add_graph_values(subject, prop, value, graph)
        kind = type(value)
        if kind is str:
            tail = prop.term.string_tail
            if tail is not None:  # the common case, inlined: a plain, typed or language-tagged string
                quad = (subject, prop.predicate, '"' + escape_string(value) + tail, graph)
                origin = (prop.iri, (*prop.term.string_key, value))
                seen = self.seen.setdefault(quad, origin)
                if seen is not origin and seen != origin:
                    raise Unsupported("a quad produced by two different JSON-LD values")
                if seen is origin:
                    self.out.append(quad)
                return True
        if kind is str or kind is int or kind is float or kind is bool:
            obj, value_key = self.scalar(prop, value)
            self.emit(subject, prop.iri, prop.predicate, obj, value_key, graph, kind is int or kind is float)
            return True
        if isinstance(value, dict):
            item = self.node(prop.ctx, prop.name, value, False, graph)
            if item is None:
                return False
            value_key = item[1]
            numeric = len(value_key) == 4 and type(value_key[3]) in (int, float)  # a value object
            self.emit(subject, prop.iri, prop.predicate, item[0], value_key, graph, numeric)
            return True
        if isinstance(value, list):
            for element in value:
                if element is not None:
                    self.add_values(subject, prop, element, graph)
            return True
        if value is None:
            return False
        raise Unsupported("a value that is not JSON")

    def add_graph_values(self, subject: str, prop: _Prop, value: Any, graph: str) -> bool:
        """A ``@graph`` container: each value goes into a new named graph (a blank node) that
        ``subject`` points to (pyld wraps each expanded value in ``{"@graph": [value]}``)."""
        if isinstance(value, list):
            for element in value:
                if element is not None:
                    self.add_graph_values(subject, prop, element, graph)
            return True
        if value is None:
            return False
        self.blank_count += 1
        name = f"_:g{self.blank_count}"
        kind = type(value)
        if kind is str or kind is int or kind is float or kind is bool:
            self.scalar(prop, value)  # a value or a node reference: nothing in the named graph
            if self.safe:
                raise Unsupported("a named graph holding only a value or an id (safe mode)")
        elif isinstance(value, dict):
            item = self.node(prop.ctx, prop.name, value, False, name)
            if item is None:
                return False
            if self.safe and not item[2]:
                raise Unsupported("a named graph holding only a value or an id (safe mode)")
        else:
            raise Unsupported("a value that is not JSON")
        self.emit(subject, prop.iri, prop.predicate, name, ("@id", name), graph)
        return True

    def scalar(self, prop: _Prop, value: Any) -> tuple[str, Any]:
        """pyld ``_expand_value`` then ``_object_to_rdf`` for a JSON scalar."""
        term = prop.term
        if type(value) is str:
            coerce = term.coerce
            if coerce == "@id":
                return self.reference(prop.ctx.expand_id(value))
            if coerce == "@vocab":
                return self.reference(prop.ctx.expand_vocab(value))
            if term.datatype is None:
                language = term.language
                if language is None:
                    return '"' + escape_string(value) + '"', (None, None, False, value)
                return _literal(value, None, language), (None, language, False, value)
        elif type(value) is float and not math.isfinite(value):
            raise Unsupported("a non-finite number")
        datatype = term.datatype
        return _literal(value, datatype, None), (datatype, None, type(value) is bool, value)

    def reference(self, iri: Any) -> tuple[str, Any]:
        if not isinstance(iri, str) or not _is_absolute_iri(iri):
            raise Unsupported("a relative IRI reference")
        return self.subject_term(iri), ("@id", iri)

    def node(self, ctx: _Ctx, key: str | None, element: dict[str, Any], top: bool, graph: str
             ) -> tuple[str, Any, bool] | None:
        """pyld ``_expand`` of an object and its node-map entry and quads (in ``graph``).

        Returns what refers to it: (object term, JSON-LD value key, has entries other than @id),
        or None when pyld drops the object.
        """
        compiler = self.compiler
        shape = compiler.shape(ctx, key, element, self.safe)
        names = shape.type_names
        if not names:
            signature = None
        elif len(names) == 1:
            signature = _hashable(element[names[0]])
        else:
            signature = tuple(_hashable(element[name]) for name in names)
        plan = shape.plans.get(signature)
        if plan is None:
            plan = compiler.plan(shape, element, signature, self.safe)

        language = None
        if plan.language_name is not None:
            language = element[plan.language_name]
            if language is not None:
                if type(language) is not str:
                    raise Unsupported("@language not a string")
                language = language.lower()
                if self.safe and not _BCP47.match(language):
                    raise Unsupported("an invalid language tag (safe mode)")

        if plan.value_name is not None:
            return self.value_object(plan, element[plan.value_name], language, top)

        node_id = None
        if plan.id_name is not None:
            raw_id = element[plan.id_name]
            if type(raw_id) is not str:
                raise Unsupported("@id not a string")
            node_id = plan.ctx.expand_id(raw_id)  # type: ignore[union-attr]
            if not isinstance(node_id, str) or not _is_absolute_iri(node_id):
                raise Unsupported("a relative @id")
            subject = self.subject_term(node_id)
            fresh = not self.careful and subject not in self.subjects
            if fresh:
                self.subjects.add(subject)
            elif not self.careful:
                raise _Restart
        else:
            self.blank_count += 1
            subject = f"_:g{self.blank_count}"
            fresh = not self.careful

        has_properties = False
        if fresh and plan.direct:
            # what add_values does for one value, less the bookkeeping a fresh subject cannot need
            out = self.out
            for prop in plan.props:
                value = element[prop.name]
                kind = type(value)
                term = prop.term
                if prop.graph or kind is list or value is None:
                    obj = None
                elif kind is str and term.string_tail is not None:
                    obj = '"' + escape_string(value) + term.string_tail
                elif kind is bool and term.boolean_objects is not None:
                    obj = term.boolean_objects[value]
                elif kind is int and term.integer_tail is not None and abs(value) < 1e21:
                    obj = '"' + str(value) + term.integer_tail
                elif kind is str or kind is int or kind is float or kind is bool:
                    obj = self.scalar(prop, value)[0]
                elif kind is dict:
                    item = self.node(prop.ctx, prop.name, value, False, graph)
                    if item is None:
                        continue
                    obj = item[0]
                else:
                    raise Unsupported("a value that is not JSON")
                if obj is not None:
                    out.append((subject, prop.predicate, obj, graph))
                    has_properties = True
                elif self.add_values(subject, prop, value, graph):
                    has_properties = True
            for iri in plan.types:
                out.append((subject, RDF_TYPE, "<" + iri + ">", graph))
        else:
            for prop in plan.props:
                if self.add_values(subject, prop, element[prop.name], graph):
                    has_properties = True
            for iri in plan.types:
                self.emit(subject, "@type", RDF_TYPE, "<" + iri + ">", ("@type", iri), graph)

        if language is not None and not (plan.types or has_properties or node_id is not None):
            if self.safe:
                raise Unsupported("an object with only @language (safe mode)")
            return None  # pyld drops an object with only @language
        if top:
            if self.safe and not (plan.types or has_properties or language is not None):
                raise Unsupported("a top-level object without properties (safe mode)")
            return None
        has_entries = bool(plan.types) or has_properties or language is not None
        return subject, ("@id", subject if node_id is None else node_id), has_entries

    def value_object(self, plan: _Plan, value: Any, language: str | None, top: bool
                     ) -> tuple[str, Any, bool] | None:
        if value is None:
            if self.safe:
                raise Unsupported("a null @value (safe mode)")
            return None
        if type(value) not in _SCALARS:
            raise Unsupported("@value not a JSON scalar")
        if type(value) is float and not math.isfinite(value):
            raise Unsupported("a non-finite number")
        datatype = plan.types[0] if plan.types else None
        if language is not None and (datatype is not None or type(value) is not str):
            raise Unsupported("a value object with @type and @language, or a tagged non-string")
        if top:
            if self.safe:
                raise Unsupported("a top-level value object (safe mode)")
            return None
        return _literal(value, datatype, language), (datatype, language, type(value) is bool, value), False


# --- one compiler per loader -------------------------------------------------------------------

_compilers: weakref.WeakKeyDictionary[Any, QuadCompiler] = weakref.WeakKeyDictionary()
_compilers_lock = threading.Lock()


def compiler_for(loader: Any, factory: Callable[[Any], QuadCompiler]) -> QuadCompiler:
    """The cached compiler of ``loader`` (made by ``factory`` on first use)."""
    compiler = _compilers.get(loader)
    if compiler is None:
        with _compilers_lock:
            compiler = _compilers.get(loader)
            if compiler is None:
                compiler = _compilers[loader] = factory(loader)
    return compiler


def forget_compiler(loader: Any) -> None:
    """Drop the cached compiler of ``loader`` (its contexts may have changed)."""
    with _compilers_lock:
        _compilers.pop(loader, None)
