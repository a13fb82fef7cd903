"""``jitsuin serve wallet``: the sample wallet app (``examples.wallet``) for one resident's wallet file.

The passphrase comes from an environment variable (default ``JITSUIN_WALLET_PASSPHRASE``) or a prompt;
the wallet file is created on first use. The app listens on 127.0.0.1 by default: it shows personal data
and holds the keys, so it is meant for the resident's own device.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from .serve_options import LogLevel, Port, is_loopback

__all__ = ["WALLET_ENV", "WALLET_PASSPHRASE_ENV", "serve_wallet"]

WALLET_ENV = "JITSUIN_WALLET"
WALLET_PASSPHRASE_ENV = "JITSUIN_WALLET_PASSPHRASE"


def serve_wallet(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (keep it on this device).")] = "127.0.0.1",
    port: Port = 8002,
    store: Annotated[Path, typer.Option("--store", envvar=WALLET_ENV, show_envvar=True,
                                        help="The wallet file (created when missing).")] = Path("wallet.db"),
    passphrase_env: Annotated[str, typer.Option(
        "--passphrase-env", help="Environment variable holding the wallet passphrase (else a prompt).")]
        = WALLET_PASSPHRASE_ENV,
    allow_http: Annotated[list[str] | None, typer.Option(
        "--allow-http", help="HOST:PORT an issuer or verifier may use over plain http (local demos; repeatable).")]
        = None,
    log_level: LogLevel = "info",
) -> None:
    """Serve the resident's wallet: credentials, receive (OpenID4VCI), present (OpenID4VP), history."""
    import uvicorn

    from examples.wallet import create_app
    from issuers.catalog import Catalog, register_catalog_contexts
    from vc.did import DidResolver
    from vc.jsonld import DocumentLoader

    passphrase = os.environ.get(passphrase_env)
    if passphrase is None:
        passphrase = typer.prompt("wallet passphrase", hide_input=True, confirmation_prompt=not store.exists())
    authorities = list(allow_http or [])
    # the catalog's JSON-LD contexts, so Data Integrity certificates of every catalog type verify on receipt
    loader = register_catalog_contexts(DocumentLoader(), Catalog.load())
    resolver = DidResolver(allow_http_for=authorities) if authorities else None
    application = create_app(store, passphrase, resolver=resolver, loader=loader, require_https=not authorities)
    if not is_loopback(host):
        typer.echo(f"warning: the wallet shows personal data; serving it on {host} exposes it to the network",
                   err=True)
    typer.echo(f"wallet {store} at http://{host}:{port}", err=True)
    uvicorn.run(application, host=host, port=port, log_level=log_level)
