"""Several processes issuing at once, and a process killed with SIGKILL mid-batch, on both backends; one
credential per transaction (``register``) and a chunk per transaction (``register_many``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from issuers.registry import open_registry

WORKER = Path(__file__).with_name("registry_worker.py")
ROOT = Path(__file__).parents[3]
PROCESSES = 4
PER_PROCESS = 500  # 4 x 500 credentials x 2 purposes = 4,000 indexes handed out concurrently


def _spawn(location: str, prefix: str, count: int, go_file: Path | None = None, *, chunk: int = 1,
           keys: str | None = None) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    args = [sys.executable, str(WORKER), location, prefix, str(count)] + ([str(go_file)] if go_file else [])
    args += ["--chunk", str(chunk)] + (["--keys", keys] if keys else [])
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def _parse(lines: list[str]) -> dict[str, set[tuple[str, int, int]]]:
    out = {}
    for line in lines:
        if line.endswith("\n"):  # a line cut by SIGKILL is not a report of a commit
            cred, entries = json.loads(line)
            out[cred] = {(p, lst, idx) for p, lst, idx in entries}
    return out


def _db_entries(raw_db) -> dict[str, set[tuple[str, int, int]]]:
    out: dict[str, set[tuple[str, int, int]]] = {}
    for cred, purpose, list_id, idx in raw_db.rows(
        "SELECT credential_id, purpose, list_id, idx FROM status_entries"
    ):
        out.setdefault(cred, set()).add((purpose, int(list_id), int(idx)))
    return out


def _assert_consistent(raw_db) -> None:
    allocated = {int(r[0]): int(r[1]) for r in raw_db.rows("SELECT id, allocated FROM status_lists")}
    counts = raw_db.rows("SELECT list_id, COUNT(*) FROM status_entries GROUP BY list_id")
    counted = {int(r[0]): int(r[1]) for r in counts}
    assert allocated == counted
    slots = raw_db.rows("SELECT list_id, idx FROM status_entries")
    assert len(slots) == len(set(slots))


@pytest.mark.parametrize("chunk", [1, 25], ids=["register", "register_many"])
def test_processes_issuing_at_once_never_share_an_index(registry_location: str, raw_db, tmp_path: Path,
                                                         chunk: int) -> None:
    go = tmp_path / "go"
    # nobody migrated the database yet: the workers also race to create the schema
    workers = [_spawn(registry_location, f"p{n}", PER_PROCESS, go, chunk=chunk) for n in range(PROCESSES)]
    go.touch()
    reported: dict[str, set[tuple[str, int, int]]] = {}
    for worker in workers:
        out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err
        reported |= _parse(out.splitlines(keepends=True))
    assert len(reported) == PROCESSES * PER_PROCESS
    handed_out = [(lst, idx) for entries in reported.values() for _, lst, idx in entries]
    assert len(handed_out) == 2 * PROCESSES * PER_PROCESS
    assert len(set(handed_out)) == len(handed_out), "an index was handed out twice"
    assert _db_entries(raw_db) == reported
    _assert_consistent(raw_db)


def test_sigkill_mid_batch_loses_no_commit_and_never_reuses_an_index(registry_location: str, raw_db) -> None:
    open_registry(registry_location).close()
    victim = _spawn(registry_location, "killed", 1_000_000)
    assert victim.stdout is not None
    lines = [victim.stdout.readline() for _ in range(300)]
    victim.send_signal(signal.SIGKILL)  # mid-batch: almost always inside a transaction
    rest, _ = victim.communicate(timeout=60)
    assert victim.returncode == -signal.SIGKILL
    committed = _parse(lines + rest.splitlines(keepends=True))
    assert len(committed) >= 300

    stored = _db_entries(raw_db)
    for cred, entries in committed.items():
        assert stored.get(cred) == entries, f"committed registration {cred} was lost or changed"
    # at most the one registration that committed before its line was printed is unreported
    assert len(set(stored) - set(committed)) <= 1

    survivor = _spawn(registry_location, "after", 400)
    out, err = survivor.communicate(timeout=120)
    assert survivor.returncode == 0, err
    after = _parse(out.splitlines(keepends=True))
    before_slots = {(lst, idx) for entries in stored.values() for _, lst, idx in entries}
    after_slots = {(lst, idx) for entries in after.values() for _, lst, idx in entries}
    assert len(after_slots) == 2 * 400
    assert not before_slots & after_slots, "an index was reused after the restart"
    final = _db_entries(raw_db)
    assert all(final[cred] == entries for cred, entries in stored.items())
    _assert_consistent(raw_db)
    if not raw_db.postgres:
        assert raw_db.rows("PRAGMA integrity_check") == [("ok",)]


def test_sigkill_mid_chunk_keeps_whole_chunks_and_a_rerun_gets_the_same_rows(registry_location: str,
                                                                              raw_db) -> None:
    chunk = 50
    open_registry(registry_location).close()
    victim = _spawn(registry_location, "killed", 1_000_000, chunk=chunk, keys="record")
    assert victim.stdout is not None
    lines = [victim.stdout.readline() for _ in range(300)]
    victim.send_signal(signal.SIGKILL)  # mid-run: almost always inside a chunk's transaction
    rest, _ = victim.communicate(timeout=60)
    assert victim.returncode == -signal.SIGKILL
    committed = _parse(lines + rest.splitlines(keepends=True))
    assert len(committed) >= 300

    stored = _db_entries(raw_db)
    assert len(stored) % chunk == 0, "a chunk was committed in part"
    for cred, entries in committed.items():
        assert stored.get(cred) == entries, f"committed registration {cred} was lost or changed"
    assert len(set(stored) - set(committed)) <= chunk  # at most the chunk committed before its lines were printed

    # the re-run goes over the same records (idempotency keys) and on past them, chunked differently
    total = len(stored) + 2 * chunk
    survivor = _spawn(registry_location, "after", total, chunk=chunk + 7, keys="record")
    out, err = survivor.communicate(timeout=120)
    assert survivor.returncode == 0, err
    after = _parse(out.splitlines(keepends=True))
    assert len(after) == total
    for cred, entries in stored.items():
        assert after[cred] == entries, "a re-run did not return the committed registration"
    fresh = {cred: entries for cred, entries in after.items() if cred not in stored}
    assert len(fresh) == 2 * chunk and all(cred.startswith("after-") for cred in fresh)
    before_slots = {(lst, idx) for entries in stored.values() for _, lst, idx in entries}
    fresh_slots = [(lst, idx) for entries in fresh.values() for _, lst, idx in entries]
    assert len(set(fresh_slots)) == len(fresh_slots) == 2 * 2 * chunk
    assert not before_slots & set(fresh_slots), "an index was reused after the restart"
    assert _db_entries(raw_db) == after
    _assert_consistent(raw_db)
