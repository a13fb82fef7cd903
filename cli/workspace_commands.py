"""``jitsuin init``, ``jitsuin key rotate|retire`` and ``jitsuin issue --type``: the issuer workspace."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from issuers.workspace import DID_KEY_STATUS_BASE, PASSPHRASE_ENV, WORKSPACE_ENV, Workspace, format_names
from vc.keys import KeyPair
from vc.keys.keyfile import read_key_file
from vc.model import format_datetime

from .inputs import read_json_object, read_passphrase

__all__ = ["init", "issue_typed", "key_retire", "key_rotate", "open_workspace"]

WorkspaceDir = Annotated[
    Path | None,
    typer.Option("--dir", envvar=WORKSPACE_ENV, help="The workspace folder (default ./.jitsuin).", show_envvar=True),
]
PassphraseEnv = Annotated[
    str | None,
    typer.Option("--passphrase-env",
                 help=f"Environment variable holding the key passphrase (default {PASSPHRASE_ENV})."),
]


def open_workspace(folder: Path | None) -> Workspace:
    """The workspace at ``folder`` (or ``$JITSUIN_WORKSPACE`` / ``./.jitsuin``)."""
    return Workspace.open(folder)


def init(
    name: Annotated[str, typer.Option(
        "--name", help="The institution's name, e.g. \"千代田区\" (in Japanese when --name-en is given too).")],
    name_en: Annotated[str | None, typer.Option(
        "--name-en", help="Its name in English, e.g. \"Chiyoda City\": wallets show the resident's language.")]
        = None,
    did_web: Annotated[
        str | None, typer.Option("--did-web", help="Issue as did:web:DOMAIN (required for key rotation).")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Registry: a SQLite file (default registry.db) or postgresql://... (keep the "
                     "password out of the URL: PGPASSWORD or ~/.pgpass; $JITSUIN_DB_URL overrides)."),
    ] = None,
    folder: Annotated[Path | None, typer.Option("--dir", envvar=WORKSPACE_ENV, help="Where to create it.")] = None,
    alg: Annotated[str, typer.Option("--alg", help="Signing key type: Ed25519 or P-256.")] = "Ed25519",
    status_url: Annotated[
        str | None, typer.Option("--status-url", help="Base URL the status lists are served under.")
    ] = None,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help="Issuer kind (municipality, school ...); repeat.")
    ] = None,
    format: Annotated[
        str | None, typer.Option("--format", "-f", help=f"Default format ({', '.join(format_names())}).")
    ] = None,
    passphrase_env: PassphraseEnv = None,
    unencrypted: Annotated[
        bool, typer.Option("--unencrypted", help="Store the signing key unencrypted (demos and tests only).")
    ] = False,
) -> None:
    """Create an issuer workspace: config, encrypted signing key, registry; later commands need no flags."""
    names: str | dict[str, str] = {"ja": name, "en": name_en} if name_en is not None else name
    workspace = Workspace.init(
        folder, name=names, did_web=did_web, db_url=db, passphrase=read_passphrase(passphrase_env),
        alg=alg, unencrypted=unencrypted, status_base_url=status_url, kinds=kind or (), default_format=format)
    with workspace:
        config = workspace.config
        key = config.active_key()
        typer.echo(f"workspace: {workspace.path}")
        if config.names:
            typer.echo("name:      " + ", ".join(f"{text} ({tag})" for tag, text in config.names.items()))
        typer.echo(f"issuer:    {config.issuer_did}")
        typer.echo(f"key:       {key.kid} ({key.alg}{', encrypted' if key.encrypted else ', NOT encrypted'})")
        typer.echo(f"registry:  {config.db_url}")
        typer.echo(f"status:    {workspace.status_list_base}/<n>.json")
        document = workspace.write_did_document()
        if document is not None:
            typer.echo(f"did.json:  {document} (publish it at {_did_url(config.issuer_did)})")
        elif config.status_base_url == DID_KEY_STATUS_BASE and status_url is None:
            typer.echo(f"note: status lists point to {DID_KEY_STATUS_BASE}; pass --status-url for a public address",
                       err=True)


def _did_url(did: str) -> str:
    from vc.did import did_web_url

    return did_web_url(did)


def key_rotate(
    folder: WorkspaceDir = None,
    passphrase_env: PassphraseEnv = None,
    alg: Annotated[str | None, typer.Option("--alg", help="Key type of the new key (default: as before).")] = None,
) -> None:
    """Add a new signing key to the did:web document; the old key stays for verification only."""
    with open_workspace(folder) as workspace:
        previous = workspace.config.active_key().kid
        entry = workspace.rotate_key(passphrase=read_passphrase(passphrase_env), alg=alg)
        typer.echo(f"signing key: {entry.kid} ({entry.alg}); {previous} is now verify-only")
        _print_keys(workspace)
        path = workspace.write_did_document()
        typer.echo(f"publish the updated {path} before issuing with {entry.kid}")


def key_retire(
    kid: Annotated[str, typer.Argument(help="The key to retire, e.g. key-1.")],
    folder: WorkspaceDir = None,
    force: Annotated[
        bool, typer.Option("--force", help="Retire even though credentials it signed are still valid (compromise).")
    ] = False,
) -> None:
    """Remove a verify-only key from the DID document, once every credential it signed has expired."""
    with open_workspace(folder) as workspace:
        entry = workspace.retire_key(kid, force=force)
        typer.echo(f"retired {entry.kid} on {entry.retired}")
        _print_keys(workspace)
        path = workspace.write_did_document()
        if path is not None:
            typer.echo(f"publish the updated {path}")


def _print_keys(workspace: Workspace) -> None:
    for key in workspace.config.keys:
        typer.echo(f"  {key.kid}  {key.alg:8} {key.state}")


def issue_typed(
    type_name: str,
    claims_file: str,
    *,
    format: str | None,
    holder_key: Path | None,
    holder: str | None,
    record_key: str | None,
    passphrase_env: str | None,
    out: Path | None,
    folder: Path | None = None,
    valid_until: datetime | None = None,
    status: bool = True,
) -> None:
    """``jitsuin issue --type TYPE claims.json``: validate against the catalog, sign (with status entries from the
    registry unless ``status=False``), record, print."""
    claims = read_json_object(claims_file, what="claims")
    subject: object = None
    if holder_key is not None:
        found = read_key_file(holder_key)
        subject = found.public if isinstance(found, KeyPair) else found
    elif holder is not None:
        subject = holder
    with open_workspace(folder) as workspace:
        issued = workspace.issue(type_name, claims, format=format, holder=subject,  # type: ignore[arg-type]
                                 record_key=record_key, valid_until=valid_until, status=status,
                                 passphrase=read_passphrase(passphrase_env))
    text = issued.serialize()
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)
    until = f", valid until {format_datetime(issued.valid_until)}" if issued.valid_until else ""
    again = "" if issued.created else " (already issued for this record key: same id and status entries)"
    typer.echo(f"issued {issued.credential_id} ({issued.type}, {issued.format}, {issued.kid}{until}){again}"
               + (f" -> {out}" if out else ""), err=True)
