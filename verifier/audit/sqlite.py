"""SQLite audit log: one file, WAL mode, one short transaction per row (stdlib ``sqlite3``).

Migrations are the numbered scripts in ``migrations/sqlite/``; ``PRAGMA user_version`` records the last
one applied, and they run inside one ``BEGIN IMMEDIATE`` transaction so two processes opening a new file
do not both create the table.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from vc.errors import AuditError, UsageError

from .log import AuditLog, AuditRecord

__all__ = ["SqliteAuditLog"]

_TIME = "%Y-%m-%dT%H:%M:%SZ"
_MIGRATIONS = Path(__file__).parent / "migrations" / "sqlite"
_COLUMNS = ("id", "recorded_at", "kind", "procedure", "purpose", "request_id", "verified", "codes", "issuers",
            "credential_types", "formats", "credential_count")


class SqliteAuditLog(AuditLog):
    """The audit log in one SQLite file (created and migrated on open)."""

    def __init__(self, path: str | os.PathLike[str], *, synchronous: str = "NORMAL", busy_timeout: float = 30.0) -> None:
        if synchronous.upper() not in ("FULL", "NORMAL", "EXTRA"):
            raise UsageError("synchronous must be FULL, NORMAL or EXTRA")
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        try:
            self._conn = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
            self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise AuditError("the audit log file cannot use WAL mode (is it on a network share?)",
                                 code="AUDIT_UNAVAILABLE")
            self._conn.execute(f"PRAGMA synchronous = {synchronous.upper()}")
        except sqlite3.Error as exc:
            raise AuditError(f"cannot open the audit log database: {exc}", code="AUDIT_UNAVAILABLE") from None
        self._migrate()

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.Error as exc:
                raise AuditError(f"the audit log database is unavailable: {exc}", code="AUDIT_UNAVAILABLE") from None
            try:
                yield self._conn
            except sqlite3.Error as exc:
                self._conn.execute("ROLLBACK")
                raise AuditError(f"the audit log database refused the change: {exc}", code="AUDIT_UNAVAILABLE") from None
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    def _migrate(self) -> None:
        scripts = sorted(_MIGRATIONS.glob("*.sql"))
        with self._transaction(write=True) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > len(scripts):
                raise AuditError(f"the audit log was written by a newer jitsuin (schema {version})", code="AUDIT_SCHEMA")
            for number, script in enumerate(scripts, start=1):
                if number <= version:
                    continue
                statement = ""
                for line in script.read_text("utf-8").splitlines(keepends=True):
                    statement += line
                    if sqlite3.complete_statement(statement):
                        conn.execute(statement)
                        statement = ""
                conn.execute(f"PRAGMA user_version = {number}")

    def _insert(self, row: AuditRecord) -> AuditRecord:
        values = (
            row.recorded_at.astimezone(timezone.utc).strftime(_TIME), row.kind, row.procedure, row.purpose,
            row.request_id, int(row.verified), _json(row.codes), _json(row.issuers), _json(row.credential_types),
            _json(row.formats), row.credential_count,
        )
        with self._transaction(write=True) as conn:
            cursor = conn.execute(
                f"INSERT INTO verifications ({', '.join(_COLUMNS[1:])}) VALUES ({', '.join('?' * len(values))})", values
            )
            new_id = cursor.lastrowid
        return AuditRecord(new_id, *(getattr(row, c) for c in _COLUMNS[1:]))

    def _select(self, *, procedure: str | None, request_id: str | None, since: datetime | None,
                until: datetime | None, limit: int) -> list[AuditRecord]:
        where, params = [], []  # type: ignore[var-annotated]
        for column, op, value in (("procedure", "=", procedure), ("request_id", "=", request_id),
                                  ("recorded_at", ">=", _time(since)), ("recorded_at", "<", _time(until))):
            if value is not None:
                where.append(f"{column} {op} ?")
                params.append(value)
        sql = f"SELECT {', '.join(_COLUMNS)} FROM verifications"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id LIMIT ?"
        params.append(int(limit))
        with self._transaction(write=False) as conn:
            rows = conn.execute(sql, params).fetchall()
        return [_record(r) for r in rows]

    def _delete_before(self, before: datetime) -> int:
        with self._transaction(write=True) as conn:
            return conn.execute("DELETE FROM verifications WHERE recorded_at < ?", (_time(before),)).rowcount

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _json(values: tuple[str, ...]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _time(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).strftime(_TIME) if value is not None else None


def _record(row: tuple[Any, ...]) -> AuditRecord:
    (rid, at, kind, procedure, purpose, request_id, verified, codes, issuers, types, formats, count) = row
    return AuditRecord(
        id=rid, recorded_at=datetime.strptime(at, _TIME).replace(tzinfo=timezone.utc), kind=kind, procedure=procedure,
        purpose=purpose, request_id=request_id, verified=bool(verified), codes=tuple(json.loads(codes)),
        issuers=tuple(json.loads(issuers)), credential_types=tuple(json.loads(types)),
        formats=tuple(json.loads(formats)), credential_count=count,
    )
