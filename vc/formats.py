"""One verification entry point: detect a secured document's format and verify it.

Formats: a JSON object with ``proof`` (Data Integrity credential ``ldp_vc`` or presentation
``ldp_vp``), a compact JWS (``vc+jwt``, ``vp+jwt``, VCDM 1.1 ``jwt_vc_json``), an SD-JWT
(``dc+sd-jwt``, compact with ``~`` or the JWS JSON serialization).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from .credentials import DEFAULT_SKEW, verify_credential, with_status_checks
from .did import DidResolver, default_resolver
from .errors import MalformedError
from .input import load_json
from .jose import verify_jwt
from .jsonld import DocumentLoader, default_loader
from .presentations import verify_presentation
from .results import VerificationResult
from .sdjwt import verify_sd_jwt
from .status import StatusChecker

__all__ = ["FORMATS", "credential_types", "detect_format", "verify"]

FORMATS = ("ldp_vc", "ldp_vp", "jwt", "sd-jwt")


def credential_types(document: Mapping[str, Any]) -> tuple[str, ...]:
    """The types a verified credential names: an SD-JWT VC's ``vct``, else the VCDM ``type`` strings."""
    if isinstance(document.get("vct"), str):
        return (document["vct"],)
    types = document.get("type", ())
    if isinstance(types, str):
        return (types,)
    return tuple(t for t in types if isinstance(t, str)) if isinstance(types, list) else ()


def detect_format(document: dict[str, Any] | str | bytes) -> str:
    """One of ``FORMATS`` for a secured document; MalformedError when it is none of them."""
    if isinstance(document, bytes):
        document = document.decode("utf-8", errors="replace")
    if isinstance(document, str):
        text = document.strip()
        if text.startswith(("{", "[")):
            return detect_format(_parse_object(text))
        if "~" in text:
            return "sd-jwt"
        if text.count(".") == 2:
            return "jwt"
        raise MalformedError("not a JSON object, a compact JWS or an SD-JWT")
    if isinstance(document, dict):
        if "payload" in document and ("signature" in document or "signatures" in document):
            return "sd-jwt"  # the JWS JSON serialization (SD-JWT's JSON form)
        types = document.get("type", [])
        types = [types] if isinstance(types, str) else types
        if isinstance(types, list) and "VerifiablePresentation" in types:
            return "ldp_vp"
        return "ldp_vc"
    raise MalformedError(f"a secured document must be a JSON object or a string, got {type(document).__name__}")


def _parse_object(text: str | bytes) -> dict[str, Any]:
    value = load_json(text)
    if not isinstance(value, dict):
        raise MalformedError(f"a secured document must be a JSON object, got {type(value).__name__}")
    return value


def verify(
    document: dict[str, Any] | str | bytes,
    *,
    resolver: DidResolver | None = None,
    loader: DocumentLoader | None = None,
    now: datetime | None = None,
    skew: timedelta = DEFAULT_SKEW,
    suites: Collection[str] | None = None,
    status: StatusChecker | bool = True,
    audience: str | None = None,
    nonce: str | None = None,
    challenge: str | None = None,
    domain: str | None = None,
    seen_nonces: Callable[[str], bool] | None = None,
) -> VerificationResult:
    """Verify any supported format; raises only MalformedError when the input is no format at all.

    ``audience``/``nonce`` bind an SD-JWT (KB-JWT) or ``vp+jwt`` presentation to this verifier;
    ``challenge``/``domain`` do the same for a Data Integrity presentation. ``status`` as in
    ``verify_credential``: the credential's status list is checked unless it is False.
    """
    resolver = resolver or default_resolver()
    loader = loader or default_loader()
    now = now or datetime.now(timezone.utc)
    if isinstance(document, (str, bytes)) and document.lstrip()[:1] in ("{", "[", b"{", b"["):
        document = _parse_object(document)  # parse once; the format follows from the object
    fmt = detect_format(document)
    if fmt == "ldp_vc":
        assert isinstance(document, dict)
        return verify_credential(
            document, resolver=resolver, loader=loader, now=now, skew=skew, suites=suites, status=status
        )
    if fmt == "ldp_vp":
        assert isinstance(document, dict)
        return verify_presentation(
            document, challenge=challenge, domain=domain, resolver=resolver, loader=loader, now=now, skew=skew,
            suites=suites, status=status,
        )
    text = document if isinstance(document, str) else (
        document.decode("utf-8", errors="replace") if isinstance(document, bytes) else json.dumps(document)
    )
    text = text.strip()
    if fmt == "jwt":
        result = verify_jwt(text, aud=audience, nonce=nonce, resolver=resolver, now=now, skew=skew,
                            seen_nonces=seen_nonces, loader=loader)
    else:
        result = verify_sd_jwt(text, resolver=resolver, aud=audience, nonce=nonce, seen_nonces=seen_nonces, now=now,
                               skew=skew)
    return with_status_checks(result, status, resolver=resolver, loader=loader, now=now)
