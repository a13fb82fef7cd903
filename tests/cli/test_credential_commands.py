"""jitsuin key/issue/verify/did through the real entry point: exit codes and messages."""

from __future__ import annotations

import json
import stat

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
