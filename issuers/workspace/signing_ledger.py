"""Which key signed which credential, and until when it must keep verifying (``workspace.db``).

The issuance registry records status bookkeeping; key retirement needs one more fact per credential:
the signing key (``kid``) and the credential's valid-until. The workspace keeps them in its own small
SQLite file, so the registry schema stays as it is and works the same on PostgreSQL. No claim values:
a row holds the credential id, the key id, the type and format, the hashed record key and two times.

A row is written after signing and before the credential is handed out or written to a file, so a
credential a holder can have always has its row (a crash in between only leaves a row for a
credential nobody received: that delays a retirement, never breaks a verification).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from vc.errors import WorkspaceError

__all__ = ["SignatureRecord", "SigningLedger"]

_TIME = "%Y-%m-%dT%H:%M:%SZ"
_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS signatures (
    credential_id TEXT NOT NULL,
    kid TEXT NOT NULL,
    record_hash TEXT,
    credential_type TEXT NOT NULL,
    format TEXT NOT NULL,
    valid_until TEXT,
    signed_at TEXT NOT NULL,
    PRIMARY KEY (credential_id, kid)
);
CREATE INDEX IF NOT EXISTS signatures_by_kid ON signatures (kid, valid_until);
CREATE INDEX IF NOT EXISTS signatures_by_record ON signatures (record_hash) WHERE record_hash IS NOT NULL;
"""


@dataclass(frozen=True, slots=True)
class SignatureRecord:
    """One signature: credential ``credential_id`` signed by key ``kid`` (the fragment, ``key-1``)."""

    credential_id: str
    kid: str
    credential_type: str
    format: str
    valid_until: datetime | None
    signed_at: datetime
    record_hash: str | None = None


class SigningLedger:
    """The ``signatures`` table in ``workspace.db`` (WAL; several batch processes may read it)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self._conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if version > _SCHEMA_VERSION:
                raise WorkspaceError(f"{self.path.name} was written by a newer jitsuin; upgrade jitsuin",
                                     code="WORKSPACE_CONFIG_INVALID")
            if version < _SCHEMA_VERSION:
                # two batch workers may open a fresh file at once: CREATE ... IF NOT EXISTS under the write lock
                self._conn.execute("BEGIN IMMEDIATE")
                for statement in _statements():  # not executescript: it would COMMIT first
                    self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
                self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise WorkspaceError(f"cannot open the workspace database {self.path}: {exc}",
                                 code="WORKSPACE_CONFIG_INVALID") from None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> SigningLedger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, records: Iterable[SignatureRecord]) -> int:
        """Store signatures in one transaction (a repeat keeps the later valid-until); returns how many."""
        rows = [(r.credential_id, r.kid, r.record_hash, r.credential_type, r.format, _time_in(r.valid_until),
                 _time_in(r.signed_at)) for r in records]
        if not rows:
            return 0
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.executemany(
                    "INSERT INTO signatures (credential_id, kid, record_hash, credential_type, format, valid_until, "
                    "signed_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (credential_id, kid) DO UPDATE SET "
                    # NULL means "never expires": it wins over any date
                    "valid_until = CASE WHEN signatures.valid_until IS NULL OR excluded.valid_until IS NULL THEN NULL "
                    "ELSE max(signatures.valid_until, excluded.valid_until) END, signed_at = excluded.signed_at",
                    rows,
                )
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._conn.execute("ROLLBACK")
                raise WorkspaceError(f"cannot record signatures in {self.path.name}: {exc}",
                                     code="WORKSPACE_CONFIG_INVALID") from None
        return len(rows)

    def latest_first(self, kid: str) -> Iterator[tuple[str, datetime | None]]:
        """``(credential_id, valid_until)`` of every credential ``kid`` signed, the last to expire first
        (never-expiring ones before all)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT credential_id, valid_until FROM signatures WHERE kid = ? "
                "ORDER BY valid_until IS NOT NULL, valid_until DESC", (kid,)).fetchall()
        for credential_id, valid_until in rows:
            yield credential_id, _time_out(valid_until)

    def count(self, kid: str | None = None) -> int:
        """How many signatures are recorded (by ``kid``)."""
        sql, params = "SELECT COUNT(*) FROM signatures", ()
        if kid is not None:
            sql, params = sql + " WHERE kid = ?", (kid,)
        with self._lock:
            return int(self._conn.execute(sql, params).fetchone()[0])

    def records_by_hash(self) -> dict[str, set[str]]:
        """``record_hash -> credential ids`` signed with a record key (batch resume). Usually one id; an
        interrupted run without status (no registry idempotency) may have left another that was never written."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT record_hash, credential_id FROM signatures WHERE record_hash IS NOT NULL").fetchall()
        found: dict[str, set[str]] = {}
        for record_hash, credential_id in rows:
            found.setdefault(record_hash, set()).add(credential_id)
        return found


def _statements() -> list[str]:
    return [s.strip() for s in _SCHEMA.split(";") if s.strip()]


def _time_in(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).strftime(_TIME) if value is not None else None


def _time_out(value: str | None) -> datetime | None:
    return datetime.strptime(value, _TIME).replace(tzinfo=timezone.utc) if value is not None else None
