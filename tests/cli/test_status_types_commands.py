"""jitsuin init / issue --type / status / types through the real entry point, in a throw-away workspace."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

TYPES = Path(__file__).parents[2] / "issuers" / "catalog" / "types"


@pytest.fixture
def workspace(tmp_path, jitsuin, monkeypatch):
    folder = tmp_path / "ws"
    monkeypatch.setenv("JITSUIN_WORKSPACE", str(folder))
    run = jitsuin("init", "--name", "Example City", "--unencrypted", "--kind", "municipality")
    assert run.code == 0, run.err
    return folder


def _issue(tmp_path, jitsuin, type_name="ResidentRecord", fmt="eddsa-rdfc-2022"):
    claims = tmp_path / f"{type_name}.json"
    sample = yaml.safe_load((TYPES / f"{type_name}.yaml").read_text(encoding="utf-8"))["sample"]
    claims.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / f"{type_name}.out"
    run = jitsuin("issue", "--type", type_name, str(claims), "--format", fmt, "--out", str(out))
    assert run.code == 0, run.err
    match = re.search(r"issued (\S+)", run.err)
    assert match, run.err
    return match.group(1), out


def test_status_lifecycle_and_its_errors(tmp_path, jitsuin, workspace):
    credential_id, out = _issue(tmp_path, jitsuin)
    signed = json.loads(out.read_text())
    assert {e["statusPurpose"] for e in signed["credentialStatus"]} == {"revocation", "suspension"}
    shown = jitsuin("status", "show", credential_id, "--json")
    assert json.loads(shown.out)["status"] == "active"
    assert jitsuin("status", "suspend", credential_id, "--reason", "under_investigation").code == 0
    assert json.loads(jitsuin("status", "show", credential_id, "--json").out)["status"] == "suspended"
    assert jitsuin("status", "reinstate", credential_id).code == 0
    revoked = jitsuin("status", "revoke", credential_id, "--reason", "issued_in_error")
    assert revoked.code == 0 and "final" in revoked.out
    again = jitsuin("status", "reinstate", credential_id)
    assert again.code == 2 and "CREDENTIAL_REVOKED" in again.err
    unknown = jitsuin("status", "revoke", "urn:uuid:00000000-0000-0000-0000-000000000000")
    assert unknown.code == 2 and "CREDENTIAL_NOT_FOUND" in unknown.err
    history = json.loads(jitsuin("status", "show", credential_id, "--json").out)["history"]
    assert [h["to"] for h in history] == ["suspended", "active", "revoked"]


def test_publish_writes_signed_lists_with_the_revoked_bit(tmp_path, jitsuin, workspace):
    credential_id, out = _issue(tmp_path, jitsuin)
    entry = next(e for e in json.loads(out.read_text())["credentialStatus"] if e["statusPurpose"] == "revocation")
    assert jitsuin("status", "revoke", credential_id).code == 0
    pub = tmp_path / "pub"
    run = jitsuin("status", "publish", "--out", str(pub))
    assert run.code == 0, run.err
    from vc.credentials import verify_credential
    from vc.status import BitstringStatusList

    files = {p.name: json.loads(p.read_text()) for p in pub.glob("*.json")}
    lists = [doc for doc in files.values() if doc["credentialSubject"]["statusPurpose"] == "revocation"]
    assert len(lists) == 1 and verify_credential(lists[0], status=False).verified
    bits = BitstringStatusList.decode(lists[0]["credentialSubject"]["encodedList"])
    assert list(bits.set_indexes()) == [int(entry["statusListIndex"])]


def test_types_list_show_validate_add(tmp_path, jitsuin, workspace):
    listed = jitsuin("types", "list")
    assert listed.code == 0 and "BirthCertificate" in listed.out and "出生証明書" in listed.out
    shown = jitsuin("types", "show", "EmploymentCertificate", "--json")
    claims = {c["path"]: c for c in json.loads(shown.out)["claims"]}
    assert claims["baseSalary"]["sensitivity"].endswith("H") and claims["baseSalary"]["optIn"]
    assert jitsuin("types", "show", "NoSuchType").code == 2

    # a v2 that only adds an optional claim is a compatible extension, and becomes issuable
    v1 = yaml.safe_load((TYPES / "SchoolEnrollment.yaml").read_text(encoding="utf-8"))
    v2 = json.loads(json.dumps(v1, default=str))
    v2["version"] = "1.1.0"
    v2_file = tmp_path / "SchoolEnrollment-1.1.yaml"
    v2_file.write_text(yaml.safe_dump(v2, allow_unicode=True), encoding="utf-8")
    checked = jitsuin("types", "validate", str(v2_file))
    assert checked.code == 0, checked.err
    added = jitsuin("types", "add", str(v2_file))
    assert added.code == 0, added.err
    assert (workspace / "types").is_dir() and any((workspace / "types").iterdir())

    bad = dict(v2, version="1.2.0")
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text(yaml.safe_dump(bad, allow_unicode=True).replace("studentNumber", "myNumber"),
                        encoding="utf-8")
    refused = jitsuin("types", "validate", str(bad_file))
    assert refused.code == 2 and "FORBIDDEN_CLAIM" in refused.err
