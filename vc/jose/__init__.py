"""JOSE: compact JWS with an asymmetric algorithm registry, ``vc+jwt`` / ``vp+jwt`` (W3C
VC-JOSE-COSE), VCDM 1.1 JWT credentials, and key lookup for verifiers.

>>> from vc.jose import issue_vc_jwt, verify_vc_jwt
"""

from .envelope import envelope_credential, open_envelope, verify_presentation_entry
from .issuer_keys import DidKeyLookup, FirstApplicable, KeyLookup, ResolvedKey, StaticKeyLookup
from .jws import (
    DEFAULT_ALGS,
    JWS_ALGORITHMS,
    CompactJws,
    JwsAlgorithm,
    check_header,
    get_algorithm,
    parse_compact,
    sign_compact,
    verify_compact,
)
from .vc_jwt import check_binding, default_kid, issue_vc_jwt, issue_vp_jwt, key_dids, verify_jwt, verify_vc_jwt, verify_vp_jwt

__all__ = [
    "CompactJws",
    "DEFAULT_ALGS",
    "DidKeyLookup",
    "FirstApplicable",
    "JWS_ALGORITHMS",
    "JwsAlgorithm",
    "KeyLookup",
    "ResolvedKey",
    "StaticKeyLookup",
    "check_binding",
    "check_header",
    "default_kid",
    "envelope_credential",
    "get_algorithm",
    "issue_vc_jwt",
    "issue_vp_jwt",
    "key_dids",
    "open_envelope",
    "parse_compact",
    "sign_compact",
    "verify_compact",
    "verify_jwt",
    "verify_presentation_entry",
    "verify_vc_jwt",
    "verify_vp_jwt",
]
