"""parse_datetime / format_datetime: the XML Schema dateTimeStamp form VCDM 2.0 requires."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vc.errors import DataModelError, UsageError
from vc.model import format_datetime, parse_datetime

UTC = timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-02-26T01:02:58Z", datetime(2023, 2, 26, 1, 2, 58, tzinfo=UTC)),
        ("2023-02-26T01:02:58.447Z", datetime(2023, 2, 26, 1, 2, 58, 447000, tzinfo=UTC)),
        ("2023-02-25T19:10:39-06:00", datetime(2023, 2, 26, 1, 10, 39, tzinfo=UTC)),
        ("2024-04-01T09:00:00+09:00", datetime(2024, 4, 1, 0, 0, tzinfo=UTC)),
        ("2024-04-01T00:00:00+14:00", datetime(2024, 3, 31, 10, 0, tzinfo=UTC)),
        ("2024-12-31T24:00:00Z", datetime(2025, 1, 1, tzinfo=UTC)),
        ("2024-01-01T00:00:00.1234567891Z", datetime(2024, 1, 1, 0, 0, 0, 123456, tzinfo=UTC)),
        ("4023-02-26T01:02:58.447Z", datetime(4023, 2, 26, 1, 2, 58, 447000, tzinfo=UTC)),
        ("2024-02-29T12:00:00-00:00", datetime(2024, 2, 29, 12, tzinfo=UTC)),
    ],
)
def test_valid_forms(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text)
    assert parsed == expected and parsed.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        "2024-04-01T09:00:00",  # no time zone
        "2024-04-01T09:00:00.5",
        "2024-04-01",
        "2024-04-01 09:00:00Z",
        "2024-04-01t09:00:00z",
        "2024-04-01T09:00Z",
        "2024-04-01T09:00:60Z",  # no leap seconds in XML Schema
        "2024-04-01T24:00:01Z",
        "2024-04-01T09:00:00+14:01",
        "2024-04-01T09:00:00+15:00",
        "2024-04-01T09:00:00+0900",
        "2023-02-29T00:00:00Z",  # not a leap year
        "2024-04-31T00:00:00Z",
        "24-04-01T00:00:00Z",
        "Sat 25 Feb 2023 07:16:31 PM CST",
        "Sun, 26 Feb 2023 01:22:14 +0000",
        "２０２４-04-01T00:00:00Z",  # full-width digits are not XML Schema digits
        "2024-04-01T00:00:00Z\n",
        "",
        "10000-01-01T00:00:00Z",  # lexically valid, outside what can be represented
        "0000-01-01T00:00:00Z",
        "-0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T24:00:00Z",
    ],
)
def test_invalid_forms(text: str) -> None:
    with pytest.raises(DataModelError) as info:
        parse_datetime(text, what="validFrom")
    assert info.value.code == "INVALID_DATETIME"
    assert info.value.detail["property"] == "validFrom"


@pytest.mark.parametrize("value", [None, 1711929600, ["2024-04-01T00:00:00Z"], {"@value": "2024-04-01T00:00:00Z"}])
def test_non_strings(value: object) -> None:
    with pytest.raises(DataModelError):
        parse_datetime(value)


def test_format_datetime() -> None:
    jst = timezone(timedelta(hours=9))
    assert format_datetime(datetime(2024, 4, 1, 9, 0, 0, 999999, tzinfo=jst)) == "2024-04-01T00:00:00Z"
    assert format_datetime(datetime(5, 1, 2, 3, 4, 5, tzinfo=UTC)) == "0005-01-02T03:04:05Z"
    with pytest.raises(UsageError):
        format_datetime(datetime(2024, 4, 1))


_offsets = st.integers(min_value=-14 * 60, max_value=14 * 60)
_instants = st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31))


def _offset_text(minutes: int, *, z: bool) -> str:
    if minutes == 0 and z:
        return "Z"
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _local_text(local: datetime, digits: str) -> str:
    text = f"{local.year:04d}-{local.month:02d}-{local.day:02d}T{local.hour:02d}:{local.minute:02d}:{local.second:02d}"
    return f"{text}.{digits}" if digits else text


@given(_instants, _offsets, st.text(alphabet="0123456789", max_size=9), st.booleans())
def test_valid_forms_parse_to_the_same_instant(local: datetime, offset: int, digits: str, z: bool) -> None:
    text = _local_text(local.replace(microsecond=0), digits) + _offset_text(offset, z=z)
    micro = int(digits[:6].ljust(6, "0")) if digits else 0
    expected = local.replace(microsecond=micro, tzinfo=timezone(timedelta(minutes=offset)))
    assert parse_datetime(text) == expected


@given(_instants, st.text(alphabet="0123456789", max_size=9))
def test_forms_without_time_zone_are_rejected(local: datetime, digits: str) -> None:
    with pytest.raises(DataModelError):
        parse_datetime(_local_text(local.replace(microsecond=0), digits))


@given(st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=st.just(UTC)))
def test_format_then_parse_round_trips_to_the_second(dt: datetime) -> None:
    assert parse_datetime(format_datetime(dt)) == dt.replace(microsecond=0)


def test_parsed_values_are_kept_and_errors_still_name_each_property():
    first = parse_datetime("2031-02-03T04:05:06+09:00")
    assert parse_datetime("2031-02-03T04:05:06+09:00") is first  # parsed once, shared (datetimes are immutable)
    for what in ("validFrom", "proof 'created'"):
        with pytest.raises(DataModelError) as info:
            parse_datetime("2031-02-30T04:05:06Z", what=what)
        assert info.value.detail["property"] == what
