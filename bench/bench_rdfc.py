"""RDFC-1.0 canonicalization and the rdfc cryptosuites: pyld path vs jitsuin's fast path vs Node.

    .venv/bin/python bench/bench_rdfc.py [--seconds 1] [--repeat 3] [--no-node] [--json]

On a 16-claim resident certificate (``bench/data/``) it prints operations per second for:

- canonicalization: pyld's full algorithm (to_rdf + URDNA2015, what jitsuin did before), pyld's to_rdf with
  jitsuin's RDFC-1.0, and ``vc.canon.canonize`` (the compiled fast path);
- ``issue_credential`` / ``verify_credential`` with eddsa-rdfc-2022 and ecdsa-rdfc-2019 (P-256), the old
  path (canonicalization through pyld) beside the new one;
- raw Ed25519 sign/verify, for scale;
- with ``node`` on the PATH: Digital Bazaar's stack (``vc.issue`` / ``vc.verifyCredential`` with the same
  cryptosuites, ``jsonld.canonize``) on the same credential and contexts, installed from the npm registry
  into ``.bench-cache/node`` on first use (``bench/node/package.json`` pins the versions).

Each figure is the best of ``--repeat`` runs of ``--seconds`` each (the machine may be shared), and Python
and Node runs alternate so both see the same load. Targets (issue 9): issue >= 10x and verify >= 6x Node.
Last, where the time of one ``issue_credential`` goes, step by step, measured in place (a step timed alone
runs faster: in a loop of issuances canonicalization and signing evict each other from the CPU caches).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pyld.canon import URDNA2015  # noqa: E402

import vc.proofs.suite as proof_suite  # noqa: E402
from vc.canon import canonize, canonize_full  # noqa: E402
from vc.credentials import issue_credential, verify_credential  # noqa: E402
from vc.did import default_resolver  # noqa: E402
from vc.jsonld import DocumentLoader  # noqa: E402
from vc.jsonld.processing import to_dataset  # noqa: E402
from vc.keys import KeyPair  # noqa: E402

DATA = ROOT / "bench" / "data"
NODE_SRC = ROOT / "bench" / "node"
NODE_CACHE = ROOT / ".bench-cache" / "node"
CONTEXTS = ROOT / "vc" / "jsonld" / "contexts"
RESIDENT_CONTEXT = "https://jitsuin.example/contexts/resident/v1"
NOW = datetime(2026, 5, 1, tzinfo=timezone.utc)

# what jitsuin measured for Node on its reference machine when the issue was filed (issue 9)
ISSUE_NODE_FIGURES = {"issue": 783.0, "verify": 942.0}
ISSUE_RAW_SIGN = 58_500.0  # raw Ed25519 signatures per second (pynacl) on that machine, for scale


def rate(fn: Callable[[], Any], *, seconds: float) -> float:
    """Calls per second of ``fn`` over about ``seconds`` (after a short warm-up)."""
    for _ in range(5):
        fn()
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    now = start
    while now < deadline:
        fn()
        count += 1
        now = time.perf_counter()
    return count / (now - start)


def pyld_canonize(doc: Any, *, loader: Any = None, safe: bool = False) -> str:
    """jitsuin's canonize before vc.canon: pyld to_rdf, then pyld's URDNA2015."""
    return URDNA2015().main(to_dataset(doc, loader=loader, safe=safe), {"format": "application/n-quads"})


@contextlib.contextmanager
def old_path() -> Iterator[None]:
    """Make the cryptosuites canonicalize through pyld, as before vc.canon existed."""
    saved = proof_suite.canonize, proof_suite.canonize_varying
    proof_suite.canonize = lambda doc, max_work_factor=None, **kw: pyld_canonize(doc, **kw)
    proof_suite.canonize_varying = lambda doc, _varying, **kw: pyld_canonize(doc, **kw)
    try:
        yield
    finally:
        proof_suite.canonize, proof_suite.canonize_varying = saved


def make_loader() -> DocumentLoader:
    loader = DocumentLoader()
    loader.register(RESIDENT_CONTEXT, (DATA / "resident-v1.jsonld").read_bytes())
    return loader


def python_figures(seconds: float) -> dict[str, float]:
    loader = make_loader()
    resolver = default_resolver()
    credential = json.loads((DATA / "resident-credential.json").read_text(encoding="utf-8"))
    credential.pop("issuer", None)  # issue_credential fills in the key's did:key
    unsigned = {**credential, "issuer": "did:example:issuer"}
    assert canonize(unsigned, loader=loader, safe=True) == pyld_canonize(unsigned, loader=loader, safe=True)

    out: dict[str, float] = {}
    out["canonize pyld"] = rate(lambda: pyld_canonize(unsigned, loader=loader, safe=True), seconds=seconds)
    out["canonize pyld+rdfc10"] = rate(lambda: canonize_full(unsigned, loader=loader, safe=True), seconds=seconds)
    out["canonize fast"] = rate(lambda: canonize(unsigned, loader=loader, safe=True), seconds=seconds)

    for suite, alg in (("eddsa-rdfc-2022", "Ed25519"), ("ecdsa-rdfc-2019", "P-256")):
        key = KeyPair.generate(alg)

        def issue(key: KeyPair = key, suite: str = suite) -> dict[str, Any]:
            return issue_credential(credential, key, cryptosuite=suite, now=NOW, loader=loader)

        signed = issue()

        def verify(signed: dict[str, Any] = signed) -> None:
            result = verify_credential(signed, resolver=resolver, loader=loader, now=NOW)
            if not result.verified:
                raise AssertionError(f"{suite}: the credential did not verify: {result}")

        verify()
        with old_path():
            verify(issue())  # what the old path signs, the new one verifies: the same bytes are signed
            out[f"{suite} issue old"] = rate(issue, seconds=seconds)
            out[f"{suite} verify old"] = rate(verify, seconds=seconds)
        out[f"{suite} issue new"] = rate(issue, seconds=seconds)
        out[f"{suite} verify new"] = rate(verify, seconds=seconds)

    key = KeyPair.generate("Ed25519")
    message = b"\x01" * 64
    signature = key.sign(message)
    out["raw Ed25519 sign"] = rate(lambda: key.sign(message), seconds=seconds)
    out["raw Ed25519 verify"] = rate(lambda: key.public.verify(signature, message), seconds=seconds)
    return out


# the steps of a signature, as the cryptosuites call them (vc.proofs.suite), timed inside issue_credential
_STEPS = (("transform", "canonicalize the document"), ("canonize_config", "canonicalize the proof configuration"),
          ("hash", "hash"), ("serialize_proof", "sign"))


def issue_breakdown(count: int = 2000) -> dict[str, dict[str, float]]:
    """Suite -> step -> microseconds per issue_credential, measured in place (the steps share the CPU caches)."""
    loader = make_loader()
    credential = json.loads((DATA / "resident-credential.json").read_text(encoding="utf-8"))
    credential.pop("issuer", None)
    out: dict[str, dict[str, float]] = {}
    for suite, alg in (("eddsa-rdfc-2022", "Ed25519"), ("ecdsa-rdfc-2019", "P-256")):
        key = KeyPair.generate(alg)
        spent = dict.fromkeys([name for name, _ in _STEPS] + ["encode"], 0)
        own = proof_suite.RdfcCryptosuite.__dict__
        saved = {name: own.get(name) for name, _ in _STEPS}  # None: inherited from Cryptosuite
        saved_encode = proof_suite.encode_base58btc

        def timed(step: str, fn: Callable[..., Any]) -> Callable[..., Any]:
            def run(*args: Any, **kwargs: Any) -> Any:
                start = time.perf_counter_ns()
                try:
                    return fn(*args, **kwargs)
                finally:
                    spent[step] += time.perf_counter_ns() - start
            return run

        for _ in range(200):
            issue_credential(credential, key, cryptosuite=suite, now=NOW, loader=loader)
        try:
            for name, _ in _STEPS:
                setattr(proof_suite.RdfcCryptosuite, name, timed(name, getattr(proof_suite.RdfcCryptosuite, name)))
            proof_suite.encode_base58btc = timed("encode", saved_encode)
            start = time.perf_counter_ns()
            for _ in range(count):
                issue_credential(credential, key, cryptosuite=suite, now=NOW, loader=loader)
            total = time.perf_counter_ns() - start
        finally:
            for name, fn in saved.items():
                if fn is None:
                    delattr(proof_suite.RdfcCryptosuite, name)
                else:
                    setattr(proof_suite.RdfcCryptosuite, name, fn)
            proof_suite.encode_base58btc = saved_encode
        steps = {name: spent[name] / count / 1000 for name in spent}
        steps["everything else"] = total / count / 1000 - sum(steps.values())
        out[suite] = steps
    return out


# --- Node ---------------------------------------------------------------------------------------


def node_ready() -> bool:
    """Install bench/node's packages into .bench-cache/node (once); False when node/npm are missing."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return False
    NODE_CACHE.mkdir(parents=True, exist_ok=True)
    package = (NODE_SRC / "package.json").read_text(encoding="utf-8")
    # the marker is written only after npm succeeds, so an interrupted install is redone, not trusted
    marker = NODE_CACHE / ".installed-package.json"
    if not (NODE_CACHE / "node_modules").is_dir() or not marker.exists() or marker.read_text() != package:
        (NODE_CACHE / "package.json").write_text(package, encoding="utf-8")
        print("installing Digital Bazaar's packages from npm into .bench-cache/node ...", file=sys.stderr)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_CACHE,
                       check=True, stdout=subprocess.DEVNULL)
        marker.write_text(package, encoding="utf-8")
    shutil.copyfile(NODE_SRC / "bench.mjs", NODE_CACHE / "bench.mjs")
    return True


def node_figures(seconds: float) -> dict[str, Any]:
    manifest = json.loads((CONTEXTS / "manifest.json").read_text(encoding="utf-8"))
    contexts = {c["url"]: json.loads((CONTEXTS / c["file"]).read_text(encoding="utf-8")) for c in manifest["contexts"]}
    contexts[RESIDENT_CONTEXT] = json.loads((DATA / "resident-v1.jsonld").read_text(encoding="utf-8"))
    credential = json.loads((DATA / "resident-credential.json").read_text(encoding="utf-8"))
    config = {"credential": credential, "contexts": contexts, "seconds": seconds}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(config, handle)
    try:
        done = subprocess.run(["node", "bench.mjs", handle.name], cwd=NODE_CACHE, check=True,
                              capture_output=True, text=True)
    finally:
        Path(handle.name).unlink()
    return json.loads(done.stdout)


def flatten_node(result: dict[str, Any]) -> dict[str, float]:
    out = {"canonize node": result["canonize"]}
    for suite in ("eddsa-rdfc-2022", "ecdsa-rdfc-2019"):
        out[f"{suite} issue node"] = result[suite]["issue"]
        out[f"{suite} verify node"] = result[suite]["verify"]
    return out


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    return {name: max(run[name] for run in runs) for name in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=1.0, help="time per measurement (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is kept (default 3)")
    parser.add_argument("--no-node", action="store_true", help="skip the Node comparison")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    with_node = not args.no_node and node_ready()
    python_runs, node_runs = [], []
    versions: dict[str, Any] = {}
    for _ in range(max(1, args.repeat)):
        python_runs.append(python_figures(args.seconds))
        if with_node:
            result = node_figures(args.seconds)
            versions = {"node": result["node"], **result["versions"]}
            node_runs.append(flatten_node(result))
    figures = best(python_runs)
    if node_runs:
        figures.update(best(node_runs))

    if args.json:
        print(json.dumps({"figures": figures, "node_versions": versions}, indent=2))
        return
    print(f"16-claim resident certificate, best of {args.repeat} x {args.seconds:g} s; ops/s\n")
    print("canonicalization (RDFC-1.0, safe mode)")
    for name in ("canonize pyld", "canonize pyld+rdfc10", "canonize fast", "canonize node"):
        if name in figures:
            print(f"  {name.removeprefix('canonize '):<14}{figures[name]:>10,.0f}")
    print(f"  fast / pyld   {figures['canonize fast'] / figures['canonize pyld']:>10.1f}x")
    for suite in ("eddsa-rdfc-2022", "ecdsa-rdfc-2019"):
        print(f"\n{suite} (issue_credential / verify_credential; Node: vc.issue / vc.verifyCredential)")
        print(f"  {'':<8}{'old':>10}{'new':>10}{'node':>10}{'new/node':>10}")
        for op in ("issue", "verify"):
            old, new = figures[f"{suite} {op} old"], figures[f"{suite} {op} new"]
            node = figures.get(f"{suite} {op} node")
            tail = f"{node:>10,.0f}{new / node:>9.1f}x" if node else ""
            print(f"  {op:<8}{old:>10,.0f}{new:>10,.0f}{tail}")
    ed = "eddsa-rdfc-2022"
    print(f"\nraw Ed25519 (pynacl): sign {figures['raw Ed25519 sign']:,.0f}/s, "
          f"verify {figures['raw Ed25519 verify']:,.0f}/s")
    print(f"against the Node figures issue 9 quotes from its own machine ({ISSUE_NODE_FIGURES['issue']:.0f} issue/s, "
          f"{ISSUE_NODE_FIGURES['verify']:.0f} verify/s; raw Ed25519 sign {ISSUE_RAW_SIGN:,.0f}/s there): issue "
          f"{figures[f'{ed} issue new'] / ISSUE_NODE_FIGURES['issue']:.1f}x, verify "
          f"{figures[f'{ed} verify new'] / ISSUE_NODE_FIGURES['verify']:.1f}x (the side-by-side ratios above are "
          "the measure)")
    labels = dict(_STEPS) | {"encode": "base58 of the signature"}
    for suite, steps in issue_breakdown().items():
        total = sum(steps.values())
        print(f"\nwhere one {suite} issue_credential spends its {total:,.0f} us (measured in place)")
        for name, spent in steps.items():
            print(f"  {labels.get(name, name):<38}{spent:>8.1f} us {100 * spent / total:>4.0f}%")
    if versions:
        print("node: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    elif not args.no_node:
        print("node/npm not found: no Node comparison")


if __name__ == "__main__":
    main()
