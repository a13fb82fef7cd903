"""Household and proxy: a parent applies for a child; accepted only when a verified link fits the procedure."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from vc.did import did_key
from verifier import verify_presentation
from verifier.procedures import builtin_procedure

NOW = datetime(2025, 6, 2, 1, 0, tzinfo=timezone.utc)
AUDIENCE = "redirect_uri:https://city.example.lg.jp/verifier/response"
NONCE = "n-4c9f2a"
CHILD = {"familyName": "山田", "givenName": "一郎", "birthDate": "2015-11-03"}
OTHER_CHILD = {"familyName": "山田", "givenName": "次郎", "birthDate": "2017-02-14"}
ENROLLMENT = {**CHILD, "school": {"name": "千代田区立例示小学校", "schoolCode": "B113210000011"},
              "schoolType": "小学校", "grade": 4, "enrolledSince": "2022-04-01", "enrollmentStatus": "在学",
              "textbooksProvided": [{"subject": "国語", "publisher": "例示書籍"}]}
MEMBERS = [
    {"familyName": "山田", "givenName": "太郎", "birthDate": "1985-06-15", "relationshipToHouseholder": "本人"},
    {"familyName": "山田", "givenName": "花子", "birthDate": "1988-04-01", "relationshipToHouseholder": "妻"},
    {**CHILD, "relationshipToHouseholder": "子"},
]
PARENT = {"familyName": "山田", "givenName": "花子", "birthDate": "1988-04-01"}


@pytest.fixture(scope="module")
def transfer():
    return builtin_procedure("school-transfer")


def _child_id(world) -> str:
    return did_key(world.child.public)


def _enrollment(world, claims=ENROLLMENT) -> str:
    """The child's SchoolEnrollment, issued to the parent's wallet key and naming the child with sub."""
    return world.present(world.sd("school", "SchoolEnrollment", claims, sub=_child_id(world)))


def _household(world, members=MEMBERS, **options) -> str:
    sd = world.sd("city", "Household", {"householder": {"familyName": "山田", "givenName": "太郎"},
                                        "address": {"fullAddress": "東京都千代田区霞が関二丁目1-2"},
                                        "members": members, "municipalityCode": "131016"},
                  sd=["householder", "address", ("members", None)], **options)
    return world.present(sd)


def _representation(world, *, represented=CHILD, scope=("転校",), basis="親権", expires=None) -> str:
    sd = world.sd("city", "Representation", {"representative": PARENT, "represented": represented, "basis": basis,
                                             "scope": list(scope)},
                  sd=["representative", "represented", "basis"], expires=expires, sub=world.holder_did)
    return world.present(sd)


def _verify(world, vp_token, procedure, **kw):
    return verify_presentation(vp_token, policy=world.policy(), procedure=procedure, audience=AUDIENCE, nonce=NONCE,
                               now=NOW, **kw)


def _subject_code(result, requirement="enrollment"):
    cred = result.credential(requirement)
    return next(c.code for c in cred.checks if c.check == "subject")


def test_parent_applies_for_child_linked_by_household(world, transfer) -> None:
    result = _verify(world, {"enrollment": [_enrollment(world)], "household": [_household(world)]}, transfer)
    assert result.verified, result.codes
    enrollment = result.credential("enrollment")
    assert enrollment.link == "household:子" and enrollment.subject_id == _child_id(world)
    subject = next(c for c in enrollment.checks if c.check == "subject")
    assert subject.passed and "household member" in subject.message
    form = transfer.fill_form(result)
    assert form.field("student_given_name").value == "一郎"
    assert form.field("guardian").text == "山田 太郎" and form.field("guardian").origin.requirement == "household"


def test_household_disclosing_only_the_child(world, transfer) -> None:
    sd = world.sd("city", "Household", {"householder": {"familyName": "山田", "givenName": "太郎"},
                                        "members": MEMBERS, "municipalityCode": "131016"},
                  sd=["householder", ("members", None)])
    only_child = world.present(sd, disclose=[("members", 2)])
    result = _verify(world, {"enrollment": [_enrollment(world)], "household": [only_child]}, transfer)
    assert result.verified, result.codes
    assert [m["givenName"] for m in result.credential("household").claims["members"]] == ["一郎"]


def test_guardian_linked_by_representation(world, transfer) -> None:
    result = _verify(world, {"enrollment": [_enrollment(world)], "representation": [_representation(world)]}, transfer)
    assert result.verified, result.codes
    assert result.credential("enrollment").link == "representation:親権"
    assert transfer.fill_form(result).field("guardian").text == "山田 花子"


def test_refused_without_any_link(world, transfer) -> None:
    result = _verify(world, {"enrollment": [_enrollment(world)]}, transfer)
    assert not result.verified
    assert result.codes == ("SUBJECT_NOT_LINKED",)


def test_refused_with_an_expired_representation(world, transfer) -> None:
    expired = _representation(world, expires=NOW - timedelta(hours=1))
    result = _verify(world, {"enrollment": [_enrollment(world)], "representation": [expired]}, transfer)
    assert not result.verified
    assert "EXPIRED" in result.credential("representation").codes
    assert _subject_code(result) == "LINK_INVALID"


def test_refused_when_scope_does_not_cover_the_procedure(world, transfer) -> None:
    other = _representation(world, scope=("児童手当認定請求", "保育所等利用申込"))
    result = _verify(world, {"enrollment": [_enrollment(world)], "representation": [other]}, transfer)
    assert not result.verified and _subject_code(result) == "LINK_SCOPE_MISMATCH"


def test_refused_when_the_representation_is_for_a_different_person(world, transfer) -> None:
    other = _representation(world, represented=OTHER_CHILD)
    result = _verify(world, {"enrollment": [_enrollment(world)], "representation": [other]}, transfer)
    assert not result.verified and _subject_code(result) == "LINK_PERSON_MISMATCH"


def test_refused_when_the_household_lists_a_different_person(world, transfer) -> None:
    members = MEMBERS[:2] + [{**OTHER_CHILD, "relationshipToHouseholder": "子"}]
    result = _verify(world, {"enrollment": [_enrollment(world)], "household": [_household(world, members)]}, transfer)
    assert not result.verified and _subject_code(result) == "LINK_PERSON_MISMATCH"


def test_same_name_different_birth_date_is_a_different_person(world, transfer) -> None:
    members = MEMBERS[:2] + [{**CHILD, "birthDate": "2016-11-03", "relationshipToHouseholder": "子"}]
    result = _verify(world, {"enrollment": [_enrollment(world)], "household": [_household(world, members)]}, transfer)
    assert _subject_code(result) == "LINK_PERSON_MISMATCH"


def test_refused_when_the_relationship_is_not_accepted(world, transfer) -> None:
    members = MEMBERS[:2] + [{**CHILD, "relationshipToHouseholder": "同居人"}]
    result = _verify(world, {"enrollment": [_enrollment(world)], "household": [_household(world, members)]}, transfer)
    assert not result.verified and _subject_code(result) == "LINK_RELATIONSHIP_NOT_ACCEPTED"


def test_refused_when_the_basis_is_not_accepted(world, transfer) -> None:
    mandate = _representation(world, basis="任意代理")
    result = _verify(world, {"enrollment": [_enrollment(world)], "representation": [mandate]}, transfer)
    assert not result.verified and _subject_code(result) == "LINK_BASIS_NOT_ACCEPTED"


def test_refused_when_the_household_was_issued_to_someone_else(world, transfer) -> None:
    """The household credential names another subject (sub): it links nobody to this holder."""
    theirs = _household(world, sub=did_key(world.partner.public))
    result = _verify(world, {"enrollment": [_enrollment(world)], "household": [theirs]}, transfer)
    assert not result.verified and _subject_code(result) == "LINK_NOT_HOLDERS"
    assert "SUBJECT_NOT_HOLDER" in result.credential("household").codes


def test_refused_when_the_subject_does_not_disclose_who_it_is(world, transfer) -> None:
    sd = world.sd("school", "SchoolEnrollment", ENROLLMENT, sub=_child_id(world))
    hidden = world.present(sd, disclose=["familyName", "givenName", "school", "schoolType", "enrollmentStatus"])
    result = _verify(world, {"enrollment": [hidden], "household": [_household(world)]}, transfer)
    assert _subject_code(result) == "LINK_PERSON_UNDETERMINED"


def test_the_students_own_application_needs_no_link(world, transfer) -> None:
    """No sub: the credential is about the holder of its cnf key, who presents it."""
    own = world.present(world.sd("school", "SchoolEnrollment", ENROLLMENT))
    result = _verify(world, {"enrollment": [own]}, transfer)
    assert result.verified, result.codes
    assert result.credential("enrollment").link is None


def test_data_integrity_credentials_linked_in_a_signed_presentation(world, transfer) -> None:
    enrollment = world.di("school", "SchoolEnrollmentCredential", ENROLLMENT, subject_id=_child_id(world))
    household = world.di("city", "HouseholdCredential",
                         {"householder": {"familyName": "山田", "givenName": "太郎"}, "members": MEMBERS,
                          "municipalityCode": "131016"})
    result = _verify(world, [world.vp([enrollment, household])], transfer)
    assert result.verified, result.codes
    assert result.holder == world.holder_did and result.credential("enrollment").link == "household:子"
    alone = _verify(world, [world.vp([enrollment])], transfer)
    assert not alone.verified
    assert set(alone.codes) == {"HOLDER_BINDING_REQUIRED", "SUBJECT_NOT_LINKED"}


def test_links_need_a_procedure(world) -> None:
    aliases = {f"https://w3id.org/jitsuin/vct/{n}/v1": f"{n}Credential" for n in ("SchoolEnrollment", "Household")}
    result = verify_presentation([_enrollment(world), _household(world)], policy=world.policy(type_aliases=aliases),
                                 audience=AUDIENCE, nonce=NONCE, now=NOW)
    assert not result.verified and result.codes == ("SUBJECT_NOT_LINKED",)
    assert result.credentials[0].link is None


def test_a_procedure_without_proxy_refuses_someone_elses_credential(world) -> None:
    job = builtin_procedure("job-change")
    slip = world.present(world.sd("employer", "WithholdingSlip",
                                  {"familyName": "山田", "givenName": "太郎", "address": {"fullAddress": "東京都"},
                                   "taxYear": 2024, "paymentAmount": 5_000_000, "withholdingTaxAmount": 120_000,
                                   "payer": {"name": "例示株式会社"}}, sub=did_key(world.partner.public)))
    result = _verify(world, {"withholding": [slip], "household": [_household(world)]}, job)
    assert "SUBJECT_NOT_HOLDER" in result.credential("withholding").codes


# --- 保育認定: a link rule per credential (the child as 子 or 孫; the partner as spouse) ----------------------

DAYCARE_PARENT = {**PARENT, "employer": {"name": "例示株式会社"}, "employmentType": "正社員",
                  "employmentPeriod": {"startDate": "2015-04-01", "fixedTerm": False},
                  "schedule": {"fixed": {"daysPerWeek": 5, "startTime": "09:00", "endTime": "17:30"}},
                  "documentDate": "2025-05-20"}
CHILD_RECORD = {**CHILD, "sex": 1, "address": {"fullAddress": "東京都千代田区霞が関二丁目1-2"},
                "relationshipToHouseholder": "子", "municipalityCode": "131016"}


def _daycare(world, **extra: list[str]) -> dict[str, list[str]]:
    """The parent's own household, employment and tax certificates, plus ``extra`` presentations by query id."""
    tax = world.sd("city", "ResidentTaxCertificate", {**PARENT, "fiscalYear": 2025, "taxStatus": "課税",
                                                      "municipalTax": {"incomeLevy": 180000}, "municipalityCode": "131016"})
    employment = world.sd("employer", "EmploymentCertificate", DAYCARE_PARENT)
    return {"household": [_household(world)], "employment": [world.present(employment)],
            "resident_tax": [world.present(tax)], **extra}


def _child_record(world, claims=CHILD_RECORD) -> str:
    """The child's resident record, held by the parent (bound to the parent's key) and naming the child by sub."""
    return world.present(world.sd("city", "ResidentRecord", claims, sub="urn:uuid:0c5e7a52-2b1e-4d7a-9a35-5d1d3c0f1a01"))


def test_daycare_takes_the_childs_resident_record_through_the_household(world) -> None:
    daycare = builtin_procedure("daycare-certification")
    result = _verify(world, _daycare(world, child=[_child_record(world)]), daycare)
    assert result.verified, result.codes
    assert result.credential("child").link == "household:子"
    form = daycare.fill_form(result)
    assert form.field("child_given_name").value == "一郎" and form.field("child_sex").text == "男"
    assert form.field("child_given_name").origin.requirement == "child"
    alone = _verify(world, {k: v for k, v in _daycare(world, child=[_child_record(world)]).items() if k != "household"},
                    daycare)
    assert _subject_code(alone, "child") == "SUBJECT_NOT_LINKED"


def test_daycare_link_rules_are_per_credential(world) -> None:
    """The child must be 子 or 孫 of the householder; the partner a spouse (or the householder): the household's
    妻 is no child, and a working 子 is no partner."""
    daycare = builtin_procedure("daycare-certification")
    wife = {**PARENT, "sex": 2, "address": {"fullAddress": "東京都"}, "relationshipToHouseholder": "子",
            "municipalityCode": "131016"}  # her record says 子, the verified household says 妻
    as_child = _verify(world, _daycare(world, child=[_child_record(world, wife)]), daycare)
    assert _subject_code(as_child, "child") == "LINK_RELATIONSHIP_NOT_ACCEPTED"
    son_at_work = world.present(world.sd("partner_employer", "EmploymentCertificate", {**DAYCARE_PARENT, **CHILD},
                                         sub="urn:uuid:0c5e7a52-2b1e-4d7a-9a35-5d1d3c0f1a01"))
    as_partner = _verify(world, _daycare(world, partner_employment=[son_at_work]), daycare)
    assert _subject_code(as_partner, "partner_employment") == "LINK_RELATIONSHIP_NOT_ACCEPTED"
