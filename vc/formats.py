"""One verification entry point: detect a secured document's format and verify it.

Formats: a JSON object with ``proof`` (Data Integrity, ``ldp_vc``/``ldp_vp``), a compact JWS
(``vc+jwt``/``vp+jwt``), an SD-JWT (``dc+sd-jwt``, compact with ``~``).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from .credentials import DEFAULT_SKEW, verify_credential
from .did import DidResolver
from .errors import MalformedError
from .input import load_json
from .jsonld import DocumentLoader
from .results import VerificationResult

__all__ = ["detect_format", "verify"]


def detect_format(document: dict[str, Any] | str | bytes) -> str:
    """``ldp_vc``, ``ldp_vp``, ``jwt`` or ``sd-jwt`` for a secured document; MalformedError otherwise."""
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
) -> VerificationResult:
    """Verify any supported format; raises only MalformedError when the input is no format at all."""
    if isinstance(document, (str, bytes)) and document.lstrip()[:1] in ("{", "[", b"{", b"["):
        document = _parse_object(document)  # parse once; the format follows from the object
    fmt = detect_format(document)
    if fmt == "ldp_vc":
        assert isinstance(document, dict)
        return verify_credential(document, resolver=resolver, loader=loader, now=now, skew=skew, suites=suites)
    raise MalformedError(f"format {fmt} is not supported yet")
