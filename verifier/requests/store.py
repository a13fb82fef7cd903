"""The request store: one small SQLite table of open presentation requests, shared by every
worker of a verifier service (WAL mode; each single-use flag flips in one ``UPDATE ... WHERE
flag IS NULL`` inside ``BEGIN IMMEDIATE``, so two workers can never both win).

Per request: id, state, nonce, client_id, the DCQL query and other parameters, procedure id,
creation and expiry time, ``fetched_at`` (the request_uri was served), ``responded_at`` (a
response was accepted for verification), a hash of the staff's result token, and the outcome
(the verified, filtered claims and the filled form) until it is picked up or the request is purged.
VC-API challenges live in a second table.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from vc.errors import PresentationRequestError

from .authorization_request import AuthorizationRequest

__all__ = ["RequestStore", "StoredRequest", "token_hash"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS oid4vp_request (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL UNIQUE,
    nonce TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL,
    procedure_id TEXT,
    dcql_query TEXT NOT NULL,
    record TEXT NOT NULL,
    result_token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    fetched_at TEXT,
    responded_at TEXT,
    outcome TEXT
);
CREATE INDEX IF NOT EXISTS oid4vp_request_expires ON oid4vp_request (expires_at);
CREATE TABLE IF NOT EXISTS vcapi_challenge (
    challenge TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
);
"""

_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"


def _t(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime(_TIME)


def _parse_t(value: str | None) -> datetime | None:
    return datetime.strptime(value, _TIME).replace(tzinfo=timezone.utc) if value else None


def token_hash(token: str) -> str:
    """SHA-256 hex of a bearer token: the store keeps no token a database reader could replay."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredRequest:
    """A request and its single-use flags as the store holds them."""

    request: AuthorizationRequest
    fetched_at: datetime | None
    responded_at: datetime | None
    outcome: dict[str, Any] | None
    result_token_hash: str

    def token_matches(self, token: str | None) -> bool:
        return token is not None and hmac.compare_digest(token_hash(token), self.result_token_hash)


def _err(message: str, code: str) -> PresentationRequestError:
    return PresentationRequestError(message, code=code)


class RequestStore:
    """Open presentation requests in SQLite (``path`` a file, or ``":memory:"`` for one process)."""

    def __init__(self, path: str | os.PathLike[str] = ":memory:", *, busy_timeout: float = 30.0) -> None:
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
        self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        if self.path != ":memory:":
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")  # requests are short-lived; a crash loses nothing that matters
        with self._tx(write=True) as cur:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    cur.execute(statement)

    @contextmanager
    def _tx(self, *, write: bool) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # --- requests ----------------------------------------------------------------------------

    def add(self, request: AuthorizationRequest, *, result_token: str) -> None:
        """Store a new request; ``result_token`` (kept as a hash) later unlocks its outcome."""
        with self._tx(write=True) as cur:
            cur.execute(
                "INSERT INTO oid4vp_request (id, state, nonce, client_id, procedure_id, dcql_query, record,"
                " result_token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    request.id,
                    request.state,
                    request.nonce,
                    request.client_id,
                    request.procedure_id,
                    json.dumps(request.dcql_query, ensure_ascii=False),
                    json.dumps(request.to_record(), ensure_ascii=False),
                    token_hash(result_token),
                    _t(request.created_at),
                    _t(request.expires_at),
                ),
            )

    def _row(self, cur: sqlite3.Cursor, request_id: str) -> StoredRequest | None:
        row = cur.execute(
            "SELECT record, fetched_at, responded_at, outcome, result_token_hash FROM oid4vp_request WHERE id = ?",
            (request_id,),
        ).fetchone()
        if row is None:
            return None
        record, fetched, responded, outcome, token = row
        return StoredRequest(
            AuthorizationRequest.from_record(json.loads(record)),
            _parse_t(fetched),
            _parse_t(responded),
            json.loads(outcome) if outcome else None,
            token,
        )

    def get(self, request_id: str) -> StoredRequest | None:
        with self._tx(write=False) as cur:
            return self._row(cur, request_id)

    def _live(self, cur: sqlite3.Cursor, request_id: str, now: datetime) -> StoredRequest:
        stored = self._row(cur, request_id)
        if stored is None:
            raise _err("no such presentation request; it may have been purged after expiry", "REQUEST_NOT_FOUND")
        if stored.request.expired(now):
            raise _err("the presentation request has expired; start a new one", "REQUEST_EXPIRED")
        return stored

    def mark_fetched(self, request_id: str, *, now: datetime) -> AuthorizationRequest:
        """The request for its one request_uri fetch; ``REQUEST_URI_ALREADY_FETCHED`` on any later one
        (a second fetch means someone else saw the QR code: only the first wallet may answer)."""
        with self._tx(write=True) as cur:
            stored = self._live(cur, request_id, now)
            cur.execute(
                "UPDATE oid4vp_request SET fetched_at = ? WHERE id = ? AND fetched_at IS NULL", (_t(now), request_id)
            )
            if cur.rowcount != 1:
                raise _err(
                    "this request_uri was already fetched; a request object is served once. Start a new request",
                    "REQUEST_URI_ALREADY_FETCHED",
                )
            return stored.request

    def consume(self, request_id: str, *, state: str | None, now: datetime) -> AuthorizationRequest:
        """The request for the one response it accepts: ``state`` must be the request's
        (``STATE_MISMATCH``: a response made for another request), the request unexpired, and no
        response accepted before (``RESPONSE_REPLAYED``). The nonce is spent from here on."""
        with self._tx(write=True) as cur:
            stored = self._row(cur, request_id)
            if stored is None:
                raise _err("no such presentation request; it may have been purged after expiry", "REQUEST_NOT_FOUND")
            if not isinstance(state, str) or not hmac.compare_digest(state.encode(), stored.request.state.encode()):
                raise _err("'state' is not this request's: the response was made for another request", "STATE_MISMATCH")
            if stored.request.expired(now):
                raise _err("the presentation request expired before the response arrived; start a new one", "REQUEST_EXPIRED")
            cur.execute(
                "UPDATE oid4vp_request SET responded_at = ? WHERE id = ? AND responded_at IS NULL", (_t(now), request_id)
            )
            if cur.rowcount != 1:
                raise _err("a response to this request was already received: a replayed response", "RESPONSE_REPLAYED")
            return stored.request

    def save_outcome(self, request_id: str, outcome: dict[str, Any]) -> None:
        """Keep the outcome of the verified response for the staff page."""
        with self._tx(write=True) as cur:
            cur.execute(
                "UPDATE oid4vp_request SET outcome = ? WHERE id = ?", (json.dumps(outcome, ensure_ascii=False), request_id)
            )

    def purge(self, *, now: datetime, grace: timedelta = timedelta(minutes=30)) -> int:
        """Delete requests (and their outcomes) expired for longer than ``grace``; the count removed."""
        cutoff = _t(now - grace)
        with self._tx(write=True) as cur:
            cur.execute("DELETE FROM oid4vp_request WHERE expires_at < ?", (cutoff,))
            removed = cur.rowcount
            cur.execute("DELETE FROM vcapi_challenge WHERE expires_at < ?", (_t(now),))
            return removed

    # --- VC-API challenges -------------------------------------------------------------------

    def add_challenge(self, challenge: str, *, expires_at: datetime) -> None:
        with self._tx(write=True) as cur:
            cur.execute("INSERT INTO vcapi_challenge (challenge, expires_at) VALUES (?, ?)", (challenge, _t(expires_at)))

    def challenge_known(self, challenge: str, *, now: datetime) -> bool:
        """True when this service issued ``challenge`` and it has not expired."""
        with self._tx(write=False) as cur:
            row = cur.execute("SELECT expires_at FROM vcapi_challenge WHERE challenge = ?", (challenge,)).fetchone()
        return row is not None and (_parse_t(row[0]) or now) > now
