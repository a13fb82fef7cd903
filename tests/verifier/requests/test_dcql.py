"""DCQL queries: building, checking, claims path pointers, credential sets, keeping only requested claims."""

from __future__ import annotations

import pytest

from vc.errors import PresentationRequestError
from verifier.requests import (
    accepted_query_ids,
    claim_query,
    credential_query,
    dcql_query,
    missing_requirements,
    project_claims,
    select_claims,
    validate_dcql,
    with_purpose,
)

# OpenID4VP 1.0 section 7.3 example credential
ARTHUR = {
    "name": "Arthur Dent",
    "address": {"street_address": "42 Market Street", "locality": "Milliways", "postal_code": "12345"},
    "degrees": [
        {"type": "Bachelor of Science", "university": "University of Betelgeuse"},
        {"type": "Master of Science", "university": "University of Betelgeuse"},
    ],
    "nationalities": ["British", "Betelgeusian"],
}


def test_credential_query_for_each_format() -> None:
    sd = credential_query("birth", "dc+sd-jwt", vct_values=["https://w3id.org/jitsuin/vct/BirthCertificate/v1"],
                          claims=[["child", "name"]])
    assert sd == {"id": "birth", "format": "dc+sd-jwt",
                  "meta": {"vct_values": ["https://w3id.org/jitsuin/vct/BirthCertificate/v1"]},
                  "claims": [{"path": ["child", "name"]}]}
    ldp = credential_query("resident", "ldp_vc", type_values=[["ResidentRecordCredential"]],
                           claims=[claim_query(["credentialSubject", "address"], id="addr")], claim_sets=[["addr"]])
    assert ldp["meta"] == {"type_values": [["ResidentRecordCredential"]]} and ldp["claim_sets"] == [["addr"]]
    jwt = credential_query("tax", "jwt_vc_json", type_values=[["ResidentTaxCertificateCredential"]], multiple=True,
                           require_holder_binding=False)
    assert jwt["multiple"] is True and jwt["require_cryptographic_holder_binding"] is False and "claims" not in jwt


@pytest.mark.parametrize(
    "query, fragment",
    [
        ({}, "'credentials'"),
        ({"credentials": []}, "'credentials'"),
        ({"credentials": [{"id": "a b", "format": "dc+sd-jwt", "meta": {"vct_values": ["x"]}}]}, "'id'"),
        ({"credentials": [{"id": "a", "format": "mso_mdoc", "meta": {}}]}, "'format'"),
        ({"credentials": [{"id": "a", "format": "dc+sd-jwt", "meta": {}}]}, "vct_values"),
        ({"credentials": [{"id": "a", "format": "ldp_vc", "meta": {"type_values": ["T"]}}]}, "type_values"),
        ({"credentials": [{"id": "a", "format": "dc+sd-jwt", "meta": {"vct_values": ["x"]}},
                          {"id": "a", "format": "dc+sd-jwt", "meta": {"vct_values": ["x"]}}]}, "used twice"),
        ({"credentials": [{"id": "a", "format": "dc+sd-jwt", "meta": {"vct_values": ["x"]},
                           "claims": [{"path": []}]}]}, "'path'"),
        ({"credentials": [{"id": "a", "format": "dc+sd-jwt", "meta": {"vct_values": ["x"]},
                           "claims": [{"path": ["a", -1]}]}]}, "non-negative"),
        ({"credentials": [{"id": "a", "format": "dc+sd-jwt", "meta": {"vct_values": ["x"]},
                           "claims": [{"path": ["a"]}, {"path": ["a"]}]}]}, "twice"),
        ({"credentials": [{"id": "a", "format": "dc+sd-jwt", "meta": {"vct_values": ["x"]},
                           "claim_sets": [["x"]]}]}, "needs 'claims'"),
        ({"credentials": [{"id": "a", "format": "dc+sd-jwt", "meta": {"vct_values": ["x"]}}],
          "credential_sets": [{"options": [["b"]]}]}, "options"),
    ],
)
def test_invalid_queries_are_refused_with_their_reason(query: dict, fragment: str) -> None:
    with pytest.raises(PresentationRequestError) as info:
        validate_dcql(query)
    assert info.value.code == "INVALID_DCQL"
    assert fragment in info.value.message


@pytest.mark.parametrize(
    "path, expected",
    [
        (["name"], ["Arthur Dent"]),
        (["address"], [ARTHUR["address"]]),
        (["address", "street_address"], ["42 Market Street"]),
        (["degrees", None, "type"], ["Bachelor of Science", "Master of Science"]),
        (["nationalities", 1], ["Betelgeusian"]),
        (["nationalities", 5], []),
        (["missing"], []),
        (["name", "first"], []),  # a string is not an object: the pointer does not apply
    ],
)
def test_claims_path_pointer_selects_as_the_spec_example(path: list, expected: list) -> None:
    assert select_claims(ARTHUR, path) == expected


def test_project_claims_keeps_only_the_requested_parts_in_place() -> None:
    kept = project_claims(ARTHUR, [["address", "locality"], ["degrees", None, "type"], ["nationalities", 1]])
    assert kept == {
        "address": {"locality": "Milliways"},
        "degrees": [{"type": "Bachelor of Science"}, {"type": "Master of Science"}],
        "nationalities": [None, "Betelgeusian"],
    }
    assert "name" not in kept and "street_address" not in kept["address"]
    assert project_claims(ARTHUR, [["nope"]]) == {}


ALTERNATIVES = dcql_query(
    [credential_query(i, "dc+sd-jwt", vct_values=[i]) for i in ("pid", "other_pid", "reduced_1", "reduced_2", "extra")],
    credential_sets=[
        {"options": [["pid"], ["other_pid"], ["reduced_1", "reduced_2"]]},
        {"options": [["extra"]], "required": False},
    ],
)


@pytest.mark.parametrize(
    "satisfied, missing, accepted",
    [
        ({"pid"}, False, ["pid"]),
        ({"reduced_1", "reduced_2", "extra"}, False, ["reduced_1", "reduced_2", "extra"]),
        ({"reduced_1"}, True, []),
        ({"extra"}, True, ["extra"]),
        ({"other_pid", "pid"}, False, ["pid"]),  # the verifier's first choice only
    ],
)
def test_credential_sets_alternatives(satisfied: set[str], missing: bool, accepted: list[str]) -> None:
    assert bool(missing_requirements(ALTERNATIVES, satisfied)) is missing
    assert accepted_query_ids(ALTERNATIVES, satisfied) == accepted


def test_without_credential_sets_every_query_is_required() -> None:
    q = dcql_query([credential_query("a", "ldp_vc", type_values=[["A"]]), credential_query("b", "ldp_vc", type_values=[["B"]])])
    assert missing_requirements(q, {"a"}) == [[["b"]]]
    assert missing_requirements(q, {"a", "b"}) == []


def test_purpose_goes_on_the_credential_sets() -> None:
    q = dcql_query([credential_query("a", "ldp_vc", type_values=[["A"]]), credential_query("b", "ldp_vc", type_values=[["B"]])])
    with_text = with_purpose(q, {"ja": "出生届の受付のため", "en": "To accept a birth registration"})
    assert with_text["credential_sets"] == [
        {"options": [["a", "b"]], "purpose": "出生届の受付のため", "purpose#en": "To accept a birth registration"}
    ]
    # asking for the same: both credentials remain required
    assert missing_requirements(with_text, {"a"}) and not missing_requirements(with_text, {"a", "b"})
    kept = with_purpose(ALTERNATIVES, "本人確認")
    assert [s["purpose"] for s in kept["credential_sets"]] == ["本人確認", "本人確認"]
