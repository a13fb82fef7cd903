"""``jitsuin issue`` and ``jitsuin verify``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from vc.credentials import DI_FORMATS, issue_credential
from vc.formats import verify
from vc.keys import KeyPair
from vc.keys.keyfile import read_key_file

from .inputs import read_bytes, read_json_object, read_passphrase
from .output import print_json, print_result

FORMATS = DI_FORMATS


def register(app: typer.Typer) -> None:
    app.command("issue")(issue)
    app.command("verify")(verify_cmd)


def _load_private_key(path: Path, passphrase_env: str | None) -> KeyPair:
    key = read_key_file(path, passphrase=read_passphrase(passphrase_env))
    if not isinstance(key, KeyPair):
        raise typer.BadParameter(f"{path} holds a public key only; issuing needs the private key")
    return key


def issue(
    credential: Annotated[str, typer.Argument(help="The unsigned credential (JSON file, or - for stdin).")],
    key: Annotated[Path, typer.Option("--key", "-k", help="The issuer's private JWK file.")],
    format: Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.")] = "eddsa-rdfc-2022",
    verification_method: Annotated[
        str | None, typer.Option("--verification-method", help="DID URL of the key (default: the key's did:key).")
    ] = None,
    passphrase_env: Annotated[
        str | None, typer.Option("--passphrase-env", help="Environment variable holding the key passphrase.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here instead of stdout.")] = None,
) -> None:
    """Sign a credential: fills ``issuer`` (the key's did:key) and ``validFrom`` when absent."""
    if format not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    unsigned = read_json_object(credential, what="credential")
    signed = issue_credential(
        unsigned, _load_private_key(key, passphrase_env), cryptosuite=format, verification_method=verification_method
    )
    text = json.dumps(signed, ensure_ascii=False, indent=2) + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)
    else:
        typer.echo(text, nl=False)


def verify_cmd(
    file: Annotated[str, typer.Argument(help="The secured credential or presentation, or - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Verify a credential; exit 0 valid, 1 invalid, 2 unusable input."""
    result = verify(read_bytes(file))
    if as_json:
        print_json(result.to_dict())
    else:
        print_result(result)
    raise typer.Exit(0 if result.verified else 1)
