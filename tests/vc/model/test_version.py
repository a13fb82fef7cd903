"""data_model_version and is_url."""

from __future__ import annotations

from typing import Any

import pytest

from vc.errors import DataModelError
from vc.model import CREDENTIALS_V1_CONTEXT, CREDENTIALS_V2_CONTEXT, data_model_version, is_url


@pytest.mark.parametrize(
    ("context", "version"),
    [
        ([CREDENTIALS_V2_CONTEXT], "2.0"),
        (CREDENTIALS_V2_CONTEXT, "2.0"),
        ([CREDENTIALS_V2_CONTEXT, {"x": "https://example.org/x"}], "2.0"),
        ([CREDENTIALS_V1_CONTEXT, "https://w3id.org/security/data-integrity/v2"], "1.1"),
    ],
)
def test_versions(context: Any, version: str) -> None:
    assert data_model_version({"@context": context}) == version


@pytest.mark.parametrize(
    ("doc", "code"),
    [
        ({}, "MISSING_CONTEXT"),
        ([], "MISSING_CONTEXT"),
        ({"@context": []}, "INVALID_CONTEXT"),
        ({"@context": ["https://www.w3.org/ns/credentials/examples/v2", CREDENTIALS_V2_CONTEXT]}, "INVALID_CONTEXT"),
        ({"@context": ["https://www.w3.org/ns/credentials/v2/"]}, "INVALID_CONTEXT"),
        ({"@context": [{"@vocab": "x"}]}, "INVALID_CONTEXT"),
    ],
)
def test_unknown_version(doc: Any, code: str) -> None:
    with pytest.raises(DataModelError) as info:
        data_model_version(doc)
    assert info.value.code == code


@pytest.mark.parametrize(
    "value",
    [
        "https://example.org/credentials/1",
        "did:example:123",
        "did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj#z6Mk",
        "urn:uuid:9c9a36f8-518f-4976-a934-6649502d0008",
        "data:application/vc+jwt,eyJ.e30.c2ln",
        "https://例え.jp/証明書/1",
    ],
)
def test_urls(value: str) -> None:
    assert is_url(value)


@pytest.mark.parametrize(
    "value",
    [
        "https ://not-a-url/x",
        "fake-issuer",
        "z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj",
        "/relative/path",
        "1http://x",
        "did:",
        "https://example.org/a b",
        "https://example.org/<x>",
        "https://example.org/\u3000x",
        None,
        ["https://example.org/"],
        {"id": "https://example.org/"},
    ],
)
def test_not_urls(value: object) -> None:
    assert not is_url(value)
