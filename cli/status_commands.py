"""``jitsuin status``: revoke, suspend, reinstate and show issued credentials; publish the status lists."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from issuers.registry import REASON_CODES, REVOKED

from .inputs import read_passphrase
from .output import print_json
from .workspace_commands import PassphraseEnv, WorkspaceDir, open_workspace

app = typer.Typer(help="Revoke, suspend, reinstate and publish credential status.", no_args_is_help=True)

CredentialId = Annotated[str, typer.Argument(help="The credential's id (printed when it was issued).")]
Reason = Annotated[str, typer.Option("--reason", help=f"One of: {', '.join(sorted(REASON_CODES))}.")]


@app.command("revoke")
def revoke(credential_id: CredentialId, reason: Reason = "unspecified", folder: WorkspaceDir = None) -> None:
    """Revoke a credential. Revocation is final: a revoked credential cannot be reinstated."""
    with open_workspace(folder) as workspace:
        registration = workspace.registry.revoke(credential_id, reason=reason)
    typer.echo(f"revoked {registration.credential_id} ({reason}); revocation is final. "
               "Run `jitsuin status publish` so verifiers see it.")


@app.command("suspend")
def suspend(credential_id: CredentialId, reason: Reason = "unspecified", folder: WorkspaceDir = None) -> None:
    """Suspend a credential; `jitsuin status reinstate` lifts the suspension."""
    with open_workspace(folder) as workspace:
        registration = workspace.registry.suspend(credential_id, reason=reason)
    typer.echo(f"suspended {registration.credential_id} ({reason}). Run `jitsuin status publish` so verifiers see it.")


@app.command("reinstate")
def reinstate(credential_id: CredentialId, folder: WorkspaceDir = None) -> None:
    """Lift a suspension (a revoked credential stays revoked)."""
    with open_workspace(folder) as workspace:
        registration = workspace.registry.reinstate(credential_id)
    typer.echo(f"reinstated {registration.credential_id}. Run `jitsuin status publish` so verifiers see it.")


@app.command("show")
def show(credential_id: CredentialId, folder: WorkspaceDir = None,
         as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """Show a credential's status, its status list entries and its history (no claim values are kept)."""
    with open_workspace(folder) as workspace:
        registration = workspace.registry.get(credential_id)
        history = workspace.registry.history(credential_id)
    data = registration.to_dict()
    if as_json:
        print_json({**data, "history": history})
        return
    entries = data.pop("entries", [])
    for key, value in data.items():
        if value is not None:
            typer.echo(f"{key:>18}: {value}")
    for e in entries:
        typer.echo(f"{'status entry':>18}: {e['purpose']} list {e['list_id']} index {e['index']} ({e['list_url']})")
    for event in history:
        typer.echo(f"{'change':>18}: {event['changed_at']} {event['from']} -> {event['to']} ({event['reason']})")
    if data.get("status") == REVOKED:
        typer.echo(f"{'':>18}  (revocation is final)")


@app.command("publish")
def publish(
    out: Annotated[Path | None, typer.Option("--out", help="Folder to write the signed lists to.")] = None,
    folder: WorkspaceDir = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Sign every status list (credentials and tokens) as static files for any web server or CDN."""
    with open_workspace(folder) as workspace:
        files = workspace.publish_status(out_dir=out, passphrase=read_passphrase(passphrase_env))
    for f in files:
        typer.echo(f"{f.path}  ->  {f.url}")
    typer.echo(f"{len(files)} file(s); serve each at the URL shown (credentials already point there).")
