"""The wallet store: credentials, holder keys and the disclosure history in one SQLite file,
encrypted at rest.

The passphrase becomes a 256-bit key with Argon2id (libsodium ``crypto_pwhash``, via PyNaCl); the
salt and the cost parameters sit in the file's ``header`` table. Every record is sealed on its own
with ``SecretBox`` (XSalsa20-Poly1305, a fresh random nonce each time) under a key derived from
that one; rows are found by a keyed hash of their id (no credential or key id shows in the file),
and the sealed plaintext names the record's kind and id, so a row moved to another place does not
open. The header also
holds a sealed check value: a wrong passphrase is told apart from a damaged file.

Errors: :class:`vc.errors.WrongPassphraseError`; :class:`vc.errors.WalletError` with ``WALLET_CORRUPT``
(not a wallet, a damaged header or record), ``WALLET_NOT_FOUND``, ``WALLET_EXISTS``,
``WALLET_RECORD_NOT_FOUND``.

>>> store = WalletStore.create("wallet.db", "correct horse battery staple")
>>> key = store.new_key()
>>> store.close()
>>> WalletStore.open("wallet.db", "correct horse battery staple").keys()[0].id == key.id
True
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.pwhash.argon2id as argon2id
import nacl.secret
import nacl.utils

from vc.errors import UsageError, WalletError, WrongPassphraseError
from vc.keys import KeyPair

from .records import StoredCredential, StoredKey

__all__ = [
    "DEFAULT_MEMLIMIT",
    "DEFAULT_OPSLIMIT",
    "KIND_CREDENTIAL",
    "KIND_HISTORY",
    "KIND_KEY",
    "WalletStore",
]

MAGIC = "jitsuin-wallet"
VERSION = 1
KDF_NAME = "argon2id13"
# libsodium's "interactive" costs: about 0.1 s and 64 MiB here; pass higher ones for a long-lived wallet
DEFAULT_OPSLIMIT = argon2id.OPSLIMIT_INTERACTIVE
DEFAULT_MEMLIMIT = argon2id.MEMLIMIT_INTERACTIVE
# a damaged or hostile header must not make opening take minutes or gigabytes
_MAX_OPSLIMIT = argon2id.OPSLIMIT_SENSITIVE
_MAX_MEMLIMIT = argon2id.MEMLIMIT_SENSITIVE
_CHECK = b"jitsuin-wallet passphrase check v1"

KIND_CREDENTIAL = "credential"
KIND_KEY = "key"
KIND_HISTORY = "history"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS header (name TEXT PRIMARY KEY, value BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL,"
    " sealed BLOB NOT NULL, PRIMARY KEY (kind, id))",
)


def _corrupt(message: str) -> WalletError:
    return WalletError(message + "; restore the wallet file from a backup", code="WALLET_CORRUPT")


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _costs_allowed(opslimit: int, memlimit: int) -> bool:
    return argon2id.OPSLIMIT_MIN <= opslimit <= _MAX_OPSLIMIT and argon2id.MEMLIMIT_MIN <= memlimit <= _MAX_MEMLIMIT


@dataclass(frozen=True, slots=True)
class _Keys:
    """The two keys one passphrase gives: records are sealed with ``box``; row ids are keyed hashes
    (``index``) so the file shows no credential or key identifier."""

    box: nacl.secret.SecretBox
    index: bytes

    def row_id(self, kind: str, record_id: str) -> str:
        data = f"{kind}\x00{record_id}".encode("utf-8")
        return hashlib.blake2b(data, key=self.index, digest_size=16).hexdigest()


def _derive(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> _Keys:
    if not isinstance(passphrase, str) or not passphrase:
        raise UsageError("the wallet passphrase must be a non-empty string")
    master = argon2id.kdf(32, passphrase.encode("utf-8"), salt, opslimit=opslimit, memlimit=memlimit)
    box_key = hashlib.blake2b(b"jitsuin-wallet records", key=master, digest_size=nacl.secret.SecretBox.KEY_SIZE)
    index_key = hashlib.blake2b(b"jitsuin-wallet row ids", key=master, digest_size=32)
    return _Keys(nacl.secret.SecretBox(box_key.digest()), index_key.digest())


class WalletStore:
    """An open wallet file. Thread-safe (one connection behind a lock); use as a context manager
    or call :meth:`close`.

    Generic sealed records (``put``/``get``/``records``/``delete`` by kind and id) carry the typed
    ones: credentials (:class:`StoredCredential`), holder keys (:class:`StoredKey`) and history
    entries (see :mod:`vc.holder.history`).
    """

    def __init__(self, connection: sqlite3.Connection, keys: _Keys, path: Path, *,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        self._db = connection
        self._keys = keys
        self._lock = threading.RLock()
        self.path = path
        self.clock = clock

    # --- opening and creating ---------------------------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike[str], passphrase: str, *, opslimit: int = DEFAULT_OPSLIMIT,
               memlimit: int = DEFAULT_MEMLIMIT, salt: bytes | None = None,
               clock: Callable[[], datetime] = _utc_now) -> WalletStore:
        """A new, empty wallet file at ``path`` (mode 0600); ``WALLET_EXISTS`` if there is one."""
        target = Path(path)
        if target.exists() and target.stat().st_size > 0:
            raise WalletError(f"{target} already exists; open it, or choose another file", code="WALLET_EXISTS")
        if not _costs_allowed(opslimit, memlimit):
            raise UsageError("opslimit/memlimit are outside libsodium's Argon2id bounds")
        salt = salt if salt is not None else nacl.utils.random(argon2id.SALTBYTES)
        if len(salt) != argon2id.SALTBYTES:
            raise UsageError(f"the salt must be {argon2id.SALTBYTES} bytes")
        keys = _derive(passphrase, salt, opslimit, memlimit)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
        db = cls._connect(target)
        with db:
            for statement in _SCHEMA:
                db.execute(statement)
            rows = {"magic": MAGIC.encode(), "version": str(VERSION).encode(), "kdf": KDF_NAME.encode(),
                    "salt": salt, "opslimit": str(opslimit).encode(), "memlimit": str(memlimit).encode(),
                    "check": bytes(keys.box.encrypt(_CHECK))}
            db.executemany("INSERT INTO header (name, value) VALUES (?, ?)", list(rows.items()))
        return cls(db, keys, target, clock=clock)

    @classmethod
    def open(cls, path: str | os.PathLike[str], passphrase: str, *,
             clock: Callable[[], datetime] = _utc_now) -> WalletStore:
        """Open the wallet at ``path``: ``WALLET_NOT_FOUND``, ``WALLET_CORRUPT`` or
        ``WrongPassphraseError`` when it cannot be."""
        target = Path(path)
        if not target.is_file():
            raise WalletError(f"no wallet file at {target}; create one first", code="WALLET_NOT_FOUND")
        db = cls._connect(target)
        try:
            header = cls._read_header(db)
            keys = _derive(passphrase, header["salt"], header["opslimit"], header["memlimit"])
            try:
                check = keys.box.decrypt(header["check"])
            except nacl.exceptions.CryptoError:
                raise WrongPassphraseError("the passphrase does not open this wallet; check it and try again") from None
            if check != _CHECK:
                raise _corrupt("the wallet header's check value is damaged")
        except BaseException:
            db.close()
            raise
        return cls(db, keys, target, clock=clock)

    @classmethod
    def open_or_create(cls, path: str | os.PathLike[str], passphrase: str, **options: Any) -> WalletStore:
        """Open the wallet at ``path``, creating it first when there is none."""
        target = Path(path)
        if target.is_file() and target.stat().st_size > 0:
            return cls.open(target, passphrase, **{k: v for k, v in options.items() if k == "clock"})
        return cls.create(target, passphrase, **options)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=DELETE")
            db.execute("PRAGMA foreign_keys=ON")
            db.isolation_level = ""  # back to implicit transactions for `with db:`
        except sqlite3.DatabaseError as exc:
            raise _corrupt(f"{path} is not a wallet file ({type(exc).__name__})") from None
        return db

    @staticmethod
    def _read_header(db: sqlite3.Connection) -> dict[str, Any]:
        try:
            rows = dict(db.execute("SELECT name, value FROM header").fetchall())
            db.execute("SELECT count(*) FROM records").fetchone()
        except sqlite3.DatabaseError as exc:
            raise _corrupt(f"the file is not a wallet, or its tables are damaged ({type(exc).__name__})") from None
        try:
            if bytes(rows["magic"]) != MAGIC.encode() or bytes(rows["kdf"]) != KDF_NAME.encode():
                raise _corrupt("the file is not a jitsuin wallet")
            if int(bytes(rows["version"])) != VERSION:
                raise WalletError("this wallet was written by another jitsuin version; upgrade jitsuin",
                                  code="WALLET_CORRUPT")
            opslimit, memlimit = int(bytes(rows["opslimit"])), int(bytes(rows["memlimit"]))
            salt, check = bytes(rows["salt"]), bytes(rows["check"])
        except (KeyError, ValueError, TypeError):
            raise _corrupt("the wallet header is incomplete or damaged") from None
        if not _costs_allowed(opslimit, memlimit) or len(salt) != argon2id.SALTBYTES:
            raise _corrupt("the wallet header's key derivation parameters are damaged")
        return {"salt": salt, "opslimit": opslimit, "memlimit": memlimit, "check": check}

    def close(self) -> None:
        """Close the file; the derived key is dropped with this object."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> WalletStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        return self.clock().astimezone(timezone.utc)

    # --- sealed records ----------------------------------------------------------------------
    # The table holds (kind, row id, seq, sealed): the row id is a keyed hash of kind and id, and the
    # sealed plaintext carries kind, id and value, checked on opening.

    def _seal(self, kind: str, record_id: str, data: Any) -> bytes:
        plain = json.dumps({"kind": kind, "id": record_id, "data": data}, ensure_ascii=False,
                           separators=(",", ":")).encode("utf-8")
        return bytes(self._keys.box.encrypt(plain))

    def _open(self, kind: str, row_id: str, sealed: bytes) -> tuple[str, Any]:
        try:
            value = json.loads(self._keys.box.decrypt(bytes(sealed)))
        except (nacl.exceptions.CryptoError, ValueError, TypeError):
            raise _corrupt(f"a {kind} record of the wallet does not open (damaged)") from None
        record_id = value.get("id") if isinstance(value, dict) else None
        if value.get("kind") != kind or not isinstance(record_id, str) or self._keys.row_id(kind, record_id) != row_id:
            raise _corrupt(f"a {kind} record of the wallet is not where it belongs (damaged or tampered)")
        return record_id, value.get("data")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                with self._db:
                    yield self._db
            except sqlite3.DatabaseError as exc:
                raise _corrupt(f"the wallet file could not be read or written ({type(exc).__name__})") from None

    def _write(self, db: sqlite3.Connection, kind: str, record_id: str, data: Any) -> None:
        row_id = self._keys.row_id(kind, record_id)
        sealed = self._seal(kind, record_id, data)
        if db.execute("UPDATE records SET sealed = ? WHERE kind = ? AND id = ?", (sealed, kind, row_id)).rowcount == 0:
            seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM records").fetchone()[0]
            db.execute("INSERT INTO records (kind, id, seq, sealed) VALUES (?, ?, ?, ?)", (kind, row_id, seq, sealed))

    def put(self, kind: str, record_id: str, data: Any) -> None:
        """Store (or replace) the JSON value ``data`` as record ``kind``/``record_id``, sealed."""
        with self._transaction() as db:
            self._write(db, kind, record_id, data)

    def get(self, kind: str, record_id: str) -> Any:
        """The value of record ``kind``/``record_id``; ``WALLET_RECORD_NOT_FOUND`` when absent."""
        row_id = self._keys.row_id(kind, record_id)
        with self._transaction() as db:
            row = db.execute("SELECT sealed FROM records WHERE kind = ? AND id = ?", (kind, row_id)).fetchone()
        if row is None:
            raise WalletError(f"the wallet holds no {kind} with this id", code="WALLET_RECORD_NOT_FOUND", kind=kind)
        return self._open(kind, row_id, row[0])[1]

    def records(self, kind: str) -> list[tuple[str, Any]]:
        """Every ``(id, value)`` of ``kind``, oldest first."""
        with self._transaction() as db:
            rows = db.execute("SELECT id, sealed FROM records WHERE kind = ? ORDER BY seq", (kind,)).fetchall()
        return [self._open(kind, row_id, sealed) for row_id, sealed in rows]

    def delete(self, kind: str, record_id: str) -> bool:
        """Remove a record; True when there was one."""
        row_id = self._keys.row_id(kind, record_id)
        with self._transaction() as db:
            return db.execute("DELETE FROM records WHERE kind = ? AND id = ?", (kind, row_id)).rowcount > 0

    def change_passphrase(self, new_passphrase: str, *, opslimit: int | None = None,
                          memlimit: int | None = None) -> None:
        """Re-seal every record under keys from ``new_passphrase`` (and a new salt), in one transaction."""
        with self._lock:
            header = self._read_header(self._db)
            ops, mem = opslimit or header["opslimit"], memlimit or header["memlimit"]
            salt = nacl.utils.random(argon2id.SALTBYTES)
            new_keys = _derive(new_passphrase, salt, ops, mem)
            rows = self._db.execute("SELECT kind, id, seq, sealed FROM records").fetchall()
            opened = [(kind, seq, *self._open(kind, row_id, sealed)) for kind, row_id, seq, sealed in rows]
            old_keys, self._keys = self._keys, new_keys
            try:
                with self._transaction() as db:
                    db.execute("DELETE FROM records")
                    for kind, seq, record_id, data in opened:
                        db.execute("INSERT INTO records (kind, id, seq, sealed) VALUES (?, ?, ?, ?)",
                                   (kind, new_keys.row_id(kind, record_id), seq, self._seal(kind, record_id, data)))
                    for name, value in (("salt", salt), ("opslimit", str(ops).encode()),
                                        ("memlimit", str(mem).encode()),
                                        ("check", bytes(new_keys.box.encrypt(_CHECK)))):
                        db.execute("UPDATE header SET value = ? WHERE name = ?", (value, name))
            except BaseException:
                self._keys = old_keys
                raise

    # --- holder keys ---------------------------------------------------------------------------

    def new_key(self, alg: str = "Ed25519", *, label: str | None = None, key: KeyPair | None = None) -> StoredKey:
        """Generate (or take ``key``) and store a holder key; its id is the public key's thumbprint."""
        pair = key or KeyPair.generate(alg)
        stored = StoredKey(pair.public.thumbprint(), pair, self.now(), label)
        self.put(KIND_KEY, stored.id, stored.to_record())
        return stored

    def key(self, key_id: str) -> KeyPair:
        """The holder key ``key_id``."""
        return StoredKey.from_record(self.get(KIND_KEY, key_id)).key

    def keys(self) -> list[StoredKey]:
        """Every holder key, oldest first."""
        return [StoredKey.from_record(v) for _, v in self.records(KIND_KEY)]

    # --- credentials ---------------------------------------------------------------------------

    def add_credential(self, credential: StoredCredential, *, key: StoredKey | None = None) -> StoredCredential:
        """Store ``credential`` (and the holder ``key`` it is bound to) in one transaction."""
        with self._transaction() as db:
            if key is not None:
                self._write(db, KIND_KEY, key.id, key.to_record())
            self._write(db, KIND_CREDENTIAL, credential.id, credential.to_record())
        return credential

    def credential(self, credential_id: str) -> StoredCredential:
        """The stored credential ``credential_id`` (``WALLET_RECORD_NOT_FOUND`` when absent)."""
        return StoredCredential.from_record(self.get(KIND_CREDENTIAL, credential_id))

    def credentials(self) -> list[StoredCredential]:
        """Every stored credential, in the order received."""
        return [StoredCredential.from_record(v) for _, v in self.records(KIND_CREDENTIAL)]

    def delete_credential(self, credential_id: str) -> bool:
        """Remove a credential (its history entries stay: they record what was disclosed)."""
        return self.delete(KIND_CREDENTIAL, credential_id)

    def record_status(self, credential_id: str, status: str, *, at: datetime | None = None) -> StoredCredential:
        """Note the result of a status check (``valid``, ``revoked``, ``suspended``, ``unknown``)."""
        updated = replace(self.credential(credential_id), status=status, status_checked_at=at or self.now())
        self.put(KIND_CREDENTIAL, credential_id, updated.to_record())
        return updated
