"""Procedure files: the shipped ones load and use catalog claim names; bad files are refused; DCQL output."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from vc.errors import PolicyError
from verifier.procedures import BUILTIN_DIR, VC_TYPE_IRI, Procedure, builtin_procedure, builtin_procedures, load_procedure

TYPES_DIR = Path(__file__).parents[3] / "issuers" / "catalog" / "types"
PARTS_DIR = Path(__file__).parents[3] / "issuers" / "catalog" / "parts"


def _catalog_names(type_id: str) -> set[str]:
    """Every property name a catalog type file (and the parts it uses) defines (read as data, never imported)."""
    names: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.get("properties", {}).items():
                names.add(key)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    doc = yaml.safe_load((TYPES_DIR / f"{type_id}.yaml").read_text("utf-8"))
    walk(doc["schema"])
    for part in doc.get("parts", []):
        walk(yaml.safe_load((PARTS_DIR / f"{part}.yaml").read_text("utf-8")).get("$defs", {}))
    return names


def test_shipped_procedures() -> None:
    procedures = builtin_procedures()
    assert set(procedures) == {"birth-registration", "daycare-certification", "school-transfer", "job-change"}
    birth = procedures["birth-registration"]
    assert birth.name == {"ja": "出生届", "en": "Birth registration"}
    assert [r.type for r in birth.requirements] == ["BirthCertificateCredential", "ResidentRecordCredential"]
    daycare = procedures["daycare-certification"]
    assert [r.id for r in daycare.requirements] == ["household", "employment", "partner_employment", "child",
                                                    "resident_tax"]
    assert daycare.link_rules.household_relationships and daycare.link_rules.representation_bases is None
    # the child is linked as 子 or 孫, whatever the procedure accepts for the partner
    child = daycare.requirement("child")
    assert child.subject == "linked" and child.optional
    assert child.links(daycare.link_rules).household_relationships == frozenset({"子", "孫"})
    assert "子" not in daycare.link_rules.household_relationships
    assert daycare.requirement("partner_employment").links(daycare.link_rules) == daycare.link_rules
    assert procedures["school-transfer"].link_rules.scope == frozenset({"転校", "転入学"})
    assert {r.type for r in procedures["job-change"].requirements} == {"WithholdingSlipCredential",
                                                                     "HealthInsuranceCredential"}


@pytest.mark.parametrize("procedure_id", ["birth-registration", "daycare-certification", "school-transfer", "job-change"])
def test_claim_names_exist_in_the_catalog_type_files(procedure_id: str) -> None:
    procedure = builtin_procedure(procedure_id)
    for req in procedure.requirements:
        type_id = req.type.removesuffix("Credential")
        assert req.vct == f"https://w3id.org/jitsuin/vct/{type_id}/v1"
        if req.type_iri:
            assert req.type_iri == f"https://w3id.org/jitsuin/vocab#{req.type}"
        names = _catalog_names(type_id)
        for path in req.claims:
            for part in path:
                assert part is None or isinstance(part, int) or part in names, (req.id, path)


def test_load_procedure_by_id_or_path(tmp_path) -> None:
    assert load_procedure("job-change").id == "job-change"
    assert load_procedure(BUILTIN_DIR / "job-change.yaml").id == "job-change"
    with pytest.raises(PolicyError) as info:
        load_procedure("no-such-procedure")
    assert info.value.code == "PROCEDURE_NOT_FOUND" and "job-change" in info.value.message


def _raw(procedure_id: str = "school-transfer") -> dict:
    return yaml.safe_load((BUILTIN_DIR / f"{procedure_id}.yaml").read_text("utf-8"))


@pytest.mark.parametrize("break_it, expected", [
    (lambda d: d["form"]["fields"][0]["from"][0].__setitem__("path", ["studentNumber"]), "does not ask for"),
    (lambda d: d["form"]["fields"][0]["from"][0].__setitem__("credential", "nope"), "unknown credential"),
    (lambda d: d["credentialSets"][0].__setitem__("options", [["nope"]]), "unknown credentials"),
    (lambda d: d["credentialSets"].pop(), "every credential must appear"),
    (lambda d: d["credentials"][0].pop("vct"), "needs 'vct'"),
    (lambda d: d["credentials"][0].pop("typeIri"), "typeIri"),
    (lambda d: d["credentials"][0].__setitem__("subject", "whoever"), "subject"),
    (lambda d: d["credentials"][0].__setitem__("formats", ["mso_mdoc"]), "formats"),
    (lambda d: d["credentials"].append(copy.deepcopy(d["credentials"][0])), "share an id"),
    (lambda d: d["form"]["fields"][0].__setitem__("display", "shout"), "display"),
    (lambda d: d.pop("purpose"), "purpose"),
    (lambda d: d["name"].pop("en"), "name.en"),
    (lambda d: d.__setitem__("surprise", 1), "surprise"),
])
def test_invalid_procedures_are_refused(break_it, expected: str) -> None:
    data = _raw()
    break_it(data)
    with pytest.raises(PolicyError) as info:
        Procedure.from_dict(data)
    assert info.value.code == "PROCEDURE_INVALID" and expected in info.value.message


def test_dcql_query_shape() -> None:
    query = builtin_procedure("school-transfer").dcql_query()
    by_id = {c["id"]: c for c in query["credentials"]}
    assert list(by_id) == ["enrollment", "enrollment_ldp", "household", "household_ldp", "representation",
                           "representation_ldp"]
    sd = by_id["enrollment"]
    assert sd["format"] == "dc+sd-jwt"
    assert sd["meta"] == {"vct_values": ["https://w3id.org/jitsuin/vct/SchoolEnrollment/v1"]}
    assert {"path": ["school", "name"]} in sd["claims"]
    ldp = by_id["enrollment_ldp"]
    assert ldp["format"] == "ldp_vc"
    assert ldp["meta"] == {"type_values": [[VC_TYPE_IRI, "https://w3id.org/jitsuin/vocab#SchoolEnrollmentCredential"]]}
    assert {"path": ["credentialSubject", "school", "name"]} in ldp["claims"]
    assert by_id["household"]["claims"][-1] == {"path": ["members", None]}
    assert query["credential_sets"] == [
        {"options": [["enrollment"], ["enrollment_ldp"]]},
        {"options": [["household"], ["household_ldp"], ["representation"], ["representation_ldp"]], "required": False},
    ]
    for credential in query["credentials"]:
        assert "require_cryptographic_holder_binding" not in credential  # true by default


def test_dcql_without_sets_and_with_optional_requirements() -> None:
    birth = builtin_procedure("birth-registration").dcql_query()
    # notifier has two formats: one set per requirement
    assert birth["credential_sets"] == [{"options": [["birth"]]}, {"options": [["notifier"], ["notifier_ldp"]]}]
    data = _raw("job-change")
    for c in data["credentials"]:
        c["formats"] = ["dc+sd-jwt"]
    data["credentials"][1]["holderBinding"] = False
    plain = Procedure.from_dict(data).dcql_query()
    assert "credential_sets" not in plain and [c["id"] for c in plain["credentials"]] == ["withholding", "insurance"]
    assert plain["credentials"][1]["require_cryptographic_holder_binding"] is False


def test_dcql_option_cross_product() -> None:
    daycare = builtin_procedure("daycare-certification").dcql_query()
    assert daycare["credential_sets"][2] == {"options": [["partner_employment"], ["partner_employment_ldp"]],
                                             "required": False}
    data = _raw("daycare-certification")
    data["credentialSets"] = [{"options": [["household", "employment"]]}, {"options": [["partner_employment"]]},
                              {"options": [["child"]], "required": False}, {"options": [["resident_tax"]]}]
    combined = Procedure.from_dict(data).dcql_query()["credential_sets"][0]["options"]
    assert combined == [["household", "employment"], ["household", "employment_ldp"],
                        ["household_ldp", "employment"], ["household_ldp", "employment_ldp"]]


def test_missing_requirements() -> None:
    transfer = builtin_procedure("school-transfer")
    assert transfer.missing({"enrollment"}) == []
    assert transfer.missing({"household"}) == ["enrollment"]
    birth = builtin_procedure("birth-registration")
    assert birth.missing({"birth"}) == ["notifier"]


def test_a_credentials_own_links_are_for_a_subject_that_may_be_linked() -> None:
    data = _raw("daycare-certification")
    household = next(c for c in data["credentials"] if c["id"] == "household")
    household["links"] = {"household": {"relationships": ["子"]}}  # subject: holder
    with pytest.raises(PolicyError) as caught:
        Procedure.from_dict(data)
    assert caught.value.code == "PROCEDURE_INVALID" and "links" in caught.value.message
