"""JSON-LD expansion, RDF and RDFC-1.0 canonicalization through pyld, with jitsuin's loader and errors.

Every function uses the settings of Digital Bazaar's Data Integrity libraries (``base: null``,
``rdfDirection: 'i18n-datatype'``, no generalized RDF) so both sides hash the same N-Quads, and takes
``safe=True`` to apply the jsonld.js safe-mode checks (:mod:`vc.jsonld.safe_mode`) during the same expansion.
Failures raise jitsuin errors: ContextNotAllowedError / ContextIntegrityError from the loader as themselves,
ProtectedTermError for a protected term redefinition, UndefinedTermError from safe mode, JsonLdError otherwise.

    >>> nquads = canonize(credential, loader=default_loader(), safe=True)   # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from ..errors import VcError
from ._pyld import Processor, pyld_options, translate
from .safe_mode import SafeProcessor

__all__ = ["canonize", "canonize_dataset", "expand", "to_dataset", "to_nquads"]

_NQUADS = "application/n-quads"


def expand(doc: Any, *, loader: Any = None, safe: bool = False) -> list[Any]:
    """The JSON-LD expanded form of ``doc`` (a list of node objects)."""
    try:
        return _processor(safe).expand(doc, pyld_options(loader))
    except VcError:
        raise
    except Exception as exc:
        raise translate(exc) from exc


def to_dataset(doc: Any, *, loader: Any = None, safe: bool = False) -> dict[str, list[dict[str, Any]]]:
    """The RDF dataset of ``doc`` in pyld's form (graph name -> triples), blank nodes not yet canonical."""
    try:
        return _processor(safe).to_rdf(doc, pyld_options(loader))
    except VcError:
        raise
    except Exception as exc:
        raise translate(exc) from exc


def to_nquads(doc: Any, *, loader: Any = None, safe: bool = False) -> str:
    """``doc`` as N-Quads (not canonicalized: blank node labels and order as pyld produces them)."""
    try:
        return _processor(safe).to_rdf(doc, pyld_options(loader, format=_NQUADS))
    except VcError:
        raise
    except Exception as exc:
        raise translate(exc) from exc


def canonize_dataset(dataset: dict[str, list[dict[str, Any]]]) -> str:
    """RDFC-1.0 canonical N-Quads of a pyld dataset (:mod:`vc.canon.rdfc10`, with its work limit).

    Unlike pyld's URDNA2015 it escapes literals as RDFC-1.0 requires (``\\b``, ``\\f``, ``\\u0000``...) and
    refuses poisoned blank-node structures with CanonicalizationLimitError.
    """
    from ..canon import canonicalize, quads_from_pyld_dataset  # vc.canon imports this module

    return canonicalize(quads_from_pyld_dataset(dataset))


def canonize(doc: Any, *, loader: Any = None, safe: bool = False) -> str:
    """RDFC-1.0 canonical N-Quads of ``doc``, what Data Integrity rdfc cryptosuites hash.

    Runs :func:`vc.canon.canonize`: a compiled fast path for the shapes credentials use, pyld's full
    algorithm (:func:`to_dataset`, with this module's error mapping) for everything else; same bytes either way.
    """
    from ..canon import canonize as canonize_fast  # vc.canon imports this module

    return canonize_fast(doc, loader=loader, safe=safe)


def _processor(safe: bool) -> Processor:
    return SafeProcessor() if safe else Processor()
