"""A trust list signed by a ministry as a TrustListCredential: verified before use, refused when tampered."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone

import pytest

from vc.errors import PolicyError
from vc.keys import KeyPair
from verifier import TrustEntry, TrustList
from verifier.policy import TRUST_LIST_CONTEXT_URL, sign_trust_list, verify_trust_list_credential
from verifier.policy.trust_list_credential import _CONTEXT_SHA256, context_sha256

NOW = datetime(2025, 6, 2, 1, 0, tzinfo=timezone.utc)
TRUST = TrustList(
    entries=(
        TrustEntry(types=frozenset({"BirthCertificateCredential"}), did="did:web:hospital.example.jp",
                   valid_until=datetime(2027, 3, 31, 15, 0, tzinfo=timezone.utc), name={"ja": "例示病院", "en": "Example"}),
        TrustEntry(types=frozenset({"ResidentRecordCredential", "HouseholdCredential"}), domain="*.lg.jp"),
    ),
    name="全国の信頼リスト",
)


@pytest.fixture(scope="module")
def signed(world) -> dict:
    return sign_trust_list(TRUST, world.keys["ministry"], issuer=world.did("ministry"),
                           verification_method=world.vm("ministry"), valid_until=NOW + timedelta(days=30),
                           now=NOW - timedelta(days=1), loader=world.loader)


def _verify(world, doc: dict, publishers=None, now=NOW) -> TrustList:
    return verify_trust_list_credential(doc, publishers=publishers or [world.did("ministry")], resolver=world.resolver,
                                        loader=world.loader, now=now)


def test_round_trip(world, signed: dict) -> None:
    assert TRUST_LIST_CONTEXT_URL in signed["@context"] and "TrustListCredential" in signed["type"]
    trust = _verify(world, signed)
    assert trust.entries == TRUST.entries and trust.name == TRUST.name
    assert trust.publisher == world.did("ministry")
    assert trust.entries[0].name == {"ja": "例示病院", "en": "Example"}
    assert trust.evaluate("did:web:city.example.lg.jp", {"HouseholdCredential"}, now=NOW).passed


def test_publisher_by_domain(world, signed: dict) -> None:
    assert _verify(world, signed, publishers=["digital.example.go.jp"]).entries == TRUST.entries


@pytest.mark.parametrize("tamper", [
    lambda d: d["credentialSubject"]["trustedIssuers"].append(
        {"issuerDid": "did:web:evil.example", "credentialTypes": ["BirthCertificateCredential"]}),
    lambda d: d["credentialSubject"]["trustedIssuers"][1].__setitem__("didWebDomain", "*.jp"),
    lambda d: d["credentialSubject"]["trustedIssuers"][0]["credentialTypes"].append("ResidentRecordCredential"),
    lambda d: d.__setitem__("validUntil", "2099-01-01T00:00:00Z"),
], ids=["added-issuer", "widened-domain", "added-type", "extended-validity"])
def test_tampered_list_is_refused(world, signed: dict, tamper) -> None:
    doc = copy.deepcopy(signed)
    tamper(doc)
    with pytest.raises(PolicyError) as info:
        _verify(world, doc)
    assert info.value.code == "TRUST_LIST_INVALID"
    assert "INVALID_SIGNATURE" in info.value.detail["codes"]


def test_list_signed_by_someone_else_is_refused(world) -> None:
    forged = sign_trust_list(TRUST, world.keys["hospital"], issuer=world.did("hospital"),
                             verification_method=world.vm("hospital"), now=NOW, loader=world.loader)
    with pytest.raises(PolicyError) as info:
        _verify(world, forged)
    assert info.value.code == "TRUST_LIST_UNTRUSTED_PUBLISHER"


def test_key_not_of_the_publisher_is_refused(world) -> None:
    """Signed with another key but claiming the ministry as issuer: the proof does not verify."""
    forged = sign_trust_list(TRUST, KeyPair.from_seed(b"x" * 32), issuer=world.did("ministry"),
                             verification_method=world.vm("ministry"), now=NOW, loader=world.loader)
    with pytest.raises(PolicyError) as info:
        _verify(world, forged)
    assert info.value.code == "TRUST_LIST_INVALID"


def test_expired_list(world, signed: dict) -> None:
    with pytest.raises(PolicyError) as info:
        _verify(world, signed, now=NOW + timedelta(days=60))
    assert info.value.code == "TRUST_LIST_INVALID" and "EXPIRED" in info.value.detail["codes"]
    # a list loaded while valid stops trusting anyone once it expires
    trust = _verify(world, signed)
    late = trust.evaluate("did:web:hospital.example.jp", {"BirthCertificateCredential"}, now=NOW + timedelta(days=60))
    assert (late.passed, late.code) == (False, "TRUST_LIST_EXPIRED")


def test_load_signed_file(world, signed: dict, tmp_path) -> None:
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(signed, ensure_ascii=False), encoding="utf-8")
    trust = TrustList.load(path, publishers=[world.did("ministry")], resolver=world.resolver, loader=world.loader, now=NOW)
    assert trust.entries == TRUST.entries
    unsigned = tmp_path / "plain.json"
    unsigned.write_text(json.dumps(TRUST.to_dict()), encoding="utf-8")
    with pytest.raises(PolicyError) as info:  # publishers given: a plain list is not accepted
        TrustList.load(unsigned, publishers=[world.did("ministry")], resolver=world.resolver, loader=world.loader,
                       now=NOW)
    assert info.value.code == "TRUST_LIST_INVALID"


def test_context_file_is_pinned() -> None:
    assert context_sha256() == _CONTEXT_SHA256
