"""Several stored credentials answer one query: the resident's choice is honoured, a choice that does not answer the
query is refused, and without a choice the holder's own credential (else the newest) is presented."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.vc.holder.holder_support import (
    BIRTH_CLAIMS,
    T0,
    add_birth_certificate,
    add_di_credential,
    birth_query,
)
from vc.did import did_jwk
from vc.errors import WalletError
from vc.holder import (
    StoredCredential,
    WalletStore,
    build_vp_token,
    choose_credentials,
    credential_subject,
    match_dcql,
    plan_presentation,
)
from vc.keys import KeyPair
from vc.sdjwt import issue_sd_jwt_vc, verify_sd_jwt

CLIENT_ID = "redirect_uri:https://city.example.jp/responses/r1"
NONCE = "n-choice-1"
RESIDENT_VCT = "https://w3id.org/jitsuin/vct/ResidentRecord/v1"
OTHER_BIRTH = {**BIRTH_CLAIMS, "child": {"familyName": "佐藤", "sex": 2},
               "mother": {"familyName": "佐藤", "givenName": "美咲"}}


def _resident(store: WalletStore, issuer: KeyPair, credential_id: str, given: str, *, hours: int,
              sub: str | None = None, sub_is_holder_did: bool = False) -> StoredCredential:
    """A 住民票 (SD-JWT VC) bound to a new key of ``store``: about the holder, or (``sub``) about someone else."""
    holder = store.new_key()
    claims: dict[str, Any] = {"familyName": "山田", "givenName": given, "birthDate": "1990-01-01"}
    if sub_is_holder_did:
        claims["sub"] = did_jwk(holder.key.public)
    elif sub is not None:
        claims["sub"] = sub
    token = issue_sd_jwt_vc(claims, issuer, vct=RESIDENT_VCT, sd=[("familyName",), ("givenName",), ("birthDate",)],
                            holder_key=holder.key.public, now=T0 - timedelta(days=2) + timedelta(hours=hours))
    stored = StoredCredential(id=credential_id, format="dc+sd-jwt", credential=token, issuer="did:example:city",
                              types=(RESIDENT_VCT,), received_at=T0 + timedelta(hours=hours),
                              name={"ja": "住民票の写し"}, key_id=holder.id)
    return store.add_credential(stored)


def _resident_query(*ids: str) -> dict[str, Any]:
    return {"credentials": [{"id": qid, "format": "dc+sd-jwt", "meta": {"vct_values": [RESIDENT_VCT]},
                             "claims": [{"path": ["familyName"]}, {"path": ["givenName"]}]} for qid in ids]}


def _presented_claims(store: WalletStore, plan: Any, query_id: str) -> dict[str, Any]:
    token = build_vp_token(plan, client_id=CLIENT_ID, nonce=NONCE, key_for=store.key, now=T0)
    result = verify_sd_jwt(token[query_id][0], aud=CLIENT_ID, nonce=NONCE, now=T0)
    assert result.verified, result.checks
    return result.document


def test_the_chosen_credential_is_presented_not_the_newest(store: WalletStore, issuer: KeyPair) -> None:
    add_birth_certificate(store, issuer, credential_id="older", claims=OTHER_BIRTH, received_at=T0)
    add_birth_certificate(store, issuer, credential_id="newer", received_at=T0 + timedelta(days=3))
    match = match_dcql(birth_query(), store.credentials())
    assert [c.credential.id for c in match.queries["birth"].candidates] == ["newer", "older"]

    default = plan_presentation(match)
    assert default.credential("birth").credential.id == "newer"  # type: ignore[union-attr]
    assert _presented_claims(store, default, "birth")["mother"]["givenName"] == "花子"

    plan = plan_presentation(match, chosen={"birth": "older"})
    assert plan.credential("birth").credential.id == "older"  # type: ignore[union-attr]
    seen = _presented_claims(store, plan, "birth")
    assert seen["mother"] == {"familyName": "佐藤", "givenName": "美咲"} and seen["child"]["sex"] == 2


def test_a_choice_that_does_not_answer_the_query_is_refused(store: WalletStore, issuer: KeyPair) -> None:
    add_birth_certificate(store, issuer, credential_id="birth-1")
    add_di_credential(store, issuer, credential_id="degree-1")  # in the wallet, but not a birth certificate
    match = match_dcql(birth_query(), store.credentials())
    for chosen in ({"birth": "degree-1"}, {"birth": "no-such-credential"}, {"nonexistent": "birth-1"}):
        with pytest.raises(WalletError) as refused:
            plan_presentation(match, chosen=chosen)
        assert refused.value.code == "CREDENTIAL_CHOICE_INVALID"
        assert "山田" not in refused.value.message


def test_by_default_a_query_gets_the_holders_own_credential_even_when_older(store: WalletStore,
                                                                           issuer: KeyPair) -> None:
    _resident(store, issuer, "mine", "花子", hours=0)
    _resident(store, issuer, "child", "太郎", hours=5, sub="urn:uuid:2f0c7b8e-6a59-4c1e-9d0a-1c2b3d4e5f60")
    match = match_dcql(_resident_query("resident"), store.credentials())
    candidates = match.queries["resident"].candidates
    assert [c.credential.id for c in candidates] == ["child", "mine"]  # newest first
    assert [c.subject.about_holder for c in candidates] == [False, True]
    assert plan_presentation(match).credential("resident").credential.id == "mine"  # type: ignore[union-attr]
    # the resident may still present the child's
    plan = plan_presentation(match, chosen={"resident": "child"})
    assert _presented_claims(store, plan, "resident")["givenName"] == "太郎"


def test_a_second_query_of_the_same_kind_gets_another_credential(store: WalletStore, issuer: KeyPair) -> None:
    _resident(store, issuer, "mine", "花子", hours=0)
    _resident(store, issuer, "child", "太郎", hours=5, sub="urn:uuid:2f0c7b8e-6a59-4c1e-9d0a-1c2b3d4e5f60")
    match = match_dcql(_resident_query("parent", "child_record"), store.credentials())
    picked = choose_credentials(match, ["parent", "child_record"])
    assert (picked["parent"].credential.id, picked["child_record"].credential.id) == ("mine", "child")
    # a choice for one query moves the default of the other
    picked = choose_credentials(match, ["parent", "child_record"], chosen={"child_record": "mine"})
    assert (picked["parent"].credential.id, picked["child_record"].credential.id) == ("child", "mine")


def test_without_a_credential_about_the_holder_the_newest_is_the_default(store: WalletStore,
                                                                        issuer: KeyPair) -> None:
    _resident(store, issuer, "first-child", "太郎", hours=0, sub="urn:uuid:11111111-1111-4111-8111-111111111111")
    _resident(store, issuer, "second-child", "次郎", hours=5, sub="urn:uuid:22222222-2222-4222-8222-222222222222")
    match = match_dcql(_resident_query("resident"), store.credentials())
    assert plan_presentation(match).credential("resident").credential.id == "second-child"  # type: ignore[union-attr]


def test_whom_a_credential_is_about(store: WalletStore, issuer: KeyPair) -> None:
    mine = credential_subject(_resident(store, issuer, "mine", "花子", hours=0))
    assert mine.about_holder and mine.name_text() == "山田 花子" and mine.name_path == ()
    assert mine.issued_at == T0 - timedelta(days=2)
    named = credential_subject(_resident(store, issuer, "did", "花子", hours=1, sub_is_holder_did=True))
    assert named.about_holder  # sub is the did:jwk of the key it is bound to
    other = credential_subject(_resident(store, issuer, "other", "太郎", hours=2, sub="did:example:someone"))
    assert not other.about_holder and other.name_text() == "山田 太郎"
    # a birth certificate speaks of the child (first in the issuer's display order), not the mother
    birth = credential_subject(add_birth_certificate(store, issuer))
    assert birth.about_holder and birth.name == ("山田",) and birth.name_path == ("child",)
    # a Data Integrity credential whose subject id is the holder key's did:key
    degree = credential_subject(add_di_credential(store, issuer))
    assert degree.about_holder and degree.name == () and degree.issued_at is not None
