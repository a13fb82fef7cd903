"""PostgreSQL backend (psycopg 3), for several issuer nodes behind a load balancer.

Writers that allocate take a transaction-scoped advisory lock (``pg_advisory_xact_lock``) before
reading the current list, so the list choice, the index draw and the insert happen under one lock
across every node; the lock is released at COMMIT/ROLLBACK, also when a client dies. Status changes
lock the credential row (``SELECT ... FOR UPDATE``). Install with ``pip install 'jitsuin[postgres]'``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from vc.errors import RegistryError, UsageError
from vc.status import MIN_ENTRIES

from .registry import StatusRegistry, _Tx

__all__ = ["PostgresRegistry"]

# pg_advisory_xact_lock(key1, key2): a fixed pair for "jitsuin registry writers"
_LOCK_KEYS = (0x6A6974, 0x5354)


class _PostgresTx(_Tx):
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        # no parameters -> no placeholder parsing (scripts may contain a literal '%')
        return self._conn.execute(sql, tuple(params) if params else None)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:  # psycopg sends them pipelined: one round trip, not one per row
            with self._conn.cursor() as cursor:
                cursor.executemany(sql, [tuple(row) for row in rows])


class PostgresRegistry(StatusRegistry):
    """The registry in a PostgreSQL database given by a libpq URL (migrated on open).

    ``lock_timeout`` (seconds) bounds the wait for the writer lock; past it the operation fails
    with ``REGISTRY_UNAVAILABLE`` instead of hanging behind a stuck node.
    """

    dialect = "postgres"
    _for_update = " FOR UPDATE"

    def __init__(
        self,
        url: str,
        *,
        base_url: str | None = None,
        list_size: int = MIN_ENTRIES,
        connect_timeout: int = 10,
        lock_timeout: float = 30.0,
        **options: Any,
    ) -> None:
        super().__init__(base_url=base_url, list_size=list_size, **options)
        try:
            import psycopg
        except ImportError:
            raise UsageError("the PostgreSQL registry needs psycopg: pip install 'jitsuin[postgres]'") from None
        self._psycopg = psycopg
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=connect_timeout)
            # a node stuck inside a transaction must not stall every other node forever
            self._conn.execute("SELECT set_config('lock_timeout', %s, false)", (f"{int(lock_timeout * 1000)}ms",))
        except psycopg.Error as exc:
            raise RegistryError(f"cannot connect to the registry database ({type(exc).__name__})",
                                code="REGISTRY_UNAVAILABLE") from None
        self._migrate()

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[_Tx]:
        psycopg = self._psycopg
        with self._lock:
            try:
                with self._conn.transaction():
                    yield _PostgresTx(self._conn)
            except psycopg.Error as exc:
                first_line = str(exc).splitlines()[0] if str(exc) else ""
                code = "REGISTRY_CONFLICT" if isinstance(exc, psycopg.IntegrityError) else "REGISTRY_UNAVAILABLE"
                raise RegistryError(f"the registry database refused the operation ({type(exc).__name__}: "
                                    f"{first_line})", code=code) from None

    def _lock_writers(self, tx: _Tx) -> None:
        tx.execute("SELECT pg_advisory_xact_lock(%s, %s)", _LOCK_KEYS)

    def _time_in(self, value: datetime | None) -> datetime | None:
        return value.astimezone(timezone.utc) if value is not None else None

    def _time_out(self, value: Any) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # schema_version keeps TEXT
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    def _run_script(self, tx: _Tx, sql: str) -> None:
        tx.execute(sql)  # one simple-protocol call runs every statement of the file

    def close(self) -> None:
        with self._lock:
            self._conn.close()
