"""``jitsuin batch TYPE rows.csv|rows.jsonl``: issue a credential per row, with a progress bar."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from issuers.batch import BatchReport, run_batch
from issuers.workspace import format_names
from vc.errors import BatchError

from .inputs import read_passphrase
from .workspace_commands import PassphraseEnv, WorkspaceDir, open_workspace

__all__ = ["batch"]

_err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # one problem per line, never wrapped


class _RateColumn(ProgressColumn):
    """Credentials per second (rich's speed column counts bytes)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "-/s", style="progress.data.speed")


class _RichProgress:
    """issuers.batch.BatchProgress on a rich progress bar (stderr, so stdout stays clean)."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: object = None

    def start(self, phase: str, total: int) -> None:
        self._task = self._progress.add_task(phase, total=total)  # the finished phase stays on screen

    def advance(self, count: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, count)


def batch(
    type_name: Annotated[str, typer.Argument(metavar="TYPE", help="The certificate type, e.g. SchoolEnrollment.")],
    rows: Annotated[Path, typer.Argument(help="The rows: a .csv (header = claim paths) or .jsonl file.")],
    format: Annotated[
        str | None, typer.Option("--format", "-f", help=f"One of {', '.join(format_names())} (default: the type's).")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write one file per credential into this folder.")] = None,
    out_jsonl: Annotated[Path | None, typer.Option("--out-jsonl", help="Write JSON Lines into this file.")] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", "-j", min=1, help="Signing processes (default: every core).")
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Issue the valid rows and list the invalid ones.")
    ] = False,
    key_column: Annotated[
        str | None,
        typer.Option("--key-column", help="The column holding your record key (re-runs issue each record once)."),
    ] = None,
    holder_column: Annotated[
        str | None, typer.Option("--holder-column", help="The column holding the holder's DID or public JWK.")
    ] = None,
    no_status: Annotated[bool, typer.Option("--no-status", help="Issue without status list entries.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    folder: WorkspaceDir = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Issue a credential for every row: all rows checked first, signed on all cores, resumable.

    Exit 0 when every row was issued; 1 when rows were skipped or failed; 2 when the input is unusable
    (every invalid row is listed with its line number and field, never its value).
    """
    if out is not None and out_jsonl is not None:
        raise typer.BadParameter("give --out or --out-jsonl, not both")
    show = not quiet and sys.stderr.isatty()
    progress = Progress(
        TextColumn("[bold]{task.description:>8}"), BarColumn(), MofNCompleteColumn(), _RateColumn(),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=_err, disable=not show,
        transient=False)
    with open_workspace(folder) as workspace:
        try:
            with progress:
                report = run_batch(
                    workspace, type_name, rows, format=format, out_dir=out, out_jsonl=out_jsonl, workers=workers,
                    skip_invalid=skip_invalid, key_column=key_column, holder_column=holder_column,
                    status=not no_status, passphrase=read_passphrase(passphrase_env),
                    progress=_RichProgress(progress))
        except BatchError as err:
            if err.code != "BATCH_ROWS_INVALID":
                raise
            _print_invalid(err)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            _err.print("[yellow]interrupted[/]: run the same command again to issue the remaining rows")
            raise typer.Exit(130) from None
    raise typer.Exit(_summary(report))


def _print_invalid(err: BatchError) -> None:
    problems = err.detail.get("rows", [])
    lines = err.detail.get("lines", [])
    _err.print(f"[bold red]error[/] {err.code}: {len(lines)} invalid row(s); nothing was signed", markup=True)
    for p in problems:
        where = f"'{p['path']}' " if p["path"] else ""
        _err.print(f"  line {p['line']}: {where}{p['reason']}", markup=False)
    _err.print("fix these rows, or pass --skip-invalid to issue the valid rows only")


def _summary(report: BatchReport) -> int:
    if report.key_column is None:
        _err.print("note: no --key-column (nor a recordKey column): each row's content was its record key, so an "
                   "edited row will be issued as a new record")
    for problem in report.invalid:
        _err.print(f"  skipped {problem}", markup=False)
    for failure in report.failed:
        _err.print(f"  failed {failure}", markup=False)
    rate = report.issued / report.seconds if report.seconds > 0 else 0.0
    typer.echo(
        f"{report.issued} issued ({report.format}, {rate:,.0f}/s, {report.workers} worker(s)), "
        f"{report.already_done} already issued, {len(report.invalid_lines)} invalid skipped, "
        f"{len(report.failed)} failed -> {report.output}")
    if report.failed:
        typer.echo("some rows failed; fix the cause and run the same command again", err=True)
    return 1 if report.failed or report.invalid_lines else 0
