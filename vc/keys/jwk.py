"""JWK helpers: RFC 7638 thumbprints over the required members.

>>> jwk_thumbprint({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})
'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k'
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from vc.encoding.base64url import b64url_encode
from vc.errors import InvalidKeyError

__all__ = ["PRIVATE_JWK_MEMBERS", "canonical_public_jwk_json", "jwk_thumbprint"]

# RFC 7638 section 3.2 required members per kty
_REQUIRED = {"OKP": ("crv", "kty", "x"), "EC": ("crv", "kty", "x", "y"), "RSA": ("e", "kty", "n")}
# members that make a JWK private (RFC 7518 section 6, RFC 8037)
PRIVATE_JWK_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})


def canonical_public_jwk_json(jwk: dict[str, Any]) -> str:
    """The RFC 7638 input: required members only, sorted, no whitespace."""
    if not isinstance(jwk, dict):
        raise InvalidKeyError("a JWK must be a JSON object")
    required = _REQUIRED.get(jwk.get("kty"))  # type: ignore[arg-type]
    if required is None:
        raise InvalidKeyError("JWK 'kty' is missing or unknown for a thumbprint")
    members = {}
    for name in required:
        value = jwk.get(name)
        if not isinstance(value, str):
            raise InvalidKeyError(f"JWK member '{name}' is missing or not a string")
        members[name] = value
    return json.dumps(members, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def jwk_thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 JWK thumbprint (SHA-256, base64url)."""
    digest = hashlib.sha256(canonical_public_jwk_json(jwk).encode("utf-8")).digest()
    return b64url_encode(digest)
