"""Workspaces for tests: did:web and did:key, keys unencrypted to keep tests fast (one test covers encryption)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from issuers.workspace import Workspace
from tests.issuers.workspace.workspace_support import NOW


@pytest.fixture
def web_ws(tmp_path: Path) -> Iterator[Workspace]:
    """A did:web workspace (Ed25519)."""
    ws = Workspace.init(tmp_path / "ws", name="Example City", did_web="city.example.jp", unencrypted=True,
                        now=NOW)
    yield ws
    ws.close()


@pytest.fixture
def key_ws(tmp_path: Path) -> Iterator[Workspace]:
    """A did:key workspace."""
    ws = Workspace.init(tmp_path / "kws", name="Example Clinic", unencrypted=True, now=NOW)
    yield ws
    ws.close()
