"""The VC Data Model: validation of credentials and presentations, date-times, validity periods.

Every rule raises :class:`~vc.errors.DataModelError` with a stable ``code`` and the offending
property's path in ``detail["property"]``:

    MISSING_CONTEXT / INVALID_CONTEXT     @context (base context first; then URLs or objects)
    MISSING_TYPE / INVALID_TYPE           type (must include VerifiableCredential / VerifiablePresentation)
    INVALID_ID                            id of the credential or presentation (one URL)
    MISSING_ISSUER / INVALID_ISSUER       issuer (a URL or an object whose id is a URL)
    MISSING_SUBJECT / INVALID_SUBJECT     credentialSubject (object(s), each non-empty; id a URL)
    INVALID_NAME / INVALID_DESCRIPTION    name, description (strings or language value objects)
    INVALID_DATETIME                      validFrom, validUntil, issuanceDate, expirationDate
    MISSING_ISSUANCE_DATE                 issuanceDate of a VCDM 1.1 credential
    INVALID_VALIDITY_PERIOD               validUntil before validFrom
    INVALID_STATUS, INVALID_SCHEMA, INVALID_EVIDENCE, INVALID_REFRESH_SERVICE,
    INVALID_TERMS_OF_USE, INVALID_PROOF   object(s) with a type; credentialSchema also needs an id
    INVALID_HOLDER                        holder (a URL or an object whose id is a URL)
    INVALID_CREDENTIAL                    a verifiableCredential entry that is not an object
    INVALID_ENVELOPED_CREDENTIAL          an EnvelopedVerifiableCredential whose id is no data: URL
    INVALID_PRESENTATION                  a presentation that is not an object
    MISSING_HOLDER / HOLDER_MISMATCH      check_self_asserted: credentials secured only by the presentation

``check_validity`` raises ``NotYetValidError`` (NOT_YET_VALID) / ``ExpiredError`` (EXPIRED).

>>> from vc.model import validate_credential, check_validity, parse_datetime
"""

from .credential import validate_credential
from .datetimes import format_datetime, parse_datetime
from .presentation import check_self_asserted, validate_presentation
from .urls import is_url
from .validity import check_validity
from .version import CREDENTIALS_V1_CONTEXT, CREDENTIALS_V2_CONTEXT, DataModelVersion, data_model_version

__all__ = [
    "CREDENTIALS_V1_CONTEXT",
    "CREDENTIALS_V2_CONTEXT",
    "DataModelVersion",
    "check_self_asserted",
    "check_validity",
    "data_model_version",
    "format_datetime",
    "is_url",
    "parse_datetime",
    "validate_credential",
    "validate_presentation",
]
