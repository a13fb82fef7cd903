"""A workspace whose registry is PostgreSQL (``jitsuin init --db postgresql://...``), for several issuer nodes.

Needs ``JITSUIN_TEST_POSTGRES_URL`` (``eval "$(scripts/postgres-test-server.sh start)"``); skipped with that
message on a developer machine without it, a failure under CI (CI never skips PostgreSQL tests).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from issuers.workspace import Workspace
from tests.issuers.workspace.workspace_support import NOW, check, failures, sample

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> Iterator[str]:
    base = os.environ.get("JITSUIN_TEST_POSTGRES_URL", "")
    if not base:
        message = ("PostgreSQL workspace tests need JITSUIN_TEST_POSTGRES_URL; start a throw-away server with "
                   '`eval "$(scripts/postgres-test-server.sh start)"`')
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail("CI must run the PostgreSQL tests: " + message)
        pytest.skip(message)
    import psycopg

    schema = "jitsuin_ws_" + secrets.token_hex(6)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield base + ("&" if "?" in base else "?") + f"options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_postgres_registry_workspace(tmp_path: Path, pg_url: str) -> None:
    ws = Workspace.init(tmp_path / "ws", name="Example City", did_web="city.example.jp", db_url=pg_url,
                        unencrypted=True, now=NOW)
    with ws:
        assert not (ws.path / "registry.db").exists()
        issued = ws.issue("BirthCertificate", sample(ws, "BirthCertificate"), format="eddsa-rdfc-2022",
                          record_key="B-1", now=NOW)
        assert ws.registry.get(issued.credential_id).status == "active"
        result = check(ws, issued.credential)
        assert result.verified, failures(result)
    with Workspace.open(tmp_path / "ws") as reopened:
        again = reopened.issue("BirthCertificate", sample(reopened, "BirthCertificate"), format="eddsa-rdfc-2022",
                               record_key="B-1", now=NOW)
        assert again.credential_id == issued.credential_id and not again.created
