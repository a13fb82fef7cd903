"""vc.formats: which securing format a document uses, and the types a credential names."""

from __future__ import annotations

import pytest

from vc.errors import MalformedError
from vc.formats import credential_types, detect_format


def test_credential_types_of_each_kind() -> None:
    assert credential_types({"type": ["VerifiableCredential", "ResidentRecordCredential", 7]}) == (
        "VerifiableCredential", "ResidentRecordCredential")
    assert credential_types({"type": "VerifiableCredential"}) == ("VerifiableCredential",)
    assert credential_types({"vct": "https://jitsuin.example/vct/resident", "type": ["x"]}) == (
        "https://jitsuin.example/vct/resident",)
    assert credential_types({}) == () == credential_types({"type": 5})


def test_detect_format() -> None:
    assert detect_format({"@context": [], "type": ["VerifiableCredential"], "proof": {}}) == "ldp_vc"
    assert detect_format("eyJhbGciOiJFUzI1NiJ9.e30.c2ln") == "jwt"
    assert detect_format("eyJhbGciOiJFUzI1NiJ9.e30.c2ln~WyJzIiwibiIsInYiXQ~") == "sd-jwt"
    with pytest.raises(MalformedError):
        detect_format("not a credential")
