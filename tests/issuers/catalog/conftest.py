"""Fixtures for the certificate catalog tests: the builtin catalog, a loader with the jitsuin context, and a
small valid type file to break in one place per test."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from issuers.catalog import Catalog, register_catalog_contexts
from vc.jsonld import DocumentLoader

# A complete, valid workspace type: tests copy it and break one thing.
MINIMAL_TYPE: dict[str, Any] = {
    "id": "ParkingPermit",
    "version": "1.0.0",
    "name": {"ja": "駐車許可証", "en": "Parking permit"},
    "description": {"ja": "市営駐車場の利用許可", "en": "Permit for a municipal car park"},
    "issuerKinds": ["municipality"],
    "defaultValidity": "P1Y",
    "defaultFormat": "dc+sd-jwt",
    "parts": ["person", "address"],
    "schema": {
        "type": "object",
        "allOf": [{"$ref": "#/$defs/PersonName"}],
        "properties": {
            "permitNumber": {"type": "string", "minLength": 1},
            "vehicle": {
                "type": "object",
                "properties": {"plate": {"type": "string"}, "colour": {"type": "string"}},
                "required": ["plate"],
            },
            "permitSince": {"type": "string", "format": "date"},
        },
        "required": ["familyName", "permitNumber"],
    },
    "terms": {
        "permitNumber": "https://parking.example.jp/vocab#permitNumber",
        "vehicle": "https://parking.example.jp/vocab#vehicle",
        "plate": "https://parking.example.jp/vocab#plate",
        "colour": "https://parking.example.jp/vocab#colour",
        "permitSince": "https://parking.example.jp/vocab#permitSince",
    },
    "display": {
        "order": ["permitNumber", "familyName", "givenName"],
        "labels": {
            "permitNumber": {"ja": "許可番号", "en": "Permit number"},
            "vehicle": {"ja": "車両", "en": "Vehicle"},
            "plate": {"ja": "登録番号", "en": "Number plate"},
            "colour": {"ja": "色", "en": "Colour"},
            "permitSince": {"ja": "許可日", "en": "Permitted since"},
        },
    },
    "sensitivity": {"permitNumber": "M", "vehicle": "M", "permitSince": "L"},
    "sample": {
        "familyName": "山田",
        "givenName": "花子",
        "permitNumber": "P-0001",
        "vehicle": {"plate": "品川 300 あ 12-34"},
        "permitSince": "2025-04-01",
    },
}


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.fixture
def loader() -> DocumentLoader:
    return register_catalog_contexts(DocumentLoader())


@pytest.fixture
def minimal_type() -> dict[str, Any]:
    return copy.deepcopy(MINIMAL_TYPE)


@pytest.fixture
def write_type(tmp_path: Path) -> Callable[..., Path]:
    """Write a type dict as YAML (or JSON with ``suffix='.json'``) and return its path."""

    def write(data: dict[str, Any], name: str = "ParkingPermit", suffix: str = ".yaml") -> Path:
        path = tmp_path / f"{name}{suffix}"
        if suffix == ".json":
            import json

            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write
