"""Pre-filled forms: every filled field names the verified credential it came from."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from verifier import verify_presentation
from verifier.procedures import builtin_procedure

NOW = datetime(2025, 6, 2, 1, 0, tzinfo=timezone.utc)
AUDIENCE = "redirect_uri:https://city.example.lg.jp/verifier/response"
NONCE = "n-4c9f2a"
BIRTH = {
    "child": {"sex": 2},
    "birthDateTime": "2025-05-30T10:12:00+09:00",
    "birthPlace": {"address": {"prefecture": "東京都", "cityAndCounty": "千代田区", "streetAddress": "霞が関二丁目",
                               "cityBlock": "1-2"}, "placeType": "病院", "facilityName": "例示病院"},
    "birthWeightGrams": 3012,
    "plurality": {"multiplicity": "単胎"},
    "mother": {"familyName": "山田", "givenName": "花子"},
    "attendant": {"role": "医師", "name": "佐藤 一"},
    "documentDate": "2025-05-30",
}
NOTIFIER = {"familyName": "山田", "givenName": "花子", "birthDate": "1988-04-01",
            "address": {"fullAddress": "東京都千代田区霞が関二丁目1-2"}, "householderName": {"familyName": "山田",
                                                                                  "givenName": "太郎"},
            "relationshipToHouseholder": "妻", "registeredDomicile": "東京都千代田区千代田1番", "municipalityCode": "131016"}


@pytest.fixture(scope="module")
def birth():
    return builtin_procedure("birth-registration")


@pytest.fixture(scope="module")
def birth_result(world, birth):
    vp_token = {
        "birth": [world.present(world.sd("hospital", "BirthCertificate", BIRTH))],
        "notifier_ldp": [world.vp([world.di("city", "ResidentRecordCredential", NOTIFIER,
                                            credential_id="urn:uuid:5a0f3e1c-0b7e-4d2e-9b7a-8e1f2d3c4b5a")])],
    }
    return verify_presentation(vp_token, policy=world.policy(), procedure=birth, audience=AUDIENCE, nonce=NONCE, now=NOW)


def test_every_filled_field_names_its_source(world, birth, birth_result) -> None:
    assert birth_result.verified, birth_result.codes
    form = birth.fill_form(birth_result)
    assert form.verified and form.complete and form.missing == ()
    filled = [f for f in form.fields if f.filled]
    assert len(filled) >= 15
    for f in filled:
        assert f.origin.requirement in ("birth", "notifier")
        assert f.origin.issuer == world.did("hospital" if f.origin.requirement == "birth" else "city")
        assert f.origin.credential_type in ("BirthCertificateCredential", "ResidentRecordCredential")
    sex = form.field("child_sex")
    assert (sex.value, sex.text) == (2, "女")
    assert sex.origin.format == "dc+sd-jwt" and sex.origin.path == "child.sex" and sex.origin.query_id == "birth"
    assert form.field("birth_datetime").text == "2025-05-30 10:12"  # shown in JST
    assert form.field("birth_place").text == "東京都千代田区霞が関二丁目1-2"
    address = form.field("address")
    assert address.origin.credential_id == "urn:uuid:5a0f3e1c-0b7e-4d2e-9b7a-8e1f2d3c4b5a"
    assert address.origin.format == "ldp_vc" and address.origin.query_id == "notifier_ldp"
    assert form.field("householder").text == "山田 太郎"
    assert not form.field("birth_length").filled and form.field("birth_length").value is None


def test_claims_not_asked_for_are_not_kept(birth_result) -> None:
    """A Data Integrity credential shows every claim; the verifier keeps only what the procedure asked for."""
    notifier = birth_result.credential("notifier")
    assert "registeredDomicile" not in notifier.claims and "municipalityCode" not in notifier.claims
    assert notifier.claims["familyName"] == "山田"


def test_form_json_and_table(birth, birth_result) -> None:
    form = birth.fill_form(birth_result)
    data = json.loads(json.dumps(form.to_dict(), ensure_ascii=False))
    assert data["procedure"] == "birth-registration" and data["verified"] and data["complete"]
    field = next(f for f in data["fields"] if f["id"] == "mother_family_name")
    assert field["value"] == "山田" and field["source"]["credential"] == "birth"
    assert field["source"]["type"] == "BirthCertificateCredential"
    table = form.render_table()
    assert table.splitlines()[0] == "出生届"
    assert "母の氏" in table and "BirthCertificateCredential (did:web:hospital.example.jp)" in table
    header = table.splitlines()[1]
    assert header.startswith("項目") and "出典" in header
    english = form.render_table(lang="en")
    assert "Mother's family name" in english and "Source" in english


def test_unverified_result_fills_nothing(world, birth) -> None:
    vp_token = {"birth": [world.present(world.sd("hospital", "BirthCertificate", BIRTH))]}  # notifier missing
    result = verify_presentation(vp_token, policy=world.policy(), procedure=birth, audience=AUDIENCE, nonce=NONCE,
                                 now=NOW)
    assert result.codes == ("PROCEDURE_CREDENTIAL_MISSING",)
    form = birth.fill_form(result)
    assert not form.verified and not form.complete
    assert all(not f.filled and f.value is None for f in form.fields)
    assert "child_sex" in form.missing
    assert "検証に失敗" in form.render_table()


def test_alternative_sources_and_filters(world) -> None:
    job = builtin_procedure("job-change")
    insurance = world.sd("insurer", "HealthInsurance", {
        "familyName": "山田", "givenName": "太郎", "birthDate": "1985-06-15", "insurerName": "例示健康保険組合",
        "insurerNumber": "06139999", "insuredType": "本人", "qualifiedSince": "2020-04-01", "number": "12345"})
    slip = world.sd("employer", "WithholdingSlip", {
        "familyName": "山田", "address": {"fullAddress": "東京都"}, "taxYear": 2024, "paymentAmount": 5_123_000,
        "withholdingTaxAmount": 120_400, "payer": {"name": "例示株式会社"}})
    result = verify_presentation({"withholding": [world.present(slip)], "insurance": [world.present(insurance)]},
                                 policy=world.policy(), procedure=job, audience=AUDIENCE, nonce=NONCE, now=NOW)
    assert result.verified, result.codes
    form = job.fill_form(result)
    given = form.field("given_name")  # the slip has no given name: the insurance card gives it
    assert given.value == "太郎" and given.origin.requirement == "insurance"
    assert form.field("family_name").origin.requirement == "withholding"
    assert form.field("payment_amount").text == "5,123,000円"
    assert "number" not in result.credential("insurance").claims  # disclosed but not asked for


def test_household_members_filtered_by_relationship(world) -> None:
    daycare = builtin_procedure("daycare-certification")
    members = [
        {"familyName": "山田", "givenName": "花子", "birthDate": "1988-04-01", "relationshipToHouseholder": "本人"},
        {"familyName": "山田", "givenName": "一郎", "birthDate": "2021-11-03", "relationshipToHouseholder": "子"},
        {"familyName": "山田", "givenName": "桜", "birthDate": "2023-03-03", "relationshipToHouseholder": "子"},
    ]
    household = world.sd("city", "Household", {"householder": {"familyName": "山田", "givenName": "花子"},
                                               "address": {"fullAddress": "東京都千代田区"}, "members": members,
                                               "municipalityCode": "131016"})
    employment = world.sd("employer", "EmploymentCertificate", {
        "familyName": "山田", "givenName": "花子", "birthDate": "1988-04-01", "employer": {"name": "例示株式会社"},
        "employmentType": "正社員", "employmentPeriod": {"startDate": "2015-04-01", "fixedTerm": False},
        "schedule": {"fixed": {"daysPerWeek": 5, "startTime": "09:00", "endTime": "17:30"}},
        "documentDate": "2025-05-20"})
    tax = world.sd("city", "ResidentTaxCertificate", {"familyName": "山田", "givenName": "花子",
                                                      "birthDate": "1988-04-01", "fiscalYear": 2025, "taxStatus": "課税",
                                                      "municipalTax": {"incomeLevy": 180000, "perCapitaLevy": 3500},
                                                      "municipalityCode": "131016"})
    vp_token = {"household": [world.present(household)], "employment": [world.present(employment)],
                "resident_tax": [world.present(tax)]}
    result = verify_presentation(vp_token, policy=world.policy(), procedure=daycare, audience=AUDIENCE, nonce=NONCE,
                                 now=NOW)
    assert result.verified, result.codes
    form = daycare.fill_form(result)
    children = form.field("children")
    assert [c["givenName"] for c in children.value] == ["一郎", "桜"]
    assert children.text == "山田 一郎（子・2021-11-03）、山田 桜（子・2023-03-03）"
    assert not form.field("partner_employer").filled  # single parent: optional, empty
    assert form.complete
    hours = form.field("applicant_schedule")
    assert hours.texts == {"ja": "週5日 9:00〜17:30（週42.5時間）", "en": "5 days a week, 9:00–17:30 (42.5 h a week)"}
    assert hours.value == {"fixed": {"daysPerWeek": 5, "startTime": "09:00", "endTime": "17:30"}}  # the claim as is
    assert result.credential("resident_tax").claims == {"familyName": "山田", "givenName": "花子",
                                                        "birthDate": "1988-04-01", "fiscalYear": 2025,
                                                        "taxStatus": "課税", "municipalTax": {"incomeLevy": 180000}}


def test_texts_in_japanese_and_english(world, birth, birth_result) -> None:
    form = birth.fill_form(birth_result)
    sex = form.field("child_sex")
    assert sex.texts == {"ja": "女", "en": "female"} and sex.text == "女"
    assert sex.to_dict()["texts"] == {"ja": "女", "en": "female"}
    assert "female" in form.render_table(lang="en") and "女" in form.render_table()


@pytest.mark.parametrize(("schedule", "ja", "en"), [
    ({"fixed": {"daysPerWeek": 5, "startTime": "09:00", "endTime": "17:30", "breakMinutes": 60}},
     "週5日 9:00〜17:30（休憩60分、週37.5時間）", "5 days a week, 9:00–17:30 (60 min break; 37.5 h a week)"),
    ({"fixed": {"daysPerWeek": 4, "startTime": "22:00:00", "endTime": "06:00:00"}},  # a night shift
     "週4日 22:00〜6:00（週32時間）", "4 days a week, 22:00–6:00 (32 h a week)"),
    ({"variable": {"monthlyDays": 16, "monthlyHours": 96.5}}, "月16日・月96.5時間", "16 days and 96.5 h a month"),
    ({"other": 1}, '{"other":1}', '{"other":1}'),  # not a schedule the catalog knows: shown as it came
])
def test_a_working_schedule_reads_as_hours(schedule, ja, en) -> None:
    from verifier.procedures.form import DISPLAYS

    assert (DISPLAYS["schedule"](schedule, "ja"), DISPLAYS["schedule"](schedule, "en")) == (ja, en)


def test_the_daycare_form_shows_working_hours_not_json() -> None:
    daycare = builtin_procedure("daycare-certification")
    displays = {f.id: f.display for f in daycare.fields}
    assert displays["applicant_schedule"] == displays["partner_schedule"] == "schedule"
