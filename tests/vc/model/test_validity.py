"""check_validity: not yet valid vs expired, with clock skew; VCDM 1.1 dates."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from vc.errors import DataModelError, ExpiredError, NotYetValidError, UsageError
from vc.model import CREDENTIALS_V1_CONTEXT, CREDENTIALS_V2_CONTEXT, check_validity

UTC = timezone.utc
SKEW = timedelta(minutes=5)

V2 = {"@context": [CREDENTIALS_V2_CONTEXT], "validFrom": "2024-04-01T09:00:00+09:00", "validUntil": "2025-04-01T00:00:00Z"}
V11 = {"@context": [CREDENTIALS_V1_CONTEXT], "issuanceDate": "2024-04-01T00:00:00Z", "expirationDate": "2025-04-01T00:00:00Z"}

START = datetime(2024, 4, 1, tzinfo=UTC)
END = datetime(2025, 4, 1, tzinfo=UTC)


@pytest.mark.parametrize("doc", [V2, V11], ids=["2.0", "1.1"])
@pytest.mark.parametrize(
    ("now", "error"),
    [
        (START + timedelta(days=30), None),
        (START, None),
        (END, None),
        (START - SKEW, None),  # within the skew allowance
        (END + SKEW, None),
        (START - SKEW - timedelta(seconds=1), NotYetValidError),
        (END + SKEW + timedelta(seconds=1), ExpiredError),
        (datetime(2000, 1, 1, tzinfo=UTC), NotYetValidError),
        (datetime(2100, 1, 1, tzinfo=UTC), ExpiredError),
    ],
)
def test_validity_window(doc: dict[str, Any], now: datetime, error: type[Exception] | None) -> None:
    if error is None:
        check_validity(doc, now=now, skew=SKEW)
    else:
        with pytest.raises(error):
            check_validity(doc, now=now, skew=SKEW)


def test_codes_differ() -> None:
    with pytest.raises(NotYetValidError) as early:
        check_validity(V2, now=START - timedelta(days=1), skew=SKEW)
    with pytest.raises(ExpiredError) as late:
        check_validity(V2, now=END + timedelta(days=1), skew=SKEW)
    assert (early.value.code, late.value.code) == ("NOT_YET_VALID", "EXPIRED")
    assert early.value.detail["property"] == "validFrom" and late.value.detail["property"] == "validUntil"


def test_now_in_another_zone_is_compared_as_an_instant() -> None:
    jst = timezone(timedelta(hours=9))
    check_validity(V2, now=datetime(2024, 4, 1, 9, 0, tzinfo=jst), skew=timedelta(0))
    with pytest.raises(NotYetValidError):
        check_validity(V2, now=datetime(2024, 4, 1, 8, 59, 59, tzinfo=jst), skew=timedelta(0))


def test_open_ended_and_v2_ignores_v11_dates() -> None:
    doc = {"@context": [CREDENTIALS_V2_CONTEXT], "expirationDate": "2000-01-01T00:00:00Z"}
    check_validity(doc, now=datetime(2100, 1, 1, tzinfo=UTC), skew=SKEW)


def test_bad_date_is_a_data_model_error() -> None:
    with pytest.raises(DataModelError) as info:
        check_validity({**V2, "validUntil": "2025-04-01"}, now=START, skew=SKEW)
    assert info.value.code == "INVALID_DATETIME"


def test_misuse() -> None:
    with pytest.raises(UsageError):
        check_validity(V2, now=datetime(2024, 5, 1), skew=SKEW)
    with pytest.raises(UsageError):
        check_validity(V2, now=START, skew=-SKEW)
