"""Single-use, expiring OpenID4VCI grants in one small SQLite table shared by every worker process.

Four kinds of row: ``offer`` (a credential offer served by reference), ``code`` (a pre-authorized code),
``token`` (an access token) and ``nonce`` (a ``c_nonce``). A row is found by the SHA-256 of its secret, so the
table never holds a usable code or token; what a grant carries (the certificate type and the claims, which
are personal data) is sealed with AES-256-GCM under a key derived from the secret (HKDF-SHA256). Whoever
reads the database file without the secret learns nothing but counts and expiry times.

Consuming is one ``BEGIN IMMEDIATE`` transaction (SQLite's single write lock), so of two workers racing to
redeem the same code exactly one wins. Refusals carry a ``reason``: ``unknown``, ``expired``, ``used`` or
``wrong_check`` (a wrong ``tx_code``; after ``max_attempts`` wrong ones the code is burnt).

Beside the grants, the staff's record of each offer (``oid4vci_offers``: its ``offer_id``, certificate type
and times) and of the credentials issued when it was redeemed (``oid4vci_issued``: credential id, format,
time), so the staff can find what an offer became (to revoke it, say). These rows are the issuer's records:
they are not purged with the grants, and hold no claim value.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vc.errors import UsageError

__all__ = ["GRANT_KINDS", "GrantError", "GrantStore", "IssuedRecord", "OfferRecord"]

GRANT_KINDS = ("offer", "code", "token", "nonce")
_PURGE_AFTER = timedelta(days=1)  # used/expired rows stay a day so a replay is answered "used", not "unknown"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS oid4vci_grants (
    handle     TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    sealed     BLOB,
    check_hash TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
)
"""
_INDEX = "CREATE INDEX IF NOT EXISTS oid4vci_grants_expires ON oid4vci_grants (expires_at)"
_OFFERS = """
CREATE TABLE IF NOT EXISTS oid4vci_offers (
    offer_id   TEXT PRIMARY KEY,
    type       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
)
"""
_ISSUED = """
CREATE TABLE IF NOT EXISTS oid4vci_issued (
    offer_id      TEXT NOT NULL,
    credential_id TEXT NOT NULL,
    format        TEXT NOT NULL,
    issued_at     INTEGER NOT NULL,
    PRIMARY KEY (offer_id, credential_id)
)
"""


class GrantError(Exception):
    """A grant that cannot be used; ``reason`` is ``unknown``, ``expired``, ``used`` or ``wrong_check``.

    Internal to the service: the OpenID4VCI endpoints answer it as an OAuth error (``invalid_grant`` ...).
    """

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(f"the {kind} is {reason.replace('_', ' ')}")
        self.kind = kind
        self.reason = reason


@dataclass(frozen=True, slots=True)
class IssuedRecord:
    """A credential issued when an offer was redeemed: its id (the registry's, for revocation) and format."""

    credential_id: str
    format: str
    issued_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"credentialId": self.credential_id, "format": self.format, "issuedAt": _iso(self.issued_at)}


@dataclass(frozen=True, slots=True)
class OfferRecord:
    """The staff's record of an offer: its type, times, and the credentials it was redeemed for."""

    offer_id: str
    type: str
    created_at: datetime
    expires_at: datetime
    credentials: tuple[IssuedRecord, ...] = ()

    def state(self, now: datetime) -> str:
        """``redeemed`` (credentials issued), ``expired`` (never redeemed, too late now) or ``pending``."""
        if self.credentials:
            return "redeemed"
        return "expired" if self.expires_at <= now else "pending"

    def to_dict(self, now: datetime) -> dict[str, Any]:
        return {"offer_id": self.offer_id, "type": self.type, "state": self.state(now),
                "created_at": _iso(self.created_at), "expires_at": _iso(self.expires_at),
                "credentials": [c.to_dict() for c in self.credentials]}


@dataclass(frozen=True, slots=True)
class _Row:
    sealed: bytes | None
    check_hash: str | None
    attempts: int
    expires_at: int
    used_at: int | None


def _epoch(value: datetime) -> int:
    if value.tzinfo is None:
        raise UsageError("times must be timezone-aware")
    return int(value.timestamp())


def _time(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, tz=timezone.utc)


def _iso(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class GrantStore:
    """The grant table in the SQLite file at ``path`` (created on first use).

    >>> store = GrantStore(workspace_dir / "oid4vci.db")
    >>> store.put("code", code, {"type": "ResidentRecord", ...}, expires_at=now + ttl, check="493027")
    >>> store.consume("code", code, now=now, check="493027")
    {'type': 'ResidentRecord', ...}
    """

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout: float = 30.0) -> None:
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
        self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = NORMAL")  # a lost grant on power failure only means a new offer
        with self._write() as conn:
            for statement in (_SCHEMA, _INDEX, _OFFERS, _ISSUED):
                conn.execute(statement)
        if os.name == "posix":
            os.chmod(self.path, 0o600)

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> GrantStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing --------------------------------------------------------------------------

    def put(self, kind: str, secret: str, payload: dict[str, Any] | None = None, *, expires_at: datetime,
            check: str | None = None, now: datetime | None = None) -> None:
        """Store a grant for ``secret`` until ``expires_at``; ``check`` is a second secret (the tx_code)
        that ``consume`` must be given. Old rows are purged on the way."""
        _kind(kind)
        sealed = _seal(kind, secret, payload) if payload is not None else None
        check_hash = _check_hash(secret, check) if check is not None else None
        with self._write() as conn:
            if now is not None:
                conn.execute("DELETE FROM oid4vci_grants WHERE expires_at < ?", (_epoch(now - _PURGE_AFTER),))
            conn.execute(
                "INSERT INTO oid4vci_grants (handle, kind, sealed, check_hash, expires_at) VALUES (?, ?, ?, ?, ?)",
                (_handle(kind, secret), kind, sealed, check_hash, _epoch(expires_at)),
            )

    def open(self, kind: str, secret: str, *, now: datetime) -> dict[str, Any]:
        """The payload of a live, unused grant without using it up; GrantError otherwise."""
        _kind(kind)
        with self._lock:
            row = self._load(self._conn, kind, secret)
        self._usable(kind, row, now)
        assert row is not None
        return _unseal(kind, secret, row.sealed)

    def consume(self, kind: str, secret: str, *, now: datetime, check: str | None = None,
                max_attempts: int = 5) -> dict[str, Any]:
        """Use a grant up (once, across processes) and return its payload; GrantError otherwise.

        A grant stored with ``check`` needs the same value here: a wrong one counts an attempt (reason
        ``wrong_check``), and after ``max_attempts`` the grant is used up.
        """
        _kind(kind)
        with self._write() as conn:
            row = self._load(conn, kind, secret)
            self._usable(kind, row, now)
            assert row is not None
            handle = _handle(kind, secret)
            given = _check_hash(secret, check) if check is not None else ""
            wrong = row.check_hash is not None and not hmac.compare_digest(given, row.check_hash)
            if wrong:  # counted (and committed) before refusing
                attempts = row.attempts + 1
                burnt = _epoch(now) if attempts >= max_attempts else None
                conn.execute("UPDATE oid4vci_grants SET attempts = ?, used_at = ? WHERE handle = ?",
                             (attempts, burnt, handle))
            else:
                conn.execute("UPDATE oid4vci_grants SET used_at = ? WHERE handle = ?", (_epoch(now), handle))
        if wrong:
            raise GrantError(kind, "wrong_check")
        return _unseal(kind, secret, row.sealed)

    def modify(self, kind: str, secret: str,
               change: Callable[[dict[str, Any]], tuple[dict[str, Any], bool]], *, now: datetime) -> dict[str, Any]:
        """Replace a live grant's payload with ``change(payload)`` -> ``(new payload, done)`` in one
        transaction (``done`` uses the grant up); returns the new payload. ``change`` may raise to refuse."""
        _kind(kind)
        with self._write() as conn:
            row = self._load(conn, kind, secret)
            self._usable(kind, row, now)
            assert row is not None
            payload, done = change(_unseal(kind, secret, row.sealed))
            conn.execute("UPDATE oid4vci_grants SET sealed = ?, used_at = ? WHERE handle = ?",
                         (_seal(kind, secret, payload), _epoch(now) if done else None, _handle(kind, secret)))
        return payload

    # --- the staff's offer records --------------------------------------------------------------

    def record_offer(self, offer_id: str, type_id: str, *, created_at: datetime, expires_at: datetime) -> None:
        """Remember an offer under its ``offer_id`` (the staff's handle for it, not a secret of the wallet's)."""
        with self._write() as conn:
            conn.execute("INSERT INTO oid4vci_offers (offer_id, type, created_at, expires_at) VALUES (?, ?, ?, ?)",
                         (offer_id, type_id, _epoch(created_at), _epoch(expires_at)))

    def record_issued(self, offer_id: str, credential_id: str, *, format: str, issued_at: datetime) -> None:
        """Remember that redeeming offer ``offer_id`` issued ``credential_id`` (again: no change)."""
        with self._write() as conn:
            conn.execute("INSERT OR IGNORE INTO oid4vci_issued (offer_id, credential_id, format, issued_at) "
                         "VALUES (?, ?, ?, ?)", (offer_id, credential_id, format, _epoch(issued_at)))

    def offer_record(self, offer_id: str) -> OfferRecord | None:
        """The record of offer ``offer_id`` with the credentials issued for it, oldest first; None if unknown."""
        with self._lock:
            found = self._conn.execute("SELECT type, created_at, expires_at FROM oid4vci_offers WHERE offer_id = ?",
                                       (offer_id,)).fetchone()
            if found is None:
                return None
            rows = self._conn.execute("SELECT credential_id, format, issued_at FROM oid4vci_issued "
                                      "WHERE offer_id = ? ORDER BY issued_at, rowid", (offer_id,)).fetchall()
        issued = tuple(IssuedRecord(cid, fmt, _time(at)) for cid, fmt, at in rows)
        return OfferRecord(offer_id, found[0], _time(found[1]), _time(found[2]), issued)

    def count(self, kind: str | None = None) -> int:
        """How many rows are stored (of one kind); for tests and monitoring."""
        sql, params = "SELECT COUNT(*) FROM oid4vci_grants", ()
        if kind is not None:
            sql, params = sql + " WHERE kind = ?", (kind,)  # type: ignore[assignment]
        with self._lock:
            return int(self._conn.execute(sql, params).fetchone()[0])

    # --- internals ------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    @staticmethod
    def _load(conn: sqlite3.Connection, kind: str, secret: str) -> _Row | None:
        found = conn.execute(
            "SELECT sealed, check_hash, attempts, expires_at, used_at FROM oid4vci_grants WHERE handle = ?",
            (_handle(kind, secret),),
        ).fetchone()
        return _Row(*found) if found is not None else None

    @staticmethod
    def _usable(kind: str, row: _Row | None, now: datetime) -> None:
        if row is None:
            raise GrantError(kind, "unknown")
        if row.used_at is not None:
            raise GrantError(kind, "used")
        if row.expires_at <= _epoch(now):
            raise GrantError(kind, "expired")


def _kind(kind: str) -> None:
    if kind not in GRANT_KINDS:
        raise UsageError(f"grant kind must be one of {', '.join(GRANT_KINDS)}")


def _handle(kind: str, secret: str) -> str:
    return hashlib.sha256(f"{kind}:{secret}".encode()).hexdigest()


def _check_hash(secret: str, check: str) -> str:
    # keyed by the (high-entropy) grant secret: a 6-digit PIN hash alone would be brute-forced offline
    return hmac.new(secret.encode(), check.encode(), hashlib.sha256).hexdigest()


def _key(kind: str, secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=f"jitsuin oid4vci grant {kind}".encode()).derive(secret.encode())


def _seal(kind: str, secret: str, payload: dict[str, Any]) -> bytes:
    nonce = os.urandom(12)
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return nonce + AESGCM(_key(kind, secret)).encrypt(nonce, data, _handle(kind, secret).encode())


def _unseal(kind: str, secret: str, sealed: bytes | None) -> dict[str, Any]:
    if sealed is None:
        return {}
    try:
        data = AESGCM(_key(kind, secret)).decrypt(sealed[:12], sealed[12:], _handle(kind, secret).encode())
    except InvalidTag:  # only a tampered database gets here: the handle already matched the secret
        raise GrantError(kind, "unknown") from None
    value = json.loads(data)
    assert isinstance(value, dict)
    return value
