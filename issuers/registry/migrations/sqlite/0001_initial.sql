-- jitsuin issuance registry, schema 1 (SQLite). Status bookkeeping only: no claim values, no personal data.

CREATE TABLE status_lists (
    id INTEGER PRIMARY KEY,                     -- the public list number in the list URL
    purpose TEXT NOT NULL CHECK (purpose IN ('revocation', 'suspension', 'token')),
    url TEXT NOT NULL UNIQUE,                   -- fixed when the list is created: credentials embed it
    size INTEGER NOT NULL CHECK (size > 0),
    allocated INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= size),
    created_at TEXT NOT NULL,
    full_at TEXT
);

CREATE INDEX status_lists_open ON status_lists (purpose, id) WHERE full_at IS NULL;

CREATE TABLE credentials (
    credential_id TEXT PRIMARY KEY,
    idempotency_hash TEXT UNIQUE,               -- SHA-256 hex of the institution's row key
    credential_type TEXT NOT NULL,
    format TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    valid_until TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'revoked')),
    reason TEXT,
    status_changed_at TEXT
);

CREATE INDEX credentials_not_active ON credentials (status) WHERE status <> 'active';

CREATE TABLE status_entries (
    list_id INTEGER NOT NULL REFERENCES status_lists (id),
    idx INTEGER NOT NULL CHECK (idx >= 0),
    credential_id TEXT NOT NULL REFERENCES credentials (credential_id),
    purpose TEXT NOT NULL,
    PRIMARY KEY (list_id, idx),                 -- an index is handed out once
    UNIQUE (credential_id, purpose)
);

CREATE TABLE status_changes (
    id INTEGER PRIMARY KEY,
    credential_id TEXT NOT NULL REFERENCES credentials (credential_id),
    changed_at TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL
);

CREATE INDEX status_changes_credential ON status_changes (credential_id, id);

-- defence in depth for "never reused" and "revocation is final", whatever code runs against the file
CREATE TRIGGER status_entries_never_deleted BEFORE DELETE ON status_entries
BEGIN
    SELECT RAISE(ABORT, 'status entries are never deleted: an index must not be reused');
END;

CREATE TRIGGER status_entries_never_updated BEFORE UPDATE ON status_entries
BEGIN
    SELECT RAISE(ABORT, 'status entries are never changed: an index must not be reused');
END;

CREATE TRIGGER credentials_revocation_final BEFORE UPDATE OF status ON credentials
WHEN OLD.status = 'revoked' AND NEW.status <> 'revoked'
BEGIN
    SELECT RAISE(ABORT, 'revocation is final');
END;

CREATE TRIGGER credentials_never_deleted BEFORE DELETE ON credentials
BEGIN
    SELECT RAISE(ABORT, 'credential records are never deleted');
END;
