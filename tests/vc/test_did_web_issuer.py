"""A credential issued by a did:web institution verifies against its did.json served from a real local server,
and its revocation is seen through the status list that institution publishes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.support.static_server import StaticServer
from vc.credentials import issue_credential, verify_credential
from vc.did import DidResolver, did_web_document
from vc.keys import KeyPair
from vc.status import StatusChecker, StatusListFetcher
from vc.status import BitstringStatusList, bitstring_status_list_credential

NOW = datetime(2026, 4, 1, tzinfo=timezone.utc)
KEY = KeyPair.from_seed(b"\x07" * 32)


@pytest.fixture(scope="module")
def host():
    with StaticServer() as server:
        server.serve("/.well-known/did.json", did_web_document(server.did_web, [KEY.public], key_ids=["key-1"]),
                     content_type="application/did+json")
        yield server


@pytest.fixture
def resolver(host):
    return DidResolver(allow_http_for={host.authority}, timeout=2.0)


def _credential(host, status_index=None):
    doc = {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "type": ["VerifiableCredential", "ExampleResidentCredential"],
        "issuer": host.did_web,
        "credentialSubject": {"id": "did:example:resident", "residentOf": "Example City"},
    }
    if status_index is not None:
        doc["credentialStatus"] = {
            "id": f"{host.base_url}/status/1#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": f"{host.base_url}/status/1",
        }
    return issue_credential(doc, KEY, verification_method=f"{host.did_web}#key-1", now=NOW)


def test_did_web_issuer_verifies_from_served_document(host, resolver):
    signed = _credential(host)
    result = verify_credential(signed, resolver=resolver, now=NOW)
    assert result.verified, result.to_dict()["checks"]
    assert host.hits["/.well-known/did.json"] >= 1


def test_did_web_issuer_with_unknown_key_id_fails(host, resolver):
    signed = _credential(host)
    signed["proof"]["verificationMethod"] = f"{host.did_web}#key-2"
    result = verify_credential(signed, resolver=resolver, now=NOW)
    assert "VERIFICATION_METHOD_NOT_FOUND" in result.codes


def test_revocation_is_seen_through_the_published_status_list(host, resolver):
    index = 4242
    signed = _credential(host, status_index=index)
    checker = StatusChecker(resolver=resolver, fetcher=StatusListFetcher(allow_http_for={host.authority}))

    def publish(revoked: bool) -> None:
        unsigned = bitstring_status_list_credential(
            url=f"{host.base_url}/status/1",
            issuer=host.did_web,
            purpose="revocation",
            status_list=BitstringStatusList.from_statuses([index] if revoked else []),
            valid_from=NOW,
            valid_until=NOW + timedelta(days=1),
        )
        list_credential = issue_credential(
            unsigned,
            KEY,
            verification_method=f"{host.did_web}#key-1",
            now=NOW,
        )
        host.serve("/status/1", list_credential)
        checker.clear()

    publish(revoked=False)
    assert verify_credential(signed, resolver=resolver, now=NOW, status=checker).verified
    publish(revoked=True)
    result = verify_credential(signed, resolver=resolver, now=NOW, status=checker)
    assert not result.verified and result.check("status").code == "REVOKED"
