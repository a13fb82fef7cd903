"""Value formats a type's schema can name with ``format``, checked before signing.

Each checker returns ``None`` when the value is fine, or a reason that says what to do and never repeats the
value (claims are personal data). A schema naming a format not listed here is refused when the type loads, so
a misspelt format cannot silently switch a check off.

- ``katakana``: full-width katakana (GIF 全角カナ); half-width ｶﾀｶﾅ and hiragana are refused with their own reason.
- ``date`` / ``date-time``: Western ISO dates (GIF DS-441); 和暦 such as 令和6年4月1日 or R6.4.1 is refused:
  it is for display only. A date-time needs an offset (``+09:00`` or ``Z``).
- ``municipality-code``: 全国地方公共団体コード, 5 digits or 6 with the JIS X 0402 check digit.
- ``corporate-number``: 法人番号, 13 digits with its check digit (the first digit).
- ``name``: text kept exactly as given (IVS included); only control characters and a stray variation
  selector are refused. Nothing here normalises: values are never rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

__all__ = [
    "FORMATS",
    "check_format",
    "corporate_number_check_digit",
    "municipality_check_digit",
]

FormatChecker = Callable[[str], "str | None"]

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATE_TIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$")
_ERA = re.compile(r"(明治|大正|昭和|平成|令和|^\s*[MTSHRＭＴＳＨＲmtshr]\s*(\d+|元)\s*[.．/／\-年])")
_KANJI_DATE = re.compile(r"[年月日]")
_YEAR_MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_POSTAL = re.compile(r"^[0-9]{3}-?[0-9]{4}$")
_DIGITS = re.compile(r"^[0-9]+$")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

_USE_ISO_DATE = "give the Western date as YYYY-MM-DD (和暦 is for display only)"


def _is_katakana(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x30A1 <= cp <= 0x30FA  # ァ..ヺ
        or 0x30FB <= cp <= 0x30FE  # ・ ー ヽ ヾ
        or 0x31F0 <= cp <= 0x31FF  # small katakana for Ainu (ㇰ ...)
        or cp in (0x3099, 0x309A)  # combining (semi-)voiced marks: kana in decomposed form
        or cp == 0x3000  # ideographic space, between parts of a long foreign name
    )


def _katakana(value: str) -> str | None:
    if any(0xFF65 <= ord(ch) <= 0xFF9F for ch in value):
        return "contains half-width katakana (半角カナ); write it in full-width katakana (全角カナ)"
    if any(0x3041 <= ord(ch) <= 0x3096 or 0x309D <= ord(ch) <= 0x309F for ch in value):
        return "contains hiragana; write the reading in full-width katakana (全角カナ)"
    if not value or not all(_is_katakana(ch) for ch in value):
        return "must be written in full-width katakana (全角カナ) only"
    return None


def _date(value: str) -> str | None:
    if _ERA.search(value):
        return f"is a Japanese era date (和暦); {_USE_ISO_DATE}"
    if not _DATE.match(value):
        return f"is not a date in the form YYYY-MM-DD; {_USE_ISO_DATE}" if _KANJI_DATE.search(value) else \
            "must be a date in the form YYYY-MM-DD"
    try:
        date.fromisoformat(value)
    except ValueError:
        return "is not a real calendar date (YYYY-MM-DD)"
    return None


def _date_time(value: str) -> str | None:
    if _ERA.search(value):
        return "is a Japanese era date (和暦); give a Western date-time such as 2024-04-01T10:15:00+09:00"
    if not _DATE_TIME.match(value):
        return "must be a date-time with an offset, such as 2024-04-01T10:15:00+09:00"
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return "is not a real date-time"
    return None


def municipality_check_digit(code5: str) -> int:
    """The JIS X 0402 check digit of a 5-digit 地方公共団体コード: weights 6..2, modulus 11, last digit of 11-r."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def _municipality_code(value: str) -> str | None:
    if not _DIGITS.match(value) or len(value) not in (5, 6) or not value.isascii():
        return "must be a 全国地方公共団体コード (JIS X 0402): 5 digits, or 6 digits with the check digit"
    if not 1 <= int(value[:2]) <= 47:
        return "does not start with a prefecture code 01-47 (JIS X 0401)"
    if len(value) == 6 and int(value[5]) != municipality_check_digit(value[:5]):
        return "has a wrong check digit (JIS X 0402); check the code, or give the 5-digit form"
    return None


def corporate_number_check_digit(base12: str) -> int:
    """The check digit of a 法人番号 from its 12-digit base: 9 - (sum of digits weighted 1,2 from the right) mod 9."""
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(reversed(base12)))
    return 9 - total % 9


def _corporate_number(value: str) -> str | None:
    if not value.isascii() or not _DIGITS.match(value) or len(value) != 13:
        return "must be a 13-digit 法人番号 (corporate number)"
    if int(value[0]) != corporate_number_check_digit(value[1:]):
        return "has a wrong check digit (法人番号: the first digit); check the number"
    return None


def _name(value: str) -> str | None:
    if any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in value):
        return "contains control characters"
    if value and _is_variation_selector(value[0]):
        return "starts with a variation selector, which must follow the character it selects a glyph for"
    return None


def _is_variation_selector(ch: str) -> bool:
    cp = ord(ch)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def _pattern(regex: re.Pattern[str], reason: str) -> FormatChecker:
    return lambda value: None if regex.match(value) and value.isascii() else reason


FORMATS: dict[str, FormatChecker] = {
    "katakana": _katakana,
    "date": _date,
    "date-time": _date_time,
    "municipality-code": _municipality_code,
    "corporate-number": _corporate_number,
    "name": _name,
    "year-month": _pattern(_YEAR_MONTH, "must be a month in the form YYYY-MM (Western year)"),
    "time": _pattern(_TIME, "must be a time of day in the form HH:MM (24-hour)"),
    "postal-code": _pattern(_POSTAL, "must be a postal code of 7 digits (NNN-NNNN)"),
    "uri": _pattern(_ABSOLUTE_IRI, "must be an absolute URI (scheme:...)"),
    "email": _pattern(_EMAIL, "must be an e-mail address"),
}


def check_format(name: str, value: Any) -> str | None:
    """The reason ``value`` breaks format ``name`` (None when fine, or when it is not a string: the schema's
    ``type`` reports that); KeyError for a format not in :data:`FORMATS`."""
    checker = FORMATS[name]
    if not isinstance(value, str):
        return None
    return checker(value)
