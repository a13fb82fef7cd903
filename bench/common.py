"""What the benchmarks share: ops/s by repeating a call for a fixed wall time (median of rounds), the
``--seconds`` option, the raw Ed25519 baseline, the table, and the sample resident credential."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import nacl.signing

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)

# a resident record of 11 claims (one of them nested), the size of a real certificate
RESIDENT_SUBJECT: dict[str, Any] = {
    "familyName": "山田",
    "givenName": "花子",
    "familyNameKana": "ヤマダ",
    "givenNameKana": "ハナコ",
    "birthDate": "1990-04-01",
    "sex": "2",
    "address": {"postalCode": "100-8914", "addressRegion": "東京都", "addressLocality": "千代田区"},
    "residentSince": "2015-04-01",
    "isHouseholder": True,
    "relationshipToHouseholder": "本人",
    "municipalityCode": "131016",
}
RESIDENT_CREDENTIAL: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "type": ["VerifiableCredential", "ExampleResidentCredential"],
    "credentialSubject": {"id": "did:example:resident", **RESIDENT_SUBJECT},
}


def timing_parser(description: str | None) -> argparse.ArgumentParser:
    """An argument parser with ``--seconds`` (time per measurement, default 0.5); add a script's own options."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seconds", type=float, default=0.5, help="time per measurement")
    return parser


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
