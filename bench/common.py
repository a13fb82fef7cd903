"""Shared timing for the benchmarks: ops/s by repeating a call for a fixed wall time, median of rounds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import nacl.signing


def ops_per_second(fn: Callable[[], object], *, seconds: float = 0.5, rounds: int = 3) -> float:
    """Median ops/s of ``fn`` over ``rounds`` runs of about ``seconds`` each."""
    fn()  # warm caches (contexts, keys) the way a long-running service would
    rates = []
    for _ in range(rounds):
        n = 0
        start = time.perf_counter()
        deadline = start + seconds
        while True:
            fn()
            n += 1
            now = time.perf_counter()
            if now >= deadline:
                break
        rates.append(n / (now - start))
    return statistics.median(rates)


def raw_ed25519_sign_rate(**kw: float) -> float:
    """The baseline every table prints beside: pynacl Ed25519 over a 64-byte message."""
    key = nacl.signing.SigningKey.generate()
    msg = b"x" * 64
    return ops_per_second(lambda: key.sign(msg), **kw)


def print_table(title: str, rows: list[tuple[str, float]], baseline: float) -> None:
    """Rows of (name, ops/s) with their share of the raw Ed25519 sign rate."""
    print(f"\n{title}")
    print(f"{'operation':<44} {'ops/s':>10} {'vs raw Ed25519 sign':>20}")
    print(f"{'raw Ed25519 sign (pynacl)':<44} {baseline:>10.0f} {'1.00x':>20}")
    for name, rate in rows:
        print(f"{name:<44} {rate:>10.0f} {rate / baseline:>19.3f}x")
