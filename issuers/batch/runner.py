"""Batch issuance: every row validated first, then signed on all cores, written atomically, resumable.

1. Read the rows (CSV or JSONL) and check every one against the certificate type (in the worker
   processes when there are several). Bad rows are reported all together, with line numbers and field
   names (never values), and nothing is signed, unless ``skip_invalid``.
2. Plan: a row whose credential is already recorded (workspace ledger, by the hashed record key) and
   written to the output is done. Re-running after an interruption issues only the other rows; a row
   whose registration survived but whose output did not is signed again with the same credential id
   and status indexes (the registry's idempotency key), so no index is handed out twice.
3. Sign in a process pool (signing holds the GIL): each worker opens the workspace and reads the key
   once (pool initializer), registers a chunk of rows in the registry in one transaction, then signs
   them (claims are not checked again: step 1 did). The main process records each chunk's signing key
   in the ledger, then writes the chunk, then reports progress. A chunk's output is written only after
   its registrations committed; a crash in between leaves registered rows without output, which the
   re-run registers again by record key and so signs with the same ids and status indexes.

>>> report = run_batch(workspace, "SchoolEnrollment", Path("students.csv"), out_dir=Path("out"),
...                    key_column="studentId", workers=2)
>>> report.issued, report.already_done
(1200, 0)
"""

from __future__ import annotations

import csv
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from issuers.catalog import CertificateType, claim_problems
from issuers.registry import idempotency_digest
from issuers.workspace import (
    IssuedCredential,
    IssueRequest,
    Workspace,
    check_issuer_kinds,
    get_format,
    idempotency_key,
)
from vc import errors
from vc.errors import BatchError, UsageError, VcError

from .output import BatchOutput, DirectoryOutput, JsonlOutput, OutputItem
from .rows import Row, RowProblem, read_rows, source_format

__all__ = ["DEFAULT_KEY_COLUMN", "BatchProgress", "BatchReport", "RowFailure", "run_batch", "validate_rows"]

log = logging.getLogger("jitsuin.batch")

_MAX_LISTED = 20
_POOL_THRESHOLD = 500
#: the record key column used when none is named and the file has one by this name
DEFAULT_KEY_COLUMN = "recordKey"  # problems spelled out in the exception message; detail["rows"] has them all


class BatchProgress(Protocol):
    """What a progress display gets: a phase with its total, then advances."""

    def start(self, phase: str, total: int) -> None: ...

    def advance(self, count: int) -> None: ...


@dataclass(frozen=True, slots=True)
class RowFailure:
    """A valid row that could not be issued (e.g. the registry refused it): its line, code and message."""

    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.code}: {self.message}"


@dataclass(frozen=True, slots=True)
class BatchReport:
    """What a run did: rows read, invalid rows (skipped), rows already issued earlier, rows issued now,
    rows that failed while signing, and where the output is."""

    rows: int
    invalid: tuple[RowProblem, ...]
    already_done: int
    issued: int
    failed: tuple[RowFailure, ...]
    format: str
    output: Path
    workers: int
    seconds: float = 0.0
    invalid_lines: tuple[int, ...] = field(default=())
    key_column: str | None = None  # None: each row's content was its record key

    @property
    def complete(self) -> bool:
        """True when every valid row has its credential in the output."""
        return not self.failed


def validate_rows(ctype: CertificateType, rows: Iterable[Row]) -> list[RowProblem]:
    """Every problem of every row: reading problems, then the catalog's claim problems (field paths)."""
    problems: list[RowProblem] = []
    for row in rows:
        problems.extend(row.problems)
        problems.extend(RowProblem(row.line, p.path, p.rule, p.reason) for p in claim_problems(ctype, row.claims))
    return problems


def run_batch(
    workspace: Workspace,
    type_name: str,
    source: str | os.PathLike[str],
    *,
    format: str | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    out_jsonl: str | os.PathLike[str] | None = None,
    workers: int | None = None,
    skip_invalid: bool = False,
    key_column: str | None = None,
    holder_column: str | None = None,
    status: bool = True,
    passphrase: str | None = None,
    now: datetime | None = None,
    chunk_size: int | None = None,
    progress: BatchProgress | None = None,
    clock: Callable[[], float] | None = None,
) -> BatchReport:
    """Issue a credential of ``type_name`` for every row of ``source`` (see the module docstring).

    ``out_dir`` (one file per credential) or ``out_jsonl`` (default: ``<workspace>/issued/<type>/``);
    ``workers`` processes (default: every core, or one for fewer than 500 rows); ``key_column`` names the
    record key column (default: ``recordKey`` when present, else the row content is its key). Raises BatchError
    (BATCH_ROWS_INVALID with ``detail["rows"]``; BATCH_INPUT_INVALID) before anything is signed.
    """
    tick = clock or time.monotonic
    started = tick()
    if out_dir is not None and out_jsonl is not None:
        raise UsageError("give out_dir or out_jsonl, not both")
    if workers is not None and workers < 1:
        raise UsageError("workers must be at least 1")
    source = Path(source)
    if not source.is_file():
        raise BatchError(f"no such batch input file: {source}", code="BATCH_INPUT_INVALID")
    source_format(source)
    ctype = workspace.certificate_type(type_name)
    issuer_fmt = _format_for(workspace, ctype, format, passphrase)
    key_column = key_column if key_column is not None else _default_key_column(source, ctype)
    rows = list(read_rows(source, ctype, key_column=key_column, holder_column=holder_column))
    if not rows:
        raise BatchError(f"{source.name} holds no rows", code="BATCH_INPUT_INVALID")
    if workers is None:  # starting a worker costs about a second: small files are faster in one process
        workers = 1 if len(rows) < _POOL_THRESHOLD else (os.cpu_count() or 1)
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    size = chunk_size or max(1, min(64, len(rows) // (workers * 8) or 1))
    pool = _pool(workspace, ctype, issuer_fmt, passphrase, status, workers) if workers > 1 else None
    try:
        problems = _validate(ctype, rows, pool, size, progress)
        problems.extend(_duplicates(rows, key_column))
        problems.sort(key=lambda p: p.line)
        if problems and not skip_invalid:
            raise _rows_error(source, problems)
        bad = {p.line for p in problems}
        good = [r for r in rows if r.line not in bad]
        output = _output(workspace, ctype, out_dir, out_jsonl)
        try:
            pending, done = _plan(workspace, ctype, issuer_fmt, good, output)
            if progress is not None:
                progress.start("signing", len(pending))
            issued, failed = _sign(workspace, ctype, issuer_fmt, pending, output, pool, size, progress,
                                   status=status, passphrase=passphrase, now=now)
            if not failed:
                output.finish()
        finally:
            output.close()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    log.info("batch %s: %d rows, %d invalid, %d already issued, %d issued, %d failed", ctype.id, len(rows),
             len(bad), done, issued, len(failed))
    return BatchReport(rows=len(rows), invalid=tuple(problems), already_done=done, issued=issued,
                       failed=tuple(failed), format=issuer_fmt, output=output.location, workers=workers,
                       seconds=tick() - started, invalid_lines=tuple(sorted(bad)), key_column=key_column)


# --- steps ------------------------------------------------------------------------------------------


def _format_for(workspace: Workspace, ctype: CertificateType, name: str | None, passphrase: str | None) -> str:
    fmt = get_format(name or workspace.config.default_format or ctype.default_format)
    fmt.check_key(workspace.config.active_key().alg)
    check_issuer_kinds(workspace.config.kinds, ctype)
    workspace.signing_key(passphrase=passphrase)  # a wrong passphrase fails now, not in every worker
    return fmt.name


def _default_key_column(source: Path, ctype: CertificateType) -> str | None:
    # a type may name its record key column (forward-compatible: the catalog does not define one yet)
    named = getattr(ctype, "record_key", None)
    if isinstance(named, str) and named:
        return named
    if source_format(source) == "csv":
        with source.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            header = next(csv.reader(handle, delimiter="\t" if source.suffix.lower() == ".tsv" else ","), [])
        return DEFAULT_KEY_COLUMN if DEFAULT_KEY_COLUMN in [h.strip() for h in header] else None
    return None


def _validate(ctype: CertificateType, rows: list[Row], pool: ProcessPoolExecutor | None, size: int,
              progress: BatchProgress | None) -> list[RowProblem]:
    if progress is not None:
        progress.start("checking", len(rows))
    if pool is None:
        problems = []
        for chunk in _chunks(rows, size):
            problems.extend(validate_rows(ctype, chunk))
            if progress is not None:
                progress.advance(len(chunk))
        return problems
    problems = []
    futures = {pool.submit(_worker_validate, chunk): len(chunk) for chunk in _chunks(rows, max(size, 64))}
    for future in _as_completed(futures):
        problems.extend(_result(future))
        if progress is not None:
            progress.advance(futures[future])
    return problems


def _duplicates(rows: Sequence[Row], key_column: str | None) -> list[RowProblem]:
    first: dict[str, int] = {}
    problems = []
    for row in rows:
        if row.record_key in first:
            what = "has the same record key as" if key_column else "repeats"
            problems.append(RowProblem(row.line, key_column or "", "duplicate",
                                       f"{what} line {first[row.record_key]}; each record is issued once"))
        else:
            first[row.record_key] = row.line
    return problems


def _rows_error(source: Path, problems: list[RowProblem]) -> BatchError:
    lines = sorted({p.line for p in problems})
    listed = "\n".join(f"  {p}" for p in problems[:_MAX_LISTED])
    more = f"\n  ... and {len(problems) - _MAX_LISTED} more" if len(problems) > _MAX_LISTED else ""
    return BatchError(
        f"{source.name}: {len(lines)} row(s) are invalid; nothing was signed. Fix them, or pass --skip-invalid "
        f"to issue the valid rows only:\n{listed}{more}",
        code="BATCH_ROWS_INVALID", rows=[p.to_dict() for p in problems], lines=lines)


def _output(workspace: Workspace, ctype: CertificateType, out_dir: Any, out_jsonl: Any) -> BatchOutput:
    if out_jsonl is not None:
        return JsonlOutput(out_jsonl)
    return DirectoryOutput(out_dir if out_dir is not None else workspace.path / "issued" / ctype.id)


def _plan(workspace: Workspace, ctype: CertificateType, fmt: str, rows: list[Row], output: BatchOutput
          ) -> tuple[list[Row], int]:
    suffix = get_format(fmt).suffix
    recorded = workspace.ledger.records_by_hash()
    pending = []
    for row in rows:
        ids = recorded.get(_record_hash(ctype, fmt, row), ())
        if not any(output.holds(credential_id, suffix) for credential_id in ids):
            pending.append(row)
    return pending, len(rows) - len(pending)


def _record_hash(ctype: CertificateType, fmt: str, row: Row) -> str:
    return idempotency_digest(idempotency_key(ctype.id, fmt, row.record_key))


def _sign(workspace: Workspace, ctype: CertificateType, fmt: str, rows: list[Row], output: BatchOutput,
          pool: ProcessPoolExecutor | None, size: int, progress: BatchProgress | None, *, status: bool,
          passphrase: str | None, now: datetime) -> tuple[int, list[RowFailure]]:
    suffix = get_format(fmt).suffix
    issued = 0
    failures: list[RowFailure] = []

    def finish_chunk(results: list[tuple[Row, IssuedCredential | RowFailure]]) -> None:
        nonlocal issued
        done = [(row, r) for row, r in results if isinstance(r, IssuedCredential)]
        failures.extend(r for _, r in results if isinstance(r, RowFailure))
        workspace.record([r for _, r in done])  # the ledger first: no credential leaves unrecorded
        output.write([OutputItem(r.credential_id, r.format, suffix, row.line, row.record_key, r.credential)
                      for row, r in done])
        issued += len(done)
        if progress is not None:
            progress.advance(len(results))

    if pool is None:
        issuer = workspace.issuer(passphrase=passphrase)
        for chunk in _chunks(rows, size):
            finish_chunk(list(zip(chunk, _issue_chunk(issuer, ctype, fmt, chunk, status, now), strict=True)))
        return issued, failures
    # a bounded number of chunks in flight keeps memory flat for 100k rows
    chunks = iter(_chunks(rows, size))
    in_flight: dict[Future[Any], list[Row]] = {}
    limit = max(2, pool._max_workers * 4)  # noqa: SLF001 - the executor's own worker count
    while True:
        while len(in_flight) < limit:
            chunk = next(chunks, None)
            if chunk is None:
                break
            in_flight[pool.submit(_worker_sign, chunk, now)] = chunk
        if not in_flight:
            break
        finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
        for future in finished:
            chunk = in_flight.pop(future)
            finish_chunk(list(zip(chunk, _result(future), strict=True)))
    return issued, failures


def _issue_chunk(issuer: Any, ctype: CertificateType, fmt: str, rows: list[Row], status: bool, now: datetime
                 ) -> list[IssuedCredential | RowFailure]:
    requests = [IssueRequest(row.claims, row.holder, row.record_key) for row in rows]
    try:  # every row was checked before signing began (validate_rows): no second check
        outcomes: list[Any] = issuer.issue_many(ctype, requests, format=fmt, status=status, now=now, validated=True)
    except VcError as exc:  # a problem of the whole chunk (format, kind): each row reports it
        outcomes = [exc] * len(rows)
    # messages name fields, never values
    return [o if isinstance(o, IssuedCredential) else RowFailure(row.line, o.code, o.message)
            for row, o in zip(rows, outcomes, strict=True)]


def _chunks(rows: Sequence[Row], size: int) -> Iterator[list[Row]]:
    for start in range(0, len(rows), size):
        yield list(rows[start:start + size])


def _as_completed(futures: dict[Future[Any], int]) -> Iterator[Future[Any]]:
    pending = set(futures)
    while pending:
        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
        yield from finished


# --- worker processes ---------------------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _pool(workspace: Workspace, ctype: CertificateType, fmt: str, passphrase: str | None, status: bool,
          workers: int) -> ProcessPoolExecutor:
    # spawn, not fork: the parent holds SQLite connections and maybe a progress thread
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                               initargs=(str(workspace.path), ctype.id, ctype.version, fmt, passphrase, status))


class WorkerError(Exception):
    """A VcError raised in a worker, carried to the parent (a VcError's code would not survive pickling)."""

    def __init__(self, class_name: str, message: str, code: str) -> None:
        super().__init__(class_name, message, code)

    def rebuild(self) -> VcError:
        class_name, message, code = self.args
        cls = getattr(errors, class_name, None)
        if not (isinstance(cls, type) and issubclass(cls, VcError)):
            cls = VcError
        return cls(message, code=code)


def _result(future: Future[Any]) -> Any:
    try:
        return future.result()
    except WorkerError as exc:
        raise exc.rebuild() from None


def _carry(fn: Callable[..., Any], *args: Any) -> Any:
    try:
        if "error" in _worker:
            raise _worker["error"]
        return fn(*args)
    except VcError as exc:
        raise WorkerError(type(exc).__name__, exc.message, exc.code) from None


def _init_worker(path: str, type_id: str, version: str, fmt: str, passphrase: str | None, status: bool) -> None:
    try:
        workspace = Workspace.open(path)
        _worker["workspace"] = workspace
        _worker["ctype"] = workspace.catalog.get(type_id, version)
    except VcError as exc:  # an initializer failure would only say "broken pool": tell the first task
        _worker["error"] = exc
    _worker["format"] = fmt
    _worker["status"] = status
    _worker["passphrase"] = passphrase


def _worker_issuer() -> Any:
    issuer = _worker.get("issuer")
    if issuer is None:  # the key is read once per worker, and only when there is something to sign
        issuer = _worker["workspace"].issuer(passphrase=_worker["passphrase"])
        _worker["issuer"] = issuer
    return issuer


def _validate_task(rows: list[Row]) -> list[RowProblem]:
    return validate_rows(_worker["ctype"], rows)


def _sign_task(rows: list[Row], now: datetime) -> list[IssuedCredential | RowFailure]:
    results: list[IssuedCredential | RowFailure] = []
    for result in _issue_chunk(_worker_issuer(), _worker["ctype"], _worker["format"], rows, _worker["status"], now):
        if isinstance(result, IssuedCredential):  # the registry row is not needed back in the parent
            result = IssuedCredential(result.credential_id, result.format, result.credential, result.type,
                                      result.kid, result.valid_until, None, result.record_hash, result.created)
        results.append(result)
    return results


def _worker_validate(rows: list[Row]) -> list[RowProblem]:
    return _carry(_validate_task, rows)  # type: ignore[no-any-return]


def _worker_sign(rows: list[Row], now: datetime) -> list[IssuedCredential | RowFailure]:
    return _carry(_sign_task, rows, now)  # type: ignore[no-any-return]
