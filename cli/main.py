"""The ``jitsuin`` command: a Typer app per noun, joined here. Thin: parse, call the library, print."""

from __future__ import annotations

import os
import sys

import typer

from vc.errors import VcError

from . import credential_commands, did_commands, key_commands, serve_commands, status_commands, types_commands
from .batch_command import batch
from .demo_command import demo
from .offer_command import offer
from .output import print_error
from .workspace_commands import init

app = typer.Typer(
    name="jitsuin",
    help="Issue, hold, present and verify W3C Verifiable Credentials.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(key_commands.app, name="key")
app.add_typer(did_commands.app, name="did")
app.add_typer(serve_commands.app, name="serve")
app.add_typer(status_commands.app, name="status")
app.add_typer(types_commands.app, name="types")
credential_commands.register(app)
app.command("demo")(demo)
app.command("offer")(offer)
app.command("init")(init)
app.command("batch")(batch)


def main() -> None:
    """Console entry point: a VcError becomes ``code: message`` and exit 2; never a traceback."""
    try:
        rc = app(standalone_mode=False)  # returns a command's typer.Exit code in this mode
    except VcError as err:
        print_error(err)
        sys.exit(2)
    except typer.Exit as exit_:
        sys.exit(exit_.exit_code)
    except typer.Abort:
        print("Aborted.", file=sys.stderr)
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors (bad option, missing argument) in non-standalone mode
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # a bug: one line for the user, the traceback on request
        if os.environ.get("JITSUIN_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (a jitsuin bug: rerun with JITSUIN_DEBUG=1 for the "
              "traceback and report it)", file=sys.stderr)
        sys.exit(70)
    sys.exit(rc if isinstance(rc, int) else 0)


if __name__ == "__main__":
    main()
