"""Claims are checked before signing: each bad field is named, its value never shown, nothing is normalised."""

from __future__ import annotations

import copy
import unicodedata
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from issuers.catalog import Catalog, CertificateType, build_credential, claim_problems, validate_claims
from vc.errors import CatalogError

VALID_FROM = datetime(2025, 4, 1, tzinfo=timezone.utc)


@pytest.fixture
def resident(catalog: Catalog) -> CertificateType:
    return catalog.get("ResidentRecord")


def _claims(ctype: CertificateType, **changes: Any) -> dict[str, Any]:
    claims = copy.deepcopy(dict(ctype.sample))
    claims.update(changes)
    return claims


def _error(ctype: CertificateType, claims: dict[str, Any]) -> CatalogError:
    with pytest.raises(CatalogError) as info:
        validate_claims(ctype, claims)
    return info.value


def _only(error: CatalogError, path: str) -> dict[str, str]:
    matches = [e for e in error.detail["errors"] if e["path"] == path]
    assert matches, error.detail["errors"]
    return matches[0]


# --- kana ---------------------------------------------------------------------------------------


def test_half_width_kana_refused(resident: CertificateType) -> None:
    error = _error(resident, _claims(resident, familyNameKana="ﾔﾏﾀﾞ"))
    assert error.code == "CLAIMS_INVALID"
    problem = _only(error, "familyNameKana")
    assert "half-width" in problem["reason"] and "全角カナ" in problem["reason"]
    assert "ﾔﾏﾀﾞ" not in error.message and "ﾔﾏﾀﾞ" not in str(error.detail)


def test_hiragana_in_kana_field_refused(resident: CertificateType) -> None:
    error = _error(resident, _claims(resident, givenNameKana="はなこ"))
    assert "hiragana" in _only(error, "givenNameKana")["reason"]
    assert "はなこ" not in error.message


@pytest.mark.parametrize("value", ["Yamada", "山田", "ヤマダ1"])
def test_other_non_katakana_refused(resident: CertificateType, value: str) -> None:
    assert "katakana" in _only(_error(resident, _claims(resident, familyNameKana=value)), "familyNameKana")["reason"]


@pytest.mark.parametrize("value", ["ヤマダ", "ヴァン・デル・ベルグ", "スミス　ジョン", "コー", "カ\u3099ク"])
def test_full_width_katakana_accepted(resident: CertificateType, value: str) -> None:
    validate_claims(resident, _claims(resident, familyNameKana=value))


def test_kana_in_an_array_element_named_by_position(catalog: Catalog) -> None:
    household = catalog.get("Household")
    claims = copy.deepcopy(dict(household.sample))
    claims["members"][1]["givenNameKana"] = "ﾊﾅｺ"
    error = _error(household, claims)
    assert _only(error, "members[1].givenNameKana")["rule"] == "format:katakana"


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["令和6年4月1日", "R6.4.1", "平成2年4月1日", "H2.4.1", "昭和64年1月7日", "令和元年5月1日",
                                   "R06/04/01"])
def test_japanese_era_dates_refused(resident: CertificateType, value: str) -> None:
    error = _error(resident, _claims(resident, birthDate=value))
    reason = _only(error, "birthDate")["reason"]
    assert "和暦" in reason and "YYYY-MM-DD" in reason
    assert value not in error.message


@pytest.mark.parametrize("value", ["2024/04/01", "2024年4月1日", "20240401", "２０２４－０４－０１", "1-4-2024"])
def test_other_date_forms_refused(resident: CertificateType, value: str) -> None:
    assert "YYYY-MM-DD" in _only(_error(resident, _claims(resident, birthDate=value)), "birthDate")["reason"]


def test_impossible_date_refused(resident: CertificateType) -> None:
    assert "calendar" in _only(_error(resident, _claims(resident, birthDate="2023-02-29")), "birthDate")["reason"]


@pytest.mark.parametrize("value", ["2025-03-10T04:32:00", "2025-03-10 04:32:00+09:00", "令和7年3月10日 4時32分"])
def test_date_time_needs_iso_form_with_offset(catalog: Catalog, value: str) -> None:
    birth = catalog.get("BirthCertificate")
    claims = copy.deepcopy(dict(birth.sample))
    claims["birthDateTime"] = value
    assert _only(_error(birth, claims), "birthDateTime")["rule"] == "format:date-time"


# --- municipality code ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["131016", "13101", "011002", "271004"])
def test_municipality_codes_accepted(resident: CertificateType, code: str) -> None:
    validate_claims(resident, _claims(resident, municipalityCode=code))


@pytest.mark.parametrize(("code", "words"), [
    ("131017", "check digit"),
    ("131010", "check digit"),
    ("481016", "prefecture"),
    ("1310", "5 digits"),
    ("13101a", "5 digits"),
    ("１３１０１６", "5 digits"),
])
def test_bad_municipality_codes_refused(resident: CertificateType, code: str, words: str) -> None:
    address = dict(resident.sample["address"], localGovernmentCode=code)
    error = _error(resident, _claims(resident, address=address))
    assert words in _only(error, "address.localGovernmentCode")["reason"]
    assert code not in error.message


# --- names are kept exactly -----------------------------------------------------------------------


def test_ivs_and_compatibility_ideographs_round_trip_unchanged(resident: CertificateType) -> None:
    ivs_name = "葛\U000E0100"  # 葛 + VS17: the MJ glyph with the 匕 component
    compat = "\uF9DC"  # CJK compatibility ideograph 隆, which NFC would replace with U+9686
    assert unicodedata.normalize("NFC", compat) != compat
    claims = _claims(resident, familyName=ivs_name, givenName=compat)
    credential = build_credential(resident, claims, issuer="did:example:city", valid_from=VALID_FROM)
    subject = credential["credentialSubject"]
    assert subject["familyName"] == ivs_name and len(subject["familyName"]) == 2
    assert subject["givenName"] == compat
    assert claims["familyName"] == ivs_name  # the input is not touched either


def test_ivs_survives_signing_and_verification(resident: CertificateType) -> None:
    pytest.importorskip("vc.credentials")
    from issuers.catalog import register_catalog_contexts
    from vc.credentials import issue_credential, verify_credential
    from vc.did import did_key
    from vc.jsonld import DocumentLoader
    from vc.keys import KeyPair

    key = KeyPair.from_seed(b"\x07" * 32)
    loader = register_catalog_contexts(DocumentLoader())
    claims = _claims(resident, familyName="葛\U000E0100", givenName="\uF9DC")
    credential = build_credential(resident, claims, issuer=did_key(key.public), valid_from=VALID_FROM)
    signed = issue_credential(credential, key, now=VALID_FROM, loader=loader)
    assert signed["credentialSubject"]["familyName"] == "葛\U000E0100"
    assert verify_credential(signed, loader=loader, now=VALID_FROM + timedelta(seconds=1)).verified
    signed["credentialSubject"]["familyName"] = "葛"  # dropping the selector changes the signed data
    assert not verify_credential(signed, loader=loader, now=VALID_FROM + timedelta(seconds=1)).verified


def test_stray_variation_selector_refused(resident: CertificateType) -> None:
    assert _only(_error(resident, _claims(resident, familyName="\U000E0100葛")), "familyName")["rule"] == "format:name"


# --- structure ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["myNumber", "個人番号", "residentRecordCode", "basic_pension_number"])
def test_forbidden_field_in_claims(resident: CertificateType, name: str) -> None:
    error = _error(resident, _claims(resident, **{name: "123456789012"}))
    assert error.code == "FORBIDDEN_CLAIM"
    assert name in error.message and "123456789012" not in error.message


def test_forbidden_field_nested_in_claims(resident: CertificateType) -> None:
    address = dict(resident.sample["address"], myNumber="123456789012")
    error = _error(resident, _claims(resident, address=address))
    assert error.code == "FORBIDDEN_CLAIM" and "address.myNumber" in error.message


def test_unknown_claim(resident: CertificateType) -> None:
    problem = _only(_error(resident, _claims(resident, favouriteColour="blue")), "favouriteColour")
    assert problem["rule"] == "unknown"


def test_subject_id_is_not_a_claim(resident: CertificateType) -> None:
    assert "subject_id" in _only(_error(resident, _claims(resident, id="did:example:1")), "id")["reason"]


def test_missing_required_claims_all_reported(resident: CertificateType) -> None:
    claims = _claims(resident)
    del claims["birthDate"], claims["municipalityCode"]
    error = _error(resident, claims)
    assert {"birthDate", "municipalityCode"} <= {e["path"] for e in error.detail["errors"] if e["rule"] == "required"}


def test_wrong_type_and_enum_name_the_field_not_the_value(resident: CertificateType) -> None:
    error = _error(resident, _claims(resident, sex="female-secret", relationshipToHouseholder="隣人-secret"))
    assert _only(error, "sex")["rule"] in ("type", "enum")
    assert _only(error, "relationshipToHouseholder")["rule"] == "enum"
    assert "secret" not in error.message and "secret" not in str(error.detail)


def test_claims_must_be_an_object(resident: CertificateType) -> None:
    assert claim_problems(resident, ["not", "an", "object"])[0].rule == "type"
    assert claim_problems(resident, resident.sample) == []
