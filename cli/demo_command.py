"""``jitsuin demo``: the 60-second procedures, on this machine, in a few seconds.

A hospital, a municipality and an employer issue certificates to a resident's wallet over OpenID4VCI; the
municipality's verifier asks for them over OpenID4VP for its procedures (出生届, 保育認定), fills its forms from the
verified claims, and refuses a revoked certificate; the wallet keeps the disclosure history. Everything runs in
this process on free 127.0.0.1 ports in a temporary folder (``examples.world``), offline.
"""

from __future__ import annotations

import signal
import tempfile
import threading
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from examples.world import Town

__all__ = ["demo"]


def demo(
    interactive: Annotated[bool, typer.Option("--interactive", help="Ask before each presentation (y/n).")] = False,
    serve: Annotated[bool, typer.Option(
        "--serve", help="Afterwards keep the services running and print the wallet's and the verifier's URLs.")]
        = False,
) -> None:
    """Run the procedures end to end: issue, hold, consent, present, verify, revoke, and the history."""
    # imported here: the services and the wallet are heavy imports that other commands do not need
    from examples.world import Town

    from .demo_steps import Walkthrough

    ask = (lambda question: typer.confirm(question, default=True)) if interactive else None
    typer.echo("jitsuin demo — 60秒の手続 / the 60-second procedures")
    with tempfile.TemporaryDirectory(prefix="jitsuin-demo-") as folder:
        with Town.open(folder, issuers=("hospital", "city", "employer"), wallet_app=serve) as town:
            run = Walkthrough(town, ask=ask, echo=typer.echo)
            steps = (run.setup, run.birth_certificate, run.birth_registration, run.daycare, run.revocation,
                     run.history)
            for step in steps:
                try:
                    step()
                except Exception as exc:  # a service or library failure: say which step, stop, exit 1
                    run.failures.append(f"{step.__name__}: {type(exc).__name__}: {exc}")
                    typer.echo(f"✗ {step.__name__} failed: {type(exc).__name__}: {exc}")
                    break
            run.summary()
            if serve:
                _serve(town)
    if run.failures:
        raise typer.Exit(1)


def _serve(town: Town) -> None:
    """Keep the services up for a person with a browser, until Ctrl-C."""
    from examples import family

    typer.echo("")
    typer.echo("サービスは動作中です / the services keep running (Ctrl-C stops them):")
    wallet_url = town.serve_wallet()
    if wallet_url:
        typer.echo(f"   ウォレット wallet:     {wallet_url}/  (the same wallet the demo used)")
    else:
        typer.echo("   ウォレット wallet:     the wallet web app (examples/wallet) is not available in this install")
    typer.echo(f"   検証者 verifier staff: {town.verifier_url}/staff  (staff token: {town.verifier_token})")
    for inst in town.institutions.values():
        typer.echo(f"   発行者 issuer:         {inst.url}  {inst.spec.name['ja']}")
    offer = town.offer("city", "ResidentRecord", family.resident_record())
    typer.echo("   試す / try: open the wallet's 受け取り (receive) page, paste this offer and the PIN:")
    typer.echo(f"      {offer['offer_uri']}")
    typer.echo(f"      PIN {offer['tx_code']}")
    typer.echo("   then start 出生届 or 保育認定 on the verifier's staff page and open its link in the wallet.")
    signal.signal(signal.SIGTERM, _interrupt)  # a plain `kill` also stops the services and removes the folder
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        typer.echo("stopped")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt

