"""``jitsuin key``: create signing keys and show their DIDs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vc.did import did_jwk, did_key
from vc.keys import KeyPair
from vc.keys.keyfile import write_key_file

from .inputs import read_passphrase
from .workspace_commands import key_retire, key_rotate

app = typer.Typer(help="Create and inspect signing keys.", no_args_is_help=True)
# the issuer workspace's keys (did:web): rotate to a new signing key, retire an old one once unused
app.command("rotate")(key_rotate)
app.command("retire")(key_retire)

ALGS = ("Ed25519", "P-256")


@app.command("create")
def create(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the private JWK (mode 0600).")],
    alg: Annotated[str, typer.Option("--alg", help="Ed25519 or P-256.")] = "Ed25519",
    passphrase_env: Annotated[
        str | None,
        typer.Option("--passphrase-env", help="Encrypt the file with the passphrase in this environment variable."),
    ] = None,
    passphrase: Annotated[
        bool, typer.Option("--passphrase", help="Encrypt the file with a passphrase typed at a hidden prompt.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Create a key pair; prints its did:key and did:jwk."""
    if alg not in ALGS:
        raise typer.BadParameter(f"--alg must be one of {', '.join(ALGS)}")
    if out.exists() and not force:
        raise typer.BadParameter(f"{out} exists; pass --force to overwrite it")
    if passphrase and passphrase_env:
        raise typer.BadParameter("give --passphrase (prompt) or --passphrase-env VAR, not both")
    secret = read_passphrase(passphrase_env) if passphrase_env else None
    if passphrase:
        # never an argument value: it would stay in the shell history and the process list
        secret = typer.prompt("passphrase", hide_input=True, confirmation_prompt=True)
    key = KeyPair.generate(alg)
    write_key_file(out, key, passphrase=secret, overwrite=force)
    typer.echo(f"key:     {out} ({alg}{', encrypted' if secret else ''})")
    typer.echo(f"did:key: {did_key(key.public)}")
    typer.echo(f"did:jwk: {did_jwk(key.public)}")
