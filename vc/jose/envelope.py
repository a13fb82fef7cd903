"""Enveloped verifiable credentials (VCDM 2.0 section 4.13, VC-JOSE-COSE section 3.2/3.3).

A presentation secured with JOSE or SD-JWT carries each credential as
``{"@context": ".../credentials/v2", "type": "EnvelopedVerifiableCredential",
"id": "data:application/vc+jwt,<compact JWS>"}``. This module builds such entries and verifies
every entry of a presentation in its own format.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vc.errors import JoseError
from vc.results import CheckResult, VerificationResult

__all__ = [
    "ENVELOPE_MEDIA_TYPES",
    "VC_V2_CONTEXT",
    "envelope_credential",
    "open_envelope",
    "verify_presentation_entry",
]

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"

# media type -> how to verify it (a name the verifiers below know); COSE is not implemented yet
ENVELOPE_MEDIA_TYPES: dict[str, str] = {
    "application/vc+jwt": "vc+jwt",
    "application/vc+sd-jwt": "sd-jwt",
    "application/dc+sd-jwt": "sd-jwt",
    "application/vc+cose": "unsupported",
}


def envelope_credential(secured: str, *, media_type: str | None = None) -> dict[str, Any]:
    """An ``EnvelopedVerifiableCredential`` for a compact vc+jwt or SD-JWT string."""
    if not isinstance(secured, str) or not secured:
        raise JoseError("an enveloped credential needs a compact JWS or SD-JWT string", code="MALFORMED_ENVELOPE")
    if media_type is None:
        media_type = _sd_jwt_media_type(secured) if "~" in secured else "application/vc+jwt"
    return {"@context": VC_V2_CONTEXT, "type": "EnvelopedVerifiableCredential", "id": f"data:{media_type},{secured}"}


def _sd_jwt_media_type(secured: str) -> str:
    # the issuer's own typ decides (vc+sd-jwt for a VCDM payload, dc+sd-jwt for SD-JWT VC)
    from .jws import normalize_typ, parse_compact

    try:
        typ = parse_compact(secured.split("~", 1)[0]).header.get("typ")
    except JoseError:
        return "application/dc+sd-jwt"
    return "application/vc+sd-jwt" if isinstance(typ, str) and normalize_typ(typ) == "vc+sd-jwt" else "application/dc+sd-jwt"


def open_envelope(entry: Any) -> tuple[str, str]:
    """``(media type, secured string)`` of an enveloped credential; ``MALFORMED_ENVELOPE`` otherwise."""
    if not isinstance(entry, Mapping):
        raise JoseError("a presentation's credential entry must be a JSON object", code="MALFORMED_ENVELOPE")
    types = entry.get("type")
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or "EnvelopedVerifiableCredential" not in types:
        raise JoseError(
            "credentials in a JOSE-secured presentation must be EnvelopedVerifiableCredential entries",
            code="CREDENTIAL_NOT_SECURED",
        )
    url = entry.get("id")
    if not isinstance(url, str) or not url.startswith("data:") or "," not in url:
        raise JoseError("EnvelopedVerifiableCredential 'id' must be a data: URL", code="MALFORMED_ENVELOPE")
    meta, data = url[len("data:") :].split(",", 1)
    media_type, *params = meta.split(";")
    media_type = media_type.strip().lower()
    if media_type not in ENVELOPE_MEDIA_TYPES:
        raise JoseError(
            "EnvelopedVerifiableCredential media type is not one of "
            + ", ".join(sorted(ENVELOPE_MEDIA_TYPES)),
            code="ENVELOPE_MEDIA_TYPE",
        )
    if "base64" in params and ENVELOPE_MEDIA_TYPES[media_type] != "unsupported":
        raise JoseError("a JOSE/SD-JWT data: URL carries the compact form, not base64", code="MALFORMED_ENVELOPE")
    return media_type, data


def verify_presentation_entry(entry: Any, **options: Any) -> VerificationResult:
    """Verify one ``verifiableCredential`` entry of a presentation in its own format.

    Enveloped vc+jwt and SD-JWT entries go to their verifiers (``options`` are passed on:
    ``key_lookup``, ``resolver``, ``algs``, ``now``, ``skew``); an embedded credential with a Data
    Integrity ``proof`` goes to ``vc.credentials.verify_credential``; anything else fails.
    """
    if isinstance(entry, Mapping) and "proof" in entry:
        from vc.credentials import verify_credential  # Data Integrity stack only when needed

        kw = {k: options[k] for k in ("resolver", "loader", "now", "skew", "status") if options.get(k) is not None}
        return verify_credential(dict(entry), **kw)
    try:
        media_type, secured = open_envelope(entry)
    except JoseError as err:
        return VerificationResult(checks=(CheckResult.fail("envelope", err),), format="enveloped")
    kind = ENVELOPE_MEDIA_TYPES[media_type]
    if kind == "vc+jwt":
        from .vc_jwt import verify_vc_jwt

        return _status(verify_vc_jwt(secured, **_pick(options, _JWT_OPTIONS)), options)
    if kind == "sd-jwt":
        from vc.sdjwt.verifier import verify_sd_jwt

        return _status(verify_sd_jwt(secured, **_pick(options, _SD_OPTIONS)), options)
    return VerificationResult(
        checks=(
            CheckResult.fail(
                "envelope",
                "ENVELOPE_FORMAT_UNSUPPORTED",
                f"credentials secured as {media_type} cannot be verified by this version",
            ),
        ),
        format=media_type.removeprefix("application/"),
    )


_JWT_OPTIONS = ("key_lookup", "resolver", "algs", "now", "skew", "loader")
_SD_OPTIONS = ("key_lookup", "resolver", "algs", "now", "skew", "http")


def _status(result: VerificationResult, options: Mapping[str, Any]) -> VerificationResult:
    """Status checks as for a credential on its own (``status`` option: True, a checker, or False)."""
    from vc.credentials import with_status_checks

    return with_status_checks(
        result, options.get("status", True), resolver=options.get("resolver"), loader=options.get("loader"),
        now=options.get("now"),
    )


def _pick(options: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {k: options[k] for k in names if options.get(k) is not None}
