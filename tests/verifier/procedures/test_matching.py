"""Which credential fills which requirement; missing ones fail the procedure; extra ones are ignored."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from vc.did import did_key
from verifier import verify_presentation
from verifier.procedures import Candidate, assign_requirements, builtin_procedure
from verifier.procedures.matching import requested_claims

NOW = datetime(2025, 6, 2, 1, 0, tzinfo=timezone.utc)
AUDIENCE = "redirect_uri:https://city.example.lg.jp/verifier/response"
NONCE = "n-4c9f2a"
ME = {"familyName": "山田", "givenName": "花子", "birthDate": "1988-04-01"}
PARTNER = {"familyName": "山田", "givenName": "太郎", "birthDate": "1985-06-15"}
EMPLOYMENT = {"employmentType": "正社員", "employmentPeriod": {"startDate": "2015-04-01", "fixedTerm": False},
              "schedule": {"fixed": {"daysPerWeek": 5, "startTime": "09:00", "endTime": "17:30"}},
              "documentDate": "2025-05-20"}
VCT = "https://w3id.org/jitsuin/vct/{}/v1"


@pytest.fixture(scope="module")
def daycare():
    return builtin_procedure("daycare-certification")


def _daycare_credentials(world, *, partner_relationship: str = "本人", partner_issued: datetime | None = None):
    household = world.sd("city", "Household", {
        "householder": {"familyName": "山田", "givenName": "太郎"}, "address": {"fullAddress": "東京都千代田区"},
        "members": [{**PARTNER, "relationshipToHouseholder": partner_relationship},
                    {**ME, "relationshipToHouseholder": "妻"},
                    {"familyName": "山田", "givenName": "一郎", "birthDate": "2021-11-03",
                     "relationshipToHouseholder": "子"}],
        "municipalityCode": "131016"}, sd=["householder", "address", ("members", None)])
    mine = world.sd("employer", "EmploymentCertificate", {**ME, "employer": {"name": "例示株式会社"}, **EMPLOYMENT})
    # the partner's certificate, given to the applicant's wallet for this application, names the partner with sub
    theirs = world.sd("partner_employer", "EmploymentCertificate",
                      {**PARTNER, "employer": {"name": "見本商事"}, **EMPLOYMENT},
                      sub=did_key(world.partner.public), issued=partner_issued)
    tax = world.sd("city", "ResidentTaxCertificate", {**ME, "fiscalYear": 2025, "taxStatus": "課税",
                                                      "municipalTax": {"incomeLevy": 180000, "perCapitaLevy": 3500},
                                                      "municipalityCode": "131016"})
    return [world.present(x) for x in (household, mine, theirs, tax)]


def _verify(world, presentation, procedure):
    return verify_presentation(presentation, policy=world.policy(), procedure=procedure, audience=AUDIENCE,
                               nonce=NONCE, now=NOW)


def test_both_parents_matched_by_type_and_subject(world, daycare) -> None:
    household, mine, theirs, tax = _daycare_credentials(world)
    # a plain list (no DCQL query ids), partner's certificate first: matching goes by subject, not by order
    result = _verify(world, [theirs, household, tax, mine], daycare)
    assert result.verified, result.codes
    assert [c.requirement for c in result.credentials] == ["partner_employment", "household", "resident_tax",
                                                           "employment"]
    assert result.credential("partner_employment").link == "household:本人"
    form = daycare.fill_form(result)
    assert form.field("applicant_employer").value == "例示株式会社"
    assert form.field("partner_employer").value == "見本商事"
    assert form.field("partner_employer").origin.issuer == world.did("partner_employer")


def test_partner_not_in_the_household(world, daycare) -> None:
    household, mine, theirs, tax = _daycare_credentials(world, partner_relationship="同居人")
    result = _verify(world, {"household": [household], "employment": [mine], "partner_employment": [theirs],
                             "resident_tax": [tax]}, daycare)
    assert not result.verified
    assert result.codes == ("LINK_RELATIONSHIP_NOT_ACCEPTED",)


def test_per_requirement_age_limit(world, daycare) -> None:
    household, mine, theirs, tax = _daycare_credentials(world, partner_issued=NOW - timedelta(days=120))
    result = _verify(world, [household, mine, theirs, tax], daycare)
    assert result.codes == ("CREDENTIAL_TOO_OLD",)
    assert "CREDENTIAL_TOO_OLD" in result.credential("partner_employment").codes


def test_missing_required_credential(world, daycare) -> None:
    household, mine, _, _ = _daycare_credentials(world)
    result = _verify(world, [household, mine], daycare)
    assert not result.verified and result.codes == ("PROCEDURE_CREDENTIAL_MISSING",)
    assert "resident_tax" in next(c.message for c in result.checks if c.check == "procedure")


def test_the_same_person_twice_does_not_fill_the_partner(world, daycare) -> None:
    household, mine, _, tax = _daycare_credentials(world)
    again = world.present(world.sd("employer", "EmploymentCertificate",
                                   {**ME, "employer": {"name": "例示株式会社"}, **EMPLOYMENT}))
    result = _verify(world, [household, mine, again, tax], daycare)
    assert result.verified, result.codes  # the partner is optional
    assert result.credential("partner_employment") is None
    assert [c.ignored for c in result.credentials] == [False, False, True, False]


def test_extra_credentials_are_ignored_and_keep_no_claims(world, daycare) -> None:
    household, mine, theirs, tax = _daycare_credentials(world)
    extra = world.present(world.sd("insurer", "HealthInsurance", {**ME, "insurerName": "例示健保", "number": "999"}))
    broken = extra[:-5] + "AAAAA"  # an extra credential that does not even verify
    result = _verify(world, {"household": [household], "employment": [mine], "resident_tax": [tax],
                             "unrequested": [extra], "also": [broken]}, daycare)
    assert result.verified, result.codes
    ignored = [c for c in result.credentials if c.ignored]
    assert len(ignored) == 2 and all(c.claims == {} for c in ignored)
    assert "例示健保" not in str(result.to_dict())


def test_query_id_decides_and_a_mismatch_leaves_the_requirement_empty(world, daycare) -> None:
    household, mine, theirs, tax = _daycare_credentials(world)
    result = _verify(world, {"household": [household], "employment": [tax], "resident_tax": [mine]}, daycare)
    assert result.codes == ("PROCEDURE_CREDENTIAL_MISSING",)
    assert all(c.ignored for c in result.credentials if c.query_id in ("employment", "resident_tax"))


def test_assignment_unit() -> None:
    procedure = builtin_procedure("daycare-certification")
    emp = frozenset({"EmploymentCertificateCredential", VCT.format("EmploymentCertificate")})
    candidates = [Candidate(0, emp, "dc+sd-jwt", own=False), Candidate(1, emp, "ldp_vc", own=True),
                  Candidate(2, emp, "vc+jwt", own=True)]
    assert assign_requirements(procedure, candidates) == {1: "employment", 0: "partner_employment"}
    only_other = [Candidate(0, emp, "dc+sd-jwt", own=False)]
    assert assign_requirements(procedure, only_other) == {0: "partner_employment"}
    wrong_format = [Candidate(0, emp, "jwt_vc_json", own=True, query_id="employment")]
    assert assign_requirements(procedure, wrong_format) == {}


def test_requested_claims_unit() -> None:
    claims = {"a": 1, "b": {"c": 2, "d": 3}, "m": [{"x": 1, "y": 2}, {"x": 3}], "z": 9}
    assert requested_claims(claims, [("a",), ("b", "c"), ("m", None, "x")]) == {"a": 1, "b": {"c": 2},
                                                                               "m": [{"x": 1}, {"x": 3}]}
    assert requested_claims(claims, [("m", 1)]) == {"m": [{"x": 3}]}
    assert requested_claims(claims, [("nope",)]) == {}
