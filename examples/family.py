"""The Yamada family of the examples: what each institution certifies about them, as catalog claims.

山田 花子 (Hanako, the resident whose wallet the examples use) lives in Chiyoda City with her husband 太郎 (the
householder) and their son 一郎; their daughter 桜 is born in the birth-registration example. Dates are relative to
today so the certificates are always fresh. All names and numbers are invented.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

__all__ = [
    "ADDRESS",
    "MUNICIPALITY_CODE",
    "birth_certificate",
    "child_resident_record",
    "employment_certificate",
    "health_insurance",
    "household",
    "resident_record",
    "resident_tax_certificate",
    "school_enrollment",
    "withholding_slip",
]

MUNICIPALITY_CODE = "131016"  # 千代田区 (JIS X 0402)
ADDRESS = {"postalCode": "100-0013", "localGovernmentCode": MUNICIPALITY_CODE, "prefecture": "東京都",
           "cityAndCounty": "千代田区", "streetAddress": "霞が関二丁目", "cityBlock": "1-2",
           "fullAddress": "東京都千代田区霞が関二丁目1-2"}
HANAKO = {"familyName": "山田", "givenName": "花子", "birthDate": "1990-04-01"}
TARO = {"familyName": "山田", "givenName": "太郎", "birthDate": "1988-06-15"}
ICHIRO = {"familyName": "山田", "givenName": "一郎", "birthDate": "2019-11-03"}
SAKURA_NAME = "桜"


def birth_certificate(born: date) -> dict[str, Any]:
    """The hospital's 出生証明書 for the girl born on ``born`` (named later, in the 出生届)."""
    return {
        "child": {"familyName": "山田", "sex": 2},
        "birthDateTime": f"{born.isoformat()}T04:32:00+09:00",
        "birthPlace": {"address": {"localGovernmentCode": MUNICIPALITY_CODE,
                                   "fullAddress": "東京都千代田区霞が関一丁目1-1"},
                       "placeType": "病院", "facilityName": "霞が関中央病院"},
        "plurality": {"multiplicity": "単胎"},
        "birthWeightGrams": 3120,
        "birthLengthCm": 49.5,
        "mother": {"familyName": "山田", "givenName": "花子"},
        "gestationWeeks": 39,
        "gestationDays": 2,
        "motherNumberOfChildren": {"liveBirths": 2, "stillbirths": 0},
        "attendant": {"role": "医師", "name": "佐藤 一郎"},
        "documentDate": born.isoformat(),
    }


def resident_record() -> dict[str, Any]:
    """Hanako's 住民票の写し (the municipality)."""
    return {**HANAKO, "familyNameKana": "ヤマダ", "givenNameKana": "ハナコ", "sex": 2, "address": ADDRESS,
            "addressSince": "2020-04-01", "residentSince": "2020-04-01", "isHouseholder": False,
            "householderName": {"familyName": "山田", "givenName": "太郎"}, "relationshipToHouseholder": "妻",
            "municipalityCode": MUNICIPALITY_CODE}


def child_resident_record(born: date) -> dict[str, Any]:
    """桜's 住民票の写し (the municipality, once her birth is registered): a certificate about the daughter, which
    the municipality issues to her mother's wallet (the offer names the daughter as its subject)."""
    return {"familyName": "山田", "givenName": SAKURA_NAME, "birthDate": born.isoformat(), "familyNameKana": "ヤマダ",
            "givenNameKana": "サクラ", "sex": 2, "address": ADDRESS, "addressSince": born.isoformat(),
            "residentSince": born.isoformat(), "isHouseholder": False,
            "householderName": {"familyName": "山田", "givenName": "太郎"}, "relationshipToHouseholder": "子",
            "municipalityCode": MUNICIPALITY_CODE}


def household(*, newborn: date | None = None) -> dict[str, Any]:
    """The household's 世帯 certificate (the municipality); with the daughter once her birth is registered."""
    members = [{**TARO, "sex": 1, "relationshipToHouseholder": "本人"},
               {**HANAKO, "sex": 2, "relationshipToHouseholder": "妻"},
               {**ICHIRO, "sex": 1, "relationshipToHouseholder": "子"}]
    if newborn is not None:
        members.append({"familyName": "山田", "givenName": SAKURA_NAME, "birthDate": newborn.isoformat(), "sex": 2,
                        "relationshipToHouseholder": "子"})
    return {"householder": {"familyName": "山田", "givenName": "太郎"}, "address": ADDRESS, "members": members,
            "householdSize": len(members), "municipalityCode": MUNICIPALITY_CODE}


def employment_certificate(today: date) -> dict[str, Any]:
    """Hanako's 就労証明書 (the employer), with her salary, which a daycare application does not need."""
    return {**HANAKO, "familyNameKana": "ヤマダ", "givenNameKana": "ハナコ",
            "employer": {"name": "株式会社霞が関商事", "legalEntityNumber": "7000012050002",
                         "address": {"localGovernmentCode": MUNICIPALITY_CODE,
                                     "fullAddress": "東京都千代田区霞が関一丁目3-1"}},
            "employmentPeriod": {"startDate": "2015-04-01", "fixedTerm": False},
            "employmentType": "正社員",
            "schedule": {"fixed": {"daysPerWeek": 5, "startTime": "09:00", "endTime": "17:30", "breakMinutes": 60}},
            "baseSalary": {"amount": 312000, "unit": "月額"},
            "documentDate": today.isoformat()}


def resident_tax_certificate(today: date, *, total_income: int = 4_368_000) -> dict[str, Any]:
    """Hanako's 課税証明書 for this fiscal year (the municipality); the issuer derives taxStatus and the
    income predicate (incomeBelow3000000) from the amounts."""
    fiscal_year = today.year if today.month >= 6 else today.year - 1
    return {**HANAKO, "address": {"localGovernmentCode": MUNICIPALITY_CODE, "fullAddress": ADDRESS["fullAddress"]},
            "fiscalYear": fiscal_year, "totalIncome": total_income, "taxableIncome": total_income - 1_240_000,
            "municipalTax": {"incomeLevy": 187_000, "perCapitaLevy": 3_000},
            "prefecturalTax": {"incomeLevy": 124_700, "perCapitaLevy": 1_000}, "municipalityCode": MUNICIPALITY_CODE}


def school_enrollment() -> dict[str, Any]:
    """Ichiro's 在学証明書 (the school), issued to his mother's wallet."""
    return {**ICHIRO, "familyNameKana": "ヤマダ", "givenNameKana": "イチロウ",
            "school": {"name": "千代田区立霞が関小学校", "schoolCode": "B113210000010",
                       "address": {"localGovernmentCode": MUNICIPALITY_CODE,
                                   "fullAddress": "東京都千代田区霞が関三丁目1-1"}},
            "schoolType": "小学校", "grade": 1, "enrolledSince": "2026-04-06", "enrollmentStatus": "在学",
            "textbooksProvided": [{"subject": "国語", "publisher": "光村図書出版"},
                                  {"subject": "算数", "publisher": "東京書籍"}]}


def withholding_slip(today: date) -> dict[str, Any]:
    """Hanako's 源泉徴収票 for last year (her former employer)."""
    return {"taxYear": today.year - 1, **{k: HANAKO[k] for k in ("familyName", "givenName")},
            "address": {"fullAddress": ADDRESS["fullAddress"]}, "paymentType": "給料・賞与",
            "paymentAmount": 4_368_000, "employmentIncomeAfterDeduction": 3_057_600, "totalDeductions": 1_180_000,
            "withholdingTaxAmount": 89_400, "socialInsurancePremiums": 640_000,
            "payer": {"name": "株式会社霞が関商事", "legalEntityNumber": "7000012050002",
                      "address": {"fullAddress": "東京都千代田区霞が関一丁目3-1"}}}


def health_insurance(today: date) -> dict[str, Any]:
    """Hanako's 資格確認書 (the health insurance society)."""
    return {**HANAKO, "sex": 2, "insurerNumber": "06139999", "insurerName": "霞が関商事健康保険組合",
            "symbol": "12", "number": "3456", "branch": "00", "qualifiedSince": "2015-04-01", "insuredType": "本人",
            "certificateExpiryDate": (today + timedelta(days=365 * 3)).isoformat()}
