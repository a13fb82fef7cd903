"""Batch issuance end to end: CSV rows -> validated claims -> registry (status indexes) -> signed credentials
-> JSON Lines, on N worker processes, in credentials/s per format beside raw Ed25519 sign on the same run.

Everything a real run does is inside the timing: reading and checking every row, registering each credential
in the SQLite registry (synchronous=FULL, one transaction per chunk of rows), signing, recording the signing
key, writing the output with fsync per chunk.

Run: ``.venv/bin/python bench/bench_batch.py [--rows 100000] [--workers 2] [--formats dc+sd-jwt,vc+jwt]``
(``--rows 5000`` for a quick look; the default is the 100k of the annual run).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import raw_ed25519_sign_rate  # noqa: E402
from issuers.batch import run_batch  # noqa: E402
from issuers.workspace import Workspace, format_names  # noqa: E402

NOW = datetime(2026, 4, 1, tzinfo=timezone.utc)
HEADER = ["studentNumber", "familyName", "givenName", "familyNameKana", "givenNameKana", "birthDate", "sex",
          "school.name", "schoolType", "grade", "enrolledSince", "enrollmentStatus"]
ED25519_FORMATS = ["dc+sd-jwt", "vc+jwt", "eddsa-rdfc-2022", "eddsa-jcs-2022"]


def write_rows(path: Path, count: int) -> None:
    """``count`` enrolment rows for one school year (12 claims each, 3 of them nested or typed)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(count):
            writer.writerow([f"S{i:07d}", "山田", "太郎", "ヤマダ", "タロウ", f"20{10 + i % 6}-05-20", str(1 + i % 2),
                             "千代田区立霞が関小学校", "小学校", str(1 + i % 6), "2020-04-01", "在学"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows per format (default 100000)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2: this machine's cores)")
    parser.add_argument("--formats", default=",".join(ED25519_FORMATS),
                        help=f"comma-separated, from {', '.join(format_names())} (Ed25519 ones)")
    args, _ = parser.parse_known_args(argv)  # bench/run.py passes its own flags (e.g. --seconds) to every script
    formats = [f for f in args.formats.split(",") if f]

    baseline = raw_ed25519_sign_rate(seconds=0.3)
    root = Path(tempfile.mkdtemp(prefix="jitsuin-bench-batch-"))
    try:
        source = root / "students.csv"
        write_rows(source, args.rows)
        workspace = Workspace.init(root / "ws", name="Bench School", did_web="school.example.jp", unencrypted=True,
                                   now=NOW)
        print(f"\nBatch issuance, {args.rows:,} rows per format, {args.workers} worker process(es), end to end")
        print(f"{'format':<20} {'credentials/s':>14} {'seconds':>9} {'vs raw Ed25519 sign':>20}")
        print(f"{'raw Ed25519 sign':<20} {baseline:>14,.0f} {'':>9} {'1.00x':>20}")
        with workspace:
            for fmt in formats:
                started = time.perf_counter()
                report = run_batch(workspace, "SchoolEnrollment", source, format=fmt, workers=args.workers,
                                   key_column="studentNumber", out_jsonl=root / f"{fmt}.jsonl", now=NOW)
                seconds = time.perf_counter() - started
                if report.failed or report.issued != args.rows:
                    print(f"{fmt}: {report.issued} issued, {len(report.failed)} failed: {report.failed[:3]}")
                    return 1
                rate = report.issued / seconds
                print(f"{fmt:<20} {rate:>14,.0f} {seconds:>9.1f} {rate / baseline:>19.4f}x", flush=True)
                (root / f"{fmt}.jsonl").unlink()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
