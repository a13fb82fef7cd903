"""Atomic replacement: the new content or the old, the mode asked for, no temporary file left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from vc.atomic_file import write_atomic


def test_replaces_with_text_or_bytes(tmp_path: Path) -> None:
    target = tmp_path / "list.json"
    write_atomic(target, "{\"状態\": 1}")
    assert target.read_text(encoding="utf-8") == "{\"状態\": 1}"
    assert target.stat().st_mode & 0o777 == 0o600  # private unless asked otherwise
    write_atomic(target, b"[]", mode=0o644)
    assert target.read_bytes() == b"[]" and target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["list.json"]


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "config.toml"
    target.write_text("old")
    with pytest.raises(TypeError):
        write_atomic(target, 42)  # type: ignore[arg-type]
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["config.toml"]
