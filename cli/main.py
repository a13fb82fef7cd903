"""The ``jitsuin`` command: a Typer app per noun, joined here. Thin: parse, call the library, print."""

from __future__ import annotations

import sys

import typer

from vc.errors import VcError

from . import credential_commands, did_commands, key_commands
from .demo_command import demo
from .output import print_error

app = typer.Typer(
    name="jitsuin",
    help="Issue, hold, present and verify W3C Verifiable Credentials.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(key_commands.app, name="key")
app.add_typer(did_commands.app, name="did")
credential_commands.register(app)
app.command("demo")(demo)


def main() -> None:
    """Console entry point: a VcError becomes ``code: message`` and exit 2; never a traceback."""
    try:
        app(standalone_mode=False)
    except VcError as err:
        print_error(err)
        sys.exit(2)
    except typer.Exit as exit_:
        sys.exit(exit_.exit_code)
    except typer.Abort:
        print("Aborted.", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # click's usage errors arrive here in non-standalone mode
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(2)
        raise


if __name__ == "__main__":
    main()
