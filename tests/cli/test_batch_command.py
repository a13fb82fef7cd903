"""``jitsuin batch``: every bad row listed with its line, --skip-invalid, a clean run, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.issuers.batch.batch_support import HEADER, student, write_csv


@pytest.fixture
def school_dir(jitsuin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "school"
    monkeypatch.setenv("JITSUIN_WORKSPACE", str(folder))
    monkeypatch.delenv("JITSUIN_PASSPHRASE", raising=False)
    run = jitsuin("init", "--name", "Example School", "--did-web", "school.example.jp", "--kind", "school",
                  "--unencrypted")
    assert run.code == 0, run.err
    return folder


def _rows_with_problems() -> list[list[str]]:
    rows = [student(i) for i in range(6)]
    rows[0][HEADER.index("sex")] = ""  # fine: sex is optional
    rows[1][HEADER.index("givenName")] = ""  # line 3: required claim missing
    rows[2][HEADER.index("grade")] = "ten"  # line 4: wrong type
    rows[3][HEADER.index("birthDate")] = "平成25年5月20日"  # line 5: 和暦
    rows[4][HEADER.index("givenNameKana")] = "ﾀﾛｳ"  # line 6: half-width kana
    return rows


def test_bad_rows_are_all_listed_and_nothing_is_signed(jitsuin, school_dir: Path, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "students.csv", _rows_with_problems())
    run = jitsuin("batch", "SchoolEnrollment", str(source), "--key-column", "studentNumber", "--out",
                  str(tmp_path / "out"))
    assert run.code == 2
    assert "BATCH_ROWS_INVALID" in run.err and "nothing was signed" in run.err
    for line, field in ((3, "givenName"), (4, "grade"), (5, "birthDate"), (6, "givenNameKana")):
        assert f"line {line}: '{field}'" in run.err
    for value in ("ten", "平成25年5月20日", "ﾀﾛｳ"):
        assert value not in run.err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_skip_invalid_then_clean_rerun(jitsuin, school_dir: Path, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "students.csv", _rows_with_problems())
    out = tmp_path / "out.jsonl"
    run = jitsuin("batch", "SchoolEnrollment", str(source), "--key-column", "studentNumber", "--out-jsonl", str(out),
                  "--skip-invalid", "--format", "vc+jwt")
    assert run.code == 1  # not every row was issued
    assert "2 issued" in run.out and "4 invalid skipped" in run.out
    assert "skipped line 3: 'givenName'" in run.err
    assert len(out.read_text().splitlines()) == 2

    write_csv(source, [student(i) for i in range(6)])  # the institution fixed the rows
    run = jitsuin("batch", "SchoolEnrollment", str(source), "--key-column", "studentNumber", "--out-jsonl", str(out),
                  "--format", "vc+jwt", "--workers", "1")
    assert run.code == 0, run.err
    assert "4 issued" in run.out and "2 already issued" in run.out
    entries = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(e["record_key"] for e in entries) == [f"S{i:05d}" for i in range(6)]


def test_batch_defaults_to_the_workspace_issued_folder(jitsuin, school_dir: Path, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "students.csv", [student(i) for i in range(3)])
    run = jitsuin("batch", "SchoolEnrollment", str(source), "--key-column", "studentNumber")
    assert run.code == 0, run.err
    files = sorted((school_dir / "issued/SchoolEnrollment").iterdir())
    assert len(files) == 3 and all(f.suffix == ".sd-jwt" for f in files)  # the type's default format


def test_batch_input_problems(jitsuin, school_dir: Path, tmp_path: Path) -> None:
    run = jitsuin("batch", "SchoolEnrollment", str(tmp_path / "missing.csv"))
    assert run.code == 2 and "BATCH_INPUT_INVALID" in run.err
    source = write_csv(tmp_path / "students.csv", [student(1)])
    run = jitsuin("batch", "SchoolEnrollment", str(source), "--out", "a", "--out-jsonl", "b")
    assert run.code == 2
    run = jitsuin("batch", "NoSuchType", str(source))
    assert run.code == 2 and "TYPE_UNKNOWN" in run.err
