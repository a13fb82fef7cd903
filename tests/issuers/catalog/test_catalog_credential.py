"""build_credential: the unsigned VCDM 2.0 credential, validity from the type, derived predicates; pure."""

from __future__ import annotations

import copy
from datetime import date, datetime, timezone

import pytest
from jsonschema import Draft202012Validator

from issuers.catalog import (
    Catalog,
    CertificateType,
    build_credential,
    credential_schema_document,
    derive_predicates,
    describe_claims,
    opt_in_paths,
    sd_paths,
)
from vc.errors import CatalogError, UsageError

VALID_FROM = datetime(2025, 4, 1, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def resident(catalog: Catalog) -> CertificateType:
    return catalog.get("ResidentRecord")


def test_credential_shape(resident: CertificateType) -> None:
    credential = build_credential(resident, resident.sample, issuer={"id": "did:web:city.example.jp", "name": "市"},
                                  valid_from=VALID_FROM, subject_id="did:example:holder", credential_id="urn:uuid:1")
    assert credential["id"] == "urn:uuid:1"
    assert credential["issuer"] == {"id": "did:web:city.example.jp", "name": "市"}
    assert credential["validFrom"] == "2025-04-01T03:00:00Z"
    assert credential["validUntil"] == "2025-07-01T03:00:00Z"  # P3M
    assert {"@value": "住民票の写し", "@language": "ja"} in credential["name"]
    assert credential["credentialSubject"]["id"] == "did:example:holder"
    assert list(credential["credentialSubject"])[0] == "id"


def test_explicit_valid_until_and_no_subject_id(resident: CertificateType) -> None:
    until = datetime(2025, 4, 30, tzinfo=timezone.utc)
    credential = build_credential(resident, resident.sample, issuer="did:example:i", valid_from=VALID_FROM,
                                  valid_until=until)
    assert credential["validUntil"] == "2025-04-30T00:00:00Z"
    assert "id" not in credential["credentialSubject"]
    with pytest.raises(UsageError):
        build_credential(resident, resident.sample, issuer="did:example:i", valid_from=VALID_FROM,
                         valid_until=VALID_FROM)


def test_naive_datetime_refused(resident: CertificateType) -> None:
    with pytest.raises(UsageError):
        build_credential(resident, resident.sample, issuer="did:example:i", valid_from=datetime(2025, 4, 1))


def test_pure_same_input_same_output_input_untouched(resident: CertificateType) -> None:
    claims = copy.deepcopy(dict(resident.sample))
    before = copy.deepcopy(claims)
    first = build_credential(resident, claims, issuer="did:example:i", valid_from=VALID_FROM)
    second = build_credential(resident, claims, issuer="did:example:i", valid_from=VALID_FROM)
    assert first == second
    assert claims == before
    first["credentialSubject"]["address"]["fullAddress"] = "changed"
    assert claims == before and resident.sample["address"]["fullAddress"] != "changed"


def test_invalid_claims_refused_before_building(resident: CertificateType) -> None:
    with pytest.raises(CatalogError) as info:
        build_credential(resident, dict(resident.sample, birthDate="R2.4.1"), issuer="did:example:i",
                         valid_from=VALID_FROM)
    assert info.value.code == "CLAIMS_INVALID"


def test_validated_skips_the_repeat_check_only(resident: CertificateType, monkeypatch: pytest.MonkeyPatch) -> None:
    checked = build_credential(resident, resident.sample, issuer="did:example:i", valid_from=VALID_FROM)
    calls: list[object] = []
    monkeypatch.setattr("issuers.catalog.credential.validate_claims", lambda *args: calls.append(args))
    trusted = build_credential(resident, resident.sample, issuer="did:example:i", valid_from=VALID_FROM,
                               validated=True)
    assert trusted == checked and calls == []
    build_credential(resident, resident.sample, issuer="did:example:i", valid_from=VALID_FROM)
    assert len(calls) == 1


# --- derived predicates -------------------------------------------------------------------------


@pytest.mark.parametrize(("birth", "as_of", "over18"), [
    ("2007-04-01", "2025-04-01", True),   # 18th birthday
    ("2007-04-02", "2025-04-01", False),  # the day before
    ("2008-02-29", "2026-02-28", False),  # born on 29 February: a year older on 1 March in common years
    ("2008-02-29", "2026-03-01", True),
])
def test_age_over_18(resident: CertificateType, birth: str, as_of: str, over18: bool) -> None:
    claims = dict(resident.sample, birthDate=birth)
    out = derive_predicates(resident, claims, as_of=date.fromisoformat(as_of))
    assert out["ageOver18"] is over18
    assert "ageOver18" not in claims


def test_as_of_defaults_to_valid_from_date_in_japan(resident: CertificateType) -> None:
    claims = dict(resident.sample, birthDate="2007-04-01")
    late_utc = datetime(2025, 3, 31, 15, 30, tzinfo=timezone.utc)  # already 1 April in Japan
    assert build_credential(resident, claims, issuer="did:example:i",
                            valid_from=late_utc)["credentialSubject"]["ageOver18"] is True
    early_utc = datetime(2025, 3, 31, 14, 30, tzinfo=timezone.utc)  # still 31 March in Japan
    assert build_credential(resident, claims, issuer="did:example:i",
                            valid_from=early_utc)["credentialSubject"]["ageOver18"] is False


def test_predicate_disagreeing_with_its_source_refused(resident: CertificateType) -> None:
    claims = dict(resident.sample, birthDate="2015-01-01", ageOver18=True)
    with pytest.raises(CatalogError) as info:
        build_credential(resident, claims, issuer="did:example:i", valid_from=VALID_FROM)
    assert info.value.code == "CLAIMS_INVALID" and "ageOver18" in info.value.message
    agreeing = dict(resident.sample, birthDate="2015-01-01", ageOver18=False)
    assert build_credential(resident, agreeing, issuer="did:example:i",
                            valid_from=VALID_FROM)["credentialSubject"]["ageOver18"] is False


def test_predicates_skipped_without_source_or_when_disabled(catalog: Catalog, resident: CertificateType) -> None:
    household = catalog.get("Household")
    assert not household.predicates
    subject = build_credential(resident, resident.sample, issuer="did:example:i", valid_from=VALID_FROM,
                               derive=False)["credentialSubject"]
    assert "ageOver18" not in subject


def test_tax_status_and_income_below(catalog: Catalog) -> None:
    tax = catalog.get("ResidentTaxCertificate")
    taxed = derive_predicates(tax, tax.sample, as_of=date(2025, 6, 1))
    assert taxed["taxStatus"] == "課税" and taxed["incomeBelow3000000"] is True
    exempt = dict(tax.sample, totalIncome=3000000, municipalTax={"incomeLevy": 0, "perCapitaLevy": 0},
                  prefecturalTax={"incomeLevy": 0, "perCapitaLevy": 0})
    out = derive_predicates(tax, exempt, as_of=date(2025, 6, 1))
    assert out["taxStatus"] == "非課税" and out["incomeBelow3000000"] is False


def test_no_arrears(catalog: Catalog) -> None:
    payment = catalog.get("TaxPaymentCertificate")
    assert derive_predicates(payment, payment.sample, as_of=date(2025, 1, 1))["noArrears"] is True
    owing = dict(payment.sample, unpaidAmount=1000)
    assert derive_predicates(payment, owing, as_of=date(2025, 1, 1))["noArrears"] is False


# --- schema, disclosure ---------------------------------------------------------------------------


def test_credential_schema_document_validates_the_credential(resident: CertificateType) -> None:
    document = credential_schema_document(resident)
    Draft202012Validator.check_schema(document)
    credential = build_credential(resident, resident.sample, issuer="did:example:i", valid_from=VALID_FROM,
                                  subject_id="did:example:h")
    validator = Draft202012Validator(document)
    assert validator.is_valid(credential)
    assert document["$id"] == credential["credentialSchema"]["id"]
    broken = copy.deepcopy(credential)
    broken["credentialSubject"]["birthDate"] = 19900401
    assert not validator.is_valid(broken)
    broken = dict(credential, type=["VerifiableCredential", "HouseholdCredential"])
    assert not validator.is_valid(broken)


def test_sd_and_opt_in_paths(resident: CertificateType) -> None:
    disclosable = sd_paths(resident)
    assert ("familyName",) in disclosable and ("birthDate",) in disclosable and ("ageOver18",) in disclosable
    assert ("municipalityCode",) not in disclosable
    assert opt_in_paths(resident) == [("previousAddress",), ("registeredDomicile",), ("familyRegisterHead",)]
    assert disclosable[0] == ("familyName",)  # display order


def test_describe_claims(resident: CertificateType) -> None:
    infos = describe_claims(resident)
    first = infos[0]
    assert first.path == ("familyName",) and first.labels == {"ja": "氏", "en": "Family name"}
    assert first.required and first.selectively_disclosable and not first.opt_in
    by_path = {i.path: i for i in infos}
    assert by_path[("registeredDomicile",)].opt_in
    assert by_path[("ageOver18",)].derived
    assert by_path[("address", "fullAddress")].sensitivity == "M"  # inherited from address
    assert not by_path[("municipalityCode",)].selectively_disclosable
