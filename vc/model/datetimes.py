"""Date-times as VCDM 2.0 requires them: XML Schema ``dateTimeStamp`` (a time zone is mandatory).

VCDM 2.0 section 4.9 (and the ``xsd:dateTimeStamp`` lexical space of XML Schema 1.1 part 2)::

    -?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])
    T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?|(24:00:00(\\.0+)?))
    (Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))

Values are returned as aware UTC datetimes. Python cannot hold years outside 0001-9999, so
such (lexically valid) values are refused as out of range; fractions beyond microseconds are
truncated. Error messages never repeat the value: a date can be personal data (a birth date).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from ..errors import DataModelError, UsageError

__all__ = ["format_datetime", "parse_datetime"]

_DATETIME_STAMP = re.compile(
    r"(?P<year>-?(?:[1-9][0-9]{3,}|0[0-9]{3}))-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12][0-9]|3[01])"
    r"T(?:(?P<hour>[01][0-9]|2[0-3]):(?P<minute>[0-5][0-9]):(?P<second>[0-5][0-9])(?:\.(?P<fraction>[0-9]+))?"
    r"|(?P<midnight>24:00:00(?:\.0+)?))"
    r"(?P<tz>Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
)

_EXAMPLE = "2024-04-01T09:00:00Z or 2024-04-01T18:00:00+09:00"


def parse_datetime(value: Any, *, what: str = "date-time") -> datetime:
    """Parse an XML Schema dateTimeStamp into an aware UTC datetime; DataModelError INVALID_DATETIME if not one.

    >>> parse_datetime("2023-02-25T19:10:39-06:00")
    datetime.datetime(2023, 2, 26, 1, 10, 39, tzinfo=datetime.timezone.utc)
    """
    if type(value) is str:
        found = _parsed.get(value)
        if found is not None:
            return found
    match = _DATETIME_STAMP.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise DataModelError(
            f"{what} must be an XML Schema date-time with a time zone, like {_EXAMPLE}",
            code="INVALID_DATETIME",
            property=what,
        )
    try:
        parsed = _to_datetime(match)
    except (ValueError, OverflowError):
        raise DataModelError(
            f"{what} is not a real calendar date-time within the years 0001-9999; use a form like {_EXAMPLE}",
            code="INVALID_DATETIME",
            property=what,
        ) from None
    if type(value) is str:
        if len(_parsed) >= _MAX_PARSED:
            _parsed.clear()
        _parsed[value] = parsed
    return parsed


# issuing and verifying parse the same validFrom / created / expires values several times each;
# datetimes are immutable, so parsed values are kept (a bounded dict: safe to share between threads)
_parsed: dict[str, datetime] = {}
_MAX_PARSED = 4096


def format_datetime(dt: datetime) -> str:
    """An aware datetime as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC (fractions dropped).

    >>> format_datetime(parse_datetime("2024-04-01T18:00:00.5+09:00"))
    '2024-04-01T09:00:00Z'
    """
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise UsageError("format_datetime needs an aware datetime; pass tzinfo=timezone.utc")
    u = dt.astimezone(timezone.utc)
    # strftime("%Y") does not zero-pad years below 1000 on every platform
    return f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}Z"


def _to_datetime(match: re.Match[str]) -> datetime:
    tz = match["tz"]
    offset = timedelta(0) if tz == "Z" else int(tz[0] + "1") * timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6]))
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    if match["midnight"]:
        # 24:00:00 is the first instant of the next day
        local = datetime(year, month, day) + timedelta(days=1)
    else:
        micro = int((match["fraction"] or "0")[:6].ljust(6, "0"))
        local = datetime(year, month, day, int(match["hour"]), int(match["minute"]), int(match["second"]), micro)
    return (local - offset).replace(tzinfo=timezone.utc)
