"""Printing for the CLI: results as a table or JSON, errors as ``code: message`` on stderr."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from vc.errors import VcError
from vc.results import VerificationResult

# no emoji codes (":key:" would turn "did:key:" into a key glyph) and no markup from messages
_err = Console(stderr=True, highlight=False, emoji=False)
_out = Console(highlight=False, emoji=False)


def print_error(err: VcError) -> None:
    """One line per error, never a traceback."""
    _err.print(f"[bold red]error[/] {escape(err.code)}: {escape(err.message)}", markup=True, soft_wrap=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def print_result(result: VerificationResult) -> None:
    """A readable table of every check, then the verdict."""
    table = Table(title=f"Verification ({result.format})", show_lines=False)
    table.add_column("check")
    table.add_column("result")
    table.add_column("code")
    table.add_column("detail", overflow="fold")
    _rows(table, result, "")
    _out.print(table)
    if result.verified:
        _out.print("[bold green]VALID[/]")
    else:
        _out.print(f"[bold red]INVALID[/] ({', '.join(result.codes) or 'no checks ran'})")


def _rows(table: Table, result: VerificationResult, prefix: str) -> None:
    for c in result.checks:
        mark = "[green]pass[/]" if c.passed else "[red]FAIL[/]"
        table.add_row(escape(prefix + c.check), mark, escape(c.code or ""), escape(c.message))
    for i, sub in enumerate(result.credentials):
        _rows(table, sub, f"{prefix}credential[{i}].")
