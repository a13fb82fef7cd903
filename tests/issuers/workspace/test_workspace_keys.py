"""Key rotation and retirement: earlier credentials keep verifying; a key goes only when nothing needs it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from issuers.workspace import Workspace
from tests.issuers.workspace.workspace_support import NOW, check, failures, resolver_for, sample
from vc.errors import WorkspaceError, WrongPassphraseError


def _issue(ws: Workspace, fmt: str = "eddsa-rdfc-2022", **options: object):
    return ws.issue("BirthCertificate", sample(ws, "BirthCertificate"), format=fmt, now=NOW, **options)


def test_rotate_keeps_old_credentials_verifying(web_ws: Workspace) -> None:
    old_di = _issue(web_ws)
    old_jwt = _issue(web_ws, "vc+jwt")
    old_sd = _issue(web_ws, "dc+sd-jwt")
    entry = web_ws.rotate_key(now=NOW)
    assert entry.kid == "key-2" and entry.state == "active"
    assert web_ws.config.key("key-1").state == "verify-only"

    document = web_ws.did_document()
    assert [vm["id"] for vm in document["verificationMethod"]] == [
        "did:web:city.example.jp#key-1", "did:web:city.example.jp#key-2"]
    assert document["assertionMethod"] == ["did:web:city.example.jp#key-1", "did:web:city.example.jp#key-2"]
    assert document["authentication"] == ["did:web:city.example.jp#key-2"]

    # the relying party fetches the new did.json (preloaded here): credentials signed before still verify
    for issued in (old_di, old_jwt, old_sd):
        result = check(web_ws, issued.credential)
        assert result.verified, (issued.format, failures(result))

    new = _issue(web_ws)
    assert new.kid == "key-2"
    assert new.credential["proof"]["verificationMethod"] == "did:web:city.example.jp#key-2"
    assert check(web_ws, new.credential).verified


def test_rotation_survives_reopening(web_ws: Workspace) -> None:
    web_ws.rotate_key(now=NOW)
    with Workspace.open(web_ws.path) as reopened:
        assert reopened.config.active_key().kid == "key-2"
        assert _issue(reopened, "vc+jwt").kid == "key-2"
        assert reopened.did_document() == web_ws.did_document()


def test_retire_refused_until_the_last_credential_expired(web_ws: Workspace) -> None:
    early = web_ws.issue("BirthCertificate", sample(web_ws, "BirthCertificate"), format="vc+jwt", now=NOW,
                         valid_until=NOW + timedelta(days=10))
    late = _issue(web_ws, "dc+sd-jwt")  # the type's default validity: three months
    assert late.valid_until is not None and late.valid_until > early.valid_until
    web_ws.rotate_key(now=NOW)

    with pytest.raises(WorkspaceError) as caught:
        web_ws.retire_key("key-1", now=NOW + timedelta(days=30))
    assert caught.value.code == "KEY_STILL_IN_USE"
    assert "2026-07-01T09:00:00Z" in caught.value.message  # names the date it may be retired after
    assert web_ws.config.key("key-1").state == "verify-only"
    assert "did:web:city.example.jp#key-1" in web_ws.did_document()["assertionMethod"]

    retired = web_ws.retire_key("key-1", now=late.valid_until + timedelta(seconds=1))
    assert retired.state == "retired"
    assert not (web_ws.path / "keys/key-1.jwk").exists()
    document = web_ws.did_document()
    assert [vm["id"] for vm in document["verificationMethod"]] == ["did:web:city.example.jp#key-2"]
    # what retirement means for a credential still in a wallet: it no longer verifies (hence the wait)
    assert not check(web_ws, early.credential, status=False).verified
    # the kid is never handed out again
    assert web_ws.rotate_key(now=NOW).kid == "key-3"


def test_revoked_credentials_do_not_hold_a_key(web_ws: Workspace) -> None:
    issued = _issue(web_ws, "vc+jwt")
    web_ws.rotate_key(now=NOW)
    with pytest.raises(WorkspaceError):
        web_ws.retire_key("key-1", now=NOW + timedelta(days=1))
    web_ws.registry.revoke(issued.credential_id, reason="superseded")
    assert web_ws.retire_key("key-1", now=NOW + timedelta(days=1)).state == "retired"


def test_force_retires_a_compromised_key(web_ws: Workspace) -> None:
    _issue(web_ws, "vc+jwt")
    web_ws.rotate_key(now=NOW)
    assert web_ws.retire_key("key-1", now=NOW, force=True).state == "retired"


def test_the_active_key_cannot_be_retired(web_ws: Workspace) -> None:
    with pytest.raises(WorkspaceError) as caught:
        web_ws.retire_key("key-1", now=NOW)
    assert caught.value.code == "KEY_ACTIVE"
    with pytest.raises(WorkspaceError) as unknown:
        web_ws.retire_key("key-9", now=NOW)
    assert unknown.value.code == "KEY_NOT_FOUND"


def test_unused_old_key_retires_at_once(web_ws: Workspace) -> None:
    web_ws.rotate_key(now=NOW)
    assert web_ws.retire_key("did:web:city.example.jp#key-1", now=NOW).state == "retired"
    assert web_ws.retire_key("key-1", now=NOW).state == "retired"  # again: nothing to do


def test_did_key_workspace_refuses_rotation(key_ws: Workspace) -> None:
    with pytest.raises(WorkspaceError) as caught:
        key_ws.rotate_key(now=NOW)
    assert caught.value.code == "KEY_ROTATION_UNSUPPORTED"
    assert "did:web" in caught.value.message


def test_rotation_can_change_the_key_type(web_ws: Workspace) -> None:
    web_ws.rotate_key(alg="P-256", now=NOW)
    issued = _issue(web_ws, "ecdsa-rdfc-2019")
    assert check(web_ws, issued.credential).verified


def test_encrypted_rotation_keeps_the_passphrase(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "enc", name="Enc", did_web="enc.example.jp", passphrase="pw-1", now=NOW)
    with ws:
        entry = ws.rotate_key(passphrase="pw-1", now=NOW)
        assert entry.encrypted
        key, vm = ws.signing_key(passphrase="pw-1")
        assert vm.endswith("#key-2") and key.public.to_multibase() == entry.public
        with pytest.raises(WrongPassphraseError):
            ws.rotate_key(passphrase="not-it", now=NOW)
        assert ws.config.active_key().kid == "key-2"


def test_resolver_without_the_new_document_fails_new_credentials(web_ws: Workspace) -> None:
    before = resolver_for(web_ws)  # the did.json a verifier cached before the rotation was published
    web_ws.rotate_key(now=NOW)
    new = _issue(web_ws, "vc+jwt")
    assert not check(web_ws, new.credential, resolver=before, status=False).verified
    assert check(web_ws, new.credential, status=False).verified
