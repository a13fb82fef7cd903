"""Processed-context caches shared by threads: concurrent verification never fails a valid document.

pyld's caches (cachetools LRUs) raced when several threads evicted at once, so about one presentation
verification in 500 failed its ``jsonld`` check with JSONLD_ERROR (KeyError) under 8 threads. A short
thread switch interval makes the interleavings that exposed it frequent, so each test fails within a
second on the unlocked caches.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from vc.canon import canonize_full
from vc.credentials import issue_credential
from vc.did import did_key
from vc.jsonld import DocumentLoader, expand_safe
from vc.jsonld.context_cache import LockedLRUCache, ThreadSafeContextResolver
from vc.keys import KeyPair
from vc.presentations import issue_presentation, verify_presentation

NOW = datetime(2025, 4, 1, 9, 0, tzinfo=timezone.utc)
ISSUER = KeyPair.from_seed(b"i" * 32)
HOLDER = KeyPair.from_seed(b"h" * 32)
THREADS = 8


@pytest.fixture(scope="module")
def presentation() -> dict[str, Any]:
    credential = issue_credential({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": did_key(HOLDER.public), "employed": True},
    }, ISSUER, now=NOW)
    return issue_presentation([credential], HOLDER, challenge="c-1", domain="https://daycare.example", now=NOW)


@pytest.fixture
def frequent_switches() -> Iterator[None]:
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


def _in_threads(work: Callable[[], Any], calls: int) -> list[Any]:
    """Run ``work`` ``calls`` times in each of THREADS threads started together; every result or exception."""
    results: list[Any] = []
    start = threading.Barrier(THREADS)

    def run() -> None:
        start.wait()
        for _ in range(calls):
            try:
                results.append(work())
            except Exception as exc:  # noqa: BLE001 - collected and asserted on below
                results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_presentations_verify_from_many_threads(presentation: dict[str, Any], frequent_switches: None) -> None:
    loader = DocumentLoader()  # cold caches, shared by every thread

    def verify() -> tuple[str, ...]:
        result = verify_presentation(presentation, challenge="c-1", domain="https://daycare.example",
                                     loader=loader, now=NOW, status=False)
        return tuple(sorted(f"{c.check}:{c.code}" for c in result.errors))

    results = _in_threads(verify, 25)
    assert len(results) == THREADS * 25
    assert set(results) == {()}


def test_pyld_safe_expansion_from_many_threads(presentation: dict[str, Any], frequent_switches: None) -> None:
    # the full pyld path (JSON-LD safe mode, the fallback canonicalization) on one shared loader
    loader = DocumentLoader()
    expected = expand_safe(presentation, loader=DocumentLoader())
    results = _in_threads(lambda: expand_safe(presentation, loader=loader), 40)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert all(r == expected for r in results)


def test_pyld_canonicalization_from_many_threads(presentation: dict[str, Any], frequent_switches: None) -> None:
    loader = DocumentLoader()
    expected = canonize_full(presentation, loader=DocumentLoader())
    results = _in_threads(lambda: canonize_full(presentation, loader=loader), 20)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert set(results) == {expected}


def test_locked_lru_cache_survives_concurrent_eviction(frequent_switches: None) -> None:
    cache = LockedLRUCache(maxsize=4)
    counter = iter(range(10**9))

    def churn() -> None:
        key = next(counter)
        cache[key] = key
        cache.get(key - 1)

    results = _in_threads(churn, 2000)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert len(cache) <= 4 and cache.currsize == len(cache)


def test_resolved_contexts_get_locked_caches_before_they_are_shared() -> None:
    loader = DocumentLoader()
    expand_safe({"@context": "https://www.w3.org/ns/credentials/v2", "type": "VerifiableCredential"},
                loader=loader)
    shared = loader.pyld_options()["contextResolver"]
    assert isinstance(shared, ThreadSafeContextResolver) and isinstance(shared.shared_cache, LockedLRUCache)
    resolved = [r for tags in shared.shared_cache.values() for item in tags.values()
                for r in (item if isinstance(item, list) else [item])]
    assert resolved and all(isinstance(r.cache, LockedLRUCache) for r in resolved)
