"""Verifying a 3-credential presentation, in-process and through the verifier service under load.

In-process (ops/s beside raw Ed25519 sign): an OpenID4VP ``vp_token`` of three SD-JWT VCs with KB-JWTs
evaluated against its DCQL request (trust policy, claim filtering), and a Data Integrity presentation of
three credentials (eddsa-rdfc-2022) through ``verifier.verify_presentation``.

Service: the app runs in its own process (uvicorn, 127.0.0.1); a bounded-time load generator (httpx, a
thread pool) posts (1) the Data Integrity presentation to VC-API ``/presentations/verify`` and (2) fresh
OpenID4VP responses (three SD-JWT VCs each, prepared before the clock starts) to their ``response_uri``.
Reported: requests/s and p50/p99 latency.

Run: ``.venv/bin/python bench/bench_verifier.py [--seconds 0.5] [--load-seconds 5] [--concurrency 8]``.
"""

from __future__ import annotations

import json
import multiprocessing
import socket
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from bench.common import ops_per_second, print_table, raw_ed25519_sign_rate, timing_parser  # noqa: E402
from vc.credentials import issue_credential  # noqa: E402
from vc.did import did_key  # noqa: E402
from vc.keys import KeyPair  # noqa: E402
from vc.presentations import issue_presentation  # noqa: E402
from vc.sdjwt import issue_sd_jwt_vc, present_sd_jwt  # noqa: E402
from verifier import Policy, TrustEntry, TrustList, verify_presentation  # noqa: E402
from verifier.requests import VerifierIdentity, credential_query, dcql_query, evaluate_vp_token, new_authorization_request  # noqa: E402

V2 = "https://www.w3.org/ns/credentials/v2"
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
KINDS = {  # query id -> (vct / VCDM type, claims)
    "birth": ("BirthCertificateCredential", {"childName": "山田花子", "birthDate": "2026-03-30", "weightGrams": 3012}),
    "resident": ("ResidentRecordCredential", {"familyName": "山田", "givenName": "陽子", "address": "みどり市中央1-2-3"}),
    "household": ("HouseholdCredential", {"householder": "山田太郎", "members": 3, "relationship": "妻"}),
}
from verifier.service.auth import hash_staff_token  # noqa: E402

BENCH_STAFF_TOKEN = "bench-staff-token-not-a-secret"


class Fixture:
    """Issuers, a holder, the credentials, a trust policy and the DCQL query of the benchmark."""

    def __init__(self) -> None:
        self.issuer = KeyPair.generate("Ed25519")
        self.issuer_did = did_key(self.issuer.public)
        self.holder = KeyPair.generate("Ed25519")
        self.holder_did = did_key(self.holder.public)
        now = datetime.now(timezone.utc)
        self.sd_jwts = {
            qid: issue_sd_jwt_vc(claims, self.issuer, vct=vct, sd=list(claims), holder_key=self.holder.public,
                                 now=now - timedelta(days=1))
            for qid, (vct, claims) in KINDS.items()
        }
        self.di_credentials = [
            issue_credential({"@context": [V2, EXAMPLES], "type": ["VerifiableCredential", vct],
                              "issuer": self.issuer_did, "credentialSubject": {"id": self.holder_did, **claims}},
                             self.issuer, now=now - timedelta(days=1))
            for vct, claims in KINDS.values()
        ]
        types = frozenset(v for v, _ in KINDS.values())
        self.policy = Policy(trust_list=TrustList(entries=(TrustEntry(types=types, did=self.issuer_did),)),
                             subject_must_be_holder=False)
        self.query = dcql_query([
            credential_query(qid, "dc+sd-jwt", vct_values=[vct], claims=[[name] for name in list(claims)[:2]])
            for qid, (vct, claims) in KINDS.items()
        ])

    def sd_vp_token(self, client_id: str, nonce: str) -> dict[str, list[str]]:
        return {
            qid: [present_sd_jwt(token, disclose=[[name] for name in list(KINDS[qid][1])[:2]], holder_key=self.holder,
                                 aud=client_id, nonce=nonce)]
            for qid, token in self.sd_jwts.items()
        }

    def di_presentation(self, challenge: str, domain: str) -> dict[str, Any]:
        return issue_presentation(self.di_credentials, self.holder, challenge=challenge, domain=domain)


# --- the service in its own process ------------------------------------------------------------


def _serve(sock: socket.socket, base_url: str, policy: Policy) -> None:
    import uvicorn

    from verifier.service import ServiceSettings, create_app

    settings = ServiceSettings(VerifierIdentity(base_url), staff_tokens=(hash_staff_token(BENCH_STAFF_TOKEN),))
    app = create_app(settings, policy=policy, vcapi_policy=policy)
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")).run(sockets=[sock])


def _start_service(policy: Policy) -> tuple[multiprocessing.Process, str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    process = multiprocessing.get_context("fork").Process(target=_serve, args=(sock, base_url, policy), daemon=True)
    process.start()
    sock.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(base_url + "/openapi.json", timeout=1).status_code == 200:
                return process, base_url
        except httpx.HTTPError:
            time.sleep(0.05)
    process.terminate()
    raise RuntimeError("the verifier service did not start")


def _load(send: Any, *, seconds: float, concurrency: int, limit: int | None = None) -> dict[str, float]:
    """Call ``send(client, i)`` from ``concurrency`` threads until ``seconds`` pass (or ``limit`` calls)."""
    latencies: list[float] = []
    failures = 0
    counter = iter(range(limit if limit is not None else 10**12))
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal failures
        with httpx.Client(timeout=60) as client:
            while time.perf_counter() < stop_at:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                start = time.perf_counter()
                ok = send(client, i)
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    failures += 0 if ok else 1

    began = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for f in [pool.submit(worker) for _ in range(concurrency)]:
            f.result()
    wall = time.perf_counter() - began
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else latencies * 99
    return {"requests": len(latencies), "failures": failures, "rps": len(latencies) / wall,
            "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000}


def main() -> None:
    parser = timing_parser(__doc__)
    parser.add_argument("--load-seconds", type=float, default=5.0, help="duration of each load run")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--responses", type=int, default=300, help="OpenID4VP responses prepared for the load run")
    args = parser.parse_args()
    fx = Fixture()
    kw = {"seconds": args.seconds}
    baseline = raw_ed25519_sign_rate(**kw)

    identity = VerifierIdentity("https://verifier.example.jp")
    request = new_authorization_request(identity, fx.query)
    vp_token = fx.sd_vp_token(request.client_id, request.nonce)
    outcome = evaluate_vp_token(request, vp_token, policy=fx.policy)
    assert outcome.verified, outcome.codes
    vp = fx.di_presentation("c-1", "verifier.example.jp")
    checked = verify_presentation(vp, policy=fx.policy, challenge="c-1", domain="verifier.example.jp")
    assert checked.verified, checked.codes
    rows = [
        ("OID4VP vp_token: 3 SD-JWT VC+KB, policy", ops_per_second(
            lambda: evaluate_vp_token(request, vp_token, policy=fx.policy), **kw)),
        ("OID4VP vp_token: 3 SD-JWT VC+KB, core only", ops_per_second(
            lambda: evaluate_vp_token(request, vp_token), **kw)),
        ("DI VP of 3 credentials, policy", ops_per_second(
            lambda: verify_presentation(vp, policy=fx.policy, challenge="c-1", domain="verifier.example.jp"), **kw)),
    ]
    print_table("verifier, in-process (3-credential presentations)", rows, baseline)

    process, base_url = _start_service(fx.policy)
    try:
        body = json.dumps({"verifiablePresentation": vp, "options": {"challenge": "c-1", "domain": "verifier.example.jp"}})

        def vcapi(client: httpx.Client, _: int) -> bool:
            answer = client.post(base_url + "/presentations/verify", content=body,
                                 headers={"content-type": "application/json"})
            return answer.status_code == 200

        # OpenID4VP: requests created and request objects fetched before the clock starts
        prepared = []
        with httpx.Client(timeout=60) as client:
            for _ in range(args.responses):
                created = client.post(base_url + "/requests", json={"dcql_query": fx.query},
                                      headers={"Authorization": f"Bearer {BENCH_STAFF_TOKEN}"}).json()
                jwt = client.get(created["request_uri"]).text
                params = json.loads(_b64(jwt.split(".")[1]))
                form = {"vp_token": json.dumps(fx.sd_vp_token(params["client_id"], params["nonce"])), "state": params["state"]}
                prepared.append((params["response_uri"], form))

        def oid4vp(client: httpx.Client, i: int) -> bool:
            uri, form = prepared[i]
            return client.post(uri, data=form).status_code == 200

        results = [
            ("VC-API /presentations/verify (DI VP, 3 credentials)",
             _load(vcapi, seconds=args.load_seconds, concurrency=args.concurrency)),
            ("OpenID4VP direct_post (3 SD-JWT VC+KB)",
             _load(oid4vp, seconds=args.load_seconds, concurrency=args.concurrency, limit=len(prepared))),
        ]
    finally:
        process.terminate()
        process.join(10)
    print(f"\nverifier service on 127.0.0.1, one worker process, {args.concurrency} client threads, "
          f"up to {args.load_seconds:g} s each")
    print(f"{'endpoint':<52} {'requests':>8} {'failed':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, r in results:
        print(f"{name:<52} {r['requests']:>8.0f} {r['failures']:>6.0f} {r['rps']:>8.1f} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f}")


def _b64(segment: str) -> bytes:
    from vc.encoding.base64url import b64url_decode

    return b64url_decode(segment)


if __name__ == "__main__":
    main()
