"""Sign and verify ops/s for each Data Integrity suite, beside raw Ed25519 sign on the same run.

Run: ``make bench`` or ``.venv/bin/python bench/bench_proofs.py [--seconds 0.5]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    NOW,
    RESIDENT_CREDENTIAL,
    ops_per_second,
    print_table,
    raw_ed25519_sign_rate,
    timing_parser,
)
from vc.credentials import issue_credential, verify_credential  # noqa: E402
from vc.keys import KeyPair  # noqa: E402

SUITES = [("eddsa-rdfc-2022", "Ed25519"), ("eddsa-jcs-2022", "Ed25519"), ("ecdsa-rdfc-2019", "P-256"),
          ("Ed25519Signature2020", "Ed25519")]


def main() -> None:
    args = timing_parser(__doc__).parse_args()
    kw = {"seconds": args.seconds}
    baseline = raw_ed25519_sign_rate(**kw)
    rows = []
    for suite, alg in SUITES:
        key = KeyPair.generate(alg)
        signed = issue_credential(RESIDENT_CREDENTIAL, key, cryptosuite=suite, now=NOW)
        assert verify_credential(signed).verified, suite
        rows.append((f"{suite} sign", ops_per_second(lambda: issue_credential(RESIDENT_CREDENTIAL, key, cryptosuite=suite, now=NOW), **kw)))
        rows.append((f"{suite} verify", ops_per_second(lambda: verify_credential(signed), **kw)))
    print_table("Data Integrity proofs (one core, 12-claim credential)", rows, baseline)


if __name__ == "__main__":
    main()
