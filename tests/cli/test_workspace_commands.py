"""``jitsuin init``, ``jitsuin issue --type`` in the workspace, ``jitsuin key rotate|retire``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from issuers.workspace import Workspace
from tests.issuers.workspace.workspace_support import check, failures
from vc.keys import KeyPair
from vc.keys.keyfile import write_key_file

BIRTH = {
    "child": {"familyName": "山田", "sex": 1},
    "birthDateTime": "2025-03-10T04:32:00+09:00",
    "birthPlace": {"address": {"localGovernmentCode": "131016", "fullAddress": "東京都千代田区霞が関一丁目1-1"},
                   "placeType": "病院"},
    "mother": {"familyName": "山田", "givenName": "花子"},
    "attendant": {"role": "医師", "name": "佐藤 一郎"},
    "documentDate": "2025-03-10",
}


@pytest.fixture
def workspace_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "city"
    monkeypatch.setenv("JITSUIN_WORKSPACE", str(folder))
    monkeypatch.setenv("JITSUIN_PASSPHRASE", "test passphrase")
    return folder


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


def test_init_issue_verify(jitsuin, workspace_dir: Path, tmp_path: Path) -> None:
    run = jitsuin("init", "--name", "Example City", "--did-web", "city.example.jp")
    assert run.code == 0, run.err
    assert "did:web:city.example.jp" in run.out and "encrypted" in run.out
    assert (workspace_dir / "published/.well-known/did.json").is_file()

    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps(BIRTH, ensure_ascii=False), encoding="utf-8")
    holder = tmp_path / "holder.jwk"
    write_key_file(holder, KeyPair.generate())
    run = jitsuin("issue", "--type", "BirthCertificate", str(claims), "--holder-key", str(holder))
    assert run.code == 0, run.err
    assert "dc+sd-jwt" in run.err and "key-1" in run.err  # the type's default format
    token = run.out.strip()
    assert "~" in token

    run = jitsuin("issue", "--type", "BirthCertificate", str(claims), "--format", "eddsa-rdfc-2022",
                  "--record-key", "B-1", "-o", str(tmp_path / "bc.json"))
    assert run.code == 0, run.err
    credential = json.loads((tmp_path / "bc.json").read_text(encoding="utf-8"))
    with Workspace.open(workspace_dir) as ws:
        for issued in (token, credential):
            result = check(ws, issued, now=_now())
            assert result.verified, failures(result)
    run = jitsuin("issue", "--type", "BirthCertificate", str(claims), "--format", "eddsa-rdfc-2022",
                  "--record-key", "B-1")
    assert run.code == 0 and json.loads(run.out)["id"] == credential["id"] and "already issued" in run.err


def test_issue_type_reports_bad_claims_by_field(jitsuin, workspace_dir: Path, tmp_path: Path) -> None:
    assert jitsuin("init", "--name", "Example City").code == 0
    bad = dict(BIRTH, documentDate="令和7年3月10日")
    claims = tmp_path / "bad.json"
    claims.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    run = jitsuin("issue", "--type", "BirthCertificate", str(claims))
    assert run.code == 2
    assert "CLAIMS_INVALID" in run.err and "documentDate" in run.err and "令和" not in run.err
    assert run.out == ""


def test_issue_type_options_that_do_not_fit(jitsuin, workspace_dir: Path, tmp_path: Path) -> None:
    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps(BIRTH, ensure_ascii=False), encoding="utf-8")
    run = jitsuin("issue", "--type", "BirthCertificate", str(claims))
    assert run.code == 2 and "WORKSPACE_NOT_FOUND" in run.err  # no `jitsuin init` yet
    run = jitsuin("issue", "--type", "BirthCertificate", str(claims), "--key", str(claims))
    assert run.code == 2 and "--key" in run.err
    run = jitsuin("issue", str(claims))
    assert run.code == 2 and "--key is required" in run.err


def test_key_rotate_and_retire(jitsuin, workspace_dir: Path, tmp_path: Path) -> None:
    assert jitsuin("init", "--name", "Example City", "--did-web", "city.example.jp").code == 0
    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps(BIRTH, ensure_ascii=False), encoding="utf-8")
    assert jitsuin("issue", "--type", "BirthCertificate", str(claims), "--format", "vc+jwt").code == 0
    run = jitsuin("key", "rotate")
    assert run.code == 0, run.err
    assert "key-2" in run.out and "key-1  Ed25519  verify-only" in run.out
    did = json.loads((workspace_dir / "published/.well-known/did.json").read_text())
    assert len(did["verificationMethod"]) == 2

    run = jitsuin("key", "retire", "key-1")
    assert run.code == 2 and "KEY_STILL_IN_USE" in run.err and "valid until" in run.err
    run = jitsuin("key", "retire", "key-2")
    assert run.code == 2 and "KEY_ACTIVE" in run.err
    run = jitsuin("key", "retire", "key-1", "--force")
    assert run.code == 0 and "retired key-1" in run.out
    did = json.loads((workspace_dir / "published/.well-known/did.json").read_text())
    assert [vm["id"] for vm in did["verificationMethod"]] == ["did:web:city.example.jp#key-2"]


def test_did_key_workspace_cannot_rotate(jitsuin, workspace_dir: Path) -> None:
    assert jitsuin("init", "--name", "Clinic", "--unencrypted").code == 0
    run = jitsuin("key", "rotate")
    assert run.code == 2 and "KEY_ROTATION_UNSUPPORTED" in run.err and "did:web" in run.err


def test_init_names_the_institution_in_japanese_and_english(jitsuin, workspace_dir: Path) -> None:
    run = jitsuin("init", "--name", "千代田区", "--name-en", "Chiyoda City")
    assert run.code == 0, run.err
    assert "name:      千代田区 (ja), Chiyoda City (en)" in run.out
    with Workspace.open(workspace_dir) as ws:
        assert ws.config.names == {"ja": "千代田区", "en": "Chiyoda City"}
    assert 'name = {ja = "千代田区", en = "Chiyoda City"}' in (workspace_dir / "jitsuin.toml").read_text("utf-8")
    # an empty name is refused, named, before anything is made
    other = workspace_dir.parent / "other"
    run = jitsuin("init", "--name", "千代田区", "--name-en", " ", "--dir", str(other))
    assert run.code == 2 and "WORKSPACE_CONFIG_INVALID" in run.err and not other.exists()


def test_init_needs_a_passphrase_or_unencrypted(jitsuin, workspace_dir: Path, monkeypatch: pytest.MonkeyPatch
                                                ) -> None:
    monkeypatch.delenv("JITSUIN_PASSPHRASE")
    run = jitsuin("init", "--name", "Example City")
    assert run.code == 2 and "PASSPHRASE_REQUIRED" in run.err
    run = jitsuin("init", "--name", "Example City", "--unencrypted", "--dir", str(workspace_dir.parent / "other"))
    assert run.code == 0 and "NOT encrypted" in run.out
    assert jitsuin("init", "--name", "Again", "--unencrypted", "--dir", str(workspace_dir.parent / "other")).code == 2


def test_init_with_a_bad_status_url_is_a_clear_error(tmp_path, jitsuin):
    run = jitsuin("init", "--name", "X", "--dir", str(tmp_path / "ws"), "--unencrypted", "--status-url", "ftp://x")
    assert run.code == 2 and "WORKSPACE_CONFIG_INVALID" in run.err and "status_base_url" in run.err
    assert "Traceback" not in run.err
