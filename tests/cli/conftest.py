"""Run the real console entry point in-process, capturing its output and exit code."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass

import pytest

from cli.main import main


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def jitsuin(monkeypatch, capsys):
    """Call ``jitsuin ARGS...`` and return exit code, stdout and stderr; ``stdin=`` feeds standard input."""

    def run(*args: str, stdin: bytes | None = None) -> Run:
        monkeypatch.setattr(sys, "argv", ["jitsuin", *args])
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
