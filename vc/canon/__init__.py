"""Fast, exact RDFC-1.0 canonicalization of JSON-LD credentials.

``canonize(doc, loader=...)`` turns a JSON-LD document into its RDFC-1.0 canonical N-Quads, the
bytes that ``eddsa-rdfc-2022`` / ``ecdsa-rdfc-2019`` hash:

1. **fast path** (:mod:`vc.canon.compiled`): the document's quads straight from the compacted
   JSON, with every context-dependent decision (term IRIs, scoped contexts, coercions) computed
   once per context and cached; used whenever the document stays within the supported subset;
2. **full path**: pyld's ``to_rdf`` (via :func:`vc.jsonld.processing.to_dataset`, with its error
   mapping and safe mode) for everything else;
3. either way, our RDFC-1.0 implementation (:mod:`vc.canon.rdfc10`) with a work limit, so a
   poisoned blank-node structure fails with ``CANONICALIZATION_LIMIT`` instead of running for
   minutes.

Both paths give byte-identical output (checked by the W3C suites and differential tests in
``tests/vc/canon/``). Proof configurations, which differ from one signature to the next only in
``created`` (and a presentation's challenge), go through :mod:`vc.canon.templates`: canonicalized
once per shape, then filled in, with the same guarantee.

    >>> from vc.jsonld import default_loader
    >>> nquads = canonize(credential, loader=default_loader())   # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from vc.canon.compiled import QuadCompiler, Unsupported, compiler_for, forget_compiler
from vc.canon.nquads import RDF_LANGSTRING, XSD_STRING, Quad, escape_string, parse_nquads
from vc.canon.rdfc10 import DEFAULT_MAX_WORK, canonicalize, canonicalize_with_map
from vc.errors import JsonLdError
from vc.jsonld.loader import DocumentLoader

__all__ = [
    "DEFAULT_MAX_WORK",
    "Quad",
    "Unsupported",
    "canonicalize",
    "canonicalize_with_map",
    "canonize",
    "canonize_full",
    "dataset_quads",
    "fast_quads",
    "fast_safe_check",
    "full_quads",
    "parse_nquads",
    "quads_from_pyld_dataset",
]


def canonize(
    doc: Any,
    *,
    loader: Any = None,
    safe: bool = False,
    max_work: int = DEFAULT_MAX_WORK,
    hash_algorithm: str = "sha256",
    max_work_factor: int | None = None,
) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document (fast path, else pyld), work-limited.

    ``max_work_factor`` adds rdf-canonize's bound (see :mod:`vc.canon.rdfc10`); signers pass 1.
    """
    return canonicalize(
        dataset_quads(doc, loader=loader, safe=safe),
        hash_algorithm=hash_algorithm,
        max_work=max_work,
        max_work_factor=max_work_factor,
    )


def canonize_full(
    doc: Any,
    *,
    loader: Any = None,
    safe: bool = False,
    max_work: int = DEFAULT_MAX_WORK,
    hash_algorithm: str = "sha256",
) -> str:
    """``canonize`` through pyld's full JSON-LD algorithm only (the reference the fast path matches)."""
    return canonicalize(
        full_quads(doc, loader=loader, safe=safe), hash_algorithm=hash_algorithm, max_work=max_work
    )


def dataset_quads(doc: Any, *, loader: Any = None, safe: bool = False) -> list[Quad]:
    """The document's RDF quads: the fast path when it applies, else pyld."""
    try:
        return fast_quads(doc, loader=loader, safe=safe)
    except Exception:  # noqa: BLE001 - Unsupported, RecursionError (pyld reports InputTooLargeError),
        # or a fast-path defect: pyld decides, never a half-done fast path
        return full_quads(doc, loader=loader, safe=safe)


def fast_quads(doc: Any, *, loader: Any = None, safe: bool = False) -> list[Quad]:
    """The fast path alone; raises :class:`Unsupported` for documents it leaves to pyld."""
    loader = _loader(loader)
    compiler = _compiler(loader)
    try:
        return compiler.quads(doc, safe=safe)
    finally:
        if compiler.volatile:
            # the loader served a document without pyld's 'static' tag: it may change, so
            # nothing processed from it is kept beyond this call (pyld does the same)
            forget_compiler(loader)


def fast_safe_check(doc: Any, *, loader: Any = None) -> bool:
    """True when the fast path shows ``doc`` passes JSON-LD safe mode; False: not shown, ask pyld.

    In safe mode the fast path declines on every safe-mode event (and on anything pyld would reject),
    so a document it turns into quads is one pyld's safe expansion accepts
    (:func:`vc.jsonld.check_safe` uses this first; differential tests in ``tests/vc/canon/``).
    Only for :class:`~vc.jsonld.DocumentLoader` loaders, whose compiled contexts are kept.
    """
    if loader is not None and not isinstance(loader, DocumentLoader):
        return False  # a plain callable would compile its contexts afresh for this one call
    try:
        fast_quads(doc, loader=loader, safe=True)
    except Exception:  # noqa: BLE001 - Unsupported, RecursionError ...: pyld decides and names the problem
        return False
    return True


def full_quads(doc: Any, *, loader: Any = None, safe: bool = False) -> list[Quad]:
    """The quads of pyld's ``to_rdf`` (jitsuin's options, loader and error mapping)."""
    from vc.jsonld.processing import to_dataset

    dataset = to_dataset(doc, loader=_loader(loader), safe=safe)
    try:
        return quads_from_pyld_dataset(dataset)
    except (KeyError, TypeError) as exc:  # pyld 3.3 can emit a triple without object (toRdf tli14)
        raise JsonLdError(
            "JSON-LD processing produced an incomplete RDF triple; fix the document's @base and lists",
        ) from exc


def quads_from_pyld_dataset(dataset: dict[str, list[dict[str, Any]]]) -> list[Quad]:
    """pyld's dataset (graph name -> triples) as quads of canonical terms, in pyld's order."""
    quads: list[Quad] = []
    for graph_name, triples in dataset.items():
        if graph_name == "@default":
            graph = ""
        elif graph_name.startswith("_:"):
            graph = graph_name
        else:
            graph = "<" + graph_name + ">"
        for triple in triples:
            quads.append(
                (
                    _pyld_term(triple["subject"]),
                    _pyld_term(triple["predicate"]),
                    _pyld_term(triple["object"]),
                    graph,
                )
            )
    return quads


def _pyld_term(term: dict[str, Any]) -> str:
    # mirrors pyld.nquads.serialize_nquad, with RDFC-1.0 canonical string escaping
    kind = term["type"]
    if kind == "IRI":
        return "<" + term["value"] + ">"
    if kind == "blank node":
        return term["value"]
    text = '"' + escape_string(term["value"]) + '"'
    datatype = term["datatype"]
    if datatype == RDF_LANGSTRING:
        language = term.get("language")
        return text + "@" + language if language else text
    if datatype == XSD_STRING:
        return text
    return text + "^^<" + datatype + ">"


def _loader(loader: Any) -> Any:
    if loader is None:
        from vc.jsonld.loader import default_loader

        return default_loader()
    return loader


def _new_compiler(loader: Any) -> QuadCompiler:
    from vc.jsonld._pyld import Processor, pyld_options
    from vc.jsonld.context_cache import ThreadSafeContextResolver

    settings = pyld_options(loader)  # jitsuin's pyld settings and the loader's resolved-context cache
    compiler = QuadCompiler(processor=Processor(), options={})

    def tracking_loader(url: str, options: Any = None) -> Any:
        remote = loader(url, options)
        if not isinstance(remote, dict) or remote.get("tag") != "static":
            compiler.volatile = True
        return remote

    compiler.options.update(
        {
            # what pyld's to_rdf/expand add to these options before processing contexts
            "isFrame": False,
            "keepFreeFloatingNodes": False,
            "extractAllScripts": True,
            "processingMode": "json-ld-1.1",
            **settings,
            "documentLoader": tracking_loader,
            "contextResolver": ThreadSafeContextResolver(settings["contextResolver"].shared_cache, tracking_loader),
        }
    )
    return compiler


def _compiler(loader: Any) -> QuadCompiler:
    if not isinstance(loader, DocumentLoader):
        # a plain callable gets caches for this call only, as in vc.jsonld._pyld.pyld_options
        return _new_compiler(loader)
    return compiler_for(loader, _new_compiler)
