"""Trust lists: exact DIDs, did:web domains, types per issuer, validity periods, files."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from vc.errors import PolicyError
from verifier import TrustEntry, TrustList, verify_credential
from verifier.policy import did_web_host

NOW = datetime(2025, 6, 2, 1, 0, tzinfo=timezone.utc)
BIRTH = {"BirthCertificateCredential"}


def _check(trust: TrustList, issuer: str | None, types: set[str], now: datetime = NOW) -> tuple[bool, str | None]:
    result = trust.evaluate(issuer, types, now=now)
    return result.passed, result.code


def test_exact_did_matches_only_that_did() -> None:
    trust = TrustList((TrustEntry(types=frozenset(BIRTH), did="did:web:hospital.example.jp"),))
    assert _check(trust, "did:web:hospital.example.jp", BIRTH) == (True, None)
    assert _check(trust, "did:web:hospital.example.jp:branch", BIRTH) == (False, "UNTRUSTED_ISSUER")
    assert _check(trust, "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", BIRTH) == (False, "UNTRUSTED_ISSUER")
    assert _check(trust, None, BIRTH) == (False, "UNTRUSTED_ISSUER")


def test_did_web_domain_exact_host_and_any_path() -> None:
    trust = TrustList((TrustEntry(types=frozenset({"ResidentRecordCredential"}), domain="City.Example.lg.jp"),))
    ok = {"ResidentRecordCredential"}
    assert _check(trust, "did:web:city.example.lg.jp", ok)[0]
    assert _check(trust, "did:web:city.example.lg.jp:issuers:shimin", ok)[0]
    assert not _check(trust, "did:web:evil.city.example.lg.jp", ok)[0]
    assert not _check(trust, "did:web:city.example.lg.jp.evil.example", ok)[0]


def test_did_web_wildcard_covers_subdomains_not_the_apex_and_not_lookalikes() -> None:
    trust = TrustList((TrustEntry(types=frozenset({"ResidentRecordCredential"}), domain="*.lg.jp"),))
    ok = {"ResidentRecordCredential"}
    assert _check(trust, "did:web:city.chiyoda.lg.jp", ok)[0]
    assert not _check(trust, "did:web:lg.jp", ok)[0]
    assert not _check(trust, "did:web:evil-lg.jp", ok)[0]
    assert not _check(trust, "did:web:city.lg.jp.example.com", ok)[0]
    assert not _check(trust, "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", ok)[0]


def test_did_web_host_decodes_the_port() -> None:
    assert did_web_host("did:web:localhost%3A8443:issuer") == "localhost:8443"
    trust = TrustList((TrustEntry(types=frozenset({"*"}), domain="localhost:8443"),))
    assert _check(trust, "did:web:localhost%3A8443", BIRTH)[0]
    assert not _check(trust, "did:web:localhost%3A9443", BIRTH)[0]


def test_issuer_trusted_only_for_another_type() -> None:
    trust = TrustList((TrustEntry(types=frozenset({"SchoolEnrollmentCredential"}), did="did:web:school.example.ed.jp"),))
    passed, code = _check(trust, "did:web:school.example.ed.jp", BIRTH)
    assert (passed, code) == (False, "ISSUER_NOT_TRUSTED_FOR_TYPE")
    message = trust.evaluate("did:web:school.example.ed.jp", BIRTH, now=NOW).message
    assert "SchoolEnrollmentCredential" in message and "BirthCertificateCredential" in message


def test_any_type_entry() -> None:
    trust = TrustList((TrustEntry(types=frozenset({"*"}), did="did:web:ministry.example.go.jp"),))
    assert _check(trust, "did:web:ministry.example.go.jp", {"AnythingCredential"})[0]


def test_entry_validity_period() -> None:
    entry = TrustEntry(types=frozenset(BIRTH), did="did:web:hospital.example.jp",
                       valid_from=NOW - timedelta(days=365), valid_until=NOW - timedelta(days=1))
    assert _check(TrustList((entry,)), "did:web:hospital.example.jp", BIRTH) == (False, "TRUST_ENTRY_EXPIRED")
    assert _check(TrustList((entry,)), "did:web:hospital.example.jp", BIRTH, NOW - timedelta(days=30))[0]
    future = TrustEntry(types=frozenset(BIRTH), did="did:web:hospital.example.jp", valid_from=NOW + timedelta(days=1))
    assert _check(TrustList((future,)), "did:web:hospital.example.jp", BIRTH) == (False, "TRUST_ENTRY_NOT_YET_VALID")


def test_a_current_entry_wins_over_an_expired_one() -> None:
    old = TrustEntry(types=frozenset(BIRTH), did="did:web:hospital.example.jp", valid_until=NOW - timedelta(days=1))
    new = TrustEntry(types=frozenset(BIRTH), did="did:web:hospital.example.jp", valid_from=NOW - timedelta(days=1))
    assert _check(TrustList((old, new)), "did:web:hospital.example.jp", BIRTH)[0]


def test_any_issuer_list_is_explicit() -> None:
    assert _check(TrustList.any_issuer(), "did:web:whoever.example", BIRTH)[0]
    assert not _check(TrustList(), "did:web:whoever.example", BIRTH)[0]


@pytest.mark.parametrize("entry", [
    {"types": ["X"]},  # no issuer
    {"did": "did:web:a.example", "domain": "a.example", "types": ["X"]},  # two
    {"did": "not-a-did", "types": ["X"]},
    {"domain": "*.", "types": ["X"]},
    {"domain": "a/b.example", "types": ["X"]},
    {"did": "did:web:a.example", "types": []},
    {"did": "did:web:a.example", "types": ["X"], "validUntil": "2025-01-01T00:00:00"},  # no zone
    {"did": "did:web:a.example", "types": ["X"], "unknown": 1},
])
def test_invalid_entries_are_refused(entry: dict) -> None:
    with pytest.raises(PolicyError) as info:
        TrustList.from_dict({"entries": [entry]})
    assert info.value.code == "TRUST_LIST_INVALID"


def test_load_yaml_and_json_files(tmp_path) -> None:
    yaml_file = tmp_path / "trust.yaml"
    yaml_file.write_text(
        "name: 出生届の信頼リスト\n"
        "entries:\n"
        "  - did: did:web:hospital.example.jp\n"
        "    types: [BirthCertificateCredential]\n"
        "    validUntil: 2027-03-31T23:59:59+09:00\n"
        "    name: {ja: 例示病院, en: Example Hospital}\n"
        "  - domain: '*.lg.jp'\n"
        "    types: [ResidentRecordCredential]\n",
        encoding="utf-8",
    )
    trust = TrustList.load(yaml_file)
    assert trust.name == "出生届の信頼リスト" and len(trust.entries) == 2
    assert trust.entries[0].valid_until == datetime(2027, 3, 31, 14, 59, 59, tzinfo=timezone.utc)
    assert _check(trust, "did:web:hospital.example.jp", BIRTH)[0]
    assert "例示病院" in trust.evaluate("did:web:hospital.example.jp", BIRTH, now=NOW).message
    json_file = tmp_path / "trust.json"
    json_file.write_text(json.dumps(trust.to_dict(), ensure_ascii=False), encoding="utf-8")
    assert TrustList.load(json_file) == trust


def test_signed_list_file_needs_publishers(tmp_path) -> None:
    path = tmp_path / "signed.json"
    path.write_text(json.dumps({"credentialSubject": {}, "proof": {}}), encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        TrustList.load(path)
    assert info.value.code == "TRUST_LIST_UNTRUSTED_PUBLISHER"


def test_policy_trust_check_on_a_signed_credential(world) -> None:
    """The trust check runs on a real credential: trusted issuer, wrong type, unknown issuer."""
    cred = world.di("school", "SchoolEnrollmentCredential", {"familyName": "山田", "givenName": "一郎"})
    assert verify_credential(cred, policy=world.policy(), now=NOW).verified
    only_birth = TrustList((TrustEntry(types=frozenset(BIRTH), did=world.did("school")),))
    result = verify_credential(cred, policy=world.policy(trust_list=only_birth), now=NOW)
    assert not result.verified and result.codes == ("ISSUER_NOT_TRUSTED_FOR_TYPE",)
    result = verify_credential(cred, policy=world.policy(trust_list=TrustList()), now=NOW)
    assert result.codes == ("UNTRUSTED_ISSUER",)
