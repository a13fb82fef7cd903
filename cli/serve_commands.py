"""``jitsuin serve issuer`` (the issuer service) and ``jitsuin serve token`` (a staff bearer token).

Staff token digests live in ``<workspace>/service/staff_tokens`` (one ``sha256:<hex>`` per line); the token
itself is printed once by ``jitsuin serve token`` and stored nowhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from issuers.service import create_app, serve
from issuers.service.auth import add_staff_token, read_staff_digests
from issuers.workspace import WORKSPACE_ENV, Workspace
from vc.keys import KeyPair
from vc.keys.keyfile import read_key_file, write_key_file

from .inputs import read_passphrase
from .serve_options import Host, LogLevel, Port, is_loopback
from .serve_verifier import serve_verifier, verifier_token
from .serve_wallet import serve_wallet

__all__ = ["app", "service_dir"]

app = typer.Typer(help="Run jitsuin services.", no_args_is_help=True)
app.command("verifier")(serve_verifier)
app.command("verifier-token")(verifier_token)
app.command("wallet")(serve_wallet)

WorkspaceDir = Annotated[
    Path | None,
    typer.Option("--workspace", "--dir", envvar=WORKSPACE_ENV, show_envvar=True,
                 help="The workspace folder (default ./.jitsuin)."),
]
_SUITE_KEY_ALGS = ("Ed25519", "P-256")


def service_dir(workspace: Workspace) -> Path:
    """Where the service keeps its own files inside the workspace."""
    return Path(workspace.path) / "service"


def _did_key_issuers(folder: Path) -> list[KeyPair]:
    """One key per key type for the per-cryptosuite did:key issuers (test-suite keys: stored unencrypted)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    keys = []
    for alg in _SUITE_KEY_ALGS:
        path = folder / f"did-key-{alg}.jwk"
        if path.exists():
            key = read_key_file(path)
            assert isinstance(key, KeyPair)
        else:
            key = KeyPair.generate(alg)
            write_key_file(path, key)
        keys.append(key)
    return keys


@app.command("issuer")
def serve_issuer(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    folder: WorkspaceDir = None,
    cert: Annotated[Path | None, typer.Option("--cert", help="TLS certificate (PEM): serve HTTPS.")] = None,
    key: Annotated[Path | None, typer.Option("--key", help="TLS private key (PEM) of --cert.")] = None,
    public_url: Annotated[str | None, typer.Option(
        "--public-url", help="Credential Issuer Identifier / base URL (default: the workspace's status URL).")] = None,
    did_key_issuers: Annotated[bool, typer.Option(
        "--did-key-issuers", help="Also sign as did:key issuers, one per key type (W3C test suites).")] = False,
    passphrase_env: Annotated[str | None, typer.Option(
        "--passphrase-env", help="Environment variable holding the key passphrase (default JITSUIN_PASSPHRASE).")] = None,
    log_level: LogLevel = "info",
    access_log: Annotated[bool, typer.Option(
        "--access-log", help="Log every request path (offer URLs are secrets: protect the log).")] = False,
) -> None:
    """Serve VC-API, OpenID4VCI, the well-known documents and the status lists of a workspace."""
    if (cert is None) != (key is None):
        raise typer.BadParameter("--cert and --key go together")
    workspace = Workspace.open(folder)
    digests = read_staff_digests(service_dir(workspace) / "staff_tokens")
    if not digests:
        typer.echo("note: no staff tokens yet; staff endpoints refuse every call (run `jitsuin serve token`)",
                   err=True)
    if cert is None and not is_loopback(host):
        typer.echo(f"warning: serving plain HTTP on {host}; put TLS in front or pass --cert/--key", err=True)
    extra = _did_key_issuers(service_dir(workspace)) if did_key_issuers else []
    application = create_app(workspace, staff_tokens=digests, public_url=public_url, did_key_issuers=extra,
                             passphrase=read_passphrase(passphrase_env))
    typer.echo(f"issuer {workspace.issuer_did} at {application.state.jitsuin.settings.public_url}", err=True)
    serve(application, host=host, port=port, certfile=cert, keyfile=key, log_level=log_level,
          access_log=access_log)


@app.command("token")
def staff_token(
    folder: WorkspaceDir = None,
    label: Annotated[str | None, typer.Option("--label", help="Who the token is for (kept as a comment).")] = None,
) -> None:
    """Make a staff bearer token: printed once; only its SHA-256 digest is stored."""
    workspace = Workspace.open(folder)
    token = add_staff_token(service_dir(workspace) / "staff_tokens", label=label)
    typer.echo(token)
    typer.echo("store it now: it is not kept anywhere (only its digest); restart `jitsuin serve issuer` to use it",
               err=True)
