"""Every input of the W3C VC Data Model 2.0 test suite, judged by the data-model layer.

The inputs are issuance inputs: the W3C harness fills a missing ``issuer`` (or a missing
``issuer.id``) with the issuer's id and replaces the ``PAST DATE`` / ``FUTURE DATE`` placeholders;
:func:`_as_issued` does the same, the way ``jitsuin issue`` fills ``issuer`` and the date.

Each ``-fail`` input is classified in ``FAIL_CASES``:

- ``model``: ``validate_credential`` / ``validate_presentation`` must reject it with this code
  naming this property;
- ``jsonld``: only JSON-LD processing can tell (an undefined or redefined term); the JSON-LD
  safe-mode layer (``vc.jsonld.safe_mode.check_safe`` / ``vc.jsonld.processing``) rejects it,
  and its own tests cover these files; here they are skipped with that reason.

The ``presentation-self-asserted-*`` templates (no suffix upstream) test the holder-claims rules
of ``check_self_asserted``: a credential without its own proof must be issued by the holder.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from vc.errors import DataModelError
from vc.model import check_self_asserted, data_model_version, validate_credential, validate_presentation

VECTORS = Path(__file__).parents[2] / "vectors" / "vc-data-model-2.0"

ISSUER_ID = "did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj"
PAST_DATE = "2020-01-01T00:00:00Z"
FUTURE_DATE = "2030-01-01T00:00:00Z"
ISSUANCE_DATE = "2024-04-01T00:00:00Z"


class Model(NamedTuple):
    code: str
    prop: str


class JsonLd(NamedTuple):
    reason: str


_UNDEFINED = "an undefined/unmapped term only JSON-LD expansion detects (vc.jsonld safe mode)"
_PROTECTED = "redefines a protected term; only JSON-LD context processing detects it (vc.jsonld.processing)"

FAIL_CASES: dict[str, Model | JsonLd] = {
    "credential-context-combo3-fail": Model("INVALID_CONTEXT", "@context[1]"),
    "credential-context-combo4-fail": Model("INVALID_CONTEXT", "@context[1]"),
    "credential-evidence-missing-type-fail": Model("INVALID_EVIDENCE", "evidence.type"),
    "credential-id-multi-fail": Model("INVALID_ID", "id"),
    "credential-id-nonidentifier-fail": Model("INVALID_ID", "id"),
    "credential-id-not-url-fail": Model("INVALID_ID", "id"),
    "credential-id-subject-multi-fail": Model("INVALID_SUBJECT", "credentialSubject.id"),
    "credential-issuer-no-url-fail": Model("INVALID_ISSUER", "issuer"),
    "credential-issuer-null-fail": Model("INVALID_ISSUER", "issuer"),
    "credential-issuer-object-id-no-url-fail": Model("INVALID_ISSUER", "issuer.id"),
    "credential-issuer-object-id-null-fail": Model("INVALID_ISSUER", "issuer.id"),
    "credential-missing-base-context-fail-or-inject": Model("INVALID_CONTEXT", "@context"),
    "credential-missing-required-type-fail": Model("INVALID_TYPE", "type"),
    "credential-no-context-fail-or-inject": Model("MISSING_CONTEXT", "@context"),
    # despite its name the file's defect (once the harness fills issuer) is an empty subject;
    # without the filled issuer it is MISSING_ISSUER (test_credential.py covers that)
    "credential-no-issuer-fail": Model("INVALID_SUBJECT", "credentialSubject"),
    "credential-no-subject-fail": Model("MISSING_SUBJECT", "credentialSubject"),
    "credential-no-type-fail": Model("MISSING_TYPE", "type"),
    "credential-proof-missing-type-fail": Model("INVALID_PROOF", "proof.type"),
    "credential-redef-type-fail": JsonLd(_PROTECTED),
    "credential-redef-type2-fail": JsonLd(_PROTECTED),
    "credential-refresh-no-type-fail": Model("INVALID_REFRESH_SERVICE", "refreshService.type"),
    "credential-schema-no-id-fail": Model("INVALID_SCHEMA", "credentialSchema.id"),
    "credential-schema-no-type-fail": Model("INVALID_SCHEMA", "credentialSchema.type"),
    "credential-schema-non-url-id-fail": Model("INVALID_SCHEMA", "credentialSchema.id"),
    "credential-status-missing-type-fail": Model("INVALID_STATUS", "credentialStatus.type"),
    "credential-status-multiple-id-fail": Model("INVALID_STATUS", "credentialStatus.id"),
    "credential-status-nonurl-id-fail": Model("INVALID_STATUS", "credentialStatus.id"),
    "credential-status-type-nonurl-fail": Model("INVALID_STATUS", "credentialStatus.type"),
    "credential-subject-multiple-empty-fail": Model("INVALID_SUBJECT", "credentialSubject[1]"),
    "credential-subject-no-claims-fail": Model("INVALID_SUBJECT", "credentialSubject"),
    "credential-termsofuse-missing-type-fail": Model("INVALID_TERMS_OF_USE", "termsOfUse.type"),
    "credential-termsofuse-no-type-fail": Model("INVALID_TERMS_OF_USE", "termsOfUse.type"),
    # the term maps to "https ://not-a-url#...": a type IRI that is not an absolute IRI
    "credential-type-mapped-nonurl-fail": JsonLd(_UNDEFINED),
    # {"@vocab": null} leaves ExampleTestCredential undefined
    "credential-type-unmapped-fail": JsonLd(_UNDEFINED),
    "credential-validUntil-validFrom-fail": Model("INVALID_VALIDITY_PERIOD", "validUntil"),
    "credential-validfrom-invalid-fail": Model("INVALID_DATETIME", "validFrom"),
    "credential-validuntil-invalid-fail": Model("INVALID_DATETIME", "validUntil"),
    "names-and-descriptions/credential-description-extra-prop-en-fail": Model("INVALID_DESCRIPTION", "description"),
    "names-and-descriptions/credential-name-extra-prop-en-fail": Model("INVALID_NAME", "name"),
    "names-and-descriptions/issuer-description-extra-prop-en-fail": Model("INVALID_DESCRIPTION", "issuer.description"),
    "names-and-descriptions/issuer-name-extra-prop-en-fail": Model("INVALID_NAME", "issuer.name"),
    "presentation-context-order-fail": Model("INVALID_CONTEXT", "@context"),
    "presentation-enveloped-vc-missing-type-fail": Model("MISSING_TYPE", "verifiableCredential[0].type"),
    "presentation-holder-fail": Model("INVALID_HOLDER", "holder"),
    "presentation-holder-name-fail": Model("INVALID_HOLDER", "holder"),
    "presentation-holder-object-fail": Model("INVALID_HOLDER", "holder.id"),
    "presentation-missing-base-context-fail": Model("INVALID_CONTEXT", "@context"),
    "presentation-missing-required-type-fail": Model("INVALID_TYPE", "type"),
    "presentation-no-context-fail-or-inject": Model("MISSING_CONTEXT", "@context"),
    "presentation-no-type-fail": Model("MISSING_TYPE", "type"),
    "presentation-vc-as-string-fail": Model("INVALID_CREDENTIAL", "verifiableCredential[0]"),
    "presentation-vc-missing-required-type-fail": Model("INVALID_TYPE", "verifiableCredential[0].type"),
}

# holder-claims templates: None = accepted, else the check_self_asserted code and property
SELF_ASSERTED: dict[str, Model | None] = {
    "presentation-self-asserted-vc-ok": None,
    "presentation-self-asserted-vc-no-holder": Model("MISSING_HOLDER", "holder"),
    "presentation-self-asserted-vc-holder-mismatch": Model("HOLDER_MISMATCH", "verifiableCredential[0].issuer"),
    "presentation-self-asserted-vc-issuer-mismatch": Model("HOLDER_MISMATCH", "verifiableCredential[0].issuer"),
}


def _names() -> list[str]:
    return sorted(p.relative_to(VECTORS).with_suffix("").as_posix() for p in VECTORS.rglob("*.json"))


def _load(name: str) -> Any:
    return json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))


def _is_presentation(name: str) -> bool:
    return name.startswith("presentation-")


def _as_issued(doc: dict[str, Any]) -> dict[str, Any]:
    """What the W3C harness and an issuer make of an issuance input before signing."""
    doc = copy.deepcopy(doc)
    if "issuer" not in doc:
        doc["issuer"] = ISSUER_ID
    elif isinstance(doc["issuer"], dict) and "id" not in doc["issuer"]:
        doc["issuer"]["id"] = ISSUER_ID
    for key in ("validFrom", "validUntil"):
        doc[key] = {"PAST DATE": PAST_DATE, "FUTURE DATE": FUTURE_DATE}.get(doc.get(key), doc.get(key))
        if doc[key] is None:
            del doc[key]
    if data_model_version(doc) == "1.1" and "issuanceDate" not in doc:
        doc["issuanceDate"] = ISSUANCE_DATE
    return doc


def _validate(name: str, doc: Any) -> None:
    if _is_presentation(name):
        validate_presentation(doc)
    else:
        validate_credential(_as_issued(doc))


def test_every_input_is_classified() -> None:
    names = _names()
    assert len(names) == 121  # 96 inputs + validVc.json + 24 in names-and-descriptions/
    for name in names:
        if name.endswith("-ok") or name == "validVc":
            continue
        assert name in FAIL_CASES or name in SELF_ASSERTED, f"{name} is not classified"
    assert set(FAIL_CASES) | set(SELF_ASSERTED) <= set(names), "classification names a missing file"


@pytest.mark.parametrize("name", [n for n in _names() if n.endswith("-ok") or n == "validVc"])
def test_ok_inputs_are_accepted(name: str) -> None:
    _validate(name, _load(name))


@pytest.mark.parametrize("name", sorted(FAIL_CASES))
def test_fail_inputs_are_rejected(name: str) -> None:
    case = FAIL_CASES[name]
    if isinstance(case, JsonLd):
        pytest.skip(f"jsonld layer: {case.reason}")
    with pytest.raises(DataModelError) as info:
        _validate(name, _load(name))
    assert (info.value.code, info.value.detail["property"]) == (case.code, case.prop)


@pytest.mark.parametrize("name", sorted(SELF_ASSERTED))
def test_self_asserted_holder_rules(name: str) -> None:
    doc = _load(name)
    validate_presentation(doc)  # the shape is fine in all four; only the holder rules differ
    expected = SELF_ASSERTED[name]
    if expected is None:
        check_self_asserted(doc)
        return
    with pytest.raises(DataModelError) as info:
        check_self_asserted(doc)
    assert (info.value.code, info.value.detail["property"]) == (expected.code, expected.prop)
