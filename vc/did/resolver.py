"""DidResolver: a registry of DID methods plus preloaded offline documents (W3C DID Core 1.0 section 7).

>>> resolver = DidResolver()
>>> vm = resolver.dereference("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")
>>> resolver.verification_method_key(vm).alg
'Ed25519'
"""

from __future__ import annotations

import copy
import functools
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import Any, Protocol

import httpx

from vc.did.jwk import did_jwk_document
from vc.did.key import did_key_document
from vc.did.url import absolute_id, parse_did, parse_did_url
from vc.did.verification_method import verification_method_key
from vc.did.web import DEFAULT_CACHE_TTL, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, WebDidMethod
from vc.errors import (
    DidMethodNotSupportedError,
    DidResolutionError,
    InvalidDidError,
    VerificationMethodNotFoundError,
)
from vc.input import copy_json
from vc.keys.public_key import PublicKey

__all__ = ["DidMethod", "DidResolver", "JwkDidMethod", "KeyDidMethod", "default_resolver"]

# DID Core section 5.3 verification relationships; embedded methods may appear under each
RELATIONSHIPS = ("authentication", "assertionMethod", "keyAgreement", "capabilityInvocation", "capabilityDelegation")


class DidMethod(Protocol):
    """A DID method: ``name`` ("key", "web", ...) and ``resolve(did)`` returning a fresh document dict."""

    name: str

    def resolve(self, did: str) -> dict[str, Any]: ...


class KeyDidMethod:
    """did:key, resolved offline."""

    name = "key"
    #: the document is a pure function of the DID, so the resolver may keep what it derives from it
    deterministic = True

    def resolve(self, did: str) -> dict[str, Any]:
        return _did_key_document_cached(did)


class JwkDidMethod:
    """did:jwk, resolved offline."""

    name = "jwk"
    deterministic = True

    def resolve(self, did: str) -> dict[str, Any]:
        return _did_jwk_document_cached(did)


# did:key and did:jwk documents are pure functions of the DID: derive each once. The resolver hands
# callers copies, so the cached documents are never mutated.
_did_key_document_cached = functools.lru_cache(maxsize=1024)(did_key_document)
_did_jwk_document_cached = functools.lru_cache(maxsize=1024)(did_jwk_document)

# entries in each per-resolver cache of dereferenced methods / authorizations (emptied when full)
_MAX_CACHED = 4096


class DidResolver:
    """Resolve DIDs and dereference verification methods.

    ``methods`` defaults to did:key, did:jwk (offline) and did:web (httpx, configured by ``http``,
    ``timeout``, ``max_bytes``, ``cache_ttl``, ``allow_http_for``). ``preloaded`` documents, keyed by
    DID, are answered first and never fetched (an offline trust list).
    """

    def __init__(
        self,
        *,
        methods: Iterable[DidMethod] | None = None,
        preloaded: Mapping[str, dict[str, Any]] | Iterable[dict[str, Any]] | None = None,
        http: httpx.Client | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        cache_ttl: float = DEFAULT_CACHE_TTL,
        allow_http_for: Collection[str] = (),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if methods is None:
            web = WebDidMethod(
                http=http, timeout=timeout, max_bytes=max_bytes, cache_ttl=cache_ttl,
                allow_http_for=allow_http_for, clock=clock,
            )
            methods = (KeyDidMethod(), JwkDidMethod(), web)
        self._methods: dict[str, DidMethod] = {m.name: m for m in methods}
        self._preloaded: dict[str, dict[str, Any]] = _checked_documents(preloaded or {})
        self._init_caches()

    def _init_caches(self) -> None:
        # what dereference / is_authorized derive from documents that cannot change (preloaded ones and
        # those of deterministic methods such as did:key and did:jwk): verifying a proof asks for the
        # same method several times. Values are shared and never mutated; callers get copies.
        self._methods_found: dict[str, dict[str, Any]] = {}
        self._authorizations: dict[tuple[str, str], bool] = {}

    @property
    def methods(self) -> tuple[str, ...]:
        """Names of the registered DID methods, sorted."""
        return tuple(sorted(self._methods))

    @property
    def preloaded(self) -> tuple[str, ...]:
        """DIDs with a preloaded document, sorted."""
        return tuple(sorted(self._preloaded))

    def with_methods(self, *methods: DidMethod) -> DidResolver:
        """A copy with ``methods`` added (replacing any of the same name)."""
        clone = self._copy()
        clone._methods.update({m.name: m for m in methods})
        return clone

    def with_preloaded(self, documents: Mapping[str, dict[str, Any]] | Iterable[dict[str, Any]]) -> DidResolver:
        """A copy that also answers these documents offline."""
        clone = self._copy()
        clone._preloaded.update(_checked_documents(documents))
        return clone

    def _copy(self) -> DidResolver:
        clone = object.__new__(DidResolver)
        clone._methods = dict(self._methods)  # method objects (and the did:web cache) are shared
        clone._preloaded = dict(self._preloaded)
        clone._init_caches()  # the clone answers other documents
        return clone

    def resolve(self, did: str) -> dict[str, Any]:
        """The DID document for ``did`` (a DID URL's path, query and fragment are ignored).

        Raises InvalidDidError, DidMethodNotSupportedError or DidResolutionError.
        """
        return copy.deepcopy(self._resolve_shared(did))

    def _resolve_shared(self, did: str) -> dict[str, Any]:
        """The document itself, possibly cached and shared: read it, never change it."""
        return self._resolve_with_stability(did)[0]

    def _resolve_with_stability(self, did: str) -> tuple[dict[str, Any], bool]:
        """The shared document, and whether it can never change (preloaded, or a deterministic method)."""
        parsed = parse_did_url(did)
        document = self._preloaded.get(parsed.did)
        if document is not None:
            return document, True
        method = self._methods.get(parsed.method)
        if method is None:
            raise DidMethodNotSupportedError(
                f"DID method '{parsed.method}' is not supported; supported: {', '.join(self.methods)}",
                method=parsed.method,
            )
        document = method.resolve(parsed.did)
        if not isinstance(document, dict) or document.get("id") != parsed.did:
            raise DidResolutionError("the resolved DID document's 'id' does not equal the DID", did=parsed.did)
        return document, getattr(method, "deterministic", False) is True

    def dereference(self, did_url: str) -> dict[str, Any]:
        """The verification method a DID URL names (a copy with absolute ``id``).

        Relative ids such as ``#key-1`` are resolved against the DID; a query (``?versionId=..``)
        is matched if the document uses it and ignored otherwise. VerificationMethodNotFoundError if absent.
        """
        return copy_json(self._dereference_shared(did_url)[0])

    def _dereference_shared(self, did_url: str) -> tuple[dict[str, Any], bool]:
        """``dereference`` without the copy (read it, never change it), and whether it can never change."""
        found = self._methods_found.get(did_url) if isinstance(did_url, str) else None
        if found is not None:
            return found, True
        parsed = parse_did_url(did_url)
        if parsed.fragment is None:
            raise VerificationMethodNotFoundError(
                "the DID URL has no fragment; name the verification method, e.g. 'did:...#key-1'"
            )
        document, stable = self._resolve_with_stability(parsed.did)
        wanted = (str(parsed), f"{parsed.did}#{parsed.fragment}")
        for vm in _verification_methods(document):
            vm_id = absolute_id(vm["id"], parsed.did)
            if vm_id in wanted:
                out = copy_json(vm)
                out["id"] = vm_id
                if not isinstance(out.get("type"), str) or not isinstance(out.get("controller"), str):
                    raise DidResolutionError(
                        "the verification method lacks a string 'type' or 'controller'", id=vm_id
                    )
                if stable:
                    _remember(self._methods_found, did_url, out)
                return out, stable
        raise VerificationMethodNotFoundError(
            "the DID document has no verification method with this id", id=str(parsed)
        )

    def verification_method_key(self, vm: dict[str, Any]) -> PublicKey:
        """The public key of a verification method (Multikey, JsonWebKey(2020), Ed25519VerificationKey2020/2018)."""
        return verification_method_key(vm)

    def is_authorized(self, did_url: str, purpose: str) -> bool:
        """True if the method ``did_url`` names is listed (by reference or embedded) under the
        relationship ``purpose`` of its controller's DID document.

        Resolution failures raise as in ``dereference``; an unlisted method gives False.
        """
        key = (did_url, purpose)
        found = self._authorizations.get(key) if isinstance(did_url, str) and isinstance(purpose, str) else None
        if found is not None:
            return found
        vm, stable = self._dereference_shared(did_url)
        controller = vm["controller"]
        try:
            controller_did = parse_did(controller).did
        except InvalidDidError:
            return False
        document, controller_stable = self._resolve_with_stability(controller_did)
        entries = document.get(purpose) if isinstance(purpose, str) else None
        authorized = False
        for entry in _as_list(entries):
            ref = entry.get("id") if isinstance(entry, dict) else entry
            if isinstance(ref, str) and absolute_id(ref, controller_did) == vm["id"]:
                authorized = True
                break
        if stable and controller_stable and isinstance(purpose, str):
            _remember(self._authorizations, key, authorized)
        return authorized


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    if len(cache) >= _MAX_CACHED:
        cache.clear()  # bounded; DID URLs come from documents, which an attacker may vary endlessly
    cache[key] = value


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def _verification_methods(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every verification method object in a document: listed and embedded in relationships."""
    for key in ("verificationMethod", *RELATIONSHIPS):
        for entry in _as_list(document.get(key)):
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                yield entry


def _checked_documents(
    documents: Mapping[str, dict[str, Any]] | Iterable[dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    items = documents.items() if isinstance(documents, Mapping) else ((d.get("id"), d) for d in documents)
    out: dict[str, dict[str, Any]] = {}
    for did, document in items:
        parse_did(did)
        if not isinstance(document, dict) or document.get("id") != did:
            raise DidResolutionError("a preloaded DID document's 'id' does not equal its DID", did=str(did))
        out[did] = copy.deepcopy(document)
    return out


@functools.cache
def default_resolver() -> DidResolver:
    """The process-wide resolver: did:key and did:jwk offline, did:web over HTTPS (cached)."""
    return DidResolver()


