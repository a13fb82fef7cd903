"""validate_credential: each VCDM rule, 1.1 documents, error paths and messages."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vc.errors import DataModelError, InputError
from vc.model import CREDENTIALS_V1_CONTEXT, CREDENTIALS_V2_CONTEXT, validate_credential

V2 = {
    "@context": [CREDENTIALS_V2_CONTEXT, "https://www.w3.org/ns/credentials/examples/v2"],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "ResidentCertificate"],
    "issuer": {"id": "did:web:city.example.jp", "name": [{"@value": "Example City", "@language": "en"}]},
    "validFrom": "2024-04-01T09:00:00+09:00",
    "validUntil": "2025-03-31T23:59:59+09:00",
    "credentialSubject": {"id": "did:example:resident", "familyName": "Yamada"},
    "credentialStatus": {
        "id": "https://city.example.jp/status/1#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://city.example.jp/status/1",
    },
    "credentialSchema": [{"id": "https://city.example.jp/schema.json", "type": "JsonSchema"}],
    "proof": [{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofValue": "z1"}],
}

V11 = {
    "@context": [CREDENTIALS_V1_CONTEXT, "https://www.w3.org/2018/credentials/examples/v1"],
    "type": ["VerifiableCredential"],
    "issuer": "did:example:issuer",
    "issuanceDate": "2024-04-01T00:00:00Z",
    "expirationDate": "2025-04-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:subject"},
}


def _with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(base)
    for key, value in changes.items():
        if value is _DELETE:
            doc.pop(key, None)
        else:
            doc[key] = value
    return doc


_DELETE = object()


def _code(doc: Any) -> tuple[str, str]:
    with pytest.raises(DataModelError) as info:
        validate_credential(doc)
    return info.value.code, info.value.detail["property"]


def test_full_v2_credential_is_accepted() -> None:
    validate_credential(V2)


def test_v11_credential_is_accepted() -> None:
    validate_credential(V11)


@pytest.mark.parametrize("doc", [[], "credential", None, 3])
def test_not_an_object(doc: Any) -> None:
    assert _code(doc)[0] == "INVALID_CREDENTIAL"


@pytest.mark.parametrize(
    ("context", "code", "prop"),
    [
        (_DELETE, "MISSING_CONTEXT", "@context"),
        ([], "INVALID_CONTEXT", "@context"),
        ("https://www.w3.org/ns/credentials/examples/v2", "INVALID_CONTEXT", "@context"),
        ({"@vocab": "https://example.org/"}, "INVALID_CONTEXT", "@context"),
        ([CREDENTIALS_V2_CONTEXT, None], "INVALID_CONTEXT", "@context[1]"),
        ([CREDENTIALS_V2_CONTEXT, "relative/context"], "INVALID_CONTEXT", "@context[1]"),
        ([CREDENTIALS_V2_CONTEXT, CREDENTIALS_V1_CONTEXT], "INVALID_CONTEXT", "@context[1]"),
    ],
)
def test_context_rules(context: Any, code: str, prop: str) -> None:
    assert _code(_with(V2, **{"@context": context})) == (code, prop)


def test_context_as_single_string_is_accepted() -> None:
    validate_credential(_with(V2, **{"@context": CREDENTIALS_V2_CONTEXT}))


@pytest.mark.parametrize(
    ("types", "code"),
    [
        (_DELETE, "MISSING_TYPE"),
        ("ResidentCertificate", "INVALID_TYPE"),
        ([], "INVALID_TYPE"),
        (["VerifiableCredential", 7], "INVALID_TYPE"),
        (["VerifiableCredential", ""], "INVALID_TYPE"),
        ({"VerifiableCredential": True}, "INVALID_TYPE"),
    ],
)
def test_type_rules(types: Any, code: str) -> None:
    assert _code(_with(V2, type=types)) == (code, "type")


def test_type_as_single_string_is_accepted() -> None:
    validate_credential(_with(V2, type="VerifiableCredential"))


@pytest.mark.parametrize(
    ("issuer", "code", "prop"),
    [
        (_DELETE, "MISSING_ISSUER", "issuer"),
        ("city.example.jp", "INVALID_ISSUER", "issuer"),
        (["did:example:a"], "INVALID_ISSUER", "issuer"),
        ({"name": "Example City"}, "INVALID_ISSUER", "issuer"),
        ({"id": "not a url"}, "INVALID_ISSUER", "issuer.id"),
        ({"id": "did:example:a", "name": {"@value": "x", "url": "y"}}, "INVALID_NAME", "issuer.name"),
    ],
)
def test_issuer_rules(issuer: Any, code: str, prop: str) -> None:
    assert _code(_with(V2, issuer=issuer)) == (code, prop)


@pytest.mark.parametrize(
    ("subject", "code", "prop"),
    [
        (_DELETE, "MISSING_SUBJECT", "credentialSubject"),
        ({}, "INVALID_SUBJECT", "credentialSubject"),
        ([], "INVALID_SUBJECT", "credentialSubject"),
        ("did:example:subject", "INVALID_SUBJECT", "credentialSubject"),
        ([{"id": "did:example:a"}, "did:example:b"], "INVALID_SUBJECT", "credentialSubject[1]"),
        ([{"id": "did:example:a"}, {}], "INVALID_SUBJECT", "credentialSubject[1]"),
        ({"id": "subject-1"}, "INVALID_SUBJECT", "credentialSubject.id"),
    ],
)
def test_subject_rules(subject: Any, code: str, prop: str) -> None:
    assert _code(_with(V2, credentialSubject=subject)) == (code, prop)


def test_subject_with_claims_but_no_id_is_accepted() -> None:
    validate_credential(_with(V2, credentialSubject={"familyName": "Yamada"}))


@pytest.mark.parametrize(
    ("changes", "code", "prop"),
    [
        ({"validFrom": "2024-04-01T09:00:00"}, "INVALID_DATETIME", "validFrom"),
        ({"validFrom": "2024-04-01"}, "INVALID_DATETIME", "validFrom"),
        ({"validFrom": 1711929600}, "INVALID_DATETIME", "validFrom"),
        ({"validUntil": "2024-02-30T00:00:00Z"}, "INVALID_DATETIME", "validUntil"),
        ({"validUntil": "2024-04-01T08:59:59+09:00"}, "INVALID_VALIDITY_PERIOD", "validUntil"),
    ],
)
def test_validity_period_rules(changes: dict[str, Any], code: str, prop: str) -> None:
    assert _code(_with(V2, **changes)) == (code, prop)


def test_validity_period_may_be_a_single_instant() -> None:
    # "temporally the same or earlier": equal instants written with different offsets
    validate_credential(_with(V2, validFrom="2024-04-01T09:00:00+09:00", validUntil="2024-04-01T00:00:00Z"))


@pytest.mark.parametrize(
    ("changes", "code", "prop"),
    [
        ({"issuanceDate": _DELETE}, "MISSING_ISSUANCE_DATE", "issuanceDate"),
        ({"issuanceDate": "2024-04-01 00:00:00"}, "INVALID_DATETIME", "issuanceDate"),
        ({"expirationDate": "2024-03-01T00:00:00Z"}, "INVALID_VALIDITY_PERIOD", "expirationDate"),
        ({"@context": [CREDENTIALS_V1_CONTEXT, CREDENTIALS_V2_CONTEXT]}, "INVALID_CONTEXT", "@context[1]"),
    ],
)
def test_v11_rules(changes: dict[str, Any], code: str, prop: str) -> None:
    assert _code(_with(V11, **changes)) == (code, prop)


@pytest.mark.parametrize(
    ("name", "value", "code", "prop"),
    [
        ("credentialStatus", [], "INVALID_STATUS", "credentialStatus"),
        ("credentialStatus", "https://status.example/1", "INVALID_STATUS", "credentialStatus"),
        ("credentialStatus", {"type": []}, "INVALID_STATUS", "credentialStatus.type"),
        ("credentialSchema", [{"id": "https://s.example/1", "type": "JsonSchema"}, {"type": "JsonSchema"}],
         "INVALID_SCHEMA", "credentialSchema[1].id"),
        ("evidence", [{"type": "Evidence"}, {"id": "https://e.example/1"}], "INVALID_EVIDENCE", "evidence[1].type"),
        ("evidence", {"type": "Evidence", "id": ["a:b", "c:d"]}, "INVALID_EVIDENCE", "evidence.id"),
        ("refreshService", {"type": 5}, "INVALID_REFRESH_SERVICE", "refreshService.type"),
        ("termsOfUse", [{"type": "Policy"}, None], "INVALID_TERMS_OF_USE", "termsOfUse[1]"),
        ("proof", [{"type": "DataIntegrityProof"}, {"proofValue": "z"}], "INVALID_PROOF", "proof[1].type"),
        ("proof", "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP", "INVALID_PROOF", "proof"),
    ],
)
def test_related_resource_rules(name: str, value: Any, code: str, prop: str) -> None:
    assert _code(_with(V2, **{name: value})) == (code, prop)


@pytest.mark.parametrize(
    ("value", "prop"),
    [
        (5, "name"),
        ({"@language": "en"}, "name"),
        ({"@value": "x", "@language": ""}, "name.@language"),
        ({"@value": "x", "@direction": "up"}, "name.@direction"),
        (["ok", {"@value": "x", "extra": 1}], "name[1]"),
    ],
)
def test_language_value_rules(value: Any, prop: str) -> None:
    assert _code(_with(V2, name=value)) == ("INVALID_NAME", prop)


def test_language_values_are_accepted() -> None:
    validate_credential(
        _with(
            V2,
            name="Resident certificate",
            description=[{"@value": "住民票の写し", "@language": "ja"}, {"@value": "Resident", "@direction": "ltr"}],
        )
    )


def test_path_prefix_names_the_embedding() -> None:
    with pytest.raises(DataModelError) as info:
        validate_credential(_with(V2, issuer="nope"), path="verifiableCredential[2]")
    assert info.value.detail["property"] == "verifiableCredential[2].issuer"
    assert info.value.message.startswith("verifiableCredential[2].issuer ")


@pytest.mark.parametrize(
    "changes",
    [
        {"credentialSubject": {"id": "Yamada Taro 1980-01-01"}},
        {"validFrom": "Yamada Taro 1980-01-01"},
        {"issuer": "Yamada Taro 1980-01-01"},
        {"name": {"@value": "Yamada Taro 1980-01-01", "x": 1}},
    ],
)
def test_messages_never_repeat_values(changes: dict[str, Any]) -> None:
    with pytest.raises(DataModelError) as info:
        validate_credential(_with(V2, **changes))
    assert "Yamada" not in str(info.value) and "1980" not in str(info.value)
    assert "Yamada" not in repr(info.value.to_dict())


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.sampled_from(
        ["VerifiableCredential", CREDENTIALS_V2_CONTEXT, "did:example:a", "2024-01-01T00:00:00Z"]
    ),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "type", "@context", "issuer", "credentialSubject", "proof", "name", "@value",
                         "credentialStatus", "validFrom", "validUntil", "evidence", "x"]),
        children,
        max_size=5,
    ),
    max_leaves=20,
)


@given(_json)
def test_arbitrary_json_only_raises_input_errors(doc: Any) -> None:
    try:
        validate_credential(doc)
    except InputError:
        pass
