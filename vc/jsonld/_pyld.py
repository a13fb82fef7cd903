"""pyld glue: the options every jitsuin JSON-LD operation uses, and pyld exceptions -> jitsuin errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.jsonld import JsonLdProcessor

from ..errors import InputTooLargeError, JsonLdError, ProtectedTermError, VcError
from .context_cache import ThreadSafeContextResolver
from .loader import DocumentLoader, default_loader

__all__ = ["Processor", "pyld_options", "translate"]

_MAX_TERMS_IN_MESSAGE = 8


class Processor(JsonLdProcessor):
    """pyld's processor with one fix: ``"@vocab": null`` (or ``@language``/``@direction``) when none is set.

    pyld 3.3 deletes the active context's entry unconditionally and dies with KeyError; per JSON-LD 1.1 the
    null simply means "no vocabulary mapping", e.g. ``[".../credentials/v2", {"@vocab": null}]``.
    """

    def _clone_active_context(self, active_ctx):  # type: ignore[override]
        return _ActiveContext(super()._clone_active_context(active_ctx))


class _ActiveContext(dict):
    def __delitem__(self, key: Any) -> None:
        self.pop(key, None)


def pyld_options(loader: Callable[..., Any] | None, **extra: Any) -> dict[str, Any]:
    """Options for one pyld call: our loader, its own context cache, and the settings vc-js uses.

    ``base=None`` keeps relative IRIs relative (pyld would otherwise resolve them against
    ``http://example.org/base/``); ``rdfDirection='i18n-datatype'`` keeps ``@direction`` in the RDF, as the
    Digital Bazaar Data Integrity libraries do.
    """
    settings = {"base": None, "rdfDirection": "i18n-datatype", "produceGeneralizedRdf": False, **extra}
    if loader is None:
        loader = default_loader()
    if isinstance(loader, DocumentLoader):
        return loader.pyld_options(**settings)
    # a plain callable: give it a private cache for this call only, never pyld's process-wide one,
    # so what it allowed cannot be served later to a stricter loader
    return {
        "documentLoader": loader,
        "contextResolver": ThreadSafeContextResolver(LRUCache(maxsize=64), loader),
        **settings,
    }


def translate(exc: BaseException) -> VcError:
    """Map a failure raised inside pyld to the jitsuin error to raise (chained to ``exc`` by the caller).

    pyld wraps loader errors in JsonLdError (``raise ... from cause``), sometimes several layers deep, so the
    cause chain is searched: a jitsuin error inside (e.g. ContextNotAllowedError) is returned as it is.
    """
    chain = _chain(exc)
    for item in chain:
        if isinstance(item, VcError):
            return item
    for item in chain:
        if isinstance(item, jsonld.JsonLdError) and item.code == "protected term redefinition":
            return ProtectedTermError(_protected_message(item))
    if any(isinstance(item, RecursionError) for item in chain):
        return InputTooLargeError("the JSON-LD document is nested too deeply to process; flatten it")
    innermost = next((i for i in reversed(chain) if isinstance(i, jsonld.JsonLdError)), None)
    if innermost is not None:
        message = innermost.args[0] if innermost.args else "JSON-LD processing failed"
        code = f" [{innermost.code}]" if innermost.code else ""
        return JsonLdError(f"{message}{code}; fix the document's @context or structure",
                           jsonld_code=innermost.code)
    return JsonLdError(f"JSON-LD processing failed ({type(exc).__name__}); the document is not valid JSON-LD")


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not s for s in seen):
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _protected_message(error: Any) -> str:
    details = error.details if isinstance(error.details, dict) else {}
    local = details.get("context")
    terms = sorted(k for k in local if isinstance(k, str) and not k.startswith("@")) if isinstance(local, dict) else []
    where = ""
    if terms:
        shown = ", ".join(terms[:_MAX_TERMS_IN_MESSAGE]) + (", ..." if len(terms) > _MAX_TERMS_IN_MESSAGE else "")
        where = f" (the context defining {shown})"
    return (f"a JSON-LD context redefines a protected term{where}; protected terms such as those of the "
            "VC contexts cannot be given another meaning; use a new term name instead")
