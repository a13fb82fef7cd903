"""The one JSON-LD document loader: bundled contexts pinned by SHA-256, plus contexts the application registers.

It never goes to the network. Any URL that is neither bundled (``vc/jsonld/contexts/manifest.json``) nor
registered raises :class:`~vc.errors.ContextNotAllowedError`. URLs match exactly, character for character:
no trailing-slash folding, no ``http`` -> ``https`` upgrade, no redirects.

Caching: every remote document is returned with ``tag: 'static'``, which tells pyld's ``ContextResolver`` to
keep the resolved context (and, inside it, the processed active contexts) in its shared cache. Each loader owns
its own cache (``loader.pyld_options()``), so a context registered in one loader never leaks into another
loader through pyld's process-wide cache.

    >>> loader = default_loader()
    >>> loader("https://www.w3.org/ns/credentials/v2")["document"]["@context"]["@protected"]
    True
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ContextIntegrityError, ContextNotAllowedError, MalformedError, UsageError
from .context_cache import LockedLRUCache, ThreadSafeContextResolver

__all__ = ["BUNDLED_CONTEXTS_DIR", "DocumentLoader", "default_loader"]

BUNDLED_CONTEXTS_DIR = Path(__file__).parent / "contexts"

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$")
_MAX_URL_IN_MESSAGE = 200


@dataclass
class _Entry:
    """One servable document. ``parsed`` is filled once (bundled files lazily, after the hash check)."""

    url: str
    origin: str  # "bundled" | "registered"
    sha256: str | None = None
    path: Path | None = None
    parsed: Any = None
    ready: bool = False


class DocumentLoader:
    """A pyld document loader serving only bundled and registered documents.

    Call it like pyld does: ``loader(url, options) -> RemoteDocument`` (``contextUrl``, ``documentUrl``,
    ``document``, ``tag='static'``). Pass ``bundle=None`` for a loader with no bundled contexts.
    """

    def __init__(
        self,
        *,
        bundle: Path | None = BUNDLED_CONTEXTS_DIR,
        contexts: Mapping[str, dict[str, Any] | bytes] | None = None,
        cache_size: int = 256,
    ) -> None:
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        # pyld's ContextResolver shared cache (url or canonical inline context -> {tag: ResolvedContext});
        # every thread using this loader reads and writes it, so it is locked (vc.jsonld.context_cache)
        self._resolved_cache: LockedLRUCache = LockedLRUCache(maxsize=cache_size)
        #: how many times each URL was served; with pyld caching working this stays at 1 per URL
        self.load_counts: Counter[str] = Counter()
        if bundle is not None:
            self._add_bundle(Path(bundle))
        for url, document in (contexts or {}).items():
            self.register(url, document)

    # -- pyld interface ------------------------------------------------------------------------

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Return the pyld RemoteDocument for ``url``; ContextNotAllowedError if it is not known."""
        entry = self._entries.get(url) if isinstance(url, str) else None
        if entry is None:
            raise ContextNotAllowedError(_not_allowed_message(url), url=str(url)[:_MAX_URL_IN_MESSAGE])
        document = self._document(entry)
        self.load_counts[url] += 1
        # pyld mutates what it is given (it resolves @context URLs in place and merges @import
        # into the imported object), so it gets its own copy; this runs once per URL per cache life.
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": _copy_json(document),
            "contentType": "application/ld+json",
            "tag": "static",
        }

    def pyld_options(self, **options: Any) -> dict[str, Any]:
        """pyld options using this loader and its own resolved-context cache (plus any ``options`` given)."""
        return {
            "documentLoader": self,
            "contextResolver": ThreadSafeContextResolver(self._resolved_cache, self),
            **options,
        }

    # -- registry ------------------------------------------------------------------------------

    def register(self, url: str, document: dict[str, Any] | bytes, *, sha256: str | None = None) -> None:
        """Serve ``document`` at exactly ``url`` from now on (in place).

        ``document`` is the parsed JSON object or its exact bytes; ``sha256`` (hex) pins the bytes and is
        checked now (ContextIntegrityError). Registering a URL again with different content is a UsageError:
        a context's meaning must not change under credentials already signed with it.
        """
        if not isinstance(url, str) or not _ABSOLUTE_IRI.match(url):
            raise UsageError(f"cannot register JSON-LD document at {str(url)[:_MAX_URL_IN_MESSAGE]!r}: "
                             "the URL must be an absolute IRI (scheme:...) without whitespace")
        if isinstance(document, (bytes, bytearray, memoryview)):
            raw = bytes(document)
            if sha256 is not None:
                _check_sha256(url, raw, sha256)
            parsed = _parse(url, raw)
        elif isinstance(document, dict):
            if sha256 is not None:
                raise UsageError("sha256 pins the exact bytes of a document; pass the document as bytes "
                                 f"to register {url} with a hash")
            parsed = _copy_json(document)
        else:
            raise UsageError(f"register {url}: document must be a JSON object (dict) or its bytes")
        with self._lock:
            existing = self._entries.get(url)
            if existing is not None:
                if self._document(existing, locked=True) == parsed:
                    return
                raise UsageError(f"{url} is already {existing.origin} with different content; a context URL "
                                 "must always mean the same thing, so publish changed contexts at a new URL")
            self._entries[url] = _Entry(url=url, origin="registered", sha256=sha256, parsed=parsed, ready=True)

    @property
    def urls(self) -> frozenset[str]:
        """Every URL this loader serves."""
        return frozenset(self._entries)

    def is_bundled(self, url: str) -> bool:
        """True if ``url`` is served from the bundled, hash-pinned contexts."""
        entry = self._entries.get(url)
        return entry is not None and entry.origin == "bundled"

    def verify_bundle(self) -> None:
        """Check every bundled file against its pinned SHA-256 now (ContextIntegrityError on the first mismatch)."""
        for entry in list(self._entries.values()):
            self._document(entry)

    # -- internals -----------------------------------------------------------------------------

    def _add_bundle(self, directory: Path) -> None:
        manifest_path = directory / "manifest.json"
        try:
            manifest = json.loads(manifest_path.read_bytes())
        except (OSError, ValueError) as exc:
            raise ContextIntegrityError(f"cannot read the context manifest {manifest_path}: {exc}; "
                                        "reinstall jitsuin") from exc
        for item in manifest["contexts"]:
            self._entries[item["url"]] = _Entry(
                url=item["url"], origin="bundled", sha256=item["sha256"], path=directory / item["file"]
            )

    def _document(self, entry: _Entry, *, locked: bool = False) -> Any:
        if entry.ready:
            return entry.parsed
        if locked:
            return self._load_bundled(entry)
        with self._lock:
            return self._load_bundled(entry)

    @staticmethod
    def _load_bundled(entry: _Entry) -> Any:
        if entry.ready:  # another thread got here first
            return entry.parsed
        assert entry.path is not None and entry.sha256 is not None
        try:
            raw = entry.path.read_bytes()
        except OSError as exc:
            raise ContextIntegrityError(f"bundled context {entry.url} is missing ({entry.path.name}); "
                                        "reinstall jitsuin", url=entry.url) from exc
        _check_sha256(entry.url, raw, entry.sha256)
        entry.parsed = _parse(entry.url, raw)
        entry.ready = True
        return entry.parsed


_default: DocumentLoader | None = None
_default_lock = threading.Lock()


def default_loader() -> DocumentLoader:
    """The process-wide loader with the bundled contexts (created on first use)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = DocumentLoader()
    return _default


def _check_sha256(url: str, raw: bytes, expected: str) -> None:
    actual = hashlib.sha256(raw).hexdigest()
    if actual != expected.lower():
        raise ContextIntegrityError(
            f"the bytes for JSON-LD context {url} do not match the pinned SHA-256 (expected {expected}, "
            f"got {actual}); restore the original file or reinstall jitsuin",
            url=url, expected=expected, actual=actual,
        )


def _parse(url: str, raw: bytes) -> Any:
    try:
        parsed = json.loads(raw)
    except ValueError as exc:
        raise MalformedError(f"JSON-LD document for {url} is not valid JSON: {exc}", url=url) from exc
    if not isinstance(parsed, dict):
        raise MalformedError(f"JSON-LD document for {url} must be a JSON object", url=url)
    return parsed


def _copy_json(value: Any) -> Any:
    """A deep copy of parsed JSON (dicts, lists, scalars); several times faster than copy.deepcopy."""
    if isinstance(value, dict):
        return {k: _copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_json(v) for v in value]
    return value


def _not_allowed_message(url: object) -> str:
    shown = str(url)[:_MAX_URL_IN_MESSAGE]
    return (
        f"JSON-LD document {shown!r} is not bundled or registered, and jitsuin never fetches contexts from "
        "the network; if you trust it, register its exact URL and bytes with "
        "DocumentLoader.register(url, document_bytes, sha256=...)"
    )
