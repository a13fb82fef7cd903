"""Validation of a verifiable presentation (VCDM 2.0 section 4.13; 1.1 accepted).

Embedded credentials are validated as credentials; an enveloped credential (section 4.13.1,
``EnvelopedVerifiableCredential``) must carry its payload as a ``data:`` URL ``id``.
"""

from __future__ import annotations

from typing import Any

from ..errors import DataModelError
from .credential import validate_credential
from .properties import at, check_context, check_id, check_resources, check_types, check_url_or_object, fail, objects
from .urls import is_url
from .version import CREDENTIALS_V2_CONTEXT

__all__ = ["check_self_asserted", "validate_presentation"]

_RESOURCES = ("termsOfUse", "proof")
_ENVELOPED = "EnvelopedVerifiableCredential"


def validate_presentation(doc: Any) -> None:
    """Raise DataModelError (``code`` names the rule) unless ``doc`` is a well-formed presentation.

    >>> validate_presentation({
    ...     "@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiablePresentation"})
    """
    if not isinstance(doc, dict):
        raise DataModelError("the presentation must be a JSON object", code="INVALID_PRESENTATION", property="")
    check_context(doc, "")
    check_types(doc, "", "VerifiablePresentation")
    check_id(doc, "")
    if "holder" in doc:
        check_url_or_object(doc["holder"], "holder", "INVALID_HOLDER")
    if "verifiableCredential" in doc:
        for prop, credential in _credentials(doc):
            if _is_enveloped(credential):
                _check_enveloped(credential, prop)
            else:
                validate_credential(credential, path=prop)
    check_resources(doc, "", _RESOURCES)


def check_self_asserted(presentation: dict[str, Any]) -> None:
    """Holder rules for credentials secured only by the presentation's own proof.

    VCDM 2.0, "Presentations Including Holder Claims": an embedded credential without a ``proof``
    of its own is self-asserted by the presentation's signer, so the presentation MUST have a
    ``holder`` and the credential's ``issuer`` MUST be that holder. Raises DataModelError
    ``MISSING_HOLDER`` / ``HOLDER_MISMATCH``. The verifier still checks that the presentation's
    proof was made by ``holder`` (authentication purpose). Call after :func:`validate_presentation`.
    """
    if "verifiableCredential" not in presentation:
        return
    holder = _identifier(presentation.get("holder"))
    for prop, credential in _credentials(presentation):
        if _is_enveloped(credential) or "proof" in credential:
            continue
        if holder is None:
            raise fail(
                "MISSING_HOLDER",
                "holder",
                f"is missing, but {prop} has no proof of its own; a self-asserted credential needs a holder",
            )
        if _identifier(credential.get("issuer")) != holder:
            raise fail(
                "HOLDER_MISMATCH",
                at(prop, "issuer"),
                "differs from the presentation's holder, and the credential has no proof of its own; "
                "a credential secured only by the presentation must be issued by its holder",
            )


def _credentials(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return list(objects(doc["verifiableCredential"], "verifiableCredential", "INVALID_CREDENTIAL", "a credential"))


def _is_enveloped(credential: dict[str, Any]) -> bool:
    types = credential.get("type")
    return types == _ENVELOPED or (isinstance(types, list) and _ENVELOPED in types)


def _check_enveloped(credential: dict[str, Any], prop: str) -> None:
    contexts = credential.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    if first != CREDENTIALS_V2_CONTEXT:
        raise fail(
            "INVALID_CONTEXT",
            at(prop, "@context"),
            f"of an enveloped credential must start with {CREDENTIALS_V2_CONTEXT!r}",
        )
    cid = credential.get("id")
    if not (is_url(cid) and cid.startswith("data:")):
        raise fail(
            "INVALID_ENVELOPED_CREDENTIAL", at(prop, "id"), "must be a data: URL holding the secured credential"
        )


def _identifier(value: Any) -> str | None:
    """The URL of an issuer or holder given as a string or as an object with ``id``."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None
