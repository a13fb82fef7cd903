"""``jitsuin serve wallet``: the wallet app over a wallet file; a wrong passphrase or a damaged file stops it
with the error code, before anything listens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from vc.holder import WalletStore


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """uvicorn.run replaced: the app and options it would have served."""
    calls: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.update(app=app, **options))
    return calls


def test_the_wallet_is_created_and_served_on_loopback(jitsuin, served: dict[str, Any], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JITSUIN_WALLET_PASSPHRASE", "a passphrase")
    store = tmp_path / "wallet.db"
    run = jitsuin("serve", "wallet", "--store", str(store), "--port", "8123")
    assert run.code == 0, run.err
    assert served["host"] == "127.0.0.1" and served["port"] == 8123
    assert store.is_file()
    page = TestClient(served["app"]).get("/")
    assert page.status_code == 200 and "わたしの証明書" in page.text
    served["app"].state.wallet.store.close()
    WalletStore.open(store, "a passphrase").close()


def test_a_wrong_passphrase_stops_it_with_the_code(jitsuin, served: dict[str, Any], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    WalletStore.create(tmp_path / "wallet.db", "the right one", opslimit=1, memlimit=8192).close()
    monkeypatch.setenv("JITSUIN_WALLET_PASSPHRASE", "a wrong one")
    run = jitsuin("serve", "wallet", "--store", str(tmp_path / "wallet.db"))
    assert run.code == 2 and "WRONG_PASSPHRASE" in run.err and "app" not in served


def test_a_damaged_wallet_file_stops_it_with_the_code(jitsuin, served: dict[str, Any], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "wallet.db").write_bytes(b"\x00garbage" * 512)
    monkeypatch.setenv("JITSUIN_WALLET_PASSPHRASE", "x")
    run = jitsuin("serve", "wallet", "--store", str(tmp_path / "wallet.db"))
    assert run.code == 2 and "WALLET_CORRUPT" in run.err and "app" not in served
