"""Status lists: a status check against a cached 131,072-entry list, list decode/encode, and registry
index allocation on SQLite and PostgreSQL, in ops/s beside raw Ed25519 sign on the same run.

Run: ``make bench`` or ``.venv/bin/python bench/bench_status.py [--seconds 0.5] [--postgres URL]``.
PostgreSQL is measured when ``--postgres`` or ``JITSUIN_TEST_POSTGRES_URL`` names a server
(``eval "$(scripts/postgres-test-server.sh start)"``), in a throw-away schema.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import secrets
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import NOW, ops_per_second, print_table, raw_ed25519_sign_rate, timing_parser  # noqa: E402
from issuers.registry import open_registry  # noqa: E402
from vc.results import CheckResult  # noqa: E402
from vc.status import (  # noqa: E402
    MIN_ENTRIES,
    BitstringStatusList,
    FetchedList,
    StatusChecker,
    TokenStatusList,
    bitstring_status_entry,
    bitstring_status_list_credential,
)

URL = "https://city.example/status/1.json"


class _MemoryFetcher:
    """Serves one list from memory: the benchmark measures the checker, not the network."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def fetch(self, url: str, **_: object) -> FetchedList:
        return FetchedList(url, url, self.body, "application/json", NOW, None)


def _sample_list() -> BitstringStatusList:
    rng = random.Random(7)  # 1% of entries set, at random: a realistic, not trivially compressible list
    return BitstringStatusList.from_statuses(rng.sample(range(MIN_ENTRIES), MIN_ENTRIES // 100))


def _status_rows(kw: dict) -> list[tuple[str, float]]:
    lst = _sample_list()
    encoded = lst.encode()
    doc = bitstring_status_list_credential(url=URL, issuer="did:example:city", purpose="revocation",
                                           status_list=lst, valid_from=NOW - timedelta(days=1), ttl_ms=3_600_000)
    doc["proof"] = {"type": "stub"}
    checker = StatusChecker(fetcher=_MemoryFetcher(json.dumps(doc).encode()),  # type: ignore[arg-type]
                            verify_list_credential=lambda d, at: [CheckResult.ok("proof")])
    credential = {"issuer": "did:example:city",
                  "credentialStatus": bitstring_status_entry(status_list_credential=URL, index=94_567,
                                                             purpose="revocation")}
    assert checker.check_credential(credential, now=NOW)[0].code in (None, "REVOKED")  # warm: fetched once
    token = TokenStatusList.from_statuses({i: 1 for i in lst.set_indexes()}, entries=MIN_ENTRIES, bits=2)
    lst_claim = token.to_claim()
    indexes = itertools.cycle(range(0, MIN_ENTRIES, 7919))
    rows = [
        ("bit read from a decoded list", ops_per_second(lambda: lst.status(next(indexes)), **kw)),
        ("status check, cached 131,072-entry list",
         ops_per_second(lambda: checker.check_credential(credential, now=NOW), **kw)),
        ("decode encodedList (131,072, 1% set)", ops_per_second(lambda: BitstringStatusList.decode(encoded), **kw)),
        ("encode encodedList (GZIP level 9)", ops_per_second(lst.encode, **kw)),
        ("decode Token Status List lst (2 bits)", ops_per_second(lambda: TokenStatusList.from_claim(lst_claim), **kw)),
    ]
    return rows


def _allocation_rate(location: str, kw: dict, **options: object) -> float:
    ids = itertools.count()
    with open_registry(location, base_url="https://city.example/status", **options) as registry:
        return ops_per_second(
            lambda: registry.register(credential_id=f"urn:uuid:{next(ids)}", credential_type="ResidentRecordCredential",
                                      format="eddsa-rdfc-2022"),
            **kw,
        )


def _registry_rows(kw: dict, postgres_url: str | None) -> list[tuple[str, float]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("register, SQLite synchronous=FULL",
                     _allocation_rate(str(Path(tmp) / "full.db"), kw)))
        rows.append(("register, SQLite synchronous=NORMAL",
                     _allocation_rate(str(Path(tmp) / "normal.db"), kw, synchronous="NORMAL")))
    if postgres_url:
        import psycopg

        schema = "jitsuin_bench_" + secrets.token_hex(4)
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        try:
            sep = "&" if "?" in postgres_url else "?"
            rows.append(("register, PostgreSQL",
                         _allocation_rate(f"{postgres_url}{sep}options=-csearch_path%3D{schema}", kw)))
        finally:
            with psycopg.connect(postgres_url, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
    return rows


def main() -> None:
    parser = timing_parser(__doc__)
    parser.add_argument("--postgres", default=os.environ.get("JITSUIN_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    kw = {"seconds": args.seconds}
    baseline = raw_ed25519_sign_rate(**kw)
    rows = _status_rows(kw)
    check_rate = rows[1][1]
    print_table("Status lists (one core)", rows, baseline)
    print(f"status check against the cached list: {1e6 / check_rate:.1f} µs each")
    registry_rows = _registry_rows(kw, args.postgres)
    print_table("Registry: register = 1 credential, 2 random indexes (one process)", registry_rows, baseline)
    if not args.postgres:
        print("PostgreSQL skipped: pass --postgres URL or set JITSUIN_TEST_POSTGRES_URL")


if __name__ == "__main__":
    main()
