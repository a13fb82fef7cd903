"""examples/family.py: every certificate of the Yamada family fits its catalog type, today and on any day."""

from __future__ import annotations

from datetime import date

import pytest

from examples import family
from issuers.catalog import Catalog, claim_problems

DAYS = [date(2026, 1, 5), date(2026, 6, 1), date(2027, 12, 31)]


def _claims(day: date) -> dict[str, dict]:
    return {
        "BirthCertificate": family.birth_certificate(day),
        "ResidentRecord": family.resident_record(),
        "Household": family.household(newborn=day),
        "EmploymentCertificate": family.employment_certificate(day),
        "ResidentTaxCertificate": family.resident_tax_certificate(day),
        "SchoolEnrollment": family.school_enrollment(),
        "WithholdingSlip": family.withholding_slip(day),
        "HealthInsurance": family.health_insurance(day),
    }


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_every_certificate_fits_its_type(day: date) -> None:
    catalog = Catalog.load()
    for type_name, claims in _claims(day).items():
        assert claim_problems(catalog.get(type_name), claims) == [], type_name


def test_the_household_gains_the_newborn_as_a_child() -> None:
    before, after = family.household(), family.household(newborn=date(2026, 11, 21))
    assert len(after["members"]) == len(before["members"]) + 1 == after["householdSize"]
    assert after["members"][-1] == {"familyName": "山田", "givenName": family.SAKURA_NAME, "birthDate": "2026-11-21",
                                    "sex": 2, "relationshipToHouseholder": "子"}


def test_the_fiscal_year_turns_in_june() -> None:
    assert family.resident_tax_certificate(date(2026, 5, 31))["fiscalYear"] == 2025
    assert family.resident_tax_certificate(date(2026, 6, 1))["fiscalYear"] == 2026
