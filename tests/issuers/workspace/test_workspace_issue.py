"""init -> issue in every format -> verify as a relying party (published did.json and status lists)."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from pathlib import Path

import pytest

from issuers.workspace import Workspace, get_format
from tests.issuers.workspace.workspace_support import NOW, check, failures, sample
from vc.errors import CatalogError, PassphraseRequiredError, WorkspaceError, WrongPassphraseError
from vc.jose import parse_compact
from vc.keys import KeyPair
from vc.sdjwt import parse_sd_jwt

ED25519_FORMATS = ["eddsa-rdfc-2022", "eddsa-jcs-2022", "vc+jwt", "dc+sd-jwt"]


def test_init_writes_config_key_registry_and_did_document(web_ws: Workspace) -> None:
    assert web_ws.issuer_did == "did:web:city.example.jp"
    assert web_ws.config.status_base_url == "https://city.example.jp"
    assert (web_ws.path / "jitsuin.toml").is_file()
    assert (web_ws.path / "registry.db").is_file()
    key_file = web_ws.path / "keys" / "key-1.jwk"
    assert key_file.stat().st_mode & 0o777 == 0o600
    published = json.loads((web_ws.path / "published/.well-known/did.json").read_text())
    assert published == web_ws.did_document()
    assert published["assertionMethod"] == ["did:web:city.example.jp#key-1"]
    reopened = Workspace.open(web_ws.path)
    assert reopened.config == web_ws.config
    reopened.close()


def test_did_key_workspace_issues_as_its_key(key_ws: Workspace) -> None:
    assert key_ws.issuer_did.startswith("did:key:z6Mk")
    assert key_ws.did_document() is None
    issued = key_ws.issue("BirthCertificate", sample(key_ws, "BirthCertificate"), format="eddsa-rdfc-2022", now=NOW)
    assert issued.credential["issuer"] == key_ws.issuer_did
    assert issued.credential["proof"]["verificationMethod"].startswith(key_ws.issuer_did + "#z6Mk")
    # a did:key workspace's status lists point to the local issuer service until an address is configured
    assert issued.credential["credentialStatus"][0]["statusListCredential"].startswith("http://localhost:8000/status/")
    result = check(key_ws, issued.credential, status=False)
    assert result.verified, failures(result)


@pytest.mark.parametrize("fmt", ED25519_FORMATS)
def test_issue_each_format_verifies_with_status(web_ws: Workspace, fmt: str) -> None:
    holder = KeyPair.generate()
    issued = web_ws.issue("BirthCertificate", sample(web_ws, "BirthCertificate"), format=fmt, holder=holder.public,
                          now=NOW)
    assert issued.format == fmt
    assert issued.kid == "key-1"
    assert isinstance(issued.credential, str) == get_format(fmt).compact
    result = check(web_ws, issued.credential)
    assert result.verified, failures(result)
    assert "status" in {c.check for c in result.checks}  # the published status list was consulted
    registration = web_ws.registry.get(issued.credential_id)
    assert registration.format == fmt
    assert registration.credential_type == "BirthCertificateCredential"

    web_ws.registry.revoke(issued.credential_id, reason="issued_in_error")
    revoked = check(web_ws, issued.credential)
    assert not revoked.verified
    assert any(c.check == "status" and not c.passed for c in revoked.checks)


def test_ecdsa_rdfc_2019_needs_a_p256_workspace(tmp_path: Path, web_ws: Workspace) -> None:
    with pytest.raises(WorkspaceError) as caught:
        web_ws.issue("BirthCertificate", sample(web_ws, "BirthCertificate"), format="ecdsa-rdfc-2019", now=NOW)
    assert caught.value.code == "FORMAT_KEY_MISMATCH"
    ws = Workspace.init(tmp_path / "p256", name="P-256 City", did_web="p256.example.jp", alg="P-256",
                        unencrypted=True, now=NOW)
    with ws:
        for fmt in ("ecdsa-rdfc-2019", "vc+jwt", "dc+sd-jwt"):
            issued = ws.issue("BirthCertificate", sample(ws, "BirthCertificate"), format=fmt,
                              holder=KeyPair.generate().public, now=NOW)
            result = check(ws, issued.credential)
            assert result.verified, (fmt, failures(result))


def test_default_format_is_the_types(web_ws: Workspace) -> None:
    assert web_ws.certificate_type("BirthCertificate").default_format == "dc+sd-jwt"
    issued = web_ws.issue("BirthCertificate", sample(web_ws, "BirthCertificate"), now=NOW)
    assert issued.format == "dc+sd-jwt"


def test_sd_jwt_vc_has_the_types_disclosures_status_and_holder_binding(web_ws: Workspace) -> None:
    holder = KeyPair.generate()
    issued = web_ws.issue("BirthCertificate", sample(web_ws, "BirthCertificate"), format="dc+sd-jwt",
                          holder=holder.public, now=NOW)
    token = parse_sd_jwt(issued.credential)
    payload = parse_compact(token.issuer_jwt).payload_json()
    assert payload["iss"] == web_ws.issuer_did
    assert payload["vct"] == web_ws.certificate_type("BirthCertificate").vct
    assert payload["cnf"]["jwk"] == holder.public.to_jwk()
    registration = web_ws.registry.get(issued.credential_id)
    assert payload["status"]["status_list"] == {"idx": registration.entry("token").index,
                                                "uri": registration.entry("token").list_url}
    # M and H claims are disclosures, L claims (attendant, documentDate) stay plain
    assert "child" not in payload and "mother" not in payload
    assert payload["documentDate"] == "2025-03-10"
    disclosed = {json.loads(_b64(d))[1] for d in token.disclosures}
    assert {"child", "birthDateTime", "birthPlace", "mother", "birthWeightGrams"} <= disclosed
    assert payload["exp"] - payload["iat"] > 80 * 86400  # the type's default validity, P3M


def _b64(segment: str) -> bytes:
    from vc.encoding.base64url import b64url_decode

    return b64url_decode(segment)


def test_data_integrity_credential_content(web_ws: Workspace) -> None:
    holder = KeyPair.generate()
    issued = web_ws.issue("BirthCertificate", sample(web_ws, "BirthCertificate"), format="eddsa-rdfc-2022",
                          holder=holder.public, now=NOW)
    credential = issued.credential
    assert credential["id"] == issued.credential_id
    assert credential["issuer"] == "did:web:city.example.jp"
    assert credential["validFrom"] == "2026-04-01T09:00:00Z"
    assert credential["validUntil"] == "2026-07-01T09:00:00Z"
    assert credential["credentialSubject"]["id"].startswith("did:key:")
    assert credential["proof"]["verificationMethod"] == "did:web:city.example.jp#key-1"
    entries = credential["credentialStatus"]
    assert {e["statusPurpose"] for e in entries} == {"revocation", "suspension"}
    assert all(e["statusListCredential"].startswith("https://city.example.jp/status/") for e in entries)


def test_record_key_makes_reissue_idempotent(web_ws: Workspace) -> None:
    claims = sample(web_ws, "BirthCertificate")
    first = web_ws.issue("BirthCertificate", claims, format="eddsa-jcs-2022", record_key="B-2026-001", now=NOW)
    again = web_ws.issue("BirthCertificate", claims, format="eddsa-jcs-2022", record_key="B-2026-001",
                         now=NOW + timedelta(days=2))
    assert again.credential_id == first.credential_id and not again.created
    assert again.credential["credentialStatus"] == first.credential["credentialStatus"]
    assert again.credential["validFrom"] == first.credential["validFrom"]  # the same credential, signed again
    other = web_ws.issue("BirthCertificate", claims, format="eddsa-jcs-2022", record_key="B-2026-002", now=NOW)
    assert other.credential_id != first.credential_id
    # the same record in another format is another credential
    sd = web_ws.issue("BirthCertificate", claims, format="dc+sd-jwt", record_key="B-2026-001", now=NOW)
    assert sd.credential_id != first.credential_id


def test_issue_many_registers_a_chunk_and_fails_only_the_bad_rows(web_ws: Workspace) -> None:
    from issuers.workspace import IssueRequest, idempotency_key
    from vc.errors import RegistryError, UsageError

    ctype = web_ws.certificate_type("BirthCertificate")
    claims = sample(web_ws, "BirthCertificate")
    # a record key already taken by a credential of another type: the registry refuses that row only
    web_ws.registry.register(credential_id="urn:uuid:other", credential_type="OtherCredential", format="vc+jwt",
                             idempotency_key=idempotency_key(ctype.id, "vc+jwt", "B-3"))
    requests = [IssueRequest(claims, record_key=f"B-{n}") for n in range(4)]
    requests.append(IssueRequest(claims, holder="not a DID", record_key="B-4"))
    issuer = web_ws.issuer()
    first = issuer.issue_many(ctype, requests, format="vc+jwt", now=NOW)
    assert [type(o).__name__ for o in first] == ["IssuedCredential"] * 3 + ["RegistryError", "UsageError"]
    assert isinstance(first[3], RegistryError) and first[3].code == "IDEMPOTENCY_CONFLICT"
    assert isinstance(first[4], UsageError)
    assert len({o.credential_id for o in first[:3]}) == 3 and all(o.created for o in first[:3])
    result = check(web_ws, first[0].credential)
    assert result.verified, failures(result)
    # the same records again (a batch re-run): the same ids and status entries, nothing new registered
    again = issuer.issue_many(ctype, requests[:3], format="vc+jwt", now=NOW + timedelta(days=1), validated=True)
    assert [(o.credential_id, o.created) for o in again] == [(o.credential_id, False) for o in first[:3]]
    assert [o.registration.entries for o in again] == [o.registration.entries for o in first[:3]]
    assert len(web_ws.registry.lists()) == 2 and sum(i.allocated for i in web_ws.registry.lists()) == 2 * 4


def test_invalid_claims_name_the_field_and_sign_nothing(web_ws: Workspace) -> None:
    claims = sample(web_ws, "BirthCertificate")
    claims["documentDate"] = "令和7年3月10日"
    del claims["mother"]
    with pytest.raises(CatalogError) as caught:
        web_ws.issue("BirthCertificate", claims, format="vc+jwt", now=NOW)
    assert caught.value.code == "CLAIMS_INVALID"
    assert "documentDate" in caught.value.message and "mother" in caught.value.message
    assert "令和" not in caught.value.message
    assert web_ws.registry.lists() == []  # no status index was spent on it
    assert web_ws.ledger.count() == 0


def test_unknown_type_and_format(web_ws: Workspace) -> None:
    with pytest.raises(CatalogError) as caught:
        web_ws.issue("MarriageCertificate", {}, now=NOW)
    assert caught.value.code == "TYPE_UNKNOWN"
    with pytest.raises(WorkspaceError) as caught_format:
        web_ws.issue("BirthCertificate", sample(web_ws, "BirthCertificate"), format="ldp_vc+cbor", now=NOW)
    assert caught_format.value.code == "FORMAT_UNSUPPORTED"


def test_issuer_kinds_limit_the_types(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "school", name="Example School", did_web="school.example.jp",
                        kinds=["school"], unencrypted=True, now=NOW)
    with ws:
        with pytest.raises(WorkspaceError) as caught:
            ws.issue("BirthCertificate", sample(ws, "BirthCertificate"), now=NOW)
        assert caught.value.code == "TYPE_NOT_ALLOWED"
        assert ws.issue("SchoolEnrollment", sample(ws, "SchoolEnrollment"), now=NOW).type == "SchoolEnrollment"


def test_sd_jwt_for_a_holder_did_without_a_key_is_refused(web_ws: Workspace) -> None:
    with pytest.raises(WorkspaceError) as caught:
        web_ws.issue("BirthCertificate", sample(web_ws, "BirthCertificate"), format="dc+sd-jwt",
                     holder="did:web:wallet.example", now=NOW)
    assert caught.value.code == "HOLDER_KEY_REQUIRED"
    # a Data Integrity credential only names the subject
    issued = web_ws.issue("BirthCertificate", sample(web_ws, "BirthCertificate"), format="eddsa-jcs-2022",
                          holder="did:web:wallet.example", now=NOW)
    assert issued.credential["credentialSubject"]["id"] == "did:web:wallet.example"


def test_logs_never_hold_claim_values(web_ws: Workspace, caplog: pytest.LogCaptureFixture) -> None:
    claims = sample(web_ws, "BirthCertificate")
    claims["mother"] = {"familyName": "秘密野", "givenName": "花子"}
    with caplog.at_level(logging.DEBUG):
        issued = web_ws.issue("BirthCertificate", claims, format="vc+jwt", now=NOW)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert issued.credential_id in logged
    assert "秘密野" not in logged and "花子" not in logged


def test_signing_is_recorded_per_key(web_ws: Workspace) -> None:
    issued = web_ws.issue("BirthCertificate", sample(web_ws, "BirthCertificate"), format="vc+jwt", now=NOW)
    assert list(web_ws.ledger.latest_first("key-1")) == [(issued.credential_id, issued.valid_until)]


def test_encrypted_key_needs_the_passphrase(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JITSUIN_PASSPHRASE", raising=False)
    with pytest.raises(PassphraseRequiredError):
        Workspace.init(tmp_path / "nopass", name="No Pass", did_web="x.example.jp")
    ws = Workspace.init(tmp_path / "enc", name="Encrypted", did_web="enc.example.jp", passphrase="correct horse")
    config = ws.config
    ws.close()
    assert config.keys[0].encrypted
    assert b"correct horse" not in (tmp_path / "enc/keys/key-1.jwk").read_bytes()
    assert b'"d"' not in (tmp_path / "enc/keys/key-1.jwk").read_bytes()
    with Workspace.open(tmp_path / "enc") as reopened:
        with pytest.raises(PassphraseRequiredError) as missing:
            reopened.issue("BirthCertificate", sample(reopened, "BirthCertificate"), now=NOW)
        assert "JITSUIN_PASSPHRASE" in missing.value.message
        with pytest.raises(WrongPassphraseError):
            reopened.signing_key(passphrase="wrong horse")
    monkeypatch.setenv("JITSUIN_PASSPHRASE", "correct horse")
    with Workspace.open(tmp_path / "enc") as reopened:
        issued = reopened.issue("BirthCertificate", sample(reopened, "BirthCertificate"), format="vc+jwt", now=NOW)
        assert check(reopened, issued.credential).verified


def test_open_and_init_errors(tmp_path: Path, web_ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(WorkspaceError) as missing:
        Workspace.open(tmp_path / "nowhere")
    assert missing.value.code == "WORKSPACE_NOT_FOUND"
    with pytest.raises(WorkspaceError) as exists:
        Workspace.init(web_ws.path, name="Again", unencrypted=True)
    assert exists.value.code == "WORKSPACE_EXISTS"
    monkeypatch.setenv("JITSUIN_WORKSPACE", str(web_ws.path))
    with Workspace.open() as found:
        assert found.issuer_did == web_ws.issuer_did


def test_broken_config_is_reported(web_ws: Workspace) -> None:
    config = web_ws.path / "jitsuin.toml"
    config.write_text(config.read_text().replace('status_base_url = "https://', 'status_base_url = "ftp://'))
    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(web_ws.path)
    assert caught.value.code == "WORKSPACE_CONFIG_INVALID"
    assert "status_base_url" in caught.value.message
    config.write_text("name = [")
    with pytest.raises(WorkspaceError) as toml:
        Workspace.open(web_ws.path)
    assert toml.value.code == "WORKSPACE_CONFIG_INVALID"


def test_status_base_url_follows_a_did_web_path(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "path", name="Ward", did_web="city.example.jp/wards/minato", unencrypted=True)
    with ws:
        assert ws.issuer_did == "did:web:city.example.jp:wards:minato"
        assert ws.config.status_base_url == "https://city.example.jp/wards/minato"
        assert (ws.path / "published/wards/minato/did.json").is_file()
