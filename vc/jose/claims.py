"""JWT registered time claims (RFC 7519 section 4.1: ``exp``, ``nbf``, ``iat``) against a clock.

``now`` and ``skew`` are parameters (no hidden clock). A NumericDate is a JSON number of seconds
since the epoch; booleans and strings are refused with ``INVALID_CLAIM``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from vc.errors import ExpiredError, JoseError, NotYetValidError

__all__ = ["check_time_claims", "numeric_date", "to_numeric_date"]


def numeric_date(payload: Mapping[str, Any], name: str) -> datetime | None:
    """The claim ``name`` as an aware UTC datetime, None when absent; ``INVALID_CLAIM`` when not a number."""
    if name not in payload:
        return None
    value = payload[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise JoseError(f"JWT claim '{name}' must be a NumericDate (seconds since 1970)", code="INVALID_CLAIM")
    try:
        return datetime.fromtimestamp(value, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise JoseError(f"JWT claim '{name}' is out of range", code="INVALID_CLAIM") from None


def to_numeric_date(dt: datetime) -> int:
    """An aware datetime as a NumericDate (whole seconds)."""
    return int(dt.timestamp())


def check_time_claims(
    payload: Mapping[str, Any],
    *,
    now: datetime,
    skew: timedelta,
    lenient_iat: bool = False,
) -> None:
    """Raise ExpiredError (``exp`` passed), NotYetValidError (``nbf`` ahead, or ``iat`` in the future).

    ``lenient_iat`` ignores a non-numeric ``iat`` (VC-JOSE-COSE test-suite credentials carry a
    date-time string there; the credential's own ``validFrom`` governs validity instead).
    """
    exp = numeric_date(payload, "exp")
    if exp is not None and now - skew >= exp:
        raise ExpiredError("the token's 'exp' time has passed; ask the issuer for a fresh one")
    nbf = numeric_date(payload, "nbf")
    if nbf is not None and now + skew < nbf:
        raise NotYetValidError("the token's 'nbf' time has not come yet; check the clocks")
    try:
        iat = numeric_date(payload, "iat")
    except JoseError:
        if not lenient_iat:
            raise
        iat = None
    if iat is not None and now + skew < iat:
        raise NotYetValidError("the token's 'iat' is in the future; check the clocks")
