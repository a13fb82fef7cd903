"""``jitsuin did``: resolve DIDs."""

from __future__ import annotations

from typing import Annotated

import typer

from vc.did import default_resolver

from .output import print_json

app = typer.Typer(help="Resolve DIDs (did:key, did:jwk, did:web).", no_args_is_help=True)


@app.command("resolve")
def resolve(did: Annotated[str, typer.Argument(help="A DID or DID URL.")]) -> None:
    """Print the DID document (or, for a DID URL with a fragment, the verification method)."""
    resolver = default_resolver()
    print_json(resolver.dereference(did) if "#" in did else resolver.resolve(did))
