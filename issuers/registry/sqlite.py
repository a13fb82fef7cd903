"""SQLite backend: one file, WAL mode, ``BEGIN IMMEDIATE`` for every write (stdlib ``sqlite3``).

``BEGIN IMMEDIATE`` takes the database's single write lock before reading, so the read of the
current list and the index draw happen under the same lock as the insert: two processes cannot
pick the same index. A process killed mid-transaction leaves no trace (WAL rollback) and committed
records survive it. ``synchronous="FULL"`` (default) also survives power loss; ``"NORMAL"`` is
still safe against process crashes.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from vc.errors import RegistryError, UsageError
from vc.status import MIN_ENTRIES

from .registry import StatusRegistry, _Tx

__all__ = ["SqliteRegistry"]

_TIME = "%Y-%m-%dT%H:%M:%SZ"


class _SqliteTx(_Tx):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql.replace("%s", "?"), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._conn.executemany(sql.replace("%s", "?"), [tuple(row) for row in rows])


class SqliteRegistry(StatusRegistry):
    """The registry in one SQLite file (created and migrated on open)."""

    dialect = "sqlite"

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        base_url: str | None = None,
        list_size: int = MIN_ENTRIES,
        synchronous: str = "FULL",
        busy_timeout: float = 30.0,
        **options: Any,
    ) -> None:
        super().__init__(base_url=base_url, list_size=list_size, **options)
        if synchronous.upper() not in ("FULL", "NORMAL", "EXTRA"):
            raise UsageError("synchronous must be FULL, NORMAL or EXTRA")
        self.path = os.fspath(path)
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves
            self._conn = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None,
                                         check_same_thread=False)
            self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise RegistryError("the registry file cannot use WAL mode (is it on a network share?)",
                                    code="REGISTRY_UNAVAILABLE")
            self._conn.execute(f"PRAGMA synchronous = {synchronous.upper()}")
            self._conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise RegistryError(f"cannot open the registry database: {exc}", code="REGISTRY_UNAVAILABLE") from None
        self._migrate()

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[_Tx]:
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.Error as exc:
                raise RegistryError(f"the registry database is unavailable: {exc}",
                                    code="REGISTRY_UNAVAILABLE") from None
            try:
                yield _SqliteTx(self._conn)
            except sqlite3.Error as exc:
                self._conn.execute("ROLLBACK")
                code = "REGISTRY_CONFLICT" if isinstance(exc, sqlite3.IntegrityError) else "REGISTRY_UNAVAILABLE"
                raise RegistryError(f"the registry database refused the change: {exc}", code=code) from None
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    def _lock_writers(self, tx: _Tx) -> None:
        pass  # BEGIN IMMEDIATE already holds SQLite's one write lock

    def _time_in(self, value: datetime | None) -> str | None:
        return value.astimezone(timezone.utc).strftime(_TIME) if value is not None else None

    def _time_out(self, value: Any) -> datetime | None:
        return datetime.strptime(value, _TIME).replace(tzinfo=timezone.utc) if value is not None else None

    def _run_script(self, tx: _Tx, sql: str) -> None:
        # statement by statement inside our transaction (executescript would COMMIT first);
        # complete_statement keeps trigger bodies with inner semicolons together
        statement = ""
        for line in sql.splitlines(keepends=True):
            statement += line
            if sqlite3.complete_statement(statement):
                tx.execute(statement)
                statement = ""
        if statement.strip() and not all(
            part.strip().startswith("--") or not part.strip() for part in statement.splitlines()
        ):
            raise RegistryError("a migration script ends with an incomplete statement", code="REGISTRY_SCHEMA")

    def close(self) -> None:
        with self._lock:
            self._conn.close()
