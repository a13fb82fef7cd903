"""DCQL on the wallet side: which stored credentials answer which query, with claim and credential set options."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.vc.holder.holder_support import (
    BIRTH_CLAIMS,
    BIRTH_VCT,
    T0,
    add_birth_certificate,
    add_di_credential,
    birth_query,
)
from vc.errors import WalletError
from vc.holder import WalletStore, check_dcql, match_dcql
from vc.keys import KeyPair

VC = "https://www.w3.org/2018/credentials#VerifiableCredential"
DEGREE_IRI = "https://www.w3.org/ns/credentials/examples#ExampleDegreeCredential"


def test_a_birth_certificate_answers_a_birth_query_with_required_and_optional_claims(store: WalletStore,
                                                                                    issuer: KeyPair) -> None:
    add_birth_certificate(store, issuer)
    match = match_dcql(birth_query(), store.credentials())
    assert match.satisfiable
    candidate = match.queries["birth"].candidates[0]
    assert candidate.required == (("child", "sex"), ("birthDateTime",), ("mother",))
    assert candidate.optional == (("birthWeightGrams",),)


def test_without_claim_sets_every_claim_is_required(store: WalletStore, issuer: KeyPair) -> None:
    add_birth_certificate(store, issuer)
    candidate = match_dcql(birth_query(optional_weight=False), store.credentials()).queries["birth"].candidates[0]
    assert ("birthWeightGrams",) in candidate.required and candidate.optional == ()


def test_a_credential_without_a_requested_claim_does_not_answer(store: WalletStore, issuer: KeyPair) -> None:
    claims = {"child": {"sex": 2}, "birthDateTime": "2025-01-01T00:00:00+09:00", "attendant": {"role": "医師"}}
    add_birth_certificate(store, issuer, claims=claims, sd=[("child",), ("birthDateTime",)])
    match = match_dcql(birth_query(), store.credentials())  # no mother: neither claim option is possible
    assert not match.satisfiable and match.queries["birth"].candidates == ()
    assert [s.index for s in match.missing] == [0]


def test_only_the_claim_options_the_credential_can_satisfy_are_kept(store: WalletStore, issuer: KeyPair) -> None:
    claims = {k: v for k, v in BIRTH_CLAIMS.items() if k != "birthWeightGrams"}
    add_birth_certificate(store, issuer, claims=claims, sd=[("child",), ("birthDateTime",), ("mother",)])
    candidate = match_dcql(birth_query(), store.credentials()).queries["birth"].candidates[0]
    assert candidate.options == ((("child", "sex"), ("birthDateTime",), ("mother",)),)
    assert candidate.optional == ()


@pytest.mark.parametrize("values, fits", [([1], True), ([2, 9], False), (["1"], False), ([True], False)])
def test_claim_values_must_match_in_type_and_value(store: WalletStore, issuer: KeyPair, values: list[Any],
                                                   fits: bool) -> None:
    add_birth_certificate(store, issuer)
    query = {"credentials": [{"id": "birth", "format": "dc+sd-jwt", "meta": {"vct_values": [BIRTH_VCT]},
                              "claims": [{"path": ["child", "sex"], "values": values}]}]}
    assert match_dcql(query, store.credentials()).satisfiable is fits


def test_format_and_type_select_the_credentials(store: WalletStore, issuer: KeyPair) -> None:
    add_birth_certificate(store, issuer)
    add_di_credential(store, issuer)
    query = {"credentials": [
        {"id": "other_vct", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://example.org/Other"]}},
        {"id": "degree_iri", "format": "ldp_vc", "meta": {"type_values": [[VC, DEGREE_IRI]]}},
        {"id": "degree_term", "format": "ldp_vc", "meta": {"type_values": [["ExampleDegreeCredential"]]}},
        {"id": "degree_as_jwt", "format": "jwt_vc_json", "meta": {"type_values": [[VC, DEGREE_IRI]]}},
    ], "credential_sets": [{"options": [["degree_iri"]]}]}
    match = match_dcql(query, store.credentials())
    found = {qid: [c.credential.id for c in q.candidates] for qid, q in match.queries.items()}
    assert found == {"other_vct": [], "degree_iri": ["degree-1"], "degree_term": ["degree-1"], "degree_as_jwt": []}


def test_newest_credential_first(store: WalletStore, issuer: KeyPair) -> None:
    add_birth_certificate(store, issuer, credential_id="old")
    add_birth_certificate(store, issuer, credential_id="new", received_at=T0.replace(year=2027))
    candidates = match_dcql(birth_query(), store.credentials()).queries["birth"].candidates
    assert [c.credential.id for c in candidates] == ["new", "old"]


def test_credential_sets_offer_alternatives_and_optional_sets(store: WalletStore, issuer: KeyPair) -> None:
    add_di_credential(store, issuer)
    query = {
        "credentials": [
            {"id": "birth", "format": "dc+sd-jwt", "meta": {"vct_values": [BIRTH_VCT]}},
            {"id": "degree", "format": "ldp_vc", "meta": {"type_values": [[DEGREE_IRI]]}},
            {"id": "extra", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://example.org/Extra"]}},
        ],
        "credential_sets": [
            {"options": [["birth"], ["degree"]], "purpose": "本人確認のため", "purpose#en": "To identify you"},
            {"options": [["extra"]], "required": False},
        ],
    }
    match = match_dcql(query, store.credentials())
    assert match.satisfiable
    first, second = match.sets
    assert first.satisfiable == (1,) and first.purpose == {"ja": "本人確認のため", "en": "To identify you"}
    assert second.required is False and second.satisfiable == ()


def test_holder_binding_is_required_unless_the_query_waives_it(store: WalletStore, issuer: KeyPair) -> None:
    stored = add_birth_certificate(store, issuer)
    unbound = dataclasses.replace(stored, id="x", key_id=None)
    assert not match_dcql(birth_query(), [unbound]).satisfiable
    waived = birth_query(extra={"require_cryptographic_holder_binding": False})
    assert match_dcql(waived, [unbound]).satisfiable


@pytest.mark.parametrize("query", [
    [],
    {"credentials": []},
    {"credentials": [{"id": "a b", "format": "dc+sd-jwt"}]},
    {"credentials": [{"id": "a", "format": "dc+sd-jwt"}, {"id": "a", "format": "dc+sd-jwt"}]},
    {"credentials": [{"id": "a", "format": "dc+sd-jwt", "claims": [{"path": []}]}]},
    {"credentials": [{"id": "a", "format": "dc+sd-jwt", "claims": [{"path": ["x", -1]}]}]},
    {"credentials": [{"id": "a", "format": "dc+sd-jwt", "claims": [{"id": "x", "path": ["x"]}],
                      "claim_sets": [["y"]]}]},
    {"credentials": [{"id": "a", "format": "dc+sd-jwt"}], "credential_sets": [{"options": [["b"]]}]},
])
def test_a_malformed_query_is_named(query: Any) -> None:
    with pytest.raises(WalletError) as caught:
        check_dcql(query)
    assert caught.value.code == "REQUEST_INVALID"
