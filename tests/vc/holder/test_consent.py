"""What a presentation discloses: computed exactly, optional claims off until approved, sensitive claims marked,
and never a claim the resident did not approve."""

from __future__ import annotations

import dataclasses

import pytest

from tests.vc.holder.holder_support import (
    BIRTH_VCT,
    T0,
    add_birth_certificate,
    add_di_credential,
    birth_query,
)
from vc.errors import WalletError
from vc.holder import ALWAYS, OPTIONAL, REQUIRED, WalletStore, build_vp_token, match_dcql, plan_presentation
from vc.keys import KeyPair
from vc.presentations import verify_presentation
from vc.sdjwt import verify_sd_jwt

CLIENT_ID = "redirect_uri:https://city.example.jp/responses/r1"
DEGREE = "ExampleDegreeCredential"
NONCE = "n-0S6_WzA2Mj"


def _present(store: WalletStore, plan) -> dict:  # type: ignore[no-untyped-def]
    token = build_vp_token(plan, client_id=CLIENT_ID, nonce=NONCE, key_for=store.key, now=T0)
    result = verify_sd_jwt(token["birth"][0], aud=CLIENT_ID, nonce=NONCE, now=T0)
    assert result.verified, result.checks
    return result.document


def test_optional_claims_are_off_by_default_and_nothing_unapproved_is_sent(store: WalletStore,
                                                                          issuer: KeyPair) -> None:
    add_birth_certificate(store, issuer)
    plan = plan_presentation(match_dcql(birth_query(), store.credentials()))
    item = plan.credential("birth")
    assert item is not None
    lines = {line.path_text: line for line in item.claims}
    assert lines["birthWeightGrams"].requirement == OPTIONAL and lines["birthWeightGrams"].selected is False
    assert {p for p, l in lines.items() if l.requirement == REQUIRED} == {"child.sex", "birthDateTime", "mother"}
    # what leaves the wallet, computed from the credential: the child object is one disclosure (so the
    # child's family name goes along), the L claims are always visible, the weight and gestation stay
    assert item.disclosed == (("attendant", "name"), ("attendant", "role"), ("birthDateTime",),
                              ("child", "familyName"), ("child", "sex"), ("documentDate",),
                              ("mother", "familyName"), ("mother", "givenName"))
    assert {p for p, l in lines.items() if l.requirement == ALWAYS} == {
        "attendant.name", "attendant.role", "child.familyName", "documentDate"}
    seen = _present(store, plan)
    assert "birthWeightGrams" not in seen and "gestationWeeks" not in seen
    assert seen["child"] == {"familyName": "山田", "sex": 1} and seen["mother"]["givenName"] == "花子"


def test_an_approved_optional_claim_is_sent_and_only_that(store: WalletStore, issuer: KeyPair) -> None:
    add_birth_certificate(store, issuer)
    plan = plan_presentation(match_dcql(birth_query(), store.credentials()),
                             approved={"birth": [("birthWeightGrams",), ("gestationWeeks",)]})  # the latter: not asked
    item = plan.credential("birth")
    assert item is not None and ("birthWeightGrams",) in item.disclosed and ("gestationWeeks",) not in item.disclosed
    seen = _present(store, plan)
    assert seen["birthWeightGrams"] == 3120 and "gestationWeeks" not in seen


def test_sensitive_claims_are_marked(store: WalletStore, issuer: KeyPair) -> None:
    add_birth_certificate(store, issuer)
    plan = plan_presentation(match_dcql(birth_query(), store.credentials()))
    item = plan.credential("birth")
    assert item is not None
    marked = {line.path_text for line in item.claims if line.sensitive}
    assert marked == {"birthWeightGrams"}
    assert item.sensitive_selected is False
    assert plan_presentation(match_dcql(birth_query(), store.credentials()),
                             approved={"birth": [("birthWeightGrams",)]}).credentials[0].sensitive_selected


def test_labels_come_from_the_issuer_metadata(store: WalletStore, issuer: KeyPair) -> None:
    add_birth_certificate(store, issuer)
    item = plan_presentation(match_dcql(birth_query(), store.credentials())).credentials[0]
    labels = {line.path_text: line.label_text("ja") for line in item.claims}
    assert labels["child.sex"] == "男女の別" and labels["birthWeightGrams"] == "体重（グラム）"
    assert item.credential.claim_label_text(("mother", "familyName"), "ja") == "母の氏名 › familyName"
    assert item.credential.claim_label_text(("child", "sex"), "en") == "Child › Sex"


def test_a_request_answerable_only_with_an_unapproved_claim_is_refused_not_sent(store: WalletStore,
                                                                                issuer: KeyPair) -> None:
    add_birth_certificate(store, issuer)
    # the sex and either the weight or the time of birth: both of those are optional, one is needed
    query = birth_query(extra={"claim_sets": [["sex", "weight"], ["sex", "born"]]})
    match = match_dcql(query, store.credentials())
    with pytest.raises(WalletError) as caught:
        plan_presentation(match)
    assert caught.value.code == "APPROVAL_REQUIRED"
    assert caught.value.detail["claims"] == ["birthWeightGrams", "birthDateTime"]
    plan = plan_presentation(match, approved={"birth": [("birthDateTime",)]})
    assert plan.credentials[0].disclose == (("child", "sex"), ("birthDateTime",))
    assert ("birthWeightGrams",) not in plan.credentials[0].disclosed
    # both approved: the verifier's first choice
    both = plan_presentation(match, approved={"birth": [("birthDateTime",), ("birthWeightGrams",)]})
    assert both.credentials[0].disclose == (("child", "sex"), ("birthWeightGrams",))


def test_the_last_check_refuses_a_presentation_that_discloses_more_than_the_plan(store: WalletStore,
                                                                                 issuer: KeyPair) -> None:
    add_birth_certificate(store, issuer)
    plan = plan_presentation(match_dcql(birth_query(), store.credentials()))
    item = plan.credentials[0]
    widened = dataclasses.replace(item, disclose=item.disclose + (("gestationWeeks",),))  # a bug upstream
    tampered = dataclasses.replace(plan, credentials=(widened,))
    with pytest.raises(WalletError) as caught:
        build_vp_token(tampered, client_id=CLIENT_ID, nonce=NONCE, key_for=store.key, now=T0)
    assert caught.value.code == "APPROVAL_REQUIRED" and "gestationWeeks" in caught.value.message


def test_an_unanswerable_request_is_named(store: WalletStore, issuer: KeyPair) -> None:
    add_di_credential(store, issuer)
    with pytest.raises(WalletError) as caught:
        plan_presentation(match_dcql(birth_query(), store.credentials()))
    assert caught.value.code == "REQUEST_UNSATISFIABLE"


def test_alternatives_follow_the_residents_choice(store: WalletStore, issuer: KeyPair) -> None:
    add_birth_certificate(store, issuer)
    add_di_credential(store, issuer)
    query = {"credentials": [
        {"id": "birth", "format": "dc+sd-jwt", "meta": {"vct_values": [BIRTH_VCT]},
         "claims": [{"path": ["child", "sex"]}]},
        {"id": "degree", "format": "ldp_vc", "meta": {"type_values": [[DEGREE]]}},
    ], "credential_sets": [{"options": [["birth"], ["degree"]]}]}
    match = match_dcql(query, store.credentials())
    assert [c.query_id for c in plan_presentation(match).credentials] == ["birth"]
    chosen = plan_presentation(match, options={0: 1})
    assert [c.query_id for c in chosen.credentials] == ["degree"]
    with pytest.raises(WalletError) as caught:
        plan_presentation(match, options={0: 5})
    assert caught.value.code == "REQUEST_UNSATISFIABLE"


def test_a_data_integrity_credential_shows_everything_and_binds_challenge_and_domain(store: WalletStore,
                                                                                    issuer: KeyPair) -> None:
    add_di_credential(store, issuer)
    query = {"credentials": [{"id": "degree", "format": "ldp_vc", "meta": {"type_values": [[DEGREE]]},
                              "claims": [{"path": ["credentialSubject", "degree", "name"]}]}]}
    plan = plan_presentation(match_dcql(query, store.credentials()))
    item = plan.credentials[0]
    assert item.disclosed == (("credentialSubject", "degree", "name"),)
    token = build_vp_token(plan, client_id=CLIENT_ID, nonce=NONCE, key_for=store.key, now=T0)
    vp = token["degree"][0]
    assert vp["proof"]["challenge"] == NONCE and vp["proof"]["domain"] == CLIENT_ID
    assert verify_presentation(vp, challenge=NONCE, domain=CLIENT_ID, now=T0).verified
    assert not verify_presentation(vp, challenge="another", domain=CLIENT_ID, now=T0).verified


def test_a_credential_that_cannot_withhold_shows_its_optional_claims_as_sent(store: WalletStore,
                                                                           issuer: KeyPair) -> None:
    add_di_credential(store, issuer)
    name = {"id": "name", "path": ["credentialSubject", "degree", "name"]}
    kind = {"id": "id", "path": ["credentialSubject", "id"]}
    query = {"credentials": [{"id": "degree", "format": "ldp_vc", "meta": {"type_values": [[DEGREE]]},
                              "claims": [kind, name], "claim_sets": [["id", "name"], ["id"]]}]}
    item = plan_presentation(match_dcql(query, store.credentials())).credentials[0]
    assert {(line.path_text, line.requirement, line.selected) for line in item.claims} == {
        ("credentialSubject.id", REQUIRED, True), ("credentialSubject.degree.name", REQUIRED, True)}
    assert item.disclosed == (("credentialSubject", "degree", "name"),)
