"""jitsuin key/issue/verify/did through the real entry point: exit codes and messages."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "type": ["VerifiableCredential", "ExampleDegreeCredential"],
    "credentialSubject": {"id": "did:example:alice", "degree": {"type": "ExampleBachelorDegree", "name": "BSc"}},
}


@pytest.fixture
def issuer_key(tmp_path, jitsuin):
    path = tmp_path / "issuer.jwk"
    run = jitsuin("key", "create", "--out", str(path))
    assert run.code == 0, run.err
    return path


@pytest.fixture
def credential_file(tmp_path):
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(CREDENTIAL), encoding="utf-8")
    return path


def test_key_create_prints_dids_and_writes_private_file(tmp_path, jitsuin):
    path = tmp_path / "k.jwk"
    run = jitsuin("key", "create", "--alg", "P-256", "--out", str(path))
    assert run.code == 0
    assert "did:key:zDn" in run.out and "did:jwk:" in run.out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["crv"] == "P-256"


def test_key_create_refuses_to_overwrite(issuer_key, jitsuin):
    run = jitsuin("key", "create", "--out", str(issuer_key))
    assert run.code == 2 and "--force" in run.err


@pytest.mark.parametrize("fmt,alg", [("eddsa-rdfc-2022", "Ed25519"), ("eddsa-jcs-2022", "Ed25519"),
                                     ("ecdsa-rdfc-2019", "P-256"), ("Ed25519Signature2020", "Ed25519")])
def test_issue_then_verify_each_format(tmp_path, jitsuin, credential_file, fmt, alg):
    key = tmp_path / "k.jwk"
    assert jitsuin("key", "create", "--alg", alg, "--out", str(key)).code == 0
    out = tmp_path / "signed.json"
    run = jitsuin("issue", str(credential_file), "--key", str(key), "--format", fmt, "--out", str(out))
    assert run.code == 0, run.err
    signed = json.loads(out.read_text())
    assert signed["issuer"].startswith("did:key:") and "validFrom" in signed
    run = jitsuin("verify", str(out), "--json")
    assert run.code == 0, run.out
    assert json.loads(run.out)["verified"] is True


def test_verify_reads_stdin_and_reports_tampering(tmp_path, jitsuin, issuer_key, credential_file):
    out = tmp_path / "signed.json"
    assert jitsuin("issue", str(credential_file), "--key", str(issuer_key), "--out", str(out)).code == 0
    signed = json.loads(out.read_text())
    assert jitsuin("verify", "-", stdin=out.read_bytes()).code == 0
    signed["credentialSubject"]["degree"]["name"] = "PhD"
    run = jitsuin("verify", "--json", "-", stdin=json.dumps(signed).encode())
    assert run.code == 1
    result = json.loads(run.out)
    assert result["verified"] is False
    assert any(c.get("code") == "INVALID_SIGNATURE" for c in result["checks"])


def test_encrypted_key_needs_its_passphrase(tmp_path, jitsuin, credential_file, monkeypatch):
    key = tmp_path / "enc.jwk"
    monkeypatch.setenv("KEYPASS", "correct horse")
    assert jitsuin("key", "create", "--out", str(key), "--passphrase-env", "KEYPASS").code == 0
    assert "correct horse" not in key.read_text()
    ok = jitsuin("issue", str(credential_file), "--key", str(key), "--passphrase-env", "KEYPASS")
    assert ok.code == 0, ok.err
    monkeypatch.setenv("KEYPASS", "wrong")
    bad = jitsuin("issue", str(credential_file), "--key", str(key), "--passphrase-env", "KEYPASS")
    assert bad.code == 2 and "WRONG_PASSPHRASE" in bad.err


@pytest.mark.parametrize(
    "payload,code",
    [
        (b"not json", "MALFORMED"),
        (b"[1, 2]", "MALFORMED"),
        (b"[" * 10_000 + b"]" * 10_000, "INPUT_TOO_LARGE"),
        (b'{"a": "' + b"x" * (10 * 1024 * 1024) + b'"}', "INPUT_TOO_LARGE"),
    ],
    ids=["non-json", "array", "deep", "10MB"],
)
def test_unusable_input_is_exit_2_without_traceback(jitsuin, payload, code):
    run = jitsuin("verify", "-", stdin=payload)
    assert run.code == 2
    assert code in run.err and "Traceback" not in run.err


def test_issue_refuses_unknown_context_and_undefined_term(tmp_path, jitsuin, issuer_key):
    unknown = dict(CREDENTIAL, **{"@context": [*CREDENTIAL["@context"], "https://evil.example/ctx"]})
    path = tmp_path / "c.json"
    path.write_text(json.dumps(unknown))
    run = jitsuin("issue", str(path), "--key", str(issuer_key))
    assert run.code == 2 and "CONTEXT_NOT_ALLOWED" in run.err
    v1 = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:x", "undefinedClaim": 1},
    }
    path.write_text(json.dumps(v1))
    run = jitsuin("issue", str(path), "--key", str(issuer_key))
    assert run.code == 2 and "UNDEFINED_TERM" in run.err and "undefinedClaim" in run.err


def test_verify_missing_file_is_exit_2(jitsuin, tmp_path):
    run = jitsuin("verify", str(tmp_path / "nope.json"))
    assert run.code == 2 and "no such file" in run.err


def test_did_resolve_did_key(jitsuin):
    did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    run = jitsuin("did", "resolve", did)
    assert run.code == 0
    doc = json.loads(run.out)
    assert doc["id"] == did and doc["verificationMethod"][0]["type"] == "Multikey"


def test_did_resolve_invalid_did_is_exit_2(jitsuin):
    run = jitsuin("did", "resolve", "did:key:notbase58!")
    assert run.code == 2 and "INVALID_DID" in run.err



def test_sd_jwt_issue_present_verify_with_holder_binding(tmp_path, jitsuin, issuer_key):
    holder = tmp_path / "holder.jwk"
    assert jitsuin("key", "create", "--out", str(holder)).code == 0
    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps({"givenName": "花子", "familyName": "山田", "employed": True}), encoding="utf-8")
    sd_jwt = tmp_path / "cred.sd-jwt"
    run = jitsuin("issue", str(claims), "--key", str(issuer_key), "--format", "dc+sd-jwt", "--vct",
                  "https://example.jp/EmploymentCertificate", "--holder-key", str(holder),
                  "--sd", "givenName", "--sd", "familyName", "--out", str(sd_jwt))
    assert run.code == 0, run.err
    assert sd_jwt.read_text().count("~") == 3  # two disclosures, no KB-JWT yet
    vp = tmp_path / "vp.sd-jwt"
    run = jitsuin("present", str(sd_jwt), "--key", str(holder), "--aud", "https://city.example.jp",
                  "--nonce", "n-123", "--disclose", "familyName", "--out", str(vp))
    assert run.code == 0, run.err
    ok = jitsuin("verify", str(vp), "--aud", "https://city.example.jp", "--nonce", "n-123", "--json")
    assert ok.code == 0, ok.out
    disclosed = json.loads(ok.out)["document"]
    assert disclosed["familyName"] == "山田" and "givenName" not in disclosed
    wrong = jitsuin("verify", str(vp), "--aud", "https://other.example", "--nonce", "n-123", "--json")
    assert wrong.code == 1 and "AUD_MISMATCH" in wrong.out
    # presenting with a key other than cnf is refused at verification
    other = tmp_path / "other.jwk"
    assert jitsuin("key", "create", "--out", str(other)).code == 0
    run = jitsuin("present", str(sd_jwt), "--key", str(other), "--aud", "a", "--nonce", "n", "--out", str(vp))
    if run.code == 0:
        assert jitsuin("verify", str(vp), "--aud", "a", "--nonce", "n").code == 1
    else:
        assert run.code == 2


def test_vc_jwt_and_vp_jwt(tmp_path, jitsuin, issuer_key, credential_file):
    jwt = tmp_path / "cred.jwt"
    assert jitsuin("issue", str(credential_file), "--key", str(issuer_key), "--format", "vc+jwt",
                   "--out", str(jwt)).code == 0
    assert jwt.read_text().count(".") == 2
    assert jitsuin("verify", str(jwt)).code == 0
    holder = tmp_path / "holder.jwk"
    assert jitsuin("key", "create", "--out", str(holder)).code == 0
    vp = tmp_path / "vp.jwt"
    assert jitsuin("present", str(jwt), "--key", str(holder), "--aud", "v", "--nonce", "n", "--out", str(vp)).code == 0
    assert jitsuin("verify", str(vp), "--aud", "v", "--nonce", "n").code == 0
    assert jitsuin("verify", str(vp), "--aud", "v", "--nonce", "other").code == 1


def test_data_integrity_presentation_with_challenge_and_domain(tmp_path, jitsuin, issuer_key, credential_file):
    signed = tmp_path / "signed.json"
    assert jitsuin("issue", str(credential_file), "--key", str(issuer_key), "--out", str(signed)).code == 0
    holder = tmp_path / "holder.jwk"
    assert jitsuin("key", "create", "--out", str(holder)).code == 0
    vp = tmp_path / "vp.json"
    run = jitsuin("present", str(signed), "--key", str(holder), "--challenge", "c-1", "--domain", "city.example",
                  "--out", str(vp))
    assert run.code == 0, run.err
    assert jitsuin("verify", str(vp), "--challenge", "c-1", "--domain", "city.example").code == 0
    bad = jitsuin("verify", str(vp), "--challenge", "c-2", "--domain", "city.example", "--json")
    assert bad.code == 1 and "CHALLENGE_MISMATCH" in bad.out


def test_jose_options_refused_for_data_integrity(jitsuin, issuer_key, credential_file):
    run = jitsuin("issue", str(credential_file), "--key", str(issuer_key), "--sd", "x")
    assert run.code == 2 and "dc+sd-jwt" in run.err


def test_wrong_key_type_for_suite_is_exit_2(jitsuin, issuer_key, credential_file):
    run = jitsuin("issue", str(credential_file), "--key", str(issuer_key), "--format", "ecdsa-rdfc-2019")
    assert run.code == 2 and "Traceback" not in run.err
    assert "KEY_TYPE_MISMATCH" in run.err or "UNSUPPORTED_KEY_TYPE" in run.err


@pytest.mark.parametrize(
    "change,code",
    [
        (lambda p: p.update(verificationMethod="did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
                                                 "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"),
         "ISSUER_MISMATCH"),
        (lambda p: p.update(cryptosuite="eddsa-unknown-2099"), "UNKNOWN_CRYPTOSUITE"),
        (lambda p: p.update(proofPurpose="authentication"), "KEY_PURPOSE_MISMATCH"),
    ],
    ids=["vm-on-another-did", "unknown-cryptosuite", "wrong-purpose"],
)
def test_bad_proofs_are_exit_1_with_their_code(tmp_path, jitsuin, issuer_key, credential_file, change, code):
    out = tmp_path / "signed.json"
    assert jitsuin("issue", str(credential_file), "--key", str(issuer_key), "--out", str(out)).code == 0
    signed = json.loads(out.read_text())
    change(signed["proof"])
    run = jitsuin("verify", "--json", "-", stdin=json.dumps(signed).encode())
    assert run.code == 1 and "Traceback" not in run.err
    assert code in {c.get("code") for c in json.loads(run.out)["checks"]}


# --- jitsuin issue --status / --no-status ----------------------------------------------------------


@pytest.fixture
def status_workspace(tmp_path, jitsuin, monkeypatch):
    """A did:key workspace (JITSUIN_WORKSPACE) whose key file signs for it with --key."""
    folder = tmp_path / "ws"
    monkeypatch.setenv("JITSUIN_WORKSPACE", str(folder))
    run = jitsuin("init", "--name", "Example City", "--unencrypted", "--kind", "municipality",
                  "--status-url", "https://city.example.jp")
    assert run.code == 0, run.err
    return folder


def _registered_ids(folder) -> list[str]:
    import sqlite3

    with sqlite3.connect(folder / "registry.db") as conn:
        return [row[0] for row in conn.execute("SELECT credential_id FROM credentials")]


@pytest.mark.parametrize("fmt", ["eddsa-rdfc-2022", "eddsa-jcs-2022", "vc+jwt", "dc+sd-jwt"])
def test_issue_key_with_status_registers_and_the_status_is_checkable(tmp_path, jitsuin, credential_file,
                                                                      status_workspace, fmt):
    import re
    from datetime import datetime, timezone

    from issuers.workspace import Workspace
    from tests.issuers.workspace.workspace_support import check, failures
    from vc.jose import parse_compact
    from vc.sdjwt import parse_sd_jwt

    out = tmp_path / "signed"
    run = jitsuin("issue", str(credential_file), "--key", str(status_workspace / "keys" / "key-1.jwk"),
                  "--format", fmt, "--status", "--out", str(out))
    assert run.code == 0, run.err
    credential_id = re.search(r"registered (\S+)", run.err).group(1)
    assert _registered_ids(status_workspace) == [credential_id]
    text = out.read_text().strip()
    with Workspace.open(status_workspace) as ws:
        registration = ws.registry.get(credential_id)
        assert ws.ledger.count("key-1") == 1  # the workspace key signed it: key retirement must wait for it
        if fmt == "dc+sd-jwt":
            payload = parse_compact(parse_sd_jwt(text).issuer_jwt).payload_json()
            (entry,) = registration.entries
            assert payload["status"] == {"status_list": {"idx": entry.index, "uri": entry.list_url}}
            credential: dict | str = text
        else:
            credential = json.loads(text) if fmt != "vc+jwt" else text
            document = credential if isinstance(credential, dict) else parse_compact(text).payload_json()
            assert document["id"] == credential_id
            assert {(e["statusPurpose"], int(e["statusListIndex"]), e["statusListCredential"])
                    for e in document["credentialStatus"]} == {(e.purpose, e.index, e.list_url)
                                                               for e in registration.entries}
        now = datetime.now(timezone.utc)  # signed on the real clock
        result = check(ws, credential, now=now)
        assert result.verified, failures(result)
    assert jitsuin("status", "revoke", credential_id).code == 0
    with Workspace.open(status_workspace) as ws:
        revoked = check(ws, credential, now=now)
    assert not revoked.verified
    assert any(c.check == "status" for c in revoked.errors), failures(revoked)


def test_issue_key_status_without_a_workspace_is_refused(tmp_path, jitsuin, issuer_key, credential_file,
                                                         monkeypatch):
    monkeypatch.setenv("JITSUIN_WORKSPACE", str(tmp_path / "nowhere"))
    run = jitsuin("issue", str(credential_file), "--key", str(issuer_key), "--status")
    assert run.code == 2 and run.out == ""
    assert "WORKSPACE_NOT_FOUND" in run.err and "--status" in run.err and "jitsuin init" in run.err
    # without --status the workspace is not needed
    assert jitsuin("issue", str(credential_file), "--key", str(issuer_key)).code == 0
    assert jitsuin("issue", str(credential_file), "--key", str(issuer_key), "--no-status").code == 0


def test_issue_key_status_refuses_another_issuer_and_registers_nothing(jitsuin, issuer_key, credential_file,
                                                                       status_workspace):
    run = jitsuin("issue", str(credential_file), "--key", str(issuer_key), "--status")
    assert run.code == 2 and "STATUS_ISSUER_MISMATCH" in run.err and run.out == ""
    assert _registered_ids(status_workspace) == []


def test_issue_key_status_registers_nothing_for_a_credential_that_cannot_be_signed(tmp_path, jitsuin,
                                                                                  status_workspace):
    key = str(status_workspace / "keys" / "key-1.jwk")
    undefined = dict(CREDENTIAL, credentialSubject={"id": "did:example:alice", "undefinedTerm": 1})
    undefined["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    path = tmp_path / "undefined.json"
    path.write_text(json.dumps(undefined), encoding="utf-8")
    assert jitsuin("issue", str(path), "--key", key, "--status").code == 2
    with_status = dict(CREDENTIAL, credentialStatus={"type": "BitstringStatusListEntry"})
    path.write_text(json.dumps(with_status), encoding="utf-8")
    run = jitsuin("issue", str(path), "--key", key, "--status")
    assert run.code == 2 and "credentialStatus" in run.err
    assert _registered_ids(status_workspace) == []


def test_issue_type_no_status(tmp_path, jitsuin, status_workspace):
    import yaml

    types = Path(__file__).parents[2] / "issuers" / "catalog" / "types"
    sample = yaml.safe_load((types / "ResidentRecord.yaml").read_text(encoding="utf-8"))["sample"]
    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    plain = jitsuin("issue", "--type", "ResidentRecord", str(claims), "--format", "eddsa-rdfc-2022", "--no-status")
    assert plain.code == 0, plain.err
    assert "credentialStatus" not in json.loads(plain.out)
    assert _registered_ids(status_workspace) == []
    default = jitsuin("issue", "--type", "ResidentRecord", str(claims), "--format", "eddsa-rdfc-2022")
    assert default.code == 0 and "credentialStatus" in json.loads(default.out)
    assert _registered_ids(status_workspace) == [json.loads(default.out)["id"]]


def test_error_messages_print_dids_and_brackets_verbatim(capsys):
    """rich must not turn ':key:' into an emoji nor '[bold]' into markup in an error message."""
    from cli.output import print_error
    from vc.errors import InputError

    message = "issuer did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2 is not [bold]this[/bold] workspace's"
    print_error(InputError(message))
    err = " ".join(capsys.readouterr().err.split())  # rich may wrap; compare without line breaks
    assert "did:key:z6Mk" in err and "[bold]this[/bold]" in err and "🔑" not in err


@pytest.mark.filterwarnings("ignore::getpass.GetPassWarning")  # no terminal under pytest: getpass reads stdin
def test_key_create_with_a_prompted_passphrase(tmp_path, jitsuin, credential_file, monkeypatch):
    key = tmp_path / "prompted.jwk"
    run = jitsuin("key", "create", "--out", str(key), "--passphrase", stdin=b"s3cret phrase\ns3cret phrase\n")
    assert run.code == 0, run.err
    assert "encrypted" in run.out and "s3cret" not in key.read_text()
    monkeypatch.setenv("KEYPASS", "s3cret phrase")
    assert jitsuin("issue", str(credential_file), "--key", str(key), "--passphrase-env", "KEYPASS").code == 0
