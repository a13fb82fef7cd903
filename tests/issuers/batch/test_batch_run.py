"""Batch runs: every bad row reported before anything is signed, --skip-invalid, outputs, re-runs, two workers."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from issuers.batch import JsonlOutput, run_batch
from issuers.workspace import Workspace
from tests.issuers.batch.batch_support import HEADER, student, write_csv
from tests.issuers.workspace.workspace_support import NOW, check, failures
from vc.errors import BatchError


def _bad_rows() -> list[list[str]]:
    rows = [student(i) for i in range(8)]
    rows[1][HEADER.index("familyName")] = ""  # line 3: a required claim missing
    rows[3][HEADER.index("grade")] = "三"  # line 5: wrong type
    rows[4][HEADER.index("enrolledSince")] = "令和2年4月1日"  # line 6: 和暦
    rows[6][HEADER.index("familyNameKana")] = "ﾔﾏﾀﾞ"  # line 8: half-width kana
    return rows


def _registered(ws: Workspace) -> int:
    with sqlite3.connect(ws.path / "registry.db") as conn:
        return conn.execute("SELECT COUNT(*) FROM credentials").fetchone()[0]


def _indexes(ws: Workspace) -> list[tuple[int, int]]:
    with sqlite3.connect(ws.path / "registry.db") as conn:
        return conn.execute("SELECT list_id, idx FROM status_entries").fetchall()


def test_every_bad_row_is_reported_and_nothing_is_signed(school: Workspace, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "students.csv", _bad_rows())
    with pytest.raises(BatchError) as caught:
        run_batch(school, "SchoolEnrollment", source, out_dir=tmp_path / "out", key_column="studentNumber",
                  format="vc+jwt")
    error = caught.value
    assert error.code == "BATCH_ROWS_INVALID"
    found = {(r["line"], r["path"]) for r in error.detail["rows"]}
    assert found == {(3, "familyName"), (5, "grade"), (6, "enrolledSince"), (8, "familyNameKana")}
    assert error.detail["lines"] == [3, 5, 6, 8]
    reasons = {r["line"]: r["reason"] for r in error.detail["rows"]}
    assert "required" in reasons[3] and "integer" in reasons[5] and "和暦" in reasons[6] and "半角" in reasons[8]
    for value in ("三", "令和2年4月1日", "ﾔﾏﾀﾞ"):  # messages name fields, never values
        assert value not in error.message and value not in json.dumps(error.detail, ensure_ascii=False)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert _registered(school) == 0 and school.ledger.count() == 0


def test_skip_invalid_issues_the_valid_rows(school: Workspace, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "students.csv", _bad_rows())
    report = run_batch(school, "SchoolEnrollment", source, out_dir=tmp_path / "out", key_column="studentNumber",
                       format="eddsa-rdfc-2022", skip_invalid=True, now=NOW)
    assert (report.rows, report.issued, report.invalid_lines) == (8, 4, (3, 5, 6, 8))
    files = sorted((tmp_path / "out").iterdir())
    assert len(files) == 4 and all(f.suffix == ".json" for f in files)
    numbers = set()
    for path in files:
        credential = json.loads(path.read_text(encoding="utf-8"))
        assert path.name == credential["id"].removeprefix("urn:uuid:") + ".json"
        numbers.add(credential["credentialSubject"]["studentNumber"])
        result = check(school, credential)
        assert result.verified, failures(result)
    assert numbers == {"S00000", "S00002", "S00005", "S00007"}


def test_rerun_issues_nothing_new_and_more_rows_only_the_new_ones(school: Workspace, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "students.csv", [student(i) for i in range(5)])
    first = run_batch(school, "SchoolEnrollment", source, out_jsonl=tmp_path / "out.jsonl",
                      key_column="studentNumber", format="dc+sd-jwt", now=NOW)
    assert (first.issued, first.already_done) == (5, 0)
    again = run_batch(school, "SchoolEnrollment", source, out_jsonl=tmp_path / "out.jsonl",
                      key_column="studentNumber", format="dc+sd-jwt", now=NOW)
    assert (again.issued, again.already_done) == (0, 5)
    write_csv(source, [student(i) for i in range(7)])
    more = run_batch(school, "SchoolEnrollment", source, out_jsonl=tmp_path / "out.jsonl",
                     key_column="studentNumber", format="dc+sd-jwt", now=NOW)
    assert (more.issued, more.already_done) == (2, 5)
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(entry["record_key"] for entry in lines) == [f"S{i:05d}" for i in range(7)]
    assert len({entry["id"] for entry in lines}) == 7
    assert not (tmp_path / ".out.jsonl.partial").exists()
    for entry in lines:
        assert entry["format"] == "dc+sd-jwt"
        assert check(school, entry["credential"]).verified
    assert _registered(school) == 7


def test_a_new_output_gets_the_same_credentials_signed_again(school: Workspace, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "students.csv", [student(i) for i in range(3)])
    run_batch(school, "SchoolEnrollment", source, out_dir=tmp_path / "a", key_column="studentNumber",
              format="vc+jwt", now=NOW)
    report = run_batch(school, "SchoolEnrollment", source, out_dir=tmp_path / "b", key_column="studentNumber",
                       format="vc+jwt", now=NOW)
    assert report.issued == 3
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert _registered(school) == 3  # same ids, same status indexes: nothing allocated twice


def test_interrupted_jsonl_output_is_continued(school: Workspace, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "students.csv", [student(i) for i in range(4)])
    out = tmp_path / "out.jsonl"
    run_batch(school, "SchoolEnrollment", source, out_jsonl=out, key_column="studentNumber", format="vc+jwt",
              now=NOW)
    # simulate a run killed while writing: the file was never completed, its last line is cut off
    text = out.read_text(encoding="utf-8")
    out.unlink()
    partial = tmp_path / ".out.jsonl.partial"
    partial.write_text(text[: len(text) - 40], encoding="utf-8")
    output = JsonlOutput(out)
    assert sum(output.holds(json.loads(line)["id"], ".jwt") for line in text.splitlines()) == 3
    output.close()
    report = run_batch(school, "SchoolEnrollment", source, out_jsonl=out, key_column="studentNumber",
                       format="vc+jwt", now=NOW)
    assert (report.issued, report.already_done) == (1, 3)
    entries = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(e["record_key"] for e in entries) == [f"S{i:05d}" for i in range(4)]
    assert len({e["id"] for e in entries}) == 4


def test_duplicate_record_keys_are_bad_rows(school: Workspace, tmp_path: Path) -> None:
    rows = [student(1), student(2), student(1)]
    with pytest.raises(BatchError) as caught:
        run_batch(school, "SchoolEnrollment", write_csv(tmp_path / "s.csv", rows), key_column="studentNumber")
    [problem] = caught.value.detail["rows"]
    assert problem["line"] == 4 and "line 2" in problem["reason"]


def test_type_the_workspace_may_not_issue(school: Workspace, tmp_path: Path) -> None:
    from vc.errors import WorkspaceError

    with pytest.raises(WorkspaceError) as caught:
        run_batch(school, "BirthCertificate", write_csv(tmp_path / "s.csv", [student(1)]))
    assert caught.value.code == "TYPE_NOT_ALLOWED"


def test_holder_column_binds_each_credential(school: Workspace, tmp_path: Path) -> None:
    from vc.did import did_key
    from vc.jose import parse_compact
    from vc.keys import KeyPair
    from vc.sdjwt import parse_sd_jwt

    holders = [KeyPair.generate() for _ in range(2)]
    rows = [[did_key(h.public), *student(i)] for i, h in enumerate(holders)]
    source = write_csv(tmp_path / "s.csv", rows, ["holder", *HEADER])
    run_batch(school, "SchoolEnrollment", source, out_jsonl=tmp_path / "o.jsonl", key_column="studentNumber",
              holder_column="holder", format="dc+sd-jwt", now=NOW)
    entries = {json.loads(x)["record_key"]: json.loads(x) for x in (tmp_path / "o.jsonl").read_text().splitlines()}
    for i, holder in enumerate(holders):
        payload = parse_compact(parse_sd_jwt(entries[f"S{i:05d}"]["credential"]).issuer_jwt).payload_json()
        assert payload["cnf"]["jwk"] == holder.public.to_jwk()
        assert payload["sub"] == did_key(holder.public)


def test_two_workers(school: Workspace, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "students.csv", [student(i) for i in range(40)])
    report = run_batch(school, "SchoolEnrollment", source, out_dir=tmp_path / "out", key_column="studentNumber",
                       format="eddsa-jcs-2022", workers=2, chunk_size=4, now=NOW)
    assert (report.workers, report.issued, report.failed) == (2, 40, ())
    credentials = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "out").iterdir()]
    assert sorted(c["credentialSubject"]["studentNumber"] for c in credentials) == [f"S{i:05d}" for i in range(40)]
    assert all(check(school, c, status=False).verified for c in credentials[:5])
    indexes = _indexes(school)
    assert len(indexes) == 80 and len(set(indexes)) == 80  # revocation + suspension per credential, none shared
    assert school.ledger.count("key-1") == 40


def test_a_wrong_passphrase_fails_before_any_row_is_read(tmp_path: Path) -> None:
    from vc.errors import WrongPassphraseError

    ws = Workspace.init(tmp_path / "enc", name="Enc School", did_web="enc.example.jp", passphrase="right",
                        now=NOW)
    with ws:
        source = write_csv(tmp_path / "s.csv", [student(1)])
        with pytest.raises(WrongPassphraseError):
            run_batch(ws, "SchoolEnrollment", source, passphrase="wrong", workers=2)


def test_worker_errors_keep_their_class_and_code_across_processes() -> None:
    import pickle

    from issuers.batch.runner import WorkerError
    from vc.errors import WorkspaceError

    carried = pickle.loads(pickle.dumps(WorkerError("WorkspaceError", "the key is gone", "KEY_NOT_FOUND")))
    rebuilt = carried.rebuild()
    assert isinstance(rebuilt, WorkspaceError)
    assert (rebuilt.code, rebuilt.message) == ("KEY_NOT_FOUND", "the key is gone")
    assert type(WorkerError("NoSuchError", "m", "X").rebuild()).__name__ == "VcError"


def test_without_status_a_lost_file_is_signed_again_once(school: Workspace, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "students.csv", [student(i) for i in range(3)])
    options = dict(out_dir=tmp_path / "out", key_column="studentNumber", format="vc+jwt", status=False, now=NOW)
    assert run_batch(school, "SchoolEnrollment", source, **options).issued == 3
    lost = sorted((tmp_path / "out").iterdir())[0]
    lost.unlink()  # as if the run died after recording the signature, before writing the file
    assert run_batch(school, "SchoolEnrollment", source, **options).issued == 1
    again = run_batch(school, "SchoolEnrollment", source, **options)
    assert (again.issued, again.already_done) == (0, 3)
    assert len(list((tmp_path / "out").iterdir())) == 3
    assert _registered(school) == 0  # no status: nothing in the registry
