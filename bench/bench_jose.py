"""vc+jwt sign/verify and SD-JWT VC issue/present/verify (11 selectively disclosable claims), ops/s
beside raw Ed25519 sign on the same run.

Run: ``make bench`` or ``.venv/bin/python bench/bench_jose.py [--seconds 0.5]``.
For comparison, measured on the issue's machine (one core): jwcrypto compact JWS EdDSA 9.5k sign/s,
5.9k verify/s; the reference ``sd-jwt`` package 6.0k issue/s, 5.1k verify/s.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    NOW,
    RESIDENT_CREDENTIAL,
    RESIDENT_SUBJECT,
    ops_per_second,
    print_table,
    raw_ed25519_sign_rate,
    timing_parser,
)
from vc.did import did_key  # noqa: E402
from vc.jose import issue_vc_jwt, verify_vc_jwt  # noqa: E402
from vc.jose.jws import sign_compact, verify_compact  # noqa: E402
from vc.keys import KeyPair  # noqa: E402
from vc.sdjwt import issue_sd_jwt_vc, present_sd_jwt, verify_sd_jwt  # noqa: E402

SD_CLAIMS = list(RESIDENT_SUBJECT)  # 11 selectively disclosable claims


def main() -> None:
    args = timing_parser(__doc__).parse_args()
    kw = {"seconds": args.seconds}
    baseline = raw_ed25519_sign_rate(**kw)
    issuer = KeyPair.generate("Ed25519")
    holder = KeyPair.generate("Ed25519")
    rows = []

    jws = sign_compact({"sub": "x"}, issuer)
    rows.append(("compact JWS EdDSA sign (small payload)", ops_per_second(lambda: sign_compact({"sub": "x"}, issuer), **kw)))
    rows.append(("compact JWS EdDSA verify (small payload)", ops_per_second(lambda: verify_compact(jws, issuer.public), **kw)))

    credential = {**RESIDENT_CREDENTIAL, "issuer": did_key(issuer.public)}
    token = issue_vc_jwt(credential, issuer, now=NOW)
    assert verify_vc_jwt(token, now=NOW).verified
    rows.append(("vc+jwt EdDSA sign", ops_per_second(lambda: issue_vc_jwt(credential, issuer, now=NOW), **kw)))
    rows.append(("vc+jwt EdDSA verify (did:key)", ops_per_second(lambda: verify_vc_jwt(token, now=NOW), **kw)))

    def issue() -> str:
        return issue_sd_jwt_vc(RESIDENT_SUBJECT, issuer, vct="urn:example:resident", sd=SD_CLAIMS, holder_key=holder.public, now=NOW)

    issued = issue()
    shown = present_sd_jwt(issued, disclose=["givenName", "address"], holder_key=holder, aud="https://v.example", nonce="n", now=NOW)
    assert verify_sd_jwt(shown, aud="https://v.example", nonce="n", now=NOW).verified
    rows.append(("SD-JWT VC issue (11 SD claims, EdDSA)", ops_per_second(issue, **kw)))
    rows.append((
        "SD-JWT VC present + KB-JWT (2 of 11)",
        ops_per_second(
            lambda: present_sd_jwt(issued, disclose=["givenName", "address"], holder_key=holder, aud="https://v.example", nonce="n", now=NOW),
            **kw,
        ),
    ))
    rows.append(("SD-JWT VC verify + KB-JWT (2 of 11)", ops_per_second(lambda: verify_sd_jwt(shown, aud="https://v.example", nonce="n", now=NOW), **kw)))
    all_shown = present_sd_jwt(issued)
    rows.append(("SD-JWT VC verify, all 11 disclosed, no KB", ops_per_second(lambda: verify_sd_jwt(all_shown, now=NOW), **kw)))
    print_table("JOSE and SD-JWT (one core; Ed25519 issuer and holder, did:key)", rows, baseline)


if __name__ == "__main__":
    main()
