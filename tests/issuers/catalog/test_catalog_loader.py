"""Type files that break a rule are refused with a coded CatalogError naming the file and the field."""

from __future__ import annotations

import copy
from datetime import date
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from issuers.catalog import load_type, load_type_file
from vc.errors import CatalogError

WriteType = Callable[..., Path]


def _load_error(data: dict[str, Any], write_type: WriteType, **kw: Any) -> CatalogError:
    path = write_type(data, **kw)
    with pytest.raises(CatalogError) as info:
        load_type_file(path)
    assert info.value.message.startswith(path.name), info.value.message  # names the file
    return info.value


def test_minimal_type_loads_from_yaml_and_json(minimal_type: dict, write_type: WriteType) -> None:
    from_yaml = load_type_file(write_type(minimal_type))
    from_json = load_type_file(write_type(minimal_type, suffix=".json"))
    assert from_yaml.id == from_json.id == "ParkingPermit"
    assert from_yaml.credential_type == "ParkingPermitCredential"
    assert not from_yaml.builtin
    assert from_yaml.context_url == "https://w3id.org/jitsuin/ext/ParkingPermit/1.0.0"
    assert from_yaml.terms["plate"].iri == from_json.terms["plate"].iri


# --- forbidden identifiers --------------------------------------------------------------------

FORBIDDEN_NAMES = [
    "myNumber", "my_number", "MyNumber", "individualNumber", "kojinBango", "kojin_bangou", "個人番号", "マイナンバー",
    "ｍｙＮｕｍｂｅｒ", "ﾏｲﾅﾝﾊﾞｰ", "residentRecordCode", "juminhyoCode", "住民票コード", "basicPensionNumber",
    "basic_pension_number", "基礎年金番号", "kisoNenkinBango",
]


@pytest.mark.parametrize("name", FORBIDDEN_NAMES)
def test_forbidden_top_level_claim(name: str, minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["schema"]["properties"][name] = {"type": "string"}
    error = _load_error(minimal_type, write_type)
    assert error.code == "FORBIDDEN_CLAIM"
    assert name in error.message


@pytest.mark.parametrize("name", ["myNumber", "個人番号", "residentRecordCode", "basicPensionNumber"])
def test_forbidden_nested_claim(name: str, minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["schema"]["properties"]["vehicle"]["properties"]["owner"] = {
        "type": "object", "properties": {name: {"type": "string"}}}
    error = _load_error(minimal_type, write_type)
    assert error.code == "FORBIDDEN_CLAIM"
    assert "vehicle" in error.detail["field"] and name in error.detail["field"]


def test_forbidden_claim_in_defs(minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["schema"]["$defs"] = {"Extra": {"type": "object", "properties": {"pensionNumber": {"type": "string"}}}}
    assert _load_error(minimal_type, write_type).code == "FORBIDDEN_CLAIM"


@pytest.mark.parametrize("label", [{"ja": "個人番号", "en": "Reference"}, {"ja": "参照", "en": "My Number"},
                                   {"ja": "参照", "en": "Individual number"}])
def test_forbidden_claim_in_labels(label: dict, minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["display"]["labels"]["permitNumber"] = label
    assert _load_error(minimal_type, write_type).code == "FORBIDDEN_CLAIM"


def test_forbidden_claim_in_term_and_sample(minimal_type: dict, write_type: WriteType) -> None:
    bad = copy.deepcopy(minimal_type)
    bad["terms"]["permitNumber"] = "https://example.jp/vocab#myNumber"
    assert _load_error(bad, write_type).code == "FORBIDDEN_CLAIM"
    bad = copy.deepcopy(minimal_type)
    bad["sample"]["vehicle"]["my_number"] = "x"
    assert _load_error(bad, write_type).code == "FORBIDDEN_CLAIM"


def test_similar_but_allowed_names_load(minimal_type: dict, write_type: WriteType) -> None:
    # "number" alone, insurer numbers and corporate numbers are not personal identifiers of the forbidden kind
    minimal_type["schema"]["properties"]["myNotes"] = {"type": "string"}
    minimal_type["terms"]["myNotes"] = "https://parking.example.jp/vocab#myNotes"
    minimal_type["display"]["labels"]["myNotes"] = {"ja": "メモ", "en": "Notes (number of visits)"}
    minimal_type["sensitivity"]["myNotes"] = "M"
    assert "myNotes" in load_type_file(write_type(minimal_type)).terms


# --- labels, terms --------------------------------------------------------------------------


def test_missing_english_label_for_a_claim(minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["display"]["labels"]["plate"] = {"ja": "登録番号"}
    error = _load_error(minimal_type, write_type)
    assert error.code == "MISSING_LABEL"
    assert "vehicle.plate" in error.message and "English" in error.message


def test_missing_label_entirely(minimal_type: dict, write_type: WriteType) -> None:
    del minimal_type["display"]["labels"]["colour"]
    error = _load_error(minimal_type, write_type)
    assert error.code == "MISSING_LABEL" and "colour" in error.message


def test_missing_english_type_name(minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["name"] = {"ja": "駐車許可証"}
    error = _load_error(minimal_type, write_type)
    assert error.code == "MISSING_LABEL" and error.detail["field"] == "name.en"


def test_undefined_term(minimal_type: dict, write_type: WriteType) -> None:
    del minimal_type["terms"]["colour"]
    error = _load_error(minimal_type, write_type)
    assert error.code == "UNDEFINED_TERM"
    assert "vehicle.colour" in error.message


def test_term_for_no_claim(minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["terms"]["colur"] = "https://parking.example.jp/vocab#colur"
    error = _load_error(minimal_type, write_type)
    assert error.code == "TYPE_INVALID" and "colur" in error.message


def test_term_must_be_an_absolute_iri(minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["terms"]["colour"] = "colour"
    assert _load_error(minimal_type, write_type).code == "TYPE_INVALID"


def test_term_redefining_a_part_term(minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["terms"]["familyName"] = "https://example.jp/vocab#surname"
    error = _load_error(minimal_type, write_type)
    assert error.code == "TYPE_INVALID" and "familyName" in error.message


@pytest.mark.parametrize("name", ["validUntil", "credentialSubject", "issuer", "proof", "type", "created", "cnf"])
def test_reserved_claim_names(name: str, minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["schema"]["properties"]["vehicle"]["properties"][name] = {"type": "string"}
    minimal_type["terms"][name] = f"https://parking.example.jp/vocab#{name}"
    minimal_type["display"]["labels"][name] = {"ja": "x", "en": "x"}
    error = _load_error(minimal_type, write_type)
    assert error.code == "TYPE_INVALID" and name in error.message


def test_top_level_sd_jwt_claim_name(minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["schema"]["properties"]["status"] = {"type": "string"}
    minimal_type["terms"]["status"] = "https://parking.example.jp/vocab#status"
    minimal_type["display"]["labels"]["status"] = {"ja": "状態", "en": "Status"}
    minimal_type["sensitivity"]["status"] = "L"
    assert "SD-JWT" in _load_error(minimal_type, write_type).message


def test_one_name_one_format(minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["schema"]["properties"]["vehicle"]["properties"]["permitSince"] = {"type": "string",
                                                                                  "format": "time"}
    error = _load_error(minimal_type, write_type)
    assert error.code == "TYPE_INVALID" and "different formats" in error.message


# --- schema, sensitivity, the rest ------------------------------------------------------------


def test_invalid_json_schema(minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["schema"]["properties"]["permitNumber"]["type"] = "strng"
    error = _load_error(minimal_type, write_type)
    assert error.code == "TYPE_INVALID" and "JSON Schema" in error.message


def test_unknown_format(minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["schema"]["properties"]["permitSince"]["format"] = "dat"
    error = _load_error(minimal_type, write_type)
    assert error.code == "TYPE_INVALID" and "'dat'" in error.message


def test_remote_ref_refused(minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["schema"]["properties"]["vehicle"] = {"$ref": "https://example.com/vehicle.json"}
    assert "local references" in _load_error(minimal_type, write_type).message


def test_sample_must_fit_the_schema(minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["sample"]["permitSince"] = "令和7年4月1日"
    error = _load_error(minimal_type, write_type)
    assert error.code == "TYPE_INVALID" and error.detail["field"] == "sample"
    assert "permitSince" in error.message


def test_every_top_level_claim_needs_a_sensitivity(minimal_type: dict, write_type: WriteType) -> None:
    del minimal_type["sensitivity"]["vehicle"]
    error = _load_error(minimal_type, write_type)
    assert error.code == "TYPE_INVALID" and error.detail["field"] == "sensitivity.vehicle"


def test_sensitivity_for_no_claim(minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["sensitivity"]["vehicle[]"] = "M"  # vehicle is not an array
    assert _load_error(minimal_type, write_type).code == "TYPE_INVALID"


@pytest.mark.parametrize(("field", "value"), [
    ("issuerKinds", ["bakery"]),
    ("defaultValidity", "3 months"),
    ("defaultFormat", "pdf"),
    ("parts", ["nonexistent"]),
    ("version", "1.0"),
    ("id", "parking permit"),
])
def test_bad_fields(field: str, value: Any, minimal_type: dict, write_type: WriteType) -> None:
    minimal_type[field] = value
    error = _load_error(minimal_type, write_type)
    assert error.code == "TYPE_INVALID"
    assert field in error.message


def test_unknown_top_level_field(minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["sensitivty"] = {}
    assert "sensitivty" in _load_error(minimal_type, write_type).message


def test_predicate_must_be_a_claim_with_a_fitting_source(minimal_type: dict, write_type: WriteType) -> None:
    bad = copy.deepcopy(minimal_type)
    bad["predicates"] = {"ageOver18": {"kind": "ageOver", "source": "permitSince", "age": 18}}
    assert "not a top-level claim" in _load_error(bad, write_type).message
    bad["schema"]["properties"]["ageOver18"] = {"type": "boolean"}
    # term and labels come from the person part
    bad["sensitivity"]["ageOver18"] = "M"
    bad["predicates"]["ageOver18"]["source"] = "permitNumber"  # not a date
    assert "format date" in _load_error(bad, write_type).message
    bad["predicates"]["ageOver18"] = {"kind": "ageOverr", "source": "permitSince", "age": 18}
    assert "kind" in _load_error(bad, write_type).message


# --- reading ------------------------------------------------------------------------------------


def test_yaml_aliases_refused(tmp_path: Path, minimal_type: dict, write_type: WriteType) -> None:
    path = write_type(minimal_type)
    text = path.read_text(encoding="utf-8").replace("issuerKinds:", "x: &a [1]\ny: *a\nissuerKinds:", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match="aliases"):
        load_type_file(path)


def test_yaml_duplicate_keys_refused(minimal_type: dict, write_type: WriteType) -> None:
    path = write_type(minimal_type)
    path.write_text(path.read_text(encoding="utf-8") + "version: 2.0.0\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="duplicate key"):
        load_type_file(path)


def test_json_duplicate_keys_refused(minimal_type: dict, write_type: WriteType) -> None:
    path = write_type(minimal_type, suffix=".json")
    path.write_text(path.read_text(encoding="utf-8").replace("{", '{"version": "2.0.0", ', 1), encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid JSON: duplicate member name 'version'"):
        load_type_file(path)


def test_yaml_dates_and_yes_stay_strings(minimal_type: dict, write_type: WriteType) -> None:
    path = write_type(minimal_type)
    text = path.read_text(encoding="utf-8").replace("permitSince: '2025-04-01'", "permitSince: 2025-04-01")
    assert "permitSince: 2025-04-01" in text
    path.write_text(text, encoding="utf-8")
    assert load_type_file(path).sample["permitSince"] == "2025-04-01"


def test_not_a_type_file(tmp_path: Path) -> None:
    for name, content in (("a.txt", "x"), ("b.yaml", "- 1\n- 2\n"), ("c.json", "{bad")):
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        with pytest.raises(CatalogError) as info:
            load_type_file(path)
        assert info.value.code == "TYPE_INVALID" and name in info.value.message


def test_load_type_from_data(minimal_type: dict) -> None:
    assert load_type(minimal_type, file="inline").source == "inline"


def test_predicate_values_must_fit_the_claim(minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["schema"]["properties"]["permitState"] = {"type": "string", "enum": ["有効", "失効"]}
    minimal_type["terms"]["permitState"] = "https://parking.example.jp/vocab#permitState"
    minimal_type["display"]["labels"]["permitState"] = {"ja": "状態", "en": "State"}
    minimal_type["sensitivity"]["permitState"] = "M"
    minimal_type["schema"]["properties"]["fee"] = {"type": "integer"}
    minimal_type["terms"]["fee"] = "https://parking.example.jp/vocab#fee"
    minimal_type["display"]["labels"]["fee"] = {"ja": "料金", "en": "Fee"}
    minimal_type["sensitivity"]["fee"] = "H"
    minimal_type["predicates"] = {"permitState": {"kind": "above", "source": "fee", "threshold": 0,
                                                  "values": {"true": "有効", "false": "無効"}}}
    assert "enum" in _load_error(minimal_type, write_type).message
    minimal_type["predicates"]["permitState"]["values"]["false"] = "失効"
    ctype = load_type_file(write_type(minimal_type))
    assert ctype.predicates["permitState"].derive({"fee": 0}, as_of=date(2025, 1, 1)) == "失効"


def test_part_names_cannot_leave_the_parts_directory(minimal_type: dict, write_type: WriteType) -> None:
    minimal_type["parts"] = ["person", "../types/address"]
    error = _load_error(minimal_type, write_type)
    assert error.code == "TYPE_INVALID" and "parts" in error.message
