"""``jitsuin issue``, ``jitsuin present`` and ``jitsuin verify``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from vc.formats import verify
from vc.input import load_json
from vc.keys import KeyPair, PublicKey
from vc.keys.keyfile import read_key_file
from vc.securing import SECURING_FORMATS, holder_public_key, present_credential, secure_credential

from .inputs import read_bytes, read_json_object, read_passphrase
from .output import print_json, print_result

FORMATS = SECURING_FORMATS


def register(app: typer.Typer) -> None:
    app.command("issue")(issue)
    app.command("present")(present)
    app.command("verify")(verify_cmd)


def _load_private_key(path: Path, passphrase_env: str | None) -> KeyPair:
    key = read_key_file(path, passphrase=read_passphrase(passphrase_env))
    if not isinstance(key, KeyPair):
        raise typer.BadParameter(f"{path} holds a public key only; issuing needs the private key")
    return key


def issue(
    credential: Annotated[
        str, typer.Argument(help="The unsigned credential, or with --type the claims (JSON file, or - for stdin).")
    ],
    key: Annotated[Path | None, typer.Option("--key", "-k", help="The issuer's private JWK file.")] = None,
    format: Annotated[
        str | None,
        typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)} (default eddsa-rdfc-2022; with --type "
                     "the type's default)."),
    ] = None,
    verification_method: Annotated[
        str | None, typer.Option("--verification-method", help="DID URL of the key (default: the key's did:key).")
    ] = None,
    passphrase_env: Annotated[
        str | None, typer.Option("--passphrase-env", help="Environment variable holding the key passphrase.")
    ] = None,
    holder_key: Annotated[
        Path | None, typer.Option("--holder-key", help="dc+sd-jwt: the holder's JWK (private or public) for cnf.")
    ] = None,
    holder: Annotated[str | None, typer.Option("--holder", help="dc+sd-jwt: the holder's DID, for cnf.")] = None,
    sd: Annotated[
        list[str] | None, typer.Option("--sd", help="dc+sd-jwt: a selectively disclosable claim path (repeat).")
    ] = None,
    vct: Annotated[str | None, typer.Option("--vct", help="dc+sd-jwt: the credential type (vct).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here instead of stdout.")] = None,
    type_name: Annotated[
        str | None,
        typer.Option("--type", help="Issue from the workspace (jitsuin init): validate the claims against this "
                     "certificate type, sign with the workspace key, record the issuance."),
    ] = None,
    record_key: Annotated[
        str | None, typer.Option("--record-key", help="With --type: your record number; re-issuing is idempotent.")
    ] = None,
) -> None:
    """Sign a credential: fills ``issuer`` (the key's did:key) and ``validFrom`` when absent.

    With ``--type`` the input is the claims of a catalog type, signed in the workspace (no ``--key``).
    """
    if type_name is not None:
        if key or verification_method or sd or vct:
            raise typer.BadParameter("--type issues with the workspace key and the type's defaults; drop --key, "
                                     "--verification-method, --sd and --vct")
        from .workspace_commands import issue_typed

        issue_typed(type_name, credential, format=format, holder_key=holder_key, holder=holder,
                    record_key=record_key, passphrase_env=passphrase_env, out=out)
        return
    if record_key is not None:
        raise typer.BadParameter("--record-key applies to --type only")
    if key is None:
        raise typer.BadParameter("--key is required (or --type, to issue from the workspace)")
    format = format or "eddsa-rdfc-2022"
    if format not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    if (holder_key or holder or sd or vct) and format != "dc+sd-jwt":
        raise typer.BadParameter("--holder-key, --holder, --sd and --vct apply to --format dc+sd-jwt only")
    unsigned = read_json_object(credential, what="credential")
    cnf: PublicKey | None = None
    if holder_key:
        found = read_key_file(holder_key)
        cnf = found.public if isinstance(found, KeyPair) else found
    elif holder:
        cnf = holder_public_key(holder)
    secured = secure_credential(
        unsigned,
        _load_private_key(key, passphrase_env),
        format=format,
        verification_method=verification_method,
        holder_key=cnf,
        sd=sd or (),
        vct=vct,
    )
    _write(secured, out)


def _write(secured: dict | str, out: Path | None) -> None:
    text = secured + "\n" if isinstance(secured, str) else json.dumps(secured, ensure_ascii=False, indent=2) + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)
    else:
        typer.echo(text, nl=False)


def present(
    credential: Annotated[str, typer.Argument(help="The secured credential (file, or - for stdin).")],
    key: Annotated[Path, typer.Option("--key", "-k", help="The holder's private JWK file.")],
    aud: Annotated[str | None, typer.Option("--aud", help="The verifier (audience) this presentation is for.")] = None,
    nonce: Annotated[str | None, typer.Option("--nonce", help="The verifier's nonce.")] = None,
    disclose: Annotated[
        list[str] | None, typer.Option("--disclose", help="SD-JWT: disclose this claim path (repeat); default all.")
    ] = None,
    challenge: Annotated[str | None, typer.Option("--challenge", help="Data Integrity: challenge (default --nonce).")] = None,
    domain: Annotated[str | None, typer.Option("--domain", help="Data Integrity: domain (default --aud).")] = None,
    passphrase_env: Annotated[
        str | None, typer.Option("--passphrase-env", help="Environment variable holding the key passphrase.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here instead of stdout.")] = None,
) -> None:
    """Present a credential in its own format, bound to the verifier's audience and nonce."""
    raw = read_bytes(credential).decode("utf-8", errors="replace").strip()
    document = load_json(raw) if raw.startswith("{") else raw
    presented = present_credential(
        document,
        _load_private_key(key, passphrase_env),
        audience=aud,
        nonce=nonce,
        disclose=disclose,
        challenge=challenge,
        domain=domain,
    )
    _write(presented, out)


def verify_cmd(
    file: Annotated[str, typer.Argument(help="The secured credential or presentation, or - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    aud: Annotated[str | None, typer.Option("--aud", help="Expected audience (holder binding).")] = None,
    nonce: Annotated[str | None, typer.Option("--nonce", help="Expected nonce (holder binding).")] = None,
    challenge: Annotated[str | None, typer.Option("--challenge", help="Expected DI presentation challenge.")] = None,
    domain: Annotated[str | None, typer.Option("--domain", help="Expected DI presentation domain.")] = None,
    no_status: Annotated[bool, typer.Option("--no-status", help="Skip the status list check (offline).")] = False,
) -> None:
    """Verify any format; exit 0 valid, 1 invalid, 2 unusable input."""
    result = verify(
        read_bytes(file), audience=aud, nonce=nonce, challenge=challenge, domain=domain, status=not no_status
    )
    if as_json:
        print_json(result.to_dict())
    else:
        print_result(result)
    raise typer.Exit(0 if result.verified else 1)
