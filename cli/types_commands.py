"""``jitsuin types``: list, show, check and add certificate types (a new type is one file, no code)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from issuers.catalog import AddResult, Catalog, CertificateType, describe_claims, format_path
from issuers.workspace import Workspace
from vc.errors import WorkspaceError

from .output import print_json
from .workspace_commands import WorkspaceDir

app = typer.Typer(help="Certificate types: the catalog, and your own types as files.", no_args_is_help=True)
_out = Console(highlight=False, emoji=False)

Lang = Annotated[str, typer.Option("--lang", help="Label language: ja or en.")]


def _catalog(folder: Path | None) -> Catalog:
    """The workspace's catalog (builtin types plus its own), or the builtin one outside a workspace."""
    try:
        with Workspace.open(folder) as workspace:
            return workspace.catalog
    except WorkspaceError as exc:  # no workspace here: the builtin types still answer
        if folder is not None or exc.code != "WORKSPACE_NOT_FOUND":
            raise
        return Catalog.load()


@app.command("list")
def list_types(folder: WorkspaceDir = None, lang: Lang = "ja") -> None:
    """Every certificate type available to this workspace."""
    table = Table(show_lines=False)
    table.add_column("type", no_wrap=True)
    for column in ("version", "name", "default format", "issuers"):
        table.add_column(column)
    for ctype in _catalog(folder).list():
        table.add_row(ctype.id, ctype.version, ctype.name.get(lang, ctype.name.get("en", "")), ctype.default_format,
                      ", ".join(ctype.issuer_kinds))
    _out.print(table)


@app.command("show")
def show(type_name: Annotated[str, typer.Argument(help="A type id, e.g. BirthCertificate.")],
         folder: WorkspaceDir = None, lang: Lang = "ja",
         as_json: Annotated[bool, typer.Option("--json", help="The claims as JSON.")] = False) -> None:
    """A type's claims: labels, sensitivity, which are selectively disclosable and required."""
    ctype = _catalog(folder).get(type_name)
    claims = describe_claims(ctype)
    if as_json:
        print_json({"id": ctype.id, "version": ctype.version, "credentialType": ctype.credential_type,
                    "name": dict(ctype.name), "claims": [
                        {"path": format_path(c.path), "labels": dict(c.labels), "sensitivity": str(c.sensitivity),
                         "required": c.required, "selectivelyDisclosable": c.selectively_disclosable,
                         "optIn": c.opt_in, "derived": c.derived} for c in claims]})
        return
    _out.print(f"[bold]{ctype.name.get(lang, ctype.id)}[/] ({ctype.id} v{ctype.version}, {ctype.credential_type})")
    table = Table()
    table.add_column("claim", no_wrap=True)
    for column in ("label", "sensitivity", "required", "SD"):
        table.add_column(column)
    for c in claims:
        table.add_row(format_path(c.path), c.labels.get(lang, ""), str(c.sensitivity),
                      "yes" if c.required else "", "opt-in" if c.opt_in else ("yes" if c.selectively_disclosable else ""))
    _out.print(table)


@app.command("validate")
def validate(file: Annotated[Path, typer.Argument(help="A type file (YAML or JSON).")],
             folder: WorkspaceDir = None) -> None:
    """Check a type file: schema, terms, ja/en labels, forbidden fields, compatibility, and a sample round trip."""
    _report(_catalog(folder).check(file), file, added=False)


@app.command("add")
def add(file: Annotated[Path, typer.Argument(help="A type file (YAML or JSON).")],
        folder: WorkspaceDir = None) -> None:
    """Check a type file, then copy it into the workspace so every command and the service can issue it."""
    with Workspace.open(folder) as workspace:
        result = workspace.catalog.check(file)
        workspace.types_dir.mkdir(parents=True, exist_ok=True)
        target = workspace.types_dir / f"{result.type.id}-{result.type.version}{file.suffix}"
        shutil.copyfile(file, target)
    _report(result, file, added=True)
    typer.echo(f"copied to {target}")


def _report(result: AddResult, file: Path, *, added: bool) -> None:
    ctype: CertificateType = result.type
    typer.echo(f"{file}: {ctype.id} v{ctype.version} is valid"
               + (" and round-trips (issue -> verify)" if result.round_trip else ""))
    if result.compatibility is not None:
        kind = "a compatible extension" if result.compatibility.compatible else "a BREAKING change"
        typer.echo(f"  against the previous version it is {kind}:")
        for change in result.compatibility.changes:
            typer.echo(f"    {'BREAKING ' if change.breaking else ''}{change.kind} {change.path} {change.detail}".rstrip())
    if added:
        typer.echo(f"  {ctype.id} is now available to `jitsuin issue --type {ctype.id}` and the issuer service")

