"""Versioned types: adding optional claims is a compatible extension; removing, retyping or requiring is breaking."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from issuers.catalog import BUILTIN_PARTS_DIR, Catalog, compare_versions, load_type
from issuers.catalog.type_file import read_document
from vc.errors import CatalogError, UsageError


def _v(base: dict[str, Any], version: str) -> dict[str, Any]:
    data = copy.deepcopy(base)
    data["version"] = version
    return data


def _kinds(result: Any) -> set[tuple[str, str, bool]]:
    return {(c.kind, c.path, c.breaking) for c in result.changes}


def test_adding_an_optional_claim_is_compatible(minimal_type: dict) -> None:
    new = _v(minimal_type, "1.1.0")
    new["schema"]["properties"]["note"] = {"type": "string"}
    new["terms"]["note"] = "https://parking.example.jp/vocab#note"
    new["display"]["labels"]["note"] = {"ja": "備考", "en": "Note"}
    new["sensitivity"]["note"] = "M"
    result = compare_versions(load_type(minimal_type), load_type(new))
    assert result.compatible
    assert ("claim_added", "note", False) in _kinds(result)
    assert not result.breaking


def test_adding_an_optional_nested_claim_is_compatible(minimal_type: dict) -> None:
    new = _v(minimal_type, "1.1.0")
    new["schema"]["properties"]["vehicle"]["properties"]["model"] = {"type": "string"}
    new["terms"]["model"] = "https://parking.example.jp/vocab#model"
    new["display"]["labels"]["model"] = {"ja": "車種", "en": "Model"}
    assert compare_versions(load_type(minimal_type), load_type(new)).compatible


def test_removing_a_claim_is_breaking(minimal_type: dict) -> None:
    new = _v(minimal_type, "2.0.0")
    del new["schema"]["properties"]["permitSince"], new["terms"]["permitSince"]
    del new["display"]["labels"]["permitSince"], new["sensitivity"]["permitSince"], new["sample"]["permitSince"]
    result = compare_versions(load_type(minimal_type), load_type(new))
    assert not result.compatible
    assert ("claim_removed", "permitSince", True) in _kinds(result)


def test_retyping_a_claim_is_breaking(minimal_type: dict) -> None:
    new = _v(minimal_type, "2.0.0")
    new["schema"]["properties"]["permitNumber"] = {"type": "integer"}
    new["sample"]["permitNumber"] = 1
    result = compare_versions(load_type(minimal_type), load_type(new))
    assert not result.compatible
    assert any(c.kind == "claim_retyped" and c.path == "permitNumber" for c in result.breaking)


def test_changing_a_claims_iri_is_breaking(minimal_type: dict) -> None:
    new = _v(minimal_type, "2.0.0")
    new["terms"]["colour"] = "https://parking.example.jp/vocab#color"
    assert any(c.kind == "claim_retyped" and c.path == "vehicle.colour"
               for c in compare_versions(load_type(minimal_type), load_type(new)).breaking)


def test_making_an_optional_claim_required_is_breaking(minimal_type: dict) -> None:
    new = _v(minimal_type, "2.0.0")
    new["schema"]["required"].append("permitSince")
    assert ("now_required", "permitSince", True) in _kinds(compare_versions(load_type(minimal_type),
                                                                           load_type(new)))


def test_adding_a_required_claim_is_breaking(minimal_type: dict) -> None:
    new = _v(minimal_type, "2.0.0")
    new["schema"]["properties"]["zone"] = {"type": "string"}
    new["schema"]["required"].append("zone")
    new["terms"]["zone"] = "https://parking.example.jp/vocab#zone"
    new["display"]["labels"]["zone"] = {"ja": "区域", "en": "Zone"}
    new["sensitivity"]["zone"] = "L"
    new["sample"]["zone"] = "A"
    assert ("claim_added", "zone", True) in _kinds(compare_versions(load_type(minimal_type), load_type(new)))


def test_narrowing_an_enum_is_breaking(catalog: Catalog) -> None:
    old = catalog.get("BenefitEligibility")
    data = _raw(old)
    data["version"] = "1.1.0"
    data["schema"]["properties"]["benefit"]["properties"]["status"]["enum"] = ["有効", "喪失"]
    result = compare_versions(old, load_type(data, parts_dirs=_parts()))
    assert ("enum_narrowed", "benefit.status", True) in _kinds(result)


def test_label_and_sensitivity_changes_do_not_break(minimal_type: dict) -> None:
    new = _v(minimal_type, "1.0.1")
    new["display"]["labels"]["colour"] = {"ja": "塗色", "en": "Paint colour"}
    new["sensitivity"]["permitSince"] = "M"
    result = compare_versions(load_type(minimal_type), load_type(new))
    assert result.compatible
    assert ("label_changed", "vehicle.colour", False) in _kinds(result)
    assert ("sensitivity_changed", "permitSince", False) in _kinds(result)


def test_version_must_increase_and_types_must_match(minimal_type: dict, catalog: Catalog) -> None:
    same = load_type(minimal_type)
    assert not compare_versions(same, load_type(minimal_type)).compatible  # 1.0.0 -> 1.0.0
    with pytest.raises(UsageError):
        compare_versions(same, catalog.get("ResidentRecord"))


# --- in the catalog -------------------------------------------------------------------------------


def test_catalog_accepts_a_compatible_version_and_serves_the_latest(minimal_type: dict) -> None:
    catalog = Catalog([load_type(minimal_type)])
    new = _v(minimal_type, "1.1.0")
    new["schema"]["properties"]["note"] = {"type": "string"}
    new["terms"]["note"] = "https://parking.example.jp/vocab#note"
    new["display"]["labels"]["note"] = {"ja": "備考", "en": "Note"}
    new["sensitivity"]["note"] = "M"
    result = catalog.add(load_type(new))
    assert result.compatibility is not None and result.compatibility.compatible
    assert catalog.get("ParkingPermit").version == "1.1.0"
    assert catalog.get("ParkingPermit", "1.0.0").version == "1.0.0"
    assert [t.version for t in catalog.versions("ParkingPermitCredential")] == ["1.0.0", "1.1.0"]


def test_catalog_refuses_a_breaking_change_without_a_new_major(minimal_type: dict) -> None:
    catalog = Catalog([load_type(minimal_type)])
    new = _v(minimal_type, "1.1.0")
    new["schema"]["required"].append("permitSince")
    with pytest.raises(CatalogError) as info:
        catalog.add(load_type(new))
    assert info.value.code == "TYPE_INVALID" and "2.0.0" in info.value.message
    assert catalog.get("ParkingPermit").version == "1.0.0"
    result = catalog.add(load_type(_v(new, "2.0.0")))
    assert result.compatibility is not None and not result.compatibility.compatible


def _raw(ctype: Any) -> dict[str, Any]:
    return read_document(Path(ctype.source))


def _parts() -> list[Path]:
    return [BUILTIN_PARTS_DIR]
