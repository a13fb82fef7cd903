"""Issue with status entries, publish signed static lists, serve them, and check them as a verifier."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from issuers.registry import (
    credential_status_entries,
    list_credential,
    list_token_payload,
    open_registry,
    publish_lists,
    purposes_for_format,
    token_status_claim,
)
from vc.credentials import issue_credential
from vc.did import did_key
from vc.errors import UsageError
from vc.keys import KeyPair
from vc.status import (
    BitstringStatusList,
    StatusChecker,
    StatusListFetcher,
    TokenStatusList,
    sign_status_list_token,
)

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=timezone.utc)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def static_site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A plain static web server for a folder, as an institution's web server or CDN would be."""
    root = tmp_path / "site"
    root.mkdir()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield root, f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def issuer_key() -> tuple[KeyPair, str, str]:
    key = KeyPair.generate()
    did = did_key(key.public)
    return key, did, f"{did}#{did.removeprefix('did:key:')}"


def _publish(registry, root: Path, key: KeyPair, did: str, kid: str, now: datetime) -> list:
    return publish_lists(
        registry,
        out_dir=root,
        issuer=did,
        sign_credential=lambda doc: issue_credential(doc, key, cryptosuite="eddsa-rdfc-2022", now=now),
        sign_token=lambda payload: sign_status_list_token(payload, key, kid=kid),
        now=now,
    )


def _credential(did: str, entries: list[dict]) -> dict:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": did,
        "credentialSubject": {"id": "did:example:resident"},
        "credentialStatus": entries,
    }


def test_revoke_suspend_reinstate_reach_a_verifier(registry_location: str, static_site, issuer_key) -> None:
    root, authority = static_site
    key, did, kid = issuer_key
    with open_registry(registry_location, base_url=f"http://{authority}/status") as registry:
        (root / "status").mkdir()
        a = registry.register(credential_id="urn:uuid:a", credential_type="ResidentRecordCredential",
                              format="eddsa-rdfc-2022", now=NOW)
        b = registry.register(credential_id="urn:uuid:b", credential_type="ResidentRecordCredential",
                              format="eddsa-rdfc-2022", now=NOW)
        sd = registry.register(credential_id="urn:uuid:c", credential_type="ResidentRecordCredential",
                               format="dc+sd-jwt", purposes=purposes_for_format("dc+sd-jwt"), now=NOW)
        cred_a, cred_b = (_credential(did, credential_status_entries(r)) for r in (a, b))
        sd_payload = {"iss": did, "status": token_status_claim(sd)}

        def check(at: datetime) -> tuple:
            checker = StatusChecker(fetcher=StatusListFetcher(allow_http_for=[authority]))
            results = checker.check_credential(cred_a, now=at) + checker.check_credential(cred_b, now=at)
            return tuple(r.code for r in results) + tuple(r.code for r in checker.check_token(sd_payload, now=at))

        files = _publish(registry, root / "status", key, did, kid, NOW)
        assert sorted(f.path.name for f in files) == ["1.json", "2.json", "3.jwt"]
        assert check(NOW) == (None, None, None, None, None)

        registry.revoke(a.credential_id, reason="issued_in_error", now=NOW)
        registry.suspend(b.credential_id, reason="under_investigation", now=NOW)
        registry.suspend(sd.credential_id, now=NOW)
        later = NOW + timedelta(hours=1)
        _publish(registry, root / "status", key, did, kid, later)
        assert check(later) == ("REVOKED", None, None, "SUSPENDED", "SUSPENDED")

        registry.reinstate(b.credential_id, now=later)
        registry.revoke(sd.credential_id, now=later)
        latest = later + timedelta(hours=1)
        _publish(registry, root / "status", key, did, kid, latest)
        assert check(latest) == ("REVOKED", None, None, None, "REVOKED")


def test_status_entries_and_claims_from_a_registration(registry_location: str) -> None:
    with open_registry(registry_location, base_url="https://city.example/status") as registry:
        reg = registry.register(credential_id="urn:uuid:1", credential_type="T", format="eddsa-rdfc-2022")
        entries = credential_status_entries(reg)
        assert [e["statusPurpose"] for e in entries] == ["revocation", "suspension"]
        first = reg.entries[0]
        assert entries[0] == {
            "id": f"{first.list_url}#{first.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(first.index),
            "statusListCredential": first.list_url,
        }
        assert token_status_claim(reg) is None
        sd = registry.register(credential_id="urn:uuid:2", credential_type="T", format="dc+sd-jwt",
                               purposes=purposes_for_format("dc+sd-jwt"))
        assert credential_status_entries(sd) == []
        assert token_status_claim(sd) == {"status_list": {"idx": sd.entries[0].index, "uri": sd.entries[0].list_url}}
    assert purposes_for_format("eddsa-rdfc-2022") == ("revocation", "suspension")
    assert purposes_for_format("vc+jwt") == ("revocation", "suspension")


def test_unsigned_list_documents(registry_location: str) -> None:
    with open_registry(registry_location, base_url="https://city.example/status") as registry:
        reg = registry.register(credential_id="urn:uuid:1", credential_type="T", format="eddsa-rdfc-2022", now=NOW)
        registry.revoke(reg.credential_id, now=NOW)
        revocation = reg.entry("revocation")
        doc = list_credential(registry.snapshot(revocation.list_id), issuer="did:example:city", now=NOW,
                              ttl=timedelta(minutes=10))
        assert doc["id"] == revocation.list_url
        assert (doc["validFrom"], doc["validUntil"]) == ("2026-04-01T09:00:00Z", "2026-04-02T09:00:00Z")
        assert doc["credentialSubject"]["ttl"] == 600_000
        bits = BitstringStatusList.decode(doc["credentialSubject"]["encodedList"])
        assert list(bits.set_indexes()) == [revocation.index]
        with pytest.raises(UsageError):
            list_token_payload(registry.snapshot(revocation.list_id), issuer=None)

        sd = registry.register(credential_id="urn:uuid:2", credential_type="T", format="dc+sd-jwt",
                               purposes=("token",), now=NOW)
        registry.suspend(sd.credential_id, now=NOW)
        payload = list_token_payload(registry.snapshot(sd.entries[0].list_id), issuer="https://city.example", now=NOW)
        assert payload["sub"] == sd.entries[0].list_url and payload["ttl"] == 300
        assert TokenStatusList.from_claim(payload["status_list"]).status(sd.entries[0].index) == 2
        with pytest.raises(UsageError):
            list_credential(registry.snapshot(sd.entries[0].list_id), issuer="did:example:city")


def test_token_lists_need_a_token_signer(registry_location: str, tmp_path: Path) -> None:
    with open_registry(registry_location, base_url="https://city.example/status") as registry:
        registry.register(credential_id="urn:uuid:1", credential_type="T", format="dc+sd-jwt", purposes=("token",))
        with pytest.raises(UsageError):
            publish_lists(registry, out_dir=tmp_path, issuer="did:example:city", sign_credential=lambda d: d)


def test_published_files_are_complete_json(registry_location: str, tmp_path: Path) -> None:
    with open_registry(registry_location, base_url="https://city.example/status") as registry:
        registry.register(credential_id="urn:uuid:1", credential_type="T", format="eddsa-rdfc-2022")
        files = publish_lists(registry, out_dir=tmp_path, issuer="did:example:city",
                              sign_credential=lambda d: d | {"proof": {"type": "Stub"}})
    assert [(f.list_id, f.purpose, f.media_type) for f in files] == [
        (1, "revocation", "application/vc+ld+json"), (2, "suspension", "application/vc+ld+json")]
    for f in files:
        assert json.loads(f.path.read_text())["id"] == f.url
    assert not list(tmp_path.glob(".*.tmp"))
