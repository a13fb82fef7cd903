"""Sign and verify ops/s for each Data Integrity suite, beside raw Ed25519 sign on the same run.

Run: ``make bench`` or ``.venv/bin/python bench/bench_proofs.py [--seconds 0.5]``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ops_per_second, print_table, raw_ed25519_sign_rate  # noqa: E402
from vc.credentials import issue_credential, verify_credential  # noqa: E402
from vc.keys import KeyPair  # noqa: E402

CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "type": ["VerifiableCredential", "ExampleResidentCredential"],
    "credentialSubject": {
        "id": "did:example:resident",
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
    },
}

SUITES = [("eddsa-rdfc-2022", "Ed25519"), ("eddsa-jcs-2022", "Ed25519"), ("ecdsa-rdfc-2019", "P-256"),
          ("Ed25519Signature2020", "Ed25519")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=0.5)
    args = parser.parse_args()
    kw = {"seconds": args.seconds}
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    baseline = raw_ed25519_sign_rate(**kw)
    rows = []
    for suite, alg in SUITES:
        key = KeyPair.generate(alg)
        signed = issue_credential(CREDENTIAL, key, cryptosuite=suite, now=now)
        assert verify_credential(signed).verified, suite
        rows.append((f"{suite} sign", ops_per_second(lambda: issue_credential(CREDENTIAL, key, cryptosuite=suite, now=now), **kw)))
        rows.append((f"{suite} verify", ops_per_second(lambda: verify_credential(signed), **kw)))
    print_table("Data Integrity proofs (one core, 12-claim credential)", rows, baseline)


if __name__ == "__main__":
    main()
