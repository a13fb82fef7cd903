"""The Catalog: loading builtin and workspace types, lookup, and adding a checked type file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from issuers.catalog import BUILTIN_PARTS_DIR, BUILTIN_TYPES_DIR, Catalog
from vc.errors import CatalogError


def test_get_by_id_or_credential_type(catalog: Catalog) -> None:
    assert catalog.get("ResidentRecord") is catalog.get("ResidentRecordCredential")
    assert "Household" in catalog and "Nope" not in catalog
    assert [t.id for t in catalog.list()] == sorted(t.id for t in catalog.list())
    assert len(catalog) == len(catalog.list()) == len(list(catalog))


def test_unknown_type(catalog: Catalog) -> None:
    with pytest.raises(CatalogError) as info:
        catalog.get("MarriageCertificate")
    assert info.value.code == "TYPE_UNKNOWN"
    assert "MarriageCertificate" in info.value.message and "ResidentRecord" in info.value.message
    with pytest.raises(CatalogError) as info:
        catalog.get("ResidentRecord", "9.9.9")
    assert info.value.code == "TYPE_UNKNOWN" and "1.0.0" in info.value.message


def test_load_builtin_and_workspace(tmp_path: Path, minimal_type: dict, write_type: Callable[..., Path]) -> None:
    workspace = tmp_path / "types"
    workspace.mkdir()
    shutil.move(write_type(minimal_type), workspace / "ParkingPermit.yaml")
    catalog = Catalog.load([BUILTIN_TYPES_DIR, workspace, tmp_path / "missing"])
    permit = catalog.get("ParkingPermit")
    assert not permit.builtin and catalog.get("ResidentRecord").builtin
    assert permit.source == str(workspace / "ParkingPermit.yaml")


def test_workspace_parts(tmp_path: Path, minimal_type: dict, write_type: Callable[..., Path]) -> None:
    workspace = tmp_path / "types"
    (workspace / "parts").mkdir(parents=True)
    (workspace / "parts" / "vehicle.yaml").write_text(
        "part: vehicle\n$defs:\n  Vehicle: {type: object, properties: {plate: {type: string}}}\n"
        "terms: {plate: 'https://parking.example.jp/vocab#plate'}\n"
        "labels: {plate: {ja: 登録番号, en: Number plate}}\n", encoding="utf-8")
    minimal_type["parts"] = ["person", "address", "vehicle"]
    minimal_type["schema"]["properties"]["car"] = {"$ref": "#/$defs/Vehicle"}
    minimal_type["terms"]["car"] = "https://parking.example.jp/vocab#car"
    minimal_type["display"]["labels"]["car"] = {"ja": "車", "en": "Car"}
    minimal_type["sensitivity"]["car"] = "M"
    shutil.move(write_type(minimal_type), workspace / "ParkingPermit.yaml")
    assert ("car", "plate") in {n.path for n in Catalog.load([workspace]).get("ParkingPermit").claims}


def test_add_checks_round_trip_and_makes_available(minimal_type: dict, write_type: Callable[..., Path]) -> None:
    catalog = Catalog.load()
    result = catalog.add(write_type(minimal_type))
    assert result.round_trip is True and result.compatibility is None
    assert catalog.get("ParkingPermit") is result.type
    with pytest.raises(CatalogError) as info:
        catalog.add(write_type(minimal_type))
    assert info.value.code == "TYPE_INVALID" and "already" in info.value.message


def test_check_does_not_add(minimal_type: dict, write_type: Callable[..., Path]) -> None:
    catalog = Catalog.load()
    assert catalog.check(write_type(minimal_type), round_trip=False).round_trip is False
    assert "ParkingPermit" not in catalog


def test_add_refuses_a_credential_type_used_by_another_type(minimal_type: dict,
                                                            write_type: Callable[..., Path]) -> None:
    minimal_type["credentialType"] = "ResidentRecordCredential"
    with pytest.raises(CatalogError, match="already used"):
        Catalog.load().add(write_type(minimal_type), round_trip=False)


def test_add_refuses_a_type_whose_sample_cannot_be_signed(minimal_type: dict,
                                                          write_type: Callable[..., Path]) -> None:
    pytest.importorskip("vc.credentials")
    # statically fine, but JSON-LD 1.1 refuses a term that looks like a compact IRI mapped elsewhere
    vehicle = minimal_type["schema"]["properties"]["vehicle"]["properties"]
    vehicle["ex:colour"] = vehicle.pop("colour")
    minimal_type["terms"]["ex:colour"] = minimal_type["terms"].pop("colour")
    minimal_type["display"]["labels"]["ex:colour"] = minimal_type["display"]["labels"].pop("colour")
    minimal_type["sample"]["vehicle"]["ex:colour"] = "白"
    catalog = Catalog.load()
    with pytest.raises(CatalogError) as info:
        catalog.add(write_type(minimal_type))
    assert info.value.code == "TYPE_INVALID" and "sample" in info.value.message
    assert "ParkingPermit" not in catalog


def test_workspace_type_with_its_own_context_url(minimal_type: dict, write_type: Callable[..., Path]) -> None:
    minimal_type["contextUrl"] = "https://parking.example.jp/context/v1"
    result = Catalog.load().add(write_type(minimal_type))
    assert result.type.context_url == "https://parking.example.jp/context/v1"
    assert result.round_trip is True


def test_builtin_types_are_loaded_once(catalog: Catalog) -> None:
    again = Catalog.load()
    assert again.get("ResidentRecord") is catalog.get("ResidentRecord")
    assert Catalog.load(parts_dirs=[BUILTIN_PARTS_DIR]).get("ResidentRecord") is not catalog.get("ResidentRecord")
