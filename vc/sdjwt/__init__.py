"""SD-JWT (RFC 9901) and SD-JWT VC (draft-ietf-oauth-sd-jwt-vc-18): one role per module.

``issuer`` makes SD-JWTs with selectively disclosable claims chosen by claim path, ``holder``
picks Disclosures and adds a Key Binding JWT, ``verifier`` checks everything and shows only the
disclosed claims; ``issuer_metadata`` serves and fetches ``/.well-known/jwt-vc-issuer``.

>>> from vc.sdjwt import issue_sd_jwt_vc, present_sd_jwt, verify_sd_jwt
"""

from .claim_path import ClaimPath, format_path, parse_path, parse_paths
from .disclosure import Disclosure, make_disclosure, parse_disclosure
from .holder import disclosable_paths, make_kb_jwt, present_sd_jwt, select_disclosures
from .issuer import (
    NEVER_DISCLOSABLE,
    SdPayload,
    build_sd_payload,
    holder_cnf,
    issue_sd_jwt,
    issue_sd_jwt_vc,
    issue_sd_jwt_vc_from_credential,
)
from .issuer_metadata import JwtVcIssuerLookup, jwt_vc_issuer_metadata, jwt_vc_issuer_metadata_url
from .token import SdJwt, parse_sd_jwt
from .verifier import ProcessedSdJwt, default_key_lookup, process_disclosures, verify_sd_jwt

__all__ = [
    "ClaimPath",
    "Disclosure",
    "JwtVcIssuerLookup",
    "NEVER_DISCLOSABLE",
    "ProcessedSdJwt",
    "SdJwt",
    "SdPayload",
    "build_sd_payload",
    "default_key_lookup",
    "disclosable_paths",
    "format_path",
    "holder_cnf",
    "issue_sd_jwt",
    "issue_sd_jwt_vc",
    "issue_sd_jwt_vc_from_credential",
    "jwt_vc_issuer_metadata",
    "jwt_vc_issuer_metadata_url",
    "make_disclosure",
    "make_kb_jwt",
    "parse_disclosure",
    "parse_path",
    "parse_paths",
    "parse_sd_jwt",
    "present_sd_jwt",
    "process_disclosures",
    "select_disclosures",
    "verify_sd_jwt",
]
