"""``jitsuin serve verifier``: the verifier service (VC-API verify endpoints, OpenID4VP requests
and responses for procedures, the staff pages), and ``jitsuin serve verifier-token``: a staff
bearer token for it, printed once; only its SHA-256 digest is stored (in the staff token file)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from .serve_options import Host, LogLevel, Port, is_loopback

__all__ = ["STAFF_DIGESTS_ENV", "STAFF_TOKEN_FILE_ENV", "serve_verifier", "verifier_token"]

STAFF_TOKEN_FILE_ENV = "JITSUIN_VERIFIER_STAFF_TOKEN_FILE"
STAFF_DIGESTS_ENV = "JITSUIN_VERIFIER_STAFF_DIGESTS"

StaffTokenFile = Annotated[Path | None, typer.Option(
    "--staff-token-file", envvar=STAFF_TOKEN_FILE_ENV, show_envvar=True,
    help="File of staff token digests (one 'sha256:<hex>' per line; `jitsuin serve verifier-token` adds one).")]


def serve_verifier(
    host: Host = "127.0.0.1",
    port: Port = 8001,
    public_url: Annotated[str | None, typer.Option(
        "--public-url", help="The URL wallets reach this service at (default http://HOST:PORT).")] = None,
    procedures: Annotated[Path | None, typer.Option(
        "--procedures", help="Folder of procedure files (default: the shipped procedures).")] = None,
    trust_list: Annotated[Path | None, typer.Option("--trust-list", help="Trust list file (JSON/YAML, or a signed one).")] = None,
    policy: Annotated[Path | None, typer.Option("--policy", help="Policy file (instead of --trust-list).")] = None,
    db: Annotated[Path | None, typer.Option(
        "--db", help="Request store (SQLite file) shared by the workers (default: in memory, one worker).")] = None,
    audit_db: Annotated[Path | None, typer.Option("--audit-db", help="Audit log (SQLite file).")] = None,
    name_ja: Annotated[str, typer.Option("--name-ja", help="The verifier's name shown to residents.")] = "検証者",
    name_en: Annotated[str, typer.Option("--name-en", help="The verifier's name in English.")] = "Verifier",
    did: Annotated[str | None, typer.Option(
        "--did", help="Sign requests as decentralized_identifier:<DID> (needs --key).")] = None,
    key: Annotated[Path | None, typer.Option("--key", help="Private key file of a verification method of --did.")] = None,
    kid: Annotated[str | None, typer.Option("--kid", help="DID URL of --key (default: derived for did:key/did:jwk).")] = None,
    passphrase_env: Annotated[str | None, typer.Option(
        "--passphrase-env", help="Environment variable holding --key's passphrase.")] = None,
    any_issuer_for_vcapi: Annotated[bool, typer.Option(
        "--vcapi-any-issuer", help="VC-API verify endpoints trust every issuer (conformance test suites only).")] = False,
    staff_token_file: StaffTokenFile = None,
    staff_token_digest: Annotated[list[str] | None, typer.Option(
        "--staff-token-digest", envvar=STAFF_DIGESTS_ENV, show_envvar=True,
        help="A staff token digest 'sha256:<hex>' (repeatable; the variable holds them separated by spaces).")] = None,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes (more than 1 needs --db).")] = 1,
    log_level: LogLevel = "info",
) -> None:
    """Serve VC-API verification, OpenID4VP requests for procedures, and the staff pages (/staff).

    Creating requests and the staff pages need a staff token (see `jitsuin serve verifier-token`)."""
    import uvicorn

    from verifier.service.factory import CONFIG_ENV, ServiceConfig, build_app

    if policy is not None and trust_list is not None:
        raise typer.BadParameter("give --policy or --trust-list, not both")
    if workers > 1 and db is None:
        raise typer.BadParameter("--workers above 1 needs --db: the workers share the request store")
    config = ServiceConfig(
        public_url=public_url or f"http://{host}:{port}",
        name={"ja": name_ja, "en": name_en},
        procedures=str(procedures) if procedures else None,
        trust_list=str(trust_list) if trust_list else None,
        policy=str(policy) if policy else None,
        db=str(db) if db else None,
        audit_db=str(audit_db) if audit_db else None,
        did=did,
        key_file=str(key) if key else None,
        kid=kid,
        passphrase_env=passphrase_env,
        any_issuer_for_vcapi=any_issuer_for_vcapi,
        staff_token_file=str(staff_token_file) if staff_token_file else None,
        staff_token_digests=list(staff_token_digest or []),
    )
    application = build_app(config)  # fails here, once, on a bad file or key
    if not application.state.verifier.staff.digests:
        typer.echo("note: no staff tokens; creating requests and the staff pages are refused to everyone "
                   "(run `jitsuin serve verifier-token --staff-token-file FILE` and pass --staff-token-file FILE)",
                   err=True)
    if not is_loopback(host) and not config.public_url.startswith("https://"):
        typer.echo("warning: wallets expect an https:// public URL; put TLS in front and pass --public-url", err=True)
    typer.echo(f"verifier at {config.public_url} (staff pages: {config.public_url}/staff)", err=True)
    if workers > 1:
        os.environ[CONFIG_ENV] = config.to_json()
        uvicorn.run("verifier.service.factory:app_from_environment", factory=True, host=host, port=port,
                    workers=workers, log_level=log_level)
    else:
        uvicorn.run(application, host=host, port=port, log_level=log_level)


def verifier_token(
    staff_token_file: StaffTokenFile = None,
    label: Annotated[str | None, typer.Option("--label", help="Who the token is for (kept as a comment).")] = None,
) -> None:
    """Make a staff bearer token for `jitsuin serve verifier`: printed once; only its SHA-256 digest is stored."""
    from verifier.service.auth import add_staff_token

    if staff_token_file is None:
        raise typer.BadParameter(f"give --staff-token-file (or set {STAFF_TOKEN_FILE_ENV})",
                                 param_hint="--staff-token-file")
    token = add_staff_token(staff_token_file, label=label)
    typer.echo(token)
    typer.echo(f"store it now: it is not kept anywhere (only its digest, in {staff_token_file}); "
               "restart `jitsuin serve verifier` to use it", err=True)
