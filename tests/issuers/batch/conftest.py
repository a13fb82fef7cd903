"""A did:web school workspace for the batch tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from issuers.workspace import Workspace
from tests.issuers.workspace.workspace_support import NOW


@pytest.fixture
def school(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.init(tmp_path / "ws", name="Example School", did_web="school.example.jp", kinds=["school"],
                        unencrypted=True, now=NOW)
    yield ws
    ws.close()
