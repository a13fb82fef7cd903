"""Schema validation against credentialSchema, from schemas the verifier is configured with."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from vc.errors import PolicyError
from verifier import SchemaSet, verify_credential

NOW = datetime(2025, 6, 2, 1, 0, tzinfo=timezone.utc)
SCHEMA_ID = "https://schemas.example.jp/SchoolEnrollment/1.0.0"
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "type": "object",
    "properties": {
        "type": {"type": "array", "contains": {"const": "SchoolEnrollmentCredential"}},
        "credentialSubject": {
            "type": "object",
            "properties": {
                "familyName": {"type": "string", "minLength": 1},
                "givenName": {"type": "string"},
                "enrollmentStatus": {"enum": ["在学", "休学", "卒業見込み"]},
                "grade": {"type": "integer", "minimum": 1, "maximum": 12},
                "enrolledSince": {"type": "string", "format": "date"},
            },
            "required": ["familyName", "givenName", "enrollmentStatus"],
        },
    },
    "required": ["type", "credentialSubject"],
}
GOOD = {"familyName": "山田", "givenName": "一郎", "enrollmentStatus": "在学", "grade": 3, "enrolledSince": "2023-04-01"}


def _policy(world, **changes):
    return world.policy(schemas=SchemaSet({SCHEMA_ID: SCHEMA}), **changes)


def test_valid_credential_passes(world) -> None:
    cred = world.di("school", "SchoolEnrollmentCredential", GOOD, schema_id=SCHEMA_ID)
    result = verify_credential(cred, policy=_policy(world), now=NOW)
    assert result.verified, result.codes
    schema = next(c for c in result.credentials[0].checks if c.check == "schema")
    assert schema.passed and SCHEMA_ID in schema.message


@pytest.mark.parametrize("claims, where", [
    ({**GOOD, "enrollmentStatus": "退学した秘密の理由"}, "/credentialSubject/enrollmentStatus"),
    ({**GOOD, "grade": 99}, "/credentialSubject/grade"),
    ({k: v for k, v in GOOD.items() if k != "givenName"}, "missing 'givenName'"),
    ({**GOOD, "enrolledSince": "二〇二三年"}, "/credentialSubject/enrolledSince"),
])
def test_violation_names_the_path_never_the_value(world, claims: dict, where: str) -> None:
    cred = world.di("school", "SchoolEnrollmentCredential", claims, schema_id=SCHEMA_ID)
    result = verify_credential(cred, policy=_policy(world), now=NOW)
    assert not result.verified and result.codes == ("SCHEMA_VIOLATION",)
    message = next(c.message for c in result.credentials[0].errors)
    assert where in message
    for value in claims.values():
        if isinstance(value, str) and value not in ("在学",):
            assert value not in message


def test_schema_not_configured_fails_closed(world) -> None:
    cred = world.di("school", "SchoolEnrollmentCredential", GOOD, schema_id="https://schemas.example.jp/unknown")
    result = verify_credential(cred, policy=_policy(world), now=NOW)
    assert result.codes == ("SCHEMA_UNAVAILABLE",)


def test_fetch_only_when_configured(world) -> None:
    asked: list[str] = []

    def fetch(schema_id: str) -> dict:
        asked.append(schema_id)
        return SCHEMA

    cred = world.di("school", "SchoolEnrollmentCredential", GOOD, schema_id=SCHEMA_ID)
    result = verify_credential(cred, policy=world.policy(schemas=SchemaSet({}, fetch=fetch)), now=NOW)
    assert result.verified and asked == [SCHEMA_ID]


def test_schema_required_and_validation_off(world) -> None:
    cred = world.di("school", "SchoolEnrollmentCredential", GOOD)
    assert verify_credential(cred, policy=_policy(world), now=NOW).verified
    assert verify_credential(cred, policy=_policy(world, require_schema=True), now=NOW).codes == ("SCHEMA_REQUIRED",)
    bad = world.di("school", "SchoolEnrollmentCredential", {**GOOD, "grade": 99}, schema_id=SCHEMA_ID)
    assert verify_credential(bad, policy=_policy(world, validate_schema=False), now=NOW).verified


def test_unsupported_schema_type(world) -> None:
    cred = world.di("school", "SchoolEnrollmentCredential", GOOD,
                    extra={"credentialSchema": {"id": SCHEMA_ID, "type": "JsonSchemaCredential"}})
    assert verify_credential(cred, policy=_policy(world), now=NOW).codes == ("SCHEMA_TYPE_UNSUPPORTED",)


def test_schema_refs_are_never_retrieved(world) -> None:
    remote = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://schemas.example.jp/r",
              "$ref": "https://elsewhere.example/schema.json"}
    cred = world.di("school", "SchoolEnrollmentCredential", GOOD, schema_id="https://schemas.example.jp/r")
    result = verify_credential(cred, policy=world.policy(schemas=SchemaSet({"https://schemas.example.jp/r": remote})),
                               now=NOW)
    assert result.codes == ("SCHEMA_UNAVAILABLE",)
    assert "https://elsewhere.example/schema.json" in result.credentials[0].errors[0].message


def test_invalid_configured_schema() -> None:
    schemas = SchemaSet({SCHEMA_ID: {"type": "no-such-type"}})
    with pytest.raises(PolicyError) as info:
        schemas.check({"credentialSchema": {"id": SCHEMA_ID, "type": "JsonSchema"}})
    assert info.value.code == "POLICY_INVALID"


def test_from_directory(tmp_path) -> None:
    import json

    (tmp_path / "a.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    assert SchemaSet.from_directory(tmp_path).schemas == {SCHEMA_ID: SCHEMA}
