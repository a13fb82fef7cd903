"""``jitsuin serve verifier-token`` (a staff token, printed once, only its digest stored) and
``jitsuin serve verifier --staff-token-file`` / the digest variable (the server itself is not started:
``uvicorn.run`` is replaced by a stub that keeps the app, which a live server then serves)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from cli.main import main
from tests.verifier import oid4vp_support as support


@pytest.fixture
def jitsuin(monkeypatch, capsys):  # type: ignore[no-untyped-def]
    """``jitsuin ARGS...`` in-process -> (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["jitsuin", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.fixture
def served(monkeypatch) -> list[Any]:
    """The apps ``jitsuin serve verifier`` would have served."""
    apps: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: apps.append(app))
    return apps


def _accepts(app: Any, token: str) -> tuple[int, int]:
    """(status without a token, status with ``token``) of ``POST /requests`` on ``app``, over HTTP."""
    server = support.LiveServer(lambda base: app)
    try:
        with server.client() as http:
            body = {"procedure": "birth-registration"}
            return (http.post("/requests", json=body).status_code,
                    http.post("/requests", json=body, headers={"Authorization": f"Bearer {token}"}).status_code)
    finally:
        server.stop()


def test_verifier_token_is_printed_once_and_only_its_digest_is_stored(jitsuin, served, tmp_path: Path) -> None:
    tokens = tmp_path / "verifier" / "staff_tokens"
    code, out, err = jitsuin("serve", "verifier-token", "--staff-token-file", str(tokens), "--label", "窓口 1")
    assert code == 0, err
    token = out.strip()
    assert len(token) >= 43 and "store it now" in err
    stored = tokens.read_text(encoding="utf-8")
    assert token not in stored and stored.startswith("sha256:") and "窓口 1" in stored
    assert tokens.stat().st_mode & 0o077 == 0

    code, _, err = jitsuin("serve", "verifier", "--port", "0", "--staff-token-file", str(tokens))
    assert code == 0, err
    assert "no staff tokens" not in err
    assert _accepts(served[-1], token) == (401, 201)


def test_token_file_and_digests_from_the_environment(jitsuin, served, tmp_path: Path, monkeypatch) -> None:
    tokens = tmp_path / "staff_tokens"
    monkeypatch.setenv("JITSUIN_VERIFIER_STAFF_TOKEN_FILE", str(tokens))
    code, out, _ = jitsuin("serve", "verifier-token")
    assert code == 0
    first = out.strip()
    from verifier.service.auth import new_staff_token

    second, digest = new_staff_token()
    monkeypatch.setenv("JITSUIN_VERIFIER_STAFF_DIGESTS", digest)
    code, _, err = jitsuin("serve", "verifier", "--port", "0")
    assert code == 0, err
    assert _accepts(served[-1], first) == (401, 201)
    assert _accepts(served[-1], second) == (401, 201)


def test_bad_staff_token_configuration_is_refused_before_serving(jitsuin, served, tmp_path: Path) -> None:
    code, _, err = jitsuin("serve", "verifier", "--staff-token-file", str(tmp_path / "missing"))
    assert code == 2 and "no staff token file" in err
    code, _, err = jitsuin("serve", "verifier", "--staff-token-digest", support.STAFF_TOKEN)
    assert code == 2 and "never the tokens" in err
    code, _, err = jitsuin("serve", "verifier-token")
    assert code == 2 and "--staff-token-file" in err
    assert served == []


def test_without_tokens_the_service_says_nobody_can_create_requests(jitsuin, served) -> None:
    code, _, err = jitsuin("serve", "verifier", "--port", "0")
    assert code == 0 and "no staff tokens" in err
    assert _accepts(served[-1], support.STAFF_TOKEN) == (401, 401)
