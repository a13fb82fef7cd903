"""A batch killed with SIGKILL mid-run, then run again: every row issued exactly once, no status index reused."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from issuers.batch import run_batch
from issuers.workspace import Workspace
from tests.issuers.batch.batch_support import student, write_csv
from tests.issuers.workspace.workspace_support import check, failures

ROOT = Path(__file__).resolve().parents[3]
ROWS = 600


def _start(ws: Workspace, source: Path, out: Path, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), JITSUIN_WORKSPACE=str(ws.path))
    args = [sys.executable, "-m", "cli.main", "batch", "SchoolEnrollment", str(source), "--out", str(out),
            "--key-column", "studentNumber", "--format", "eddsa-rdfc-2022", "--workers", str(workers), "--quiet"]
    # its own session: the kill reaches the worker processes too, as a crash or an OOM kill would
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def _wait_for_output(process: subprocess.Popen[bytes], out: Path, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the batch ended before it could be killed: {process.stderr.read().decode()[-2000:]}")
        written = len([p for p in out.glob("*.json")]) if out.is_dir() else 0
        if written:
            return written
        time.sleep(0.01)
    pytest.fail("the batch wrote nothing in time")


@pytest.mark.parametrize("workers", [1, 2])
def test_killed_batch_resumes_and_issues_every_row_exactly_once(school: Workspace, tmp_path: Path,
                                                                 workers: int) -> None:
    source = write_csv(tmp_path / "students.csv", [student(i) for i in range(ROWS)])
    out = tmp_path / "out"
    victim = _start(school, source, out, workers)
    _wait_for_output(victim, out)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    assert victim.returncode == -signal.SIGKILL
    written_before = len(list(out.glob("*.json")))
    assert 0 < written_before < ROWS  # really interrupted mid-run

    report = run_batch(school, "SchoolEnrollment", source, out_dir=out, key_column="studentNumber",
                       format="eddsa-rdfc-2022", workers=1)
    assert report.failed == ()
    assert report.already_done == written_before
    assert report.issued == ROWS - written_before

    files = sorted(out.iterdir())
    assert len(files) == ROWS and not [f for f in files if f.name.startswith(".")]
    credentials = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    numbers = [c["credentialSubject"]["studentNumber"] for c in credentials]
    assert sorted(numbers) == [f"S{i:05d}" for i in range(ROWS)]  # every row, once
    ids = {c["id"] for c in credentials}
    entries = [(e["statusListCredential"], e["statusListIndex"]) for c in credentials for e in c["credentialStatus"]]
    assert len(ids) == ROWS and len(set(entries)) == 2 * ROWS  # no id, no status index handed out twice

    with sqlite3.connect(school.path / "registry.db") as conn:
        registered = {row[0] for row in conn.execute("SELECT credential_id FROM credentials")}
    assert registered == ids  # nothing registered that did not end up issued, nothing issued unregistered
    for credential in credentials[:: ROWS // 5]:
        result = check(school, credential, status=False, now=datetime.now(timezone.utc))  # signed on the real clock
        assert result.verified, failures(result)

    again = run_batch(school, "SchoolEnrollment", source, out_dir=out, key_column="studentNumber",
                      format="eddsa-rdfc-2022", workers=1)
    assert (again.issued, again.already_done) == (0, ROWS)
