"""Reading CSV and JSON Lines rows into claims: claim paths, type coercion, line numbers, key and holder columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from issuers.batch import read_rows, validate_rows
from issuers.catalog import Catalog
from tests.issuers.batch.batch_support import HEADER, student, write_csv
from vc.errors import BatchError

CATALOG = Catalog.load()
SCHOOL = CATALOG.get("SchoolEnrollment")
HOUSEHOLD = CATALOG.get("Household")


def test_csv_columns_become_typed_claims(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [student(1)])
    [row] = read_rows(path, SCHOOL, key_column="studentNumber")
    assert row.line == 2
    assert row.record_key == "S00001"
    assert row.claims["school"] == {"name": "千代田区立霞が関小学校"}  # dotted path -> nested object
    assert row.claims["grade"] == 2 and row.claims["sex"] == 1  # integers per the schema
    assert row.claims["studentNumber"] == "S00001"  # the key column is also a claim of the type: kept
    assert row.claims["enrolledSince"] == "2020-04-01"  # a string stays a string
    assert validate_rows(SCHOOL, [row]) == []


def test_empty_cells_are_absent_and_bad_numbers_stay_text(tmp_path: Path) -> None:
    cells = student(1)
    cells[HEADER.index("givenNameKana")] = ""
    cells[HEADER.index("grade")] = "二年"
    [row] = read_rows(write_csv(tmp_path / "s.csv", [cells]), SCHOOL)
    assert "givenNameKana" not in row.claims
    assert row.claims["grade"] == "二年"
    [problem] = validate_rows(SCHOOL, [row])
    assert (problem.line, problem.path, problem.rule) == (2, "grade", "type")
    assert "二年" not in str(problem)


def test_array_columns_and_multiline_cells_keep_line_numbers(tmp_path: Path) -> None:
    header = ["householder.familyName", "householder.givenName", "address.fullAddress",
              "members[1].familyName", "members[0].familyName", "members[0].givenName", "members[1].givenName"]
    rows = [["山田", "太郎", "東京都千代田区\n霞が関一丁目1-1", "山田", "山田", "太郎", "花子"],
            ["佐藤", "一郎", "東京都港区", "佐藤", "佐藤", "一郎", ""]]
    first, second = read_rows(write_csv(tmp_path / "h.csv", rows, header), HOUSEHOLD)
    assert (first.line, second.line) == (2, 4)  # the quoted address spans lines 2-3
    assert first.claims["members"] == [{"familyName": "山田", "givenName": "太郎"},
                                       {"familyName": "山田", "givenName": "花子"}]
    assert second.claims["members"] == [{"familyName": "佐藤", "givenName": "一郎"}, {"familyName": "佐藤"}]


def test_utf8_bom_and_key_and_holder_columns_that_are_not_claims(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    write_csv(path, [["R-1", "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", *student(1)]],
              ["recordNo", "holder", *HEADER])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # as Excel saves "CSV UTF-8"
    [row] = read_rows(path, SCHOOL, key_column="recordNo", holder_column="holder")
    assert row.record_key == "R-1"
    assert row.holder == "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    assert "recordNo" not in row.claims and "holder" not in row.claims


def test_without_a_key_column_the_content_is_the_key(tmp_path: Path) -> None:
    rows = list(read_rows(write_csv(tmp_path / "s.csv", [student(1), student(1), student(2)]), SCHOOL))
    assert rows[0].record_key == rows[1].record_key != rows[2].record_key
    assert rows[0].record_key.startswith("sha256:")


def test_file_level_problems(tmp_path: Path) -> None:
    with pytest.raises(BatchError) as missing:
        list(read_rows(write_csv(tmp_path / "s.csv", [student(1)]), SCHOOL, key_column="recordNo"))
    assert missing.value.code == "BATCH_INPUT_INVALID" and "recordNo" in missing.value.message
    with pytest.raises(BatchError):
        list(read_rows(write_csv(tmp_path / "d.csv", [], ["familyName", "familyName"]), SCHOOL))
    with pytest.raises(BatchError):
        list(read_rows(write_csv(tmp_path / "p.csv", [], ["school..name"]), SCHOOL))
    with pytest.raises(BatchError):
        list(read_rows(tmp_path / "rows.xlsx", SCHOOL))
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(BatchError):
        list(read_rows(tmp_path / "empty.csv", SCHOOL))
    (tmp_path / "latin1.csv").write_bytes("familyName\n".encode() + "Müller\n".encode("latin-1"))
    with pytest.raises(BatchError) as encoding:
        list(read_rows(tmp_path / "latin1.csv", SCHOOL))
    assert "UTF-8" in encoding.value.message


def test_row_level_reading_problems(tmp_path: Path) -> None:
    cells = student(1)
    rows = [[*cells, "extra"], ["", *cells[1:]]]
    first, second = read_rows(write_csv(tmp_path / "s.csv", rows), SCHOOL, key_column="studentNumber")
    assert [p.rule for p in first.problems] == ["columns"]
    assert [(p.path, p.rule) for p in second.problems] == [("studentNumber", "key")]


def test_jsonl_rows(tmp_path: Path) -> None:
    claims = dict(SCHOOL.sample)
    lines = [json.dumps({**claims, "recordNo": "R-1", "holder": {"kty": "OKP"}}, ensure_ascii=False), "",
             "[1, 2]", "{not json", json.dumps({**claims, "recordNo": 7}, ensure_ascii=False)]
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = list(read_rows(path, SCHOOL, key_column="recordNo", holder_column="holder"))
    assert [r.line for r in rows] == [1, 3, 4, 5]
    assert rows[0].record_key == "R-1" and rows[0].holder == {"kty": "OKP"} and "recordNo" not in rows[0].claims
    assert rows[0].claims == claims
    assert [p.reason for p in rows[1].problems] == ["is not a JSON object"]
    assert [p.reason for p in rows[2].problems] == ["is not valid JSON"]
    assert rows[3].record_key == "7"
