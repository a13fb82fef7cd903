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

from pyld.canon import URDNA2015

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
    """RDFC-1.0 canonical N-Quads of a pyld dataset (pyld URDNA2015, identical to RDFC-1.0 with SHA-256).

    This is the step a faster RDFC-1.0 implementation replaces.
    """
    try:
        return URDNA2015().main(dataset, {"format": _NQUADS})
    except VcError:
        raise
    except Exception as exc:
        raise translate(exc) from exc


def canonize(doc: Any, *, loader: Any = None, safe: bool = False) -> str:
    """RDFC-1.0 canonical N-Quads of ``doc``, what Data Integrity rdfc cryptosuites hash."""
    return canonize_dataset(to_dataset(doc, loader=loader, safe=safe))


def _processor(safe: bool) -> Processor:
    return SafeProcessor() if safe else Processor()
