"""The audit log records what was verified and the verdict, never a claim value."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from vc.did import did_key
from vc.errors import AuditError
from verifier import AuditRecord, SqliteAuditLog, open_audit_log, verify_presentation
from verifier.procedures import builtin_procedure

NOW = datetime(2025, 6, 2, 1, 0, tzinfo=timezone.utc)
AUDIENCE = "redirect_uri:https://city.example.lg.jp/verifier/response"
NONCE = "n-4c9f2a"
CHILD = {"familyName": "鈴木", "givenName": "雅之介", "birthDate": "2015-11-03"}
ENROLLMENT = {**CHILD, "school": {"name": "例示市立みどり小学校", "schoolCode": "B113210000011"},
              "schoolType": "小学校", "grade": 4, "enrolledSince": "2022-04-01", "enrollmentStatus": "在学",
              "studentNumber": "S-20220417", "textbooksProvided": [{"subject": "国語", "publisher": "光村例示出版"}]}
MEMBERS = [{"familyName": "鈴木", "givenName": "健太郎", "birthDate": "1984-02-29", "relationshipToHouseholder": "本人"},
           {**CHILD, "relationshipToHouseholder": "子"}]
ADDRESS = "北海道札幌市中央区北一条西二丁目"
# every distinctive claim value (enum words such as 在学 also occur in the procedure's purpose text, which is logged)
CLAIM_STRINGS = ["鈴木", "雅之介", "健太郎", "2015-11-03", "1984-02-29", "例示市立みどり小学校", "B113210000011",
                 "光村例示出版", "S-20220417", ADDRESS, "011011"]


@pytest.fixture(scope="module")
def transfer():
    return builtin_procedure("school-transfer")


def _results(world, transfer):
    enrollment = world.present(world.sd("school", "SchoolEnrollment", ENROLLMENT, sub=did_key(world.child.public)))
    household = world.present(world.sd("city", "Household", {
        "householder": {"familyName": "鈴木", "givenName": "健太郎"}, "address": {"fullAddress": ADDRESS},
        "members": MEMBERS, "municipalityCode": "011011"}, sd=["householder", "address", ("members", None)]))
    extra = world.present(world.sd("insurer", "HealthInsurance", {**CHILD, "insurerName": "例示健保組合"}))
    ok = verify_presentation({"enrollment": [enrollment], "household": [household], "extra": [extra]},
                             policy=world.policy(), procedure=transfer, audience=AUDIENCE, nonce=NONCE, now=NOW)
    refused = verify_presentation({"enrollment": [enrollment]}, policy=world.policy(), procedure=transfer,
                                  audience=AUDIENCE, nonce=NONCE, now=NOW)
    return ok, refused


def test_records_the_verification_without_claim_values(world, transfer, tmp_path: Path) -> None:
    ok, refused = _results(world, transfer)
    assert ok.verified and not refused.verified
    db = tmp_path / "audit.db"
    with open_audit_log(db) as log:
        first = log.record(ok, procedure=transfer, request_id="req-1", now=NOW)
        second = log.record(refused, procedure=transfer, request_id="req-2", now=NOW + timedelta(minutes=1))
        assert first.id == 1 and second.id == 2
        rows = log.records()
    assert [r.request_id for r in rows] == ["req-1", "req-2"]
    row = rows[0]
    assert row.verified and row.procedure == "school-transfer" and row.kind == "presentation"
    assert row.purpose == transfer.purpose["ja"]
    assert row.issuers == (world.did("city"), world.did("school"))
    assert row.credential_types == ("https://w3id.org/jitsuin/vct/Household/v1",
                                    "https://w3id.org/jitsuin/vct/SchoolEnrollment/v1")
    assert row.formats == ("dc+sd-jwt",) and row.credential_count == 2 and row.codes == ()
    assert row.recorded_at == NOW
    assert not rows[1].verified and rows[1].codes == ("SUBJECT_NOT_LINKED",)
    # the ignored credential (not requested) is not recorded at all
    assert world.did("insurer") not in row.issuers
    # nothing personal anywhere in the files (database, WAL, shared memory), whatever their state
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("audit.db"))
    assert raw, "the database files are empty"
    for text in CLAIM_STRINGS + [world.holder_did, did_key(world.child.public), "例示健保組合", world.did("insurer")]:
        assert text.encode("utf-8") not in raw, text


def test_filters_and_purge(world, transfer, tmp_path: Path) -> None:
    ok, refused = _results(world, transfer)
    log = SqliteAuditLog(tmp_path / "a.db")
    for i in range(3):
        log.record(ok, procedure="school-transfer", request_id=f"r{i}", now=NOW + timedelta(days=i))
    log.record(refused, procedure="birth-registration", request_id="other", now=NOW)
    assert [r.request_id for r in log.records(procedure="school-transfer")] == ["r0", "r1", "r2"]
    assert [r.request_id for r in log.records(request_id="r1")] == ["r1"]
    assert [r.request_id for r in log.records(since=NOW + timedelta(days=1), until=NOW + timedelta(days=2))] == ["r1"]
    assert len(log.records(limit=2)) == 2
    assert log.purge(before=NOW + timedelta(days=1)) == 2
    assert [r.request_id for r in log.records()] == ["r1", "r2"]
    log.close()


def test_reopen_keeps_rows_and_schema(world, transfer, tmp_path: Path) -> None:
    ok, _ = _results(world, transfer)
    path = tmp_path / "audit.db"
    with SqliteAuditLog(path) as log:
        log.record(ok, now=NOW)
    with SqliteAuditLog(f"{path}") as log:
        assert len(log.records()) == 1 and log.records()[0].procedure == "school-transfer"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    columns = {r[1] for r in conn.execute("PRAGMA table_info(verifications)")}
    conn.close()
    assert "claims" not in columns and "holder" not in columns


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.db"
    SqliteAuditLog(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(AuditError) as info:
        SqliteAuditLog(path)
    assert info.value.code == "AUDIT_SCHEMA"


def test_unusable_location(tmp_path: Path) -> None:
    with pytest.raises(AuditError) as info:
        open_audit_log(tmp_path / "missing-dir" / "audit.db")
    assert info.value.code == "AUDIT_UNAVAILABLE"
    with pytest.raises(AuditError):
        open_audit_log("postgresql://db.example/audit")


def test_record_of_a_single_credential(world) -> None:
    from verifier import verify_credential

    result = verify_credential(world.di("city", "ResidentRecordCredential", {"familyName": "鈴木"}), policy=world.policy(),
                               now=NOW)
    row = AuditRecord.of(result, purpose="窓口での確認", now=NOW)
    assert row.kind == "credential" and row.procedure is None and row.purpose == "窓口での確認"
    assert row.to_dict()["credentialTypes"] == ["ResidentRecordCredential"]
    assert "鈴木" not in str(row.to_dict())
