"""OpenID4VP 1.0 authorization requests (section 5) with ``response_mode=direct_post`` (8.2):
parameters, the request object JWT (JAR, RFC 9101, ``typ: oauth-authz-req+jwt``) and the
``openid4vp://`` link a wallet opens (also printed as a QR code).

By value, the link carries every parameter (``redirect_uri`` prefix), or the signed request
object in ``request`` (``decentralized_identifier`` prefix, which must be signed). By reference,
it carries ``client_id`` and ``request_uri``; the wallet fetches the request object there once.

>>> request = new_authorization_request(identity, query, purpose={"ja": "出生届のため"})
>>> link = deep_link(request, identity)            # openid4vp://?client_id=...&request_uri=...
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote, urlencode

from vc.encoding.base64url import b64url_encode
from vc.jose.claims import to_numeric_date
from vc.jose.json_codec import compact_dumps
from vc.jose.jws import sign_compact
from vc.proofs import CRYPTOSUITES

from .client_id import VerifierIdentity
from .dcql import validate_dcql, with_purpose

__all__ = [
    "AuthorizationRequest",
    "DEFAULT_REQUEST_TTL",
    "REQUEST_OBJECT_TYP",
    "STATIC_AUDIENCE",
    "WALLET_SCHEME",
    "client_metadata",
    "deep_link",
    "new_authorization_request",
    "request_object",
]

REQUEST_OBJECT_TYP = "oauth-authz-req+jwt"
STATIC_AUDIENCE = "https://self-issued.me/v2"  # section 5.8: aud of a request object with static discovery
WALLET_SCHEME = "openid4vp://"
DEFAULT_REQUEST_TTL = timedelta(minutes=10)

# what this verifier accepts (OpenID4VP 1.0 Appendix B); SD-JWT lists fully-specified names and
# EdDSA, which most issuers still put in their headers
_JOSE_ALGS = ["ES256", "Ed25519", "EdDSA"]


def _default_vp_formats() -> dict[str, Any]:
    suites = sorted(name for name in CRYPTOSUITES if name != "Ed25519Signature2020")
    return {
        "dc+sd-jwt": {"sd-jwt_alg_values": list(_JOSE_ALGS), "kb-jwt_alg_values": list(_JOSE_ALGS)},
        "jwt_vc_json": {"alg_values": list(_JOSE_ALGS)},
        "ldp_vc": {"proof_type_values": ["DataIntegrityProof"], "cryptosuite_values": suites},
    }


def client_metadata(identity: VerifierIdentity, *, vp_formats: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The ``client_metadata`` parameter: ``vp_formats_supported`` (section 11.1) and the
    verifier's name as RFC 7591 ``client_name`` with ``#ja``/``#en`` language tags (a jitsuin
    profile member; wallets that do not know it ignore it)."""
    meta: dict[str, Any] = {"vp_formats_supported": dict(vp_formats) if vp_formats else _default_vp_formats()}
    meta["client_name"] = identity.display_name()
    for lang, text in sorted(identity.name.items()):
        if text:
            meta[f"client_name#{lang}"] = text
    return meta


@dataclass(frozen=True)
class AuthorizationRequest:
    """One presentation request as stored by the verifier and sent to the wallet."""

    id: str
    client_id: str
    response_uri: str
    nonce: str
    state: str
    dcql_query: dict[str, Any]
    client_metadata: dict[str, Any]
    created_at: datetime
    expires_at: datetime
    procedure_id: str | None = None
    purpose: dict[str, str] = field(default_factory=dict)

    def parameters(self) -> dict[str, Any]:
        """The authorization request parameters (section 5.1/5.2), objects as JSON values."""
        return {
            "response_type": "vp_token",
            "response_mode": "direct_post",
            "client_id": self.client_id,
            "response_uri": self.response_uri,
            "nonce": self.nonce,
            "state": self.state,
            "dcql_query": self.dcql_query,
            "client_metadata": self.client_metadata,
        }

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def to_record(self) -> dict[str, Any]:
        """JSON-ready data for a request store."""
        return {
            "id": self.id,
            "client_id": self.client_id,
            "response_uri": self.response_uri,
            "nonce": self.nonce,
            "state": self.state,
            "dcql_query": self.dcql_query,
            "client_metadata": self.client_metadata,
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "procedure_id": self.procedure_id,
            "purpose": self.purpose,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> AuthorizationRequest:
        return cls(
            id=record["id"],
            client_id=record["client_id"],
            response_uri=record["response_uri"],
            nonce=record["nonce"],
            state=record["state"],
            dcql_query=dict(record["dcql_query"]),
            client_metadata=dict(record["client_metadata"]),
            created_at=datetime.fromisoformat(record["created_at"]),
            expires_at=datetime.fromisoformat(record["expires_at"]),
            procedure_id=record.get("procedure_id"),
            purpose=dict(record.get("purpose") or {}),
        )


def new_authorization_request(
    identity: VerifierIdentity,
    dcql_query: Mapping[str, Any],
    *,
    purpose: Mapping[str, str] | str | None = None,
    procedure_id: str | None = None,
    ttl: timedelta = DEFAULT_REQUEST_TTL,
    vp_formats: Mapping[str, Any] | None = None,
    now: datetime | None = None,
    token: Callable[[], str] = lambda: secrets.token_urlsafe(24),
) -> AuthorizationRequest:
    """A fresh request: random id, ``nonce`` and ``state`` (``token``, 192 bits by default; URL-safe
    as section 5.2 requires), the query with ``purpose`` on its credential sets, expiring after ``ttl``."""
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    texts = {"ja": purpose} if isinstance(purpose, str) else dict(purpose or {})
    query = with_purpose(validate_dcql(dcql_query), texts) if texts else validate_dcql(dcql_query)
    request_id = token()
    return AuthorizationRequest(
        id=request_id,
        client_id=identity.client_id(request_id),
        response_uri=identity.response_uri(request_id),
        nonce=token(),
        state=token(),
        dcql_query=query,
        client_metadata=client_metadata(identity, vp_formats=vp_formats),
        created_at=now,
        expires_at=now + ttl,
        procedure_id=procedure_id,
        purpose=texts,
    )


def request_object(
    request: AuthorizationRequest,
    identity: VerifierIdentity,
    *,
    wallet_nonce: str | None = None,
    now: datetime | None = None,
) -> str:
    """The request object JWT: signed with the verifier's DID key for ``decentralized_identifier``,
    unsigned (``alg: none``, RFC 9101 section 4) for ``redirect_uri``, which cannot be signed."""
    now = now or datetime.now(timezone.utc)
    payload = dict(request.parameters())
    payload.update({"aud": STATIC_AUDIENCE, "iat": to_numeric_date(now), "exp": to_numeric_date(request.expires_at)})
    if wallet_nonce is not None:
        payload["wallet_nonce"] = wallet_nonce
    header = {"typ": REQUEST_OBJECT_TYP}
    if identity.signs_requests:
        assert identity.key is not None and identity.kid is not None  # VerifierIdentity checked it
        return sign_compact(payload, identity.key, header={**header, "kid": identity.kid})
    unsigned = {"alg": "none", **header}
    return f"{b64url_encode(compact_dumps(unsigned).encode())}.{b64url_encode(compact_dumps(payload).encode())}."


def _encode(params: Mapping[str, Any]) -> str:
    flat = {k: (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, separators=(",", ":"))) for k, v in params.items()}
    return urlencode(flat, quote_via=quote, safe="")


def deep_link(
    request: AuthorizationRequest,
    identity: VerifierIdentity,
    *,
    by_reference: bool = True,
    scheme: str = WALLET_SCHEME,
    request_uri_method: str | None = None,
) -> str:
    """The link a wallet opens: ``scheme`` (``openid4vp://`` or a wallet's https URL) and the
    request by reference (``client_id`` + ``request_uri``) or by value."""
    sep = "&" if "?" in scheme else "?"
    if by_reference:
        params: dict[str, Any] = {"client_id": request.client_id, "request_uri": identity.request_uri(request.id)}
        if request_uri_method:
            params["request_uri_method"] = request_uri_method
    elif identity.signs_requests:
        params = {"client_id": request.client_id, "request": request_object(request, identity)}
    else:
        params = request.parameters()
    return f"{scheme}{sep}{_encode(params)}"
