"""Registry backends for tests: a SQLite file per test, and a PostgreSQL schema per test.

PostgreSQL tests need ``JITSUIN_TEST_POSTGRES_URL`` (``eval "$(scripts/postgres-test-server.sh start)"``).
Without it they are skipped with that message, except under CI (``CI`` set), where they fail:
CI never skips them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def postgres_base_url() -> str:
    """The test server URL, or skip (developer machine) / fail (CI)."""
    url = os.environ.get("JITSUIN_TEST_POSTGRES_URL", "")
    if url:
        return url
    message = (
        "PostgreSQL registry tests need JITSUIN_TEST_POSTGRES_URL; start a throw-away server with "
        '`eval "$(scripts/postgres-test-server.sh start)"`'
    )
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail("CI must run the PostgreSQL tests: " + message)
    pytest.skip(message)


def _with_search_path(url: str, schema: str) -> str:
    return url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A URL whose connections work in a fresh, empty schema (dropped afterwards)."""
    import psycopg

    base = postgres_base_url()
    schema = "jitsuin_t_" + secrets.token_hex(6)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield _with_search_path(base, schema)
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def registry_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a registry lives: a SQLite path or a PostgreSQL URL with its own schema."""
    if request.param == "sqlite":
        return str(tmp_path / "registry.db")
    return request.getfixturevalue("pg_schema_url")


class RawDb:
    """Direct SQL on a registry database, to inspect or tamper with it as an outsider would."""

    def __init__(self, location: str) -> None:
        self.postgres = location.startswith("postgresql://")
        if self.postgres:
            import psycopg

            self.conn = psycopg.connect(location, autocommit=True)
        else:
            import sqlite3

            self.conn = sqlite3.connect(location, isolation_level=None)

    def _execute(self, sql: str, params: tuple) -> object:
        if self.postgres:
            return self.conn.execute(sql, params or None)
        return self.conn.execute(sql.replace("%s", "?"), params)

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        return list(self._execute(sql, params).fetchall())  # type: ignore[attr-defined]

    def run(self, sql: str, params: tuple = ()) -> None:
        self._execute(sql, params)

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
def raw_db(registry_location: str) -> Iterator[RawDb]:
    db = RawDb(registry_location)
    yield db
    db.close()
