"""The issuance registry: one small interface, two backends (``SqliteRegistry``, ``PostgresRegistry``).

Allocation (Bitstring Status List spec, "Privacy Considerations"): a credential's index in each
list is drawn at random from the unused indexes of the current list with ``secrets``, never reused
(entries are never deleted; a trigger enforces it), and a new list starts when one is full. All
allocation runs under one writer lock per registry (SQLite ``BEGIN IMMEDIATE``; PostgreSQL a
transaction-scoped advisory lock), so several processes or issuer nodes never hand out an index
twice; the ``PRIMARY KEY (list_id, idx)`` is the last line of defence. ``register_many`` registers a
chunk (a batch's) in one transaction: one lock turn and one commit (one fsync) instead of one each.

Drawing: random candidates (twice the indexes wanted, plus 32) are checked in one query and unused
ones are taken in draw order (each uniform over the unused indexes); only when a few rounds of that
leave some wanted, i.e. the list is nearly full, are the used indexes read to choose uniformly
among the rest.

>>> with open_registry("registry.db", base_url="https://city.example/status") as registry:
...     reg = registry.register(credential_id="urn:uuid:...", credential_type="ResidentRecordCredential",
...                             format="eddsa-rdfc-2022", idempotency_key="record-2026-0001")
...     registry.revoke(reg.credential_id, reason="issued_in_error")
"""

from __future__ import annotations

import secrets
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime, timezone
from importlib import resources
from typing import Any

from vc.errors import CredentialNotFoundError, RegistryError, StatusTransitionError, UsageError
from vc.status import MIN_ENTRIES

from .model import (
    ACTIVE,
    DEFAULT_PURPOSES,
    LIST_PURPOSES,
    REASON_CODES,
    REVOKED,
    SUSPENDED,
    ListSnapshot,
    Registration,
    RegistrationRequest,
    StatusEntry,
    StatusListInfo,
    idempotency_digest,
)

__all__ = ["DEFAULT_PURPOSES", "StatusRegistry"]

_PROBES = 32
_ROUNDS = 4  # draws before falling back to reading every used index of the list
_IN_LIMIT = 500  # values per IN (...) list: far below every backend's parameter limit
_SUFFIX = {"revocation": ".json", "suspension": ".json", "token": ".jwt"}
# action -> (states it may start from, state it leads to)
_TRANSITIONS = {
    "revoke": (frozenset({ACTIVE, SUSPENDED}), REVOKED),
    "suspend": (frozenset({ACTIVE}), SUSPENDED),
    "reinstate": (frozenset({SUSPENDED}), ACTIVE),
}
# action -> list purposes, any one of which must be registered to publish the change
_NEEDS = {"revoke": ("revocation", "token"), "suspend": ("suspension", "token"), "reinstate": ("suspension", "token")}


class _Tx(ABC):
    """A transaction's cursor: ``%s`` placeholders in every backend."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self.execute(sql, params).fetchone()

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.execute(sql, params).fetchall()

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        for row in rows:
            self.execute(sql, row)


class StatusRegistry(ABC):
    """Records issued credentials' status entries and status; allocates indexes; snapshots lists.

    ``base_url`` is where the status lists will be published (list ``n`` at ``<base_url>/n.json``,
    or ``n.jwt`` for Token Status Lists); each list keeps the URL it was created with. ``list_size``
    (at least 131,072) applies to lists created from now on. ``rng(n)`` draws an integer in
    ``[0, n)`` (default ``secrets.randbelow``).
    """

    dialect: str = ""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        list_size: int = MIN_ENTRIES,
        rng: Callable[[int], int] = secrets.randbelow,
    ) -> None:
        if isinstance(list_size, bool) or not isinstance(list_size, int) or list_size < MIN_ENTRIES:
            raise UsageError(f"list_size must be an integer of at least {MIN_ENTRIES} (herd privacy)")
        self.base_url = base_url.rstrip("/") if base_url else None
        self.list_size = list_size
        self._rng = rng
        self._lock = threading.Lock()  # one connection per registry; threads take turns

    # --- backend hooks --------------------------------------------------------------------

    @abstractmethod
    def _transaction(self, *, write: bool) -> AbstractContextManager[_Tx]:
        """A transaction; ``write`` ones are serialized across processes."""

    @abstractmethod
    def _lock_writers(self, tx: _Tx) -> None:
        """Serialize allocation and migrations across processes/nodes (no-op where the transaction does)."""

    @abstractmethod
    def _time_in(self, value: datetime | None) -> Any: ...

    @abstractmethod
    def _time_out(self, value: Any) -> datetime | None: ...

    @abstractmethod
    def _run_script(self, tx: _Tx, sql: str) -> None: ...

    @abstractmethod
    def close(self) -> None:
        """Close the database connection."""

    _for_update = ""  # row-lock suffix for reads that precede a write (PostgreSQL)

    # --- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> StatusRegistry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        """Bring the schema to the newest version (numbered SQL files in ``migrations/<dialect>/``)."""
        scripts = _migration_scripts(self.dialect)
        latest = max(scripts) if scripts else 0
        with self._transaction(write=True) as tx:
            self._lock_writers(tx)
            tx.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            row = tx.one("SELECT COALESCE(MAX(version), 0) FROM schema_version")
            current = int(row[0]) if row else 0
            if current > latest:
                raise RegistryError(
                    f"the registry database has schema version {current}, newer than this jitsuin "
                    f"({latest}); upgrade jitsuin",
                    code="REGISTRY_SCHEMA_TOO_NEW",
                )
            for version in sorted(v for v in scripts if v > current):
                self._run_script(tx, scripts[version])
                tx.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (%s, %s)",
                    (version, _now(None).strftime("%Y-%m-%dT%H:%M:%SZ")),
                )

    def schema_version(self) -> int:
        """The applied schema version."""
        with self._transaction(write=False) as tx:
            row = tx.one("SELECT COALESCE(MAX(version), 0) FROM schema_version")
        return int(row[0]) if row else 0

    # --- issuing --------------------------------------------------------------------------

    def register(
        self,
        *,
        credential_id: str,
        credential_type: str,
        format: str,
        purposes: Sequence[str] = DEFAULT_PURPOSES,
        idempotency_key: str | None = None,
        valid_until: datetime | None = None,
        now: datetime | None = None,
    ) -> Registration:
        """Record a credential about to be issued and allocate one index per purpose.

        With ``idempotency_key`` (the institution's own row key), registering again returns the
        first registration (``created=False``), whatever ``credential_id`` is passed; a different
        type, format or purposes is ``RegistryError`` ``IDEMPOTENCY_CONFLICT``. A reused
        ``credential_id`` is ``DUPLICATE_CREDENTIAL_ID``.
        """
        request = RegistrationRequest(credential_id, credential_type, format, purposes, idempotency_key, valid_until)
        return self.register_many([request], now=now)[0]

    def register_many(self, requests: Sequence[RegistrationRequest], *, now: datetime | None = None
                      ) -> list[Registration]:
        """``register`` for each request, in order, in one transaction (one commit, one writer-lock turn).

        The same guarantees as one by one: random indexes from the unused ones, never reused, a new list
        when one fills up (also mid-chunk), and idempotency by key: a request whose key is already
        registered, by an earlier transaction or earlier in ``requests``, gets that registration back
        (``created=False``). All or nothing: an error for one request (``detail["request"]`` is its
        position) rolls back the others too.
        """
        checked = [_checked(position, request) for position, request in enumerate(requests)]
        if not checked:
            return []
        if self.base_url is None:
            raise UsageError("the registry needs base_url (where status lists are published) to register")
        now = _now(now)
        with self._transaction(write=True) as tx:
            self._lock_writers(tx)
            return self._register_in(tx, checked, now)

    def _register_in(self, tx: _Tx, requests: list[RegistrationRequest], now: datetime) -> list[Registration]:
        digests = [idempotency_digest(r.idempotency_key) if r.idempotency_key is not None else None
                   for r in requests]
        known = self._load_many(tx, "idempotency_hash", [d for d in digests if d is not None])
        ids = [r.credential_id for r in requests]
        taken = {row[0] for row in _select_in(tx, "SELECT credential_id FROM credentials WHERE credential_id IN ({})",
                                              ids)}
        # each slot: a registration found by its key, or (position in `new`, created?)
        slots: list[Registration | tuple[int, bool]] = []
        new: list[tuple[RegistrationRequest, str | None]] = []
        first_new: dict[str, int] = {}
        for position, (request, digest) in enumerate(zip(requests, digests, strict=True)):
            if digest is not None and digest in known:
                found = known[digest]
                _check_same(request, found.credential_type, found.format, [e.purpose for e in found.entries], position)
                slots.append(replace(found, created=False))
                continue
            if digest is not None and digest in first_new:  # the same key earlier in this chunk
                earlier = new[first_new[digest]][0]
                _check_same(request, earlier.credential_type, earlier.format, earlier.purposes, position)
                slots.append((first_new[digest], False))
                continue
            if request.credential_id in taken:
                raise RegistryError(
                    "this credential id is already registered; every credential needs a new id",
                    code="DUPLICATE_CREDENTIAL_ID", request=position,
                )
            taken.add(request.credential_id)
            if digest is not None:
                first_new[digest] = len(new)
            slots.append((len(new), True))
            new.append((request, digest))
        if new:
            tx.executemany(
                "INSERT INTO credentials (credential_id, idempotency_hash, credential_type, format, issued_at, "
                "valid_until, status) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [(r.credential_id, digest, r.credential_type, r.format, self._time_in(now),
                  self._time_in(r.valid_until), ACTIVE) for r, digest in new],
            )
        allocated: list[dict[str, StatusEntry]] = [{} for _ in new]
        for purpose in LIST_PURPOSES:
            wanting = [k for k, (r, _) in enumerate(new) if purpose in r.purposes]
            if not wanting:
                continue
            entries = self._allocate_many(tx, purpose, len(wanting), now)
            tx.executemany(
                "INSERT INTO status_entries (list_id, idx, credential_id, purpose) VALUES (%s, %s, %s, %s)",
                [(e.list_id, e.index, new[k][0].credential_id, purpose) for k, e in zip(wanting, entries, strict=True)],
            )
            for k, entry in zip(wanting, entries, strict=True):
                allocated[k][purpose] = entry
        made = [
            Registration(r.credential_id, r.credential_type, r.format, now, r.valid_until, ACTIVE, None, None,
                         tuple(allocated[k][p] for p in r.purposes), created=True)
            for k, (r, _) in enumerate(new)
        ]
        return [slot if isinstance(slot, Registration) else replace(made[slot[0]], created=slot[1])
                for slot in slots]

    def _allocate_many(self, tx: _Tx, purpose: str, count: int, now: datetime) -> list[StatusEntry]:
        """``count`` indexes for ``purpose``: from the current list, then from new lists as each fills up."""
        out: list[StatusEntry] = []
        while len(out) < count:
            row = tx.one(
                "SELECT id, url, size, allocated FROM status_lists WHERE purpose = %s AND full_at IS NULL "
                "ORDER BY id LIMIT 1",
                (purpose,),
            )
            if row is None:
                row = self._new_list(tx, purpose, now)
            list_id, url, size, allocated = int(row[0]), row[1], int(row[2]), int(row[3])
            take = min(count - len(out), size - allocated)
            if take <= 0:
                raise RegistryError("the current status list has no unused index left", code="REGISTRY_LIST_FULL")
            indexes = self._pick_indexes(tx, list_id, size, take)
            allocated += take
            tx.execute(
                "UPDATE status_lists SET allocated = %s, full_at = %s WHERE id = %s",
                (allocated, self._time_in(now) if allocated >= size else None, list_id),
            )
            out.extend(StatusEntry(purpose, list_id, index, url) for index in indexes)
        return out

    def _new_list(self, tx: _Tx, purpose: str, now: datetime) -> tuple[Any, ...]:
        # ids are taken under the writer lock, so MAX + 1 cannot race
        row = tx.one("SELECT COALESCE(MAX(id), 0) + 1 FROM status_lists")
        list_id = int(row[0]) if row else 1
        url = f"{self.base_url}/{list_id}{_SUFFIX[purpose]}"
        tx.execute(
            "INSERT INTO status_lists (id, purpose, url, size, allocated, created_at) VALUES (%s, %s, %s, %s, 0, %s)",
            (list_id, purpose, url, self.list_size, self._time_in(now)),
        )
        return (list_id, url, self.list_size, 0)

    def _pick_indexes(self, tx: _Tx, list_id: int, size: int, count: int) -> list[int]:
        """``count`` distinct unused indexes of the list, each uniform over the unused ones (rejection sampling)."""
        picked: list[int] = []
        chosen: set[int] = set()
        for _ in range(_ROUNDS):
            need = count - len(picked)
            if need == 0:
                break
            candidates = [c for c in dict.fromkeys(self._rng(size) for _ in range(2 * need + _PROBES))
                          if c not in chosen]
            used = {int(r[0]) for r in _select_in(
                tx, "SELECT idx FROM status_entries WHERE list_id = %s AND idx IN ({})", candidates, (list_id,))}
            for candidate in candidates:
                if candidate not in used:
                    picked.append(candidate)
                    chosen.add(candidate)
                    if len(picked) == count:
                        break
        if len(picked) < count:
            # nearly full: choose uniformly among every unused index
            taken = {int(r[0]) for r in tx.all("SELECT idx FROM status_entries WHERE list_id = %s", (list_id,))}
            free = [index for index in range(size) if index not in taken and index not in chosen]
            if len(free) < count - len(picked):
                raise RegistryError("the current status list has no unused index left", code="REGISTRY_LIST_FULL")
            while len(picked) < count:
                picked.append(free.pop(self._rng(len(free))))
        return picked

    # --- status changes -------------------------------------------------------------------

    def revoke(self, credential_id: str, *, reason: str = "unspecified", now: datetime | None = None) -> Registration:
        """Revoke (final: no way back). ``CredentialNotFoundError``; ``StatusTransitionError`` if revoked."""
        return self._change("revoke", credential_id, reason, now)

    def suspend(self, credential_id: str, *, reason: str = "unspecified", now: datetime | None = None) -> Registration:
        """Suspend an active credential (reversible with ``reinstate``)."""
        return self._change("suspend", credential_id, reason, now)

    def reinstate(
        self, credential_id: str, *, reason: str = "reinstated", now: datetime | None = None
    ) -> Registration:
        """Lift a suspension; only a suspended credential can be reinstated."""
        return self._change("reinstate", credential_id, reason, now)

    def _change(self, action: str, credential_id: str, reason: str, now: datetime | None) -> Registration:
        if reason not in REASON_CODES:
            raise RegistryError(
                f"unknown reason code; use one of {', '.join(sorted(REASON_CODES))}",
                code="INVALID_REASON",
            )
        allowed, target = _TRANSITIONS[action]
        now = _now(now)
        with self._transaction(write=True) as tx:
            current = self._load(tx, "credential_id", credential_id, lock=True)
            if current is None:
                raise CredentialNotFoundError(
                    "no credential with this id is in the registry; check the id (`jitsuin status show`)",
                    credential_id=credential_id,
                )
            if current.status not in allowed:
                raise _transition_error(action, current.status)
            if not any(current.entry(p) for p in _NEEDS[action]):
                raise RegistryError(
                    f"the credential was issued without a {' or '.join(_NEEDS[action])} status entry, so this "
                    "change could not be published",
                    code="STATUS_PURPOSE_NOT_REGISTERED",
                )
            tx.execute(
                "UPDATE credentials SET status = %s, reason = %s, status_changed_at = %s WHERE credential_id = %s",
                (target, reason, self._time_in(now), credential_id),
            )
            tx.execute(
                "INSERT INTO status_changes (credential_id, changed_at, from_status, to_status, reason) "
                "VALUES (%s, %s, %s, %s, %s)",
                (credential_id, self._time_in(now), current.status, target, reason),
            )
        return replace(current, status=target, reason=reason, status_changed_at=now, created=False)

    # --- reading --------------------------------------------------------------------------

    def get(self, credential_id: str) -> Registration:
        """The credential's registration; ``CredentialNotFoundError`` for an unknown id."""
        with self._transaction(write=False) as tx:
            found = self._load(tx, "credential_id", credential_id)
        if found is None:
            raise CredentialNotFoundError(
                "no credential with this id is in the registry; check the id", credential_id=credential_id
            )
        return found

    def find(self, *, idempotency_key: str) -> Registration | None:
        """The registration made with this idempotency key, or None."""
        with self._transaction(write=False) as tx:
            return self._load(tx, "idempotency_hash", idempotency_digest(idempotency_key))

    def history(self, credential_id: str) -> list[dict[str, Any]]:
        """The status changes of a credential, oldest first (``changed_at``, ``from``, ``to``, ``reason``)."""
        with self._transaction(write=False) as tx:
            rows = tx.all(
                "SELECT changed_at, from_status, to_status, reason FROM status_changes WHERE credential_id = %s "
                "ORDER BY id",
                (credential_id,),
            )
        return [
            {"changed_at": self._time_out(r[0]), "from": r[1], "to": r[2], "reason": r[3]} for r in rows
        ]

    def lists(self, *, purpose: str | None = None) -> list[StatusListInfo]:
        """Every status list (optionally of one purpose), oldest first."""
        sql = "SELECT id, purpose, url, size, allocated, created_at, full_at FROM status_lists"
        params: tuple[Any, ...] = ()
        if purpose is not None:
            sql += " WHERE purpose = %s"
            params = (purpose,)
        with self._transaction(write=False) as tx:
            rows = tx.all(sql + " ORDER BY id", params)
        return [self._list_info(r) for r in rows]

    def snapshot(self, list_id: int, *, now: datetime | None = None) -> ListSnapshot:
        """The list's non-zero values now: revoked / suspended bits, or token values 1 and 2."""
        with self._transaction(write=False) as tx:
            row = tx.one(
                "SELECT id, purpose, url, size, allocated, created_at, full_at FROM status_lists WHERE id = %s",
                (list_id,),
            )
            if row is None:
                raise RegistryError(f"there is no status list {list_id}", code="LIST_NOT_FOUND")
            rows = tx.all(
                "SELECT e.idx, c.status FROM status_entries e JOIN credentials c "
                "ON c.credential_id = e.credential_id WHERE e.list_id = %s AND c.status <> %s",
                (list_id, ACTIVE),
            )
        info = self._list_info(row)
        return ListSnapshot(info, _values(info.purpose, rows), _now(now))

    def _list_info(self, row: tuple[Any, ...]) -> StatusListInfo:
        created = self._time_out(row[5])
        assert created is not None
        return StatusListInfo(int(row[0]), row[1], row[2], int(row[3]), int(row[4]), created, row[6] is not None)

    def _load(self, tx: _Tx, column: str, value: str, *, lock: bool = False) -> Registration | None:
        assert column in ("credential_id", "idempotency_hash")  # never user input in SQL text
        row = tx.one(
            f"SELECT {_CREDENTIAL_COLUMNS} FROM credentials WHERE {column} = %s" + (self._for_update if lock else ""),
            (value,),
        )
        if row is None:
            return None
        entries = tx.all(
            "SELECT e.purpose, e.list_id, e.idx, l.url FROM status_entries e JOIN status_lists l ON l.id = e.list_id "
            "WHERE e.credential_id = %s ORDER BY e.purpose",
            (row[0],),
        )
        return self._registration(row, entries)

    def _load_many(self, tx: _Tx, column: str, values: Sequence[str]) -> dict[str, Registration]:
        """The registrations whose ``column`` is one of ``values``, by that value (two queries per 500)."""
        assert column in ("credential_id", "idempotency_hash")  # never user input in SQL text
        rows = _select_in(tx, f"SELECT {_CREDENTIAL_COLUMNS}, {column} FROM credentials WHERE {column} IN ({{}})",
                          list(dict.fromkeys(values)))
        if not rows:
            return {}
        entries: dict[str, list[tuple[Any, ...]]] = {}
        for entry in _select_in(
            tx, "SELECT e.credential_id, e.purpose, e.list_id, e.idx, l.url FROM status_entries e JOIN status_lists l "
            "ON l.id = e.list_id WHERE e.credential_id IN ({}) ORDER BY e.purpose", [r[0] for r in rows]
        ):
            entries.setdefault(entry[0], []).append(entry[1:])
        return {row[-1]: self._registration(row, entries.get(row[0], [])) for row in rows}

    def _registration(self, row: Sequence[Any], entries: Sequence[Sequence[Any]]) -> Registration:
        issued = self._time_out(row[3])
        assert issued is not None
        return Registration(
            credential_id=row[0],
            credential_type=row[1],
            format=row[2],
            issued_at=issued,
            valid_until=self._time_out(row[4]),
            status=row[5],
            reason=row[6],
            status_changed_at=self._time_out(row[7]),
            entries=tuple(StatusEntry(e[0], int(e[1]), int(e[2]), e[3]) for e in entries),
            created=False,
        )


_CREDENTIAL_COLUMNS = ("credential_id, credential_type, format, issued_at, valid_until, status, reason, "
                       "status_changed_at")


def _select_in(tx: _Tx, sql: str, values: Sequence[Any], params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` (its ``{}`` the ``IN`` list) for every value, ``_IN_LIMIT`` values per query."""
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(values), _IN_LIMIT):
        part = values[start:start + _IN_LIMIT]
        rows.extend(tx.all(sql.format(", ".join(["%s"] * len(part))), (*params, *part)))
    return rows


def _checked(position: int, request: RegistrationRequest) -> RegistrationRequest:
    """The request with purposes as a tuple and valid_until in whole UTC seconds; UsageError on misuse."""
    purposes = tuple(request.purposes)
    if not purposes or len(set(purposes)) != len(purposes) or not set(purposes) <= set(LIST_PURPOSES):
        raise UsageError(f"purposes must be distinct values from {', '.join(LIST_PURPOSES)}", request=position)
    for name in ("credential_id", "credential_type", "format"):
        value = getattr(request, name)
        if not isinstance(value, str) or not value:
            raise UsageError(f"{name} must be a non-empty string", request=position)
    if request.idempotency_key is not None and not isinstance(request.idempotency_key, str):
        raise UsageError("idempotency_key must be a string", request=position)
    return replace(request, purposes=purposes, valid_until=_trim(request.valid_until))


def _check_same(request: RegistrationRequest, credential_type: str, format: str, purposes: Sequence[str],
                position: int) -> None:
    if (credential_type, format) != (request.credential_type, request.format) or set(purposes) != set(
        request.purposes
    ):
        raise RegistryError(
            "this idempotency key was registered for a credential of another type, format "
            "or status purposes; use a new key for a different credential",
            code="IDEMPOTENCY_CONFLICT", request=position,
        )


def _values(purpose: str, rows: Sequence[tuple[Any, ...]]) -> dict[int, int]:
    if purpose == "token":  # IETF: 1 INVALID (revoked), 2 SUSPENDED
        return {int(idx): 1 if status == REVOKED else 2 for idx, status in rows if status in (REVOKED, SUSPENDED)}
    wanted = REVOKED if purpose == "revocation" else SUSPENDED
    return {int(idx): 1 for idx, status in rows if status == wanted}


def _transition_error(action: str, status: str) -> StatusTransitionError:
    if status == REVOKED:
        return StatusTransitionError(
            "the credential is revoked; revocation is final and cannot be undone or changed",
            code="CREDENTIAL_REVOKED",
        )
    if action == "suspend":
        return StatusTransitionError("the credential is already suspended", code="ALREADY_SUSPENDED")
    return StatusTransitionError(
        "only a suspended credential can be reinstated; this one is active", code="NOT_SUSPENDED"
    )


def _migration_scripts(dialect: str) -> dict[int, str]:
    folder = resources.files("issuers.registry") / "migrations" / dialect
    scripts: dict[int, str] = {}
    for item in folder.iterdir():
        name = item.name
        if name.endswith(".sql") and name[:4].isdigit():
            scripts[int(name[:4])] = item.read_text(encoding="utf-8")
    return scripts


def _trim(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise UsageError("datetimes must be timezone-aware (UTC)")
    return value.astimezone(timezone.utc).replace(microsecond=0)


def _now(now: datetime | None) -> datetime:
    value = _trim(now or datetime.now(timezone.utc))
    assert value is not None
    return value
