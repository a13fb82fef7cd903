"""Validation of a verifiable credential against the VC Data Model (2.0; 1.1 read for verification).

Checks the JSON shape the data model prescribes (sections 4.3-4.11, 5.5-5.7); whether every
term is defined is the JSON-LD layer's job (:mod:`vc.jsonld.safe_mode`).

>>> validate_credential({
...     "@context": ["https://www.w3.org/ns/credentials/v2"],
...     "type": ["VerifiableCredential"],
...     "issuer": "did:example:issuer",
...     "credentialSubject": {"id": "did:example:subject"},
... })
"""

from __future__ import annotations

from typing import Any

from ..errors import DataModelError
from .datetimes import parse_datetime
from .properties import (
    at,
    check_context,
    check_id,
    check_language_values,
    check_resources,
    check_types,
    check_url_or_object,
    fail,
    objects,
)
from .version import DataModelVersion

__all__ = ["validate_credential"]

_RESOURCES = ("credentialStatus", "credentialSchema", "evidence", "refreshService", "termsOfUse", "proof")


# (start, end, start required) of the validity period for each data model version
_VALIDITY_PROPERTIES: dict[DataModelVersion, tuple[str, str, bool]] = {
    "2.0": ("validFrom", "validUntil", False),
    "1.1": ("issuanceDate", "expirationDate", True),
}


def validate_credential(doc: Any, *, path: str = "") -> None:
    """Raise DataModelError (``code`` names the rule) unless ``doc`` is a well-formed credential.

    ``path`` prefixes property names in errors (used for credentials inside a presentation).
    """
    if not isinstance(doc, dict):
        raise DataModelError(
            f"{path or 'the credential'} must be a JSON object", code="INVALID_CREDENTIAL", property=path
        )
    version = check_context(doc, path)
    check_types(doc, path, "VerifiableCredential")
    check_id(doc, path)
    _check_issuer(doc, path)
    _check_subject(doc, path)
    check_language_values(doc, path)
    _check_validity_period(doc, path, version)
    check_resources(doc, path, _RESOURCES)


def _check_issuer(doc: dict[str, Any], path: str) -> None:
    prop = at(path, "issuer")
    if "issuer" not in doc:
        raise fail("MISSING_ISSUER", prop, "is missing; a credential must name its issuer by URL (e.g. a DID)")
    check_url_or_object(doc["issuer"], prop, "INVALID_ISSUER")


def _check_subject(doc: dict[str, Any], path: str) -> None:
    prop = at(path, "credentialSubject")
    if "credentialSubject" not in doc:
        raise fail("MISSING_SUBJECT", prop, "is missing; put the claims about the subject there")
    for sub_prop, subject in objects(doc["credentialSubject"], prop, "INVALID_SUBJECT", "a subject"):
        # section 4.8: each subject object is the subject of one or more claims
        if not subject:
            raise fail("INVALID_SUBJECT", sub_prop, "is empty; a subject needs an id or at least one claim")
        check_id(subject, sub_prop, code="INVALID_SUBJECT")


def _check_validity_period(doc: dict[str, Any], path: str, version: DataModelVersion) -> None:
    start_key, end_key, start_required = _VALIDITY_PROPERTIES[version]
    if start_required and start_key not in doc:
        raise fail(
            "MISSING_ISSUANCE_DATE", at(path, start_key), "is missing; a VCDM 1.1 credential must have one"
        )
    start = parse_datetime(doc[start_key], what=at(path, start_key)) if start_key in doc else None
    end = parse_datetime(doc[end_key], what=at(path, end_key)) if end_key in doc else None
    if start is not None and end is not None and end < start:
        raise fail(
            "INVALID_VALIDITY_PERIOD",
            at(path, end_key),
            f"is earlier than {start_key}; the validity period must not end before it starts",
        )
