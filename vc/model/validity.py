"""Whether a credential is valid at a given instant (VCDM 2.0 section 4.9, and the VCDM 1.1 dates).

``validFrom``/``validUntil`` (2.0) or ``issuanceDate``/``expirationDate`` (1.1) are compared
with ``now``, allowing ``skew`` either way for clocks that disagree. "Not yet valid" and
"expired" are different errors so a verifier can say which.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..errors import ExpiredError, NotYetValidError, UsageError
from .datetimes import format_datetime, parse_datetime
from .version import DataModelVersion, data_model_version

__all__ = ["check_validity"]

_PERIOD_PROPERTIES: dict[DataModelVersion, tuple[str, str]] = {
    "2.0": ("validFrom", "validUntil"),
    "1.1": ("issuanceDate", "expirationDate"),
}


def check_validity(doc: dict[str, Any], *, now: datetime, skew: timedelta) -> None:
    """Raise NotYetValidError / ExpiredError if ``now`` (± ``skew``) is outside the validity period.

    >>> from datetime import timezone
    >>> check_validity({"@context": ["https://www.w3.org/ns/credentials/v2"],
    ...                 "validUntil": "2030-01-01T00:00:00Z"},
    ...                now=datetime(2029, 1, 1, tzinfo=timezone.utc), skew=timedelta(minutes=5))
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise UsageError("check_validity needs an aware now; pass datetime.now(timezone.utc)")
    if skew < timedelta(0):
        raise UsageError("skew must not be negative")
    start_key, end_key = _PERIOD_PROPERTIES[data_model_version(doc)]
    if start_key in doc:
        start = parse_datetime(doc[start_key], what=start_key)
        if now + skew < start:
            raise NotYetValidError(
                f"the credential is not valid before its {start_key} {format_datetime(start)}",
                property=start_key,
                valid_from=format_datetime(start),
            )
    if end_key in doc:
        end = parse_datetime(doc[end_key], what=end_key)
        if now - skew > end:
            raise ExpiredError(
                f"the credential expired at its {end_key} {format_datetime(end)}",
                property=end_key,
                valid_until=format_datetime(end),
            )
