"""Thread-safe caches for pyld's processed JSON-LD contexts.

pyld keeps two levels of cache, both cachetools ``LRUCache`` objects that are not safe for
concurrent use: the resolver's shared cache (context URL or inline context -> resolved context) and,
inside each resolved context, a 10-entry LRU of the active contexts it was processed against. A
document loader's caches are shared by every thread that verifies with it, and expansion writes to
the inner LRU on almost every call (a type-scoped context gives a fresh active context each time), so
two threads evicting at once raced in ``LRUCache.popitem`` (KeyError, or RuntimeError "OrderedDict
mutated during iteration") and a valid credential failed its JSON-LD check. Here both levels hold a
lock around every read and write; what they store (frozen processed contexts) is never mutated.
"""

from __future__ import annotations

import threading
from typing import Any

from cachetools import LRUCache
from pyld.context_resolver import ContextResolver

__all__ = ["LockedLRUCache", "ThreadSafeContextResolver"]

_MISSING = object()


class LockedLRUCache(LRUCache):
    """A cachetools ``LRUCache`` whose operations each run under one lock (reads reorder an LRU too)."""

    def __init__(self, maxsize: int, getsizeof: Any = None) -> None:
        super().__init__(maxsize, getsizeof)
        self._lock = threading.RLock()  # re-entrant: __setitem__ evicts through popitem

    def __getitem__(self, key: Any) -> Any:
        with self._lock:
            return super().__getitem__(key)

    def __setitem__(self, key: Any, value: Any) -> None:
        with self._lock:
            super().__setitem__(key, value)

    def __delitem__(self, key: Any) -> None:
        with self._lock:
            super().__delitem__(key)

    def __contains__(self, key: Any) -> bool:
        with self._lock:
            return super().__contains__(key)

    def get(self, key: Any, default: Any = None) -> Any:
        with self._lock:
            return super().get(key, default)

    def pop(self, key: Any, default: Any = _MISSING) -> Any:
        with self._lock:
            if default is _MISSING:
                return super().pop(key)
            return super().pop(key, default)

    def popitem(self) -> tuple[Any, Any]:
        with self._lock:
            return super().popitem()

    def setdefault(self, key: Any, default: Any = None) -> Any:
        with self._lock:
            return super().setdefault(key, default)

    def clear(self) -> None:
        with self._lock:
            super().clear()


class ThreadSafeContextResolver(ContextResolver):
    """pyld's ``ContextResolver`` whose resolved contexts get a :class:`LockedLRUCache` for their
    processed active contexts before they are published in the shared cache (so no other thread ever
    sees pyld's unlocked one). Use a :class:`LockedLRUCache` as ``shared_cache`` when it is shared.
    """

    def _cache_resolved_context(self, key: Any, resolved: Any, tag: Any) -> Any:
        for item in resolved if isinstance(resolved, list) else [resolved]:
            cache = getattr(item, "cache", None)
            if cache is not None and not isinstance(cache, LockedLRUCache):
                locked = LockedLRUCache(maxsize=cache.maxsize)
                locked.update(cache)  # empty in practice: pyld publishes a context before processing it
                item.cache = locked
        return super()._cache_resolved_context(key, resolved, tag)
