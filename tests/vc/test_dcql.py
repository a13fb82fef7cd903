"""DCQL as both sides use it: checking queries, claims path pointers, claim options, types, credential sets."""

from __future__ import annotations

from typing import Any

import pytest

from vc.dcql import (
    accepted_query_ids,
    claim_matches,
    claim_options,
    credential_sets,
    missing_requirements,
    purpose_texts,
    select_claims,
    type_matches,
    validate_dcql,
)
from vc.errors import PresentationRequestError

SD = {"id": "pid", "format": "dc+sd-jwt", "meta": {"vct_values": ["urn:pid"]}}
LDP = {"id": "degree", "format": "ldp_vc", "meta": {"type_values": [["VerifiableCredential", "Degree"]]}}
MDOC = {"id": "mdl", "format": "mso_mdoc", "meta": {"doctype_value": "org.iso.18013.5.1.mDL"}}


def test_the_verifier_checks_formats_a_wallet_accepts_any() -> None:
    with pytest.raises(PresentationRequestError) as refused:
        validate_dcql({"credentials": [MDOC]})
    assert refused.value.code == "INVALID_DCQL" and "'format'" in refused.value.message
    assert validate_dcql({"credentials": [MDOC, SD]}, formats=None)["credentials"][0] == MDOC


@pytest.mark.parametrize("cq, fragment", [
    ({"id": "a", "format": "dc+sd-jwt"}, "'meta'"),
    ({"id": "a", "format": "dc+sd-jwt", "meta": {}}, "vct_values"),
    ({"id": "a", "format": "ldp_vc", "meta": {"type_values": "Degree"}}, "type_values"),
    ({**SD, "multiple": "yes"}, "'multiple'"),
    ({**SD, "claims": [{"path": ["a"], "values": [{"x": 1}]}]}, "'values'"),
    ({**SD, "claims": [{"id": "a b", "path": ["a"]}]}, "claim ids"),
    ({"id": "a", "format": ""}, "Credential Format Identifier"),
])
def test_spec_rules_hold_for_any_format_list(cq: dict[str, Any], fragment: str) -> None:
    with pytest.raises(PresentationRequestError, match=fragment):
        validate_dcql({"credentials": [cq]}, formats=None)


def test_validation_copies() -> None:
    query = {"credentials": [dict(SD)]}
    checked = validate_dcql(query)
    checked["credentials"][0]["id"] = "changed"
    assert query["credentials"][0]["id"] == "pid"


def test_claims_path_pointers_select_values() -> None:
    document = {"a": {"b": [1, 2, {"c": 3}]}, "d": [{"e": 1}, {"e": 2}, {"f": 3}]}
    assert select_claims(document, ["a", "b", 2, "c"]) == [3]
    assert select_claims(document, ["d", None, "e"]) == [1, 2]
    assert select_claims(document, ["a", "x"]) == [] and select_claims(document, ["a", 0]) == []
    assert select_claims(document, ["a", -1]) == [] and select_claims(document, ["a", True]) == []


@pytest.mark.parametrize("values, fits", [(None, True), ([2], True), ([2, 9], True), (["2"], False),
                                          ([True], False), ([9], False)])
def test_claim_values_match_in_type_and_value(values: list[Any] | None, fits: bool) -> None:
    claim: dict[str, Any] = {"path": ["sex"]}
    if values is not None:
        claim["values"] = values
    assert claim_matches({"sex": 2}, claim) is fits
    assert claim_matches({"other": 2}, {"path": ["sex"]}) is False


def test_claim_options_in_the_verifiers_order() -> None:
    cq = {**SD, "claims": [{"id": "n", "path": ["name"]}, {"id": "w", "path": ["weight"]}],
          "claim_sets": [["n", "w"], ["n"], ["n"]]}
    assert claim_options(cq, {"name": "x", "weight": 3}) == [[("name",), ("weight",)], [("name",)]]
    assert claim_options(cq, {"name": "x"}) == [[("name",)]]
    assert claim_options(cq, {}) == []
    assert claim_options(SD, {}) == [[]]  # no claims asked for
    assert claim_options({**SD, "claims": [{"path": ["name"]}]}, {"name": "x"}) == [[("name",)]]


def test_type_matches() -> None:
    assert type_matches(SD, vct="urn:pid", type_names=()) and not type_matches(SD, vct="urn:x", type_names=())
    assert not type_matches(SD, vct=None, type_names=("urn:pid",))
    assert type_matches(LDP, vct=None, type_names={"VerifiableCredential", "Degree", "Other"})
    assert not type_matches(LDP, vct=None, type_names={"Degree"})


def test_credential_sets_default_to_every_query_required() -> None:
    query = {"credentials": [SD, LDP]}
    assert credential_sets(query) == [{"options": [["pid"]], "required": True},
                                      {"options": [["degree"]], "required": True}]
    assert missing_requirements(query, {"pid"}) == [[["degree"]]]
    with_sets = {**query, "credential_sets": [{"options": [["degree"], ["pid"]]}]}
    assert missing_requirements(with_sets, {"pid"}) == [] and accepted_query_ids(with_sets, {"pid", "degree"}) == ["degree"]


def test_purpose_texts_by_language() -> None:
    assert purpose_texts({"options": [["a"]], "purpose": "本人確認", "purpose#en": "Identity", "purpose#x": 1}) == {
        "ja": "本人確認", "en": "Identity"}
