"""CSV files of students for the batch tests."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

HEADER = ["studentNumber", "familyName", "givenName", "familyNameKana", "givenNameKana", "birthDate", "sex",
          "school.name", "schoolType", "grade", "enrolledSince", "enrollmentStatus"]


def student(i: int) -> list[str]:
    """One valid CSV row."""
    return [f"S{i:05d}", "山田", "太郎", "ヤマダ", "タロウ", "2013-05-20", "1", "千代田区立霞が関小学校", "小学校",
            str(1 + i % 6), "2020-04-01", "在学"]


def write_csv(path: Path, rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
