"""ISO 8601 durations (``P3M``, ``P1Y``, ``P14D``, ``PT12H``) for a type's default validity period.

Years and months are calendar units: adding ``P1M`` to 31 January gives the last day of February.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["Duration", "parse_duration"]

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)


@dataclass(frozen=True, slots=True)
class Duration:
    """A parsed ISO 8601 duration; ``text`` is what was written."""

    text: str
    years: int = 0
    months: int = 0
    days: int = 0
    seconds: int = 0

    def add_to(self, moment: datetime) -> datetime:
        """``moment`` plus this duration (calendar years and months, the day clamped to the month's end)."""
        month_index = moment.month - 1 + self.months + 12 * self.years
        year, month = moment.year + month_index // 12, month_index % 12 + 1
        day = min(moment.day, calendar.monthrange(year, month)[1])
        return moment.replace(year=year, month=month, day=day) + timedelta(days=self.days, seconds=self.seconds)


def parse_duration(text: str) -> Duration:
    """Parse ``PnYnMnWnDTnHnMnS`` (integers only); ValueError otherwise."""
    match = _DURATION.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"{text!r} is not an ISO 8601 duration such as P3M, P1Y or P14D")
    n = {k: int(v) if v else 0 for k, v in match.groupdict().items()}
    return Duration(
        text=text,
        years=n["years"],
        months=n["months"],
        days=n["days"] + 7 * n["weeks"],
        seconds=n["hours"] * 3600 + n["minutes"] * 60 + n["seconds"],
    )
