"""Run the Node side of the interop tests: Digital Bazaar's VC stack, ``jose`` and sd-jwt-js.

The packages (pinned in ``bench/node/package.json``) are installed from the npm registry into
``.bench-cache/node`` on first use by the bench's installer (``bench.bench_rdfc.node_ready``); the
scripts in ``tests/interop/node/`` are copied beside them (bare imports resolve from there).
Each test module runs Node once: every case goes in one JSON file, every answer comes back as one
JSON object on stdout.

Without node/npm, or when the install fails, the tests skip with the reason; with the ``CI``
environment variable set they fail instead (CI must run them).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[2]
# plain `pytest` (unlike `python -m pytest`) leaves the checkout, hence bench/, off sys.path
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from bench.bench_rdfc import NODE_CACHE, NODE_SRC, node_ready  # noqa: E402

__all__ = ["bundled_contexts", "run_node"]

SCRIPTS = Path(__file__).resolve().parent / "node"
SCRIPT_DIR = NODE_CACHE / "interop"  # under the cache, so node finds ../node_modules
CONTEXTS = ROOT / "vc" / "jsonld" / "contexts"

MIN_NODE = 20  # @sd-jwt/sd-jwt-vc's engines
NODE_TIMEOUT = 180  # seconds for one batch; a batch takes a few seconds


def unavailable(reason: str) -> NoReturn:
    """Skip on a developer machine; fail under CI, where the interop tests must run."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"{reason} (the CI environment variable is set, so the interop tests must run)", pytrace=False)
    pytest.skip(reason)


def bundled_contexts() -> dict[str, Any]:
    """URL -> document for every context in jitsuin's bundle (vc/jsonld/contexts/manifest.json)."""
    manifest = json.loads((CONTEXTS / "manifest.json").read_text(encoding="utf-8"))
    return {c["url"]: json.loads((CONTEXTS / c["file"]).read_text(encoding="utf-8")) for c in manifest["contexts"]}


@contextlib.contextmanager
def _install_lock() -> Iterator[None]:
    """One installer at a time across processes (two test runs may start together)."""
    NODE_CACHE.parent.mkdir(parents=True, exist_ok=True)
    with open(NODE_CACHE.parent / "node-install.lock", "w") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: no lock, installs are rare
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _missing_packages() -> list[str]:
    """Pinned packages that node_modules lacks or holds at another version."""
    pinned = json.loads((NODE_SRC / "package.json").read_text(encoding="utf-8"))["dependencies"]
    missing = []
    for name, version in pinned.items():
        installed = NODE_CACHE / "node_modules" / name / "package.json"
        try:
            found = json.loads(installed.read_text(encoding="utf-8")).get("version")
        except (OSError, ValueError):
            found = None
        if found != version:
            missing.append(f"{name}@{version}")
    return missing


def _check_node_version() -> None:
    done = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True, timeout=60)
    major = int(done.stdout.strip().lstrip("v").split(".")[0])
    if major < MIN_NODE:
        unavailable(f"node {done.stdout.strip()} is too old: the interop packages need Node.js >= {MIN_NODE}")


def _install_needed() -> bool:
    installed = NODE_CACHE / ".installed-package.json"  # written by the bench's installer once npm succeeded
    source = (NODE_SRC / "package.json").read_text(encoding="utf-8")
    return not installed.exists() or installed.read_text(encoding="utf-8") != source or bool(_missing_packages())


def _check_registry() -> None:
    # npm retries an unreachable registry for minutes; one ping without retries tells at once
    done = subprocess.run(["npm", "ping", "--fetch-retries=0"], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        unavailable(f"the npm registry is unreachable, so the Node packages cannot be installed:\n{done.stderr[-600:]}")


def _install() -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        unavailable("node or npm is not on the PATH: the interop tests need Node.js (>= 20) and npm")
    try:
        _check_node_version()
        with _install_lock():
            if _install_needed():
                _check_registry()
                # a half-installed cache (packages missing) must not pass for a complete one
                (NODE_CACHE / ".installed-package.json").unlink(missing_ok=True)
            node_ready()
    except (OSError, subprocess.SubprocessError) as err:
        unavailable(f"installing the Node packages of bench/node/package.json into {NODE_CACHE} failed: {err}")
    missing = _missing_packages()
    if missing:
        unavailable(f"npm did not install {', '.join(missing)} into {NODE_CACHE}; delete that folder and rerun")
    SCRIPT_DIR.mkdir(exist_ok=True)
    for script in SCRIPTS.glob("*.mjs"):
        shutil.copyfile(script, SCRIPT_DIR / script.name)


def run_node(script: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Run ``tests/interop/node/<script>`` once on ``payload``; its JSON answer.

    Installs the Node packages first when they are missing (skip, or fail under CI, when that cannot be done).
    """
    _install()
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as handle:
        json.dump(payload, handle, ensure_ascii=False)
    try:
        done = subprocess.run(["node", str(SCRIPT_DIR / script), handle.name], cwd=SCRIPT_DIR,
                              capture_output=True, text=True, encoding="utf-8", timeout=NODE_TIMEOUT)
    finally:
        Path(handle.name).unlink()
    if done.returncode != 0:
        if "ERR_MODULE_NOT_FOUND" in done.stderr:
            unavailable(f"a Node package is missing from {NODE_CACHE}; delete that folder and rerun:\n{done.stderr}")
        raise AssertionError(f"node {script} failed (exit {done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)
