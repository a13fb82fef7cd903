"""``jitsuin issue``, ``jitsuin present`` and ``jitsuin verify``."""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any

import typer

from issuers.registry import (
    Registration,
    StatusEntry,
    credential_status_entries,
    purposes_for_format,
    token_status_claim,
)
from issuers.workspace import IssuedCredential, Workspace
from vc.did import did_key
from vc.errors import UsageError, WorkspaceError
from vc.formats import verify
from vc.input import load_json
from vc.keys import KeyPair, PublicKey
from vc.keys.keyfile import read_key_file
from vc.model import data_model_version, parse_datetime
from vc.sdjwt import issue_sd_jwt_vc, issue_sd_jwt_vc_from_credential
from vc.securing import SECURING_FORMATS, holder_public_key, present_credential, secure_credential

from .inputs import read_bytes, read_json_object, read_passphrase
from .output import print_json, print_result
from .workspace_commands import WorkspaceDir

FORMATS = SECURING_FORMATS
STATUS_V1_CONTEXT = "https://www.w3.org/ns/credentials/status/v1"  # BSL terms for a VCDM 1.1 credential


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
    status: Annotated[
        bool | None,
        typer.Option("--status/--no-status", help="Add revocation and suspension status entries from the workspace "
                     "registry (dc+sd-jwt: a Token Status List entry). On by default with --type; with --key it "
                     "needs a workspace (--dir, $JITSUIN_WORKSPACE) whose issuer is the credential's."),
    ] = None,
    folder: WorkspaceDir = None,
) -> None:
    """Sign a credential: fills issuer (the key's did:key) and validFrom when absent.

    With --type the input is the claims of a catalog type, signed in the workspace (no --key).
    """
    if type_name is not None:
        if key or verification_method or sd or vct:
            raise typer.BadParameter("--type issues with the workspace key and the type's defaults; drop --key, "
                                     "--verification-method, --sd and --vct")
        from .workspace_commands import issue_typed

        issue_typed(type_name, credential, format=format, holder_key=holder_key, holder=holder,
                    record_key=record_key, passphrase_env=passphrase_env, out=out, folder=folder,
                    status=status is not False)
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
    if status and "credentialStatus" in unsigned:
        raise typer.BadParameter("the credential already has credentialStatus; drop it, or issue without --status")
    signer = _KeySigner(_load_private_key(key, passphrase_env), format, verification_method, cnf, tuple(sd or ()),
                        vct)
    secured = _with_registry_status(unsigned, signer, folder=folder) if status else signer.sign(unsigned, None)
    _write(secured, out)


@dataclass(frozen=True)
class _KeySigner:
    """``jitsuin issue --key``: signs in ``format``, with the status entries of a registration or without."""

    key: KeyPair
    format: str
    verification_method: str | None
    holder_key: PublicKey | None
    sd: tuple[str, ...]
    vct: str | None

    def sign(self, doc: dict[str, Any], registration: Registration | None) -> dict[str, Any] | str:
        if registration is not None and self.format == "dc+sd-jwt":  # the Token Status List claim
            options: dict[str, Any] = {"holder_key": self.holder_key, "kid": self.verification_method, "sd": self.sd,
                                       "status": token_status_claim(registration)}
            if "credentialSubject" in doc:
                return issue_sd_jwt_vc_from_credential(doc, self.key, vct=self.vct, **options)
            if self.vct is None:
                raise UsageError("a plain claims object becomes an SD-JWT VC only with a vct (--vct)")
            return issue_sd_jwt_vc(doc, self.key, vct=self.vct, **options)
        if registration is not None:
            doc = copy.deepcopy(doc)
            doc["credentialStatus"] = credential_status_entries(registration)
            context = doc.get("@context")
            if data_model_version(doc) == "1.1" and isinstance(context, list) and STATUS_V1_CONTEXT not in context:
                context.append(STATUS_V1_CONTEXT)
        return secure_credential(doc, self.key, format=self.format, verification_method=self.verification_method,
                                 holder_key=self.holder_key, sd=self.sd, vct=self.vct)


def _with_registry_status(unsigned: dict[str, Any], signer: _KeySigner, *, folder: Path | None) -> dict[str, Any] | str:
    """``--key --status``: register the credential in the workspace registry, sign it with its status entries,
    and record the signing key when it is a workspace key (key retirement waits for what it signed)."""
    doc = copy.deepcopy(unsigned)
    sd_jwt = signer.format == "dc+sd-jwt"
    vcdm = not sd_jwt or "credentialSubject" in doc
    if not sd_jwt and "id" not in doc:
        doc["id"] = f"urn:uuid:{uuid.uuid4()}"  # status is changed by credential id: the credential carries it
    credential_id = doc["id"] if vcdm and isinstance(doc.get("id"), str) else f"urn:uuid:{uuid.uuid4()}"
    issuer = doc.get("issuer")
    issuer = (issuer.get("id") if isinstance(issuer, dict) else issuer) or did_key(signer.key.public)
    until_name = "expirationDate" if not sd_jwt and data_model_version(doc) == "1.1" else "validUntil"
    until_text = doc.get(until_name) if vcdm else None
    until = parse_datetime(until_text, what=until_name) if isinstance(until_text, str) else None
    credential_type = _most_specific_type(doc) if vcdm else signer.vct or "VerifiableCredential"
    purposes = purposes_for_format(signer.format)
    try:
        workspace = Workspace.open(folder)
    except WorkspaceError as err:
        if err.code != "WORKSPACE_NOT_FOUND":
            raise
        raise WorkspaceError(
            f"--status records the credential in an issuer workspace's registry, and there is no workspace at "
            f"{err.detail.get('path')}: create one (`jitsuin init`), point to it with --dir or JITSUIN_WORKSPACE, "
            "or issue without --status", code="WORKSPACE_NOT_FOUND", path=err.detail.get("path")) from None
    with workspace:
        if issuer != workspace.issuer_did:
            raise WorkspaceError(
                f"--status puts the credential in status lists that the workspace publishes as {workspace.issuer_did}, "
                "and verifiers accept a status list only from the credential's own issuer; this credential's issuer "
                "is another DID. Sign with the workspace's key and issuer DID, or issue without --status",
                code="STATUS_ISSUER_MISMATCH", workspace_issuer=workspace.issuer_did, credential_issuer=issuer)
        # a credential that cannot be signed must not take an id or indexes: try it with placeholder entries first
        placeholder = tuple(StatusEntry(p, 0, 0, f"{workspace.status_list_base}/0.json") for p in purposes)
        signer.sign(doc, Registration(credential_id, credential_type, signer.format, datetime.now(timezone.utc), until,
                                      "active", None, None, placeholder))
        registration = workspace.registry.register(credential_id=credential_id, credential_type=credential_type,
                                                   format=signer.format, purposes=purposes, valid_until=until)
        secured = signer.sign(doc, registration)
        public = signer.key.public.to_multibase()
        kid = next((k.kid for k in workspace.config.keys if k.public == public), None)
        if kid is not None:
            workspace.record([IssuedCredential(credential_id, signer.format, secured, type=credential_type, kid=kid,
                                               valid_until=until)])
        typer.echo(f"registered {credential_id} in {workspace.path} ({', '.join(purposes)} status); change it with "
                   f"`jitsuin status revoke|suspend {credential_id}`, then `jitsuin status publish`", err=True)
    return secured


def _most_specific_type(doc: dict[str, Any]) -> str:
    types = doc.get("type")
    types = [types] if isinstance(types, str) else list(types) if isinstance(types, list) else []
    specific = [t for t in types if isinstance(t, str) and t != "VerifiableCredential"]
    return specific[-1] if specific else "VerifiableCredential"


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
