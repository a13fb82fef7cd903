"""``jitsuin offer TYPE claims.json``: a credential offer for one resident, printed as a URI and a QR code.

The offer is written straight into the workspace's grant store, so the running ``jitsuin serve issuer`` of
the same workspace redeems it (no staff token needed: whoever runs this can read the workspace anyway).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from issuers.service import OID4VCI_FORMATS, GrantStore, ServiceSettings, create_offer
from issuers.service.app import GRANTS_DB
from issuers.service.offer_qr import qr_png, qr_svg, qr_text
from issuers.workspace import WORKSPACE_ENV, Workspace

from .inputs import read_json_object
from .output import print_json

__all__ = ["offer"]


def offer(
    type_name: Annotated[str, typer.Argument(metavar="TYPE", help="Certificate type, e.g. ResidentRecord.")],
    claims_file: Annotated[str, typer.Argument(metavar="CLAIMS", help="Claims JSON file ('-' for stdin).")],
    pin: Annotated[bool, typer.Option("--pin", help="Protect the offer with a numeric PIN (tx_code).")] = False,
    png: Annotated[Path | None, typer.Option("--png", help="Also write the QR code as a PNG file.")] = None,
    svg: Annotated[Path | None, typer.Option("--svg", help="Also write the QR code as an SVG file.")] = None,
    formats: Annotated[list[str] | None, typer.Option(
        "--format", "-f", help=f"Offered format ({', '.join(OID4VCI_FORMATS)}); repeat. Default: all.")] = None,
    by_value: Annotated[bool, typer.Option(
        "--by-value", help="Put the whole offer in the QR code instead of a credential_offer_uri.")] = False,
    expires_in: Annotated[int, typer.Option("--expires-in", min=60, help="Seconds the offer stays valid.")] = 900,
    public_url: Annotated[str | None, typer.Option(
        "--issuer-url", help="The issuer service's public URL (default: the workspace's status URL).")] = None,
    folder: Annotated[Path | None, typer.Option(
        "--workspace", "--dir", envvar=WORKSPACE_ENV, help="The workspace folder (default ./.jitsuin).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the offer as JSON (no QR code).")] = False,
) -> None:
    """Make a credential offer (OpenID4VCI pre-authorized code) and show it as a QR code."""
    if png is not None and svg is not None:
        raise typer.BadParameter("choose one of --png and --svg")
    claims = read_json_object(claims_file, what="claims")
    with Workspace.open(folder) as workspace:
        ctype = workspace.certificate_type(type_name)
        settings = ServiceSettings(public_url=public_url or workspace.config.status_base_url)
        with GrantStore(Path(workspace.path) / GRANTS_DB) as store:
            created = create_offer(store, settings, ctype, claims, formats=formats, tx_code=pin,
                                   by_reference=not by_value, ttl=timedelta(seconds=expires_in))
    if png is not None:
        qr_png(created.offer_uri, png)
    if svg is not None:
        qr_svg(created.offer_uri, svg)
    if as_json:
        print_json(created.to_dict())
        return
    typer.echo(qr_text(created.offer_uri))
    typer.echo(created.offer_uri)
    typer.echo(f"type:    {ctype.id} ({', '.join(created.credential_configuration_ids)})")
    typer.echo(f"expires: {created.expires_at.strftime('%Y-%m-%dT%H:%M:%SZ')}")
    if created.tx_code:
        typer.echo(f"PIN:     {created.tx_code}  (tell the holder separately; never with the QR code)")
    for path in (png, svg):
        if path is not None:
            typer.echo(f"QR code: {path}")
