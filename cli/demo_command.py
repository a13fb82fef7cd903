"""``jitsuin demo``: issue, hold, present and verify a credential on the embedded defaults."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from vc.credentials import issue_credential
from vc.did import did_key
from vc.formats import verify
from vc.keys import KeyPair

from .output import print_result

SAMPLE = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "type": ["VerifiableCredential", "ExampleResidentCredential"],
    "name": "住民票の写し (sample)",
    "credentialSubject": {
        "familyName": "山田",
        "givenName": "花子",
        "birthDate": "1990-04-01",
        "address": "東京都千代田区霞が関1-1",
    },
}


def demo(
    format: Annotated[str, typer.Option("--format", "-f", help="Data Integrity cryptosuite.")] = "eddsa-rdfc-2022",
) -> None:
    """Issue a sample credential with a fresh key, tamper with a copy, and verify both."""
    key = KeyPair.generate("P-256" if format.startswith("ecdsa") else "Ed25519")
    typer.echo(f"1. Issuer key created: {did_key(key.public)}")
    started = time.perf_counter()
    signed = issue_credential(SAMPLE, key, cryptosuite=format)
    typer.echo(f"2. Credential signed with {format} ({(time.perf_counter() - started) * 1000:.1f} ms)")
    started = time.perf_counter()
    result = verify(signed)
    typer.echo(f"3. Verified ({(time.perf_counter() - started) * 1000:.1f} ms):")
    print_result(result)
    tampered = {**signed, "credentialSubject": {**signed["credentialSubject"], "givenName": "太郎"}}
    bad = verify(tampered)
    typer.echo("4. The same credential with one claim changed:")
    print_result(bad)
    if not result.verified or bad.verified:
        raise typer.Exit(1)
