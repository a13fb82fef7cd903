"""Policy files: every option, relative paths, a signed trust list, and refusals."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import verifier
from vc.errors import PolicyError
from verifier import TrustEntry, TrustList, load_policy, verify_credential
from verifier.policy import sign_trust_list

NOW = datetime(2025, 6, 2, 1, 0, tzinfo=timezone.utc)
CONTEXT_FILE = Path(__file__).parents[3] / "issuers" / "catalog" / "contexts" / "jitsuin-v1.jsonld"


def test_full_policy_file(world, tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://schemas.example.jp/r",
              "type": "object"}
    (tmp_path / "schemas" / "r.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "ctx.jsonld").write_bytes(CONTEXT_FILE.read_bytes())
    (tmp_path / "trust.yaml").write_text(
        f"entries:\n  - did: {world.did('city')}\n    types: [ResidentRecordCredential]\n", encoding="utf-8")
    (tmp_path / "policy.yaml").write_text(
        "trustList: trust.yaml\n"
        "formats: [ldp_vc, dc+sd-jwt, ldp_vp]\n"
        "algs: [EdDSA]\n"
        "cryptosuites: [eddsa-rdfc-2022]\n"
        "status: {check: true, required: true, unavailableFails: false}\n"
        "maxCredentialAgeDays: 90\n"
        "clockSkewSeconds: 60\n"
        "holderBindingRequired: false\n"
        "subjectMustBeHolder: false\n"
        "schemas: {validate: true, required: false, directory: schemas}\n"
        "contexts: {'https://w3id.org/jitsuin/v1': ctx.jsonld}\n"
        "typeAliases: {'https://w3id.org/jitsuin/vct/ResidentRecord/v1': ResidentRecordCredential}\n"
        "kbMaxAgeSeconds: 120\n",
        encoding="utf-8",
    )
    policy = load_policy(tmp_path / "policy.yaml", resolver=world.resolver)
    assert policy.formats == {"ldp_vc", "dc+sd-jwt", "ldp_vp"} and policy.algs == {"EdDSA"}
    assert policy.require_status and not policy.status_unavailable_fails and policy.check_status
    assert policy.max_credential_age == timedelta(days=90) and policy.clock_skew == timedelta(seconds=60)
    assert not policy.holder_binding_required and not policy.subject_must_be_holder
    assert "https://schemas.example.jp/r" in policy.schemas.schemas
    assert policy.kb_max_age == timedelta(seconds=120)
    assert policy.type_aliases["https://w3id.org/jitsuin/vct/ResidentRecord/v1"] == "ResidentRecordCredential"
    # the contexts were registered into a fresh loader: a jitsuin credential verifies with it
    cred = world.di("city", "ResidentRecordCredential", {"familyName": "山田"})
    assert verify_credential(cred, policy=policy.replace(require_status=False), now=NOW).verified


def test_inline_trust_list_and_defaults(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(json.dumps({"trustList": {"entries": [
        {"domain": "*.lg.jp", "types": ["HouseholdCredential"]}]}}), encoding="utf-8")
    policy = load_policy(tmp_path / "p.json")
    assert policy.trust_list.entries[0].domain == "*.lg.jp"
    assert policy.holder_binding_required and policy.status_unavailable_fails and policy.max_credential_age is None


def test_signed_trust_list_by_reference(world, tmp_path: Path) -> None:
    trust = TrustList((TrustEntry(types=frozenset({"ResidentRecordCredential"}), did=world.did("city")),))
    signed = sign_trust_list(trust, world.keys["ministry"], issuer=world.did("ministry"),
                             verification_method=world.vm("ministry"), now=NOW, loader=world.loader)
    (tmp_path / "trust.json").write_text(json.dumps(signed), encoding="utf-8")
    (tmp_path / "policy.yaml").write_text(
        f"trustList: trust.json\ntrustListPublishers: [{world.did('ministry')}]\n", encoding="utf-8")
    policy = load_policy(tmp_path / "policy.yaml", resolver=world.resolver, loader=world.loader, now=NOW)
    assert policy.trust_list.publisher == world.did("ministry")
    signed["credentialSubject"]["trustedIssuers"][0]["issuerDid"] = "did:web:evil.example"
    (tmp_path / "trust.json").write_text(json.dumps(signed), encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policy(tmp_path / "policy.yaml", resolver=world.resolver, loader=world.loader, now=NOW)
    assert info.value.code == "TRUST_LIST_INVALID"


@pytest.mark.parametrize("content, code", [
    ("formats: [ldp_vc]\n", "POLICY_INVALID"),  # no trust list
    ("trustList: {entries: []}\nformats: [mso_mdoc]\n", "POLICY_INVALID"),
    ("trustList: {entries: []}\nmaxCredentialAgeDays: 0\n", "POLICY_INVALID"),
    ("trustList: {entries: []}\nunknownOption: 1\n", "POLICY_INVALID"),
    ("trustList: missing.yaml\n", "POLICY_INVALID"),
    ("trustList: {entries: [{types: [X]}]}\n", "POLICY_INVALID"),
    (": not yaml [\n", "POLICY_INVALID"),
])
def test_invalid_policy_files(tmp_path: Path, content: str, code: str) -> None:
    (tmp_path / "p.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policy(tmp_path / "p.yaml")
    assert info.value.code == code


def test_public_api_is_sorted() -> None:
    for module in (verifier, verifier.policy, verifier.procedures, verifier.audit):
        assert module.__all__ == sorted(module.__all__), module.__name__
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)
