"""Small pieces: format checkers (check digits), ISO 8601 durations, claim paths, forbidden-name folding."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from issuers.catalog import check_format, format_path, forbidden_reason, parse_duration, parse_path
from issuers.catalog.formats import corporate_number_check_digit, municipality_check_digit


@pytest.mark.parametrize(("code5", "digit"), [
    ("13101", 6),  # 千代田区 131016
    ("01100", 2),  # 札幌市 011002
    ("27100", 4),  # 大阪市 271004
    ("01202", 5),  # 函館市 012025
    ("13000", 1),  # 東京都 130001 (remainder 10)
])
def test_municipality_check_digit(code5: str, digit: int) -> None:
    assert municipality_check_digit(code5) == digit
    assert check_format("municipality-code", code5 + str(digit)) is None
    assert check_format("municipality-code", code5 + str((digit + 1) % 10)) is not None


def test_municipality_check_digit_for_remainders_0_and_1() -> None:
    # 11 - remainder is two digits only for remainders 0 and 1: the check digit is its last digit
    assert municipality_check_digit("01003") == 1  # 5 + 6 = 11, remainder 0 -> 11 -> 1
    assert municipality_check_digit("02001") == 0  # 10 + 2 = 12, remainder 1 -> 10 -> 0


def test_corporate_number() -> None:
    assert corporate_number_check_digit("000012050002") == 7  # 国税庁 7000012050002
    assert check_format("corporate-number", "7000012050002") is None
    assert "check digit" in check_format("corporate-number", "8000012050002")
    assert check_format("corporate-number", "700001205000") is not None


@pytest.mark.parametrize(("fmt", "good", "bad"), [
    ("year-month", "2025-04", "2025-13"),
    ("time", "09:30", "9:30"),
    ("postal-code", "100-0013", "100-001"),
    ("uri", "urn:uuid:1", "not a uri"),
    ("date-time", "2025-04-01T10:15:00Z", "2025-04-01T10:15:00"),
])
def test_simple_formats(fmt: str, good: str, bad: str) -> None:
    assert check_format(fmt, good) is None
    assert check_format(fmt, bad) is not None


def test_non_strings_are_left_to_the_schema() -> None:
    assert check_format("date", 20250401) is None


@pytest.mark.parametrize(("text", "start", "end"), [
    ("P3M", "2025-01-31T00:00:00", "2025-04-30T00:00:00"),
    ("P1M", "2024-01-31T00:00:00", "2024-02-29T00:00:00"),
    ("P1Y", "2024-02-29T12:00:00", "2025-02-28T12:00:00"),
    ("P2W", "2025-04-01T00:00:00", "2025-04-15T00:00:00"),
    ("P1DT12H", "2025-04-01T00:00:00", "2025-04-02T12:00:00"),
    ("PT90M", "2025-04-01T00:00:00", "2025-04-01T01:30:00"),
])
def test_durations(text: str, start: str, end: str) -> None:
    moment = datetime.fromisoformat(start).replace(tzinfo=timezone.utc)
    assert parse_duration(text).add_to(moment) == datetime.fromisoformat(end).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize("text", ["P", "3M", "P1.5Y", "PT", "P1Y2", ""])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(("text", "path"), [
    ("familyName", ("familyName",)),
    ("members[]", ("members", None)),
    ("members[].familyName", ("members", None, "familyName")),
    ("qualification.registrationNumber", ("qualification", "registrationNumber")),
])
def test_claim_paths(text: str, path: tuple) -> None:
    assert parse_path(text) == path
    assert format_path(path) == text


def test_claim_paths_match_the_sd_jwt_syntax() -> None:
    sdjwt = pytest.importorskip("vc.sdjwt.claim_path")
    assert sdjwt.parse_path(format_path(("members", None, "familyName"))) == ("members", None, "familyName")


@pytest.mark.parametrize("bad", ["", "a..b", "[]", "a[]x"])
def test_bad_claim_paths(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_path(bad)


@pytest.mark.parametrize(("text", "what"), [
    ("myNumber", "My Number"), ("MY-NUMBER", "My Number"), ("ｍｙ＿ｎｕｍｂｅｒ", "My Number"),
    ("マイナンバーカード番号", "My Number"), ("ﾏｲﾅﾝﾊﾞｰ", "My Number"), ("individual number", "My Number"),
    ("住民票コード", "住民票コード"), ("resident_record_code", "住民票コード"),
    ("基礎年金番号", "基礎年金番号"), ("pensionAmount", None),
])
def test_forbidden_reason(text: str, what: str | None) -> None:
    reason = forbidden_reason(text)
    assert (reason is None) if what is None else (what in reason)


@pytest.mark.parametrize("text", ["number", "insurerNumber", "legalEntityNumber", "registrationNumber",
                                  "myNotes", "presidentCode", "phoneNumber"])
def test_allowed_names(text: str) -> None:
    assert forbidden_reason(text) is None
