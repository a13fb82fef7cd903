-- One row per verification: what was checked and the verdict, never a claim value.
CREATE TABLE verifications (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at      TEXT    NOT NULL,              -- UTC, YYYY-MM-DDTHH:MM:SSZ
    kind             TEXT    NOT NULL,              -- credential | presentation
    procedure        TEXT,                          -- procedure id
    purpose          TEXT,                          -- the purpose shown to the resident
    request_id       TEXT,                          -- the presentation request it answered
    verified         INTEGER NOT NULL CHECK (verified IN (0, 1)),
    codes            TEXT    NOT NULL,              -- JSON array of failure codes
    issuers          TEXT    NOT NULL,              -- JSON array of issuer DIDs
    credential_types TEXT    NOT NULL,              -- JSON array of credential types
    formats          TEXT    NOT NULL,              -- JSON array of formats
    credential_count INTEGER NOT NULL
);
CREATE INDEX verifications_recorded_at ON verifications (recorded_at);
CREATE INDEX verifications_request_id ON verifications (request_id);
CREATE INDEX verifications_procedure ON verifications (procedure, recorded_at);
