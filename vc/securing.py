"""Secure a credential in any supported format, and present it in its own format.

One place that maps a format name to the function that signs it, so the CLI, the workspace and
the services agree: Data Integrity suites (``vc.credentials``), ``vc+jwt`` (``vc.jose``) and
``dc+sd-jwt`` (``vc.sdjwt``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from .credentials import DI_FORMATS, issue_credential
from .did import DidResolver, default_resolver
from .errors import UsageError
from .formats import detect_format
from .jose import issue_vc_jwt, issue_vp_jwt
from .jsonld import DocumentLoader
from .keys import KeyPair, PublicKey
from .presentations import issue_presentation
from .sdjwt import issue_sd_jwt_vc, issue_sd_jwt_vc_from_credential, present_sd_jwt

__all__ = ["JOSE_FORMATS", "SECURING_FORMATS", "holder_public_key", "present_credential", "secure_credential"]

JOSE_FORMATS = ("vc+jwt", "dc+sd-jwt")
SECURING_FORMATS = (*DI_FORMATS, *JOSE_FORMATS)


def secure_credential(
    credential: Mapping[str, Any],
    key: KeyPair,
    *,
    format: str = "eddsa-rdfc-2022",
    verification_method: str | None = None,
    holder_key: PublicKey | KeyPair | Mapping[str, Any] | None = None,
    sd: Iterable[Any] = (),
    vct: str | None = None,
    now: datetime | None = None,
    loader: DocumentLoader | None = None,
) -> dict[str, Any] | str:
    """Sign ``credential`` in ``format``: a dict for Data Integrity, a compact string for JOSE formats.

    For ``dc+sd-jwt`` the input may be a VCDM credential (its subject's claims become the SD-JWT VC
    claims) or, with ``vct``, a plain claims object; ``holder_key`` goes into ``cnf``.
    """
    if format in DI_FORMATS:
        return issue_credential(
            dict(credential), key, cryptosuite=format, verification_method=verification_method, now=now, loader=loader
        )
    if format == "vc+jwt":
        return issue_vc_jwt(credential, key, kid=verification_method, now=now, loader=loader)
    if format == "dc+sd-jwt":
        options: dict[str, Any] = {"holder_key": holder_key, "kid": verification_method, "now": now}
        if "credentialSubject" in credential:
            return issue_sd_jwt_vc_from_credential(credential, key, vct=vct, sd=sd, **options)
        if vct is None:
            raise UsageError("a plain claims object becomes an SD-JWT VC only with a vct (--vct)")
        return issue_sd_jwt_vc(dict(credential), key, vct=vct, sd=sd, **options)
    raise UsageError(f"unknown format {format!r}; choose one of {', '.join(SECURING_FORMATS)}")


def present_credential(
    credential: Mapping[str, Any] | str,
    key: KeyPair,
    *,
    audience: str | None = None,
    nonce: str | None = None,
    disclose: Iterable[Any] | None = None,
    challenge: str | None = None,
    domain: str | None = None,
    now: datetime | None = None,
    loader: DocumentLoader | None = None,
) -> dict[str, Any] | str:
    """A presentation in the credential's own format: SD-JWT + KB-JWT, a ``vp+jwt``, or a signed DI VP.

    For Data Integrity, ``challenge`` defaults to ``nonce`` and ``domain`` to ``audience`` (as OpenID4VP does).
    """
    fmt = detect_format(credential)
    if fmt == "sd-jwt":
        assert isinstance(credential, str)
        return present_sd_jwt(credential.strip(), disclose=disclose, holder_key=key, aud=audience, nonce=nonce, now=now)
    if disclose is not None:
        raise UsageError("only SD-JWT credentials disclose selectively; present the whole credential instead")
    if fmt == "jwt":
        assert isinstance(credential, str)
        return issue_vp_jwt([credential.strip()], key, aud=audience, nonce=nonce, now=now)
    if fmt == "ldp_vc":
        return issue_presentation(
            [credential], key, challenge=challenge or nonce, domain=domain or audience, now=now, loader=loader
        )
    raise UsageError(f"a {fmt} is already a presentation")


def holder_public_key(did: str, *, resolver: DidResolver | None = None) -> PublicKey:
    """The holder's key named by a DID (its first authentication method) or a DID URL."""
    resolver = resolver or default_resolver()
    if "#" in did:
        return resolver.verification_method_key(resolver.dereference(did))
    document = resolver.resolve(did)
    for entry in document.get("authentication", []) or document.get("verificationMethod", []):
        ref = entry if isinstance(entry, str) else entry.get("id")
        if isinstance(ref, str):
            return resolver.verification_method_key(resolver.dereference(ref if "#" not in ref[:1] else did + ref))
    raise UsageError(f"{did} lists no authentication key to bind the credential to")
