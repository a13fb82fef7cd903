"""Wallet side of OpenID4VCI 1.0, pre-authorized code flow, over HTTP (httpx): receive a credential from
a credential offer.

Steps: resolve the offer (by value, or fetch ``credential_offer_uri``); fetch the Credential Issuer Metadata
(its ``credential_issuer`` must equal the offer's) and the authorization server's metadata; exchange the
pre-authorized code and the ``tx_code`` (PIN) at the token endpoint; fetch a ``c_nonce``; sign an
``openid4vci-proof+jwt`` key proof with the holder key (``aud`` = the issuer, ``nonce``, ``iat``) and request
the credential. A refused nonce (``invalid_nonce``) is retried once with a fresh one, as the spec suggests.

Failures raise :class:`vc.errors.Oid4vciError` whose ``code`` names the step and whose ``detail["error"]``
is the issuer's OAuth error code. The credential is returned as received: verify it with ``vc.formats``.

>>> received = receive_offer("openid-credential-offer://?credential_offer_uri=...", holder_key=key,
...                          tx_code="493027")
>>> received.format, received.credential_configuration_id
('dc+sd-jwt', 'ResidentRecord.dc+sd-jwt')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from vc.did import did_jwk, did_key
from vc.errors import Oid4vciError, VcError, WalletError
from vc.input import load_json
from vc.jose.jws import sign_compact
from vc.keys import KeyPair

from .transport import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, WalletHttp

__all__ = [
    "CredentialOffer",
    "Oid4vciClient",
    "PRE_AUTHORIZED_GRANT",
    "PROOF_TYP",
    "ReceivedCredential",
    "TokenResponse",
    "make_key_proof",
    "receive_offer",
    "well_known_url",
]

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
PROOF_TYP = "openid4vci-proof+jwt"
OFFER_SCHEMES = ("openid-credential-offer://", "haip-vci://")


@dataclass(frozen=True, slots=True)
class CredentialOffer:
    """A resolved credential offer: the issuer, the offered configurations, and the pre-authorized grant."""

    credential_issuer: str
    credential_configuration_ids: tuple[str, ...]
    pre_authorized_code: str
    tx_code: Mapping[str, Any] | None  # input_mode, length, description: how to ask for the PIN
    authorization_server: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class TokenResponse:
    """The token endpoint's answer."""

    access_token: str
    token_type: str
    expires_in: int | None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class ReceivedCredential:
    """What the issuer handed over: the credential(s) as received (a JSON object for ``ldp_vc``, a compact
    string otherwise), the format, and the issuer's description of the configuration (display, claims)."""

    credential: dict[str, Any] | str
    credentials: tuple[dict[str, Any] | str, ...]
    format: str
    credential_configuration_id: str
    credential_issuer: str
    configuration: Mapping[str, Any] = field(repr=False)
    issuer_metadata: Mapping[str, Any] = field(repr=False)


def well_known_url(identifier: str, suffix: str) -> str:
    """``https://host/path`` + ``openid-credential-issuer`` -> ``https://host/.well-known/openid-credential-issuer/path``."""
    parts = urlsplit(identifier)
    path = parts.path.rstrip("/")
    return f"{parts.scheme}://{parts.netloc}/.well-known/{suffix}{path}"


def make_key_proof(holder_key: KeyPair, *, audience: str, nonce: str | None, now: datetime | None = None,
                   binding: str = "jwk") -> str:
    """An ``openid4vci-proof+jwt``: ``binding`` ``jwk`` puts the public key in the header, ``did:key`` /
    ``did:jwk`` name it by a DID URL ``kid``."""
    header: dict[str, Any] = {"typ": PROOF_TYP}
    if binding == "jwk":
        header["jwk"] = holder_key.public.to_jwk()
    elif binding == "did:key":
        did = did_key(holder_key.public)
        header["kid"] = f"{did}#{did.removeprefix('did:key:')}"
    elif binding == "did:jwk":
        header["kid"] = f"{did_jwk(holder_key.public)}#0"
    else:
        raise Oid4vciError(f"unknown key binding {binding!r}; use jwk, did:key or did:jwk", code="METADATA_INVALID")
    claims: dict[str, Any] = {"aud": audience, "iat": int((now or datetime.now(timezone.utc)).timestamp())}
    if nonce is not None:
        claims["nonce"] = nonce
    return sign_compact(claims, holder_key, header=header)


class Oid4vciClient:
    """The HTTP steps of the flow, each usable on its own; ``receive`` runs them all.

    ``require_https`` refuses plain-HTTP issuer URLs (set False only for local tests). Responses are read
    with a size limit; redirects are not followed.
    """

    def __init__(self, *, http: httpx.Client | None = None, timeout: float = DEFAULT_TIMEOUT,
                 max_bytes: int = DEFAULT_MAX_BYTES, require_https: bool = True) -> None:
        # the wallet's transport: one client (given, or made and owned), its timeout and size limit
        self.http = WalletHttp(http=http, timeout=timeout, max_bytes=max_bytes, require_https=require_https)
        self.require_https = require_https

    def close(self) -> None:
        """Close the HTTP client if this object made it."""
        self.http.close()

    def __enter__(self) -> Oid4vciClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- steps ----------------------------------------------------------------------------

    def resolve_offer(self, offer: str | Mapping[str, Any]) -> CredentialOffer:
        """An offer URI (by value or by reference), offer JSON text or an offer object, checked."""
        if isinstance(offer, str):
            text = offer.strip()
            if text.startswith("{"):
                offer = _json_object(text, "the credential offer")
            else:
                query = parse_qs(urlsplit(text).query)
                if not text.startswith(OFFER_SCHEMES) and "credential_offer" not in query \
                        and "credential_offer_uri" not in query:
                    raise Oid4vciError("not a credential offer URI (openid-credential-offer://?credential_offer=...)",
                                       code="OFFER_INVALID")
                if "credential_offer" in query:
                    offer = _json_object(query["credential_offer"][0], "the credential offer")
                elif "credential_offer_uri" in query:
                    offer = self._get_json(query["credential_offer_uri"][0], "the credential offer")
                else:
                    raise Oid4vciError("the offer URI has neither credential_offer nor credential_offer_uri",
                                       code="OFFER_INVALID")
        return _parse_offer(offer, require_https=self.require_https)

    def issuer_metadata(self, credential_issuer: str) -> dict[str, Any]:
        """The Credential Issuer Metadata; its ``credential_issuer`` must be ``credential_issuer``."""
        metadata = self._get_json(well_known_url(credential_issuer, "openid-credential-issuer"), "issuer metadata")
        if metadata.get("credential_issuer") != credential_issuer:
            raise Oid4vciError("the issuer metadata names another credential_issuer than the offer",
                               code="METADATA_INVALID")
        for name in ("credential_endpoint", "credential_configurations_supported"):
            if name not in metadata:
                raise Oid4vciError(f"the issuer metadata lacks {name}", code="METADATA_INVALID")
        return metadata

    def token_endpoint(self, offer: CredentialOffer, metadata: Mapping[str, Any]) -> str:
        """The token endpoint of the offer's (or the issuer's first, or the issuer's own) authorization server."""
        servers = metadata.get("authorization_servers")
        server = offer.authorization_server or (servers[0] if isinstance(servers, list) and servers else None) \
            or offer.credential_issuer
        as_metadata = self._get_json(well_known_url(server, "oauth-authorization-server"),
                                     "authorization server metadata")
        endpoint = as_metadata.get("token_endpoint")
        if not isinstance(endpoint, str):
            raise Oid4vciError("the authorization server metadata has no token_endpoint", code="METADATA_INVALID")
        return self._checked_url(endpoint)

    def request_token(self, token_endpoint: str, pre_authorized_code: str, *, tx_code: str | None = None) -> TokenResponse:
        """Exchange the pre-authorized code (and PIN) for an access token; TOKEN_REFUSED with the OAuth error."""
        form = {"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": pre_authorized_code}
        if tx_code is not None:
            form["tx_code"] = tx_code
        status, body = self._post(token_endpoint, data=form)
        if status != 200:
            raise _refused("TOKEN_REFUSED", "the token endpoint", status, body)
        token = body.get("access_token")
        if not isinstance(token, str) or str(body.get("token_type", "")).lower() not in ("bearer", "dpop"):
            raise Oid4vciError("the token response lacks a Bearer access_token", code="RESPONSE_INVALID")
        expires = body.get("expires_in")
        return TokenResponse(token, str(body["token_type"]), expires if isinstance(expires, int) else None, body)

    def request_nonce(self, nonce_endpoint: str) -> str:
        """A fresh ``c_nonce``."""
        status, body = self._post(nonce_endpoint)
        nonce = body.get("c_nonce")
        if status != 200 or not isinstance(nonce, str):
            raise Oid4vciError(f"the nonce endpoint answered HTTP {status} without a c_nonce", code="RESPONSE_INVALID")
        return nonce

    def request_credential(self, credential_endpoint: str, access_token: str, *, credential_configuration_id: str,
                           proofs: Sequence[str]) -> list[dict[str, Any] | str]:
        """Request one credential per key proof; CREDENTIAL_REFUSED with the OAuth error otherwise."""
        request = {"credential_configuration_id": credential_configuration_id, "proofs": {"jwt": list(proofs)}}
        status, body = self._post(credential_endpoint, json_body=request,
                                  headers={"Authorization": f"Bearer {access_token}"})
        if status == 202:
            raise Oid4vciError("the issuer deferred issuance; deferred credentials are not supported",
                               code="RESPONSE_INVALID")
        if status != 200:
            raise _refused("CREDENTIAL_REFUSED", "the credential endpoint", status, body)
        credentials = body.get("credentials")
        if not isinstance(credentials, list) or not credentials or not all(
                isinstance(c, dict) and isinstance(c.get("credential"), (str, dict)) for c in credentials):
            raise Oid4vciError("the credential response lacks 'credentials' [{credential}]", code="RESPONSE_INVALID")
        return [c["credential"] for c in credentials]

    def receive(self, offer: str | Mapping[str, Any], *, holder_key: KeyPair | Sequence[KeyPair],
                tx_code: str | None = None, credential_configuration_id: str | None = None,
                now: datetime | None = None) -> ReceivedCredential:
        """Run the whole flow; one credential per holder key (several keys: a batch)."""
        keys = [holder_key] if isinstance(holder_key, KeyPair) else list(holder_key)
        if not keys:
            raise Oid4vciError("give at least one holder key", code="OFFER_INVALID")
        resolved = self.resolve_offer(offer)
        if resolved.tx_code is not None and tx_code is None:
            length = resolved.tx_code.get("length")
            raise Oid4vciError("this offer needs the PIN (tx_code) the issuer gave you" +
                               (f" ({length} digits)" if isinstance(length, int) else ""), code="TX_CODE_REQUIRED")
        metadata = self.issuer_metadata(resolved.credential_issuer)
        configurations = metadata["credential_configurations_supported"]
        config_id = credential_configuration_id or next(
            (c for c in resolved.credential_configuration_ids if c in configurations), None)
        if config_id is None or config_id not in resolved.credential_configuration_ids:
            raise Oid4vciError("the offer has no credential configuration this issuer describes (or the one asked "
                               "for is not offered)", code="OFFER_INVALID")
        configuration = configurations.get(config_id) or {}
        token = self.request_token(self.token_endpoint(resolved, metadata), resolved.pre_authorized_code,
                                   tx_code=tx_code)
        binding = _binding(configuration)
        credential_endpoint = self._checked_url(metadata["credential_endpoint"])
        nonce_endpoint = metadata.get("nonce_endpoint")
        for attempt in (1, 2):
            nonce = self.request_nonce(self._checked_url(nonce_endpoint)) if nonce_endpoint else None
            proofs = [make_key_proof(k, audience=resolved.credential_issuer, nonce=nonce, now=now, binding=binding)
                      for k in keys]
            try:
                credentials = self.request_credential(credential_endpoint, token.access_token,
                                                      credential_configuration_id=config_id, proofs=proofs)
                break
            except Oid4vciError as exc:
                if attempt == 1 and exc.detail.get("error") == "invalid_nonce" and nonce_endpoint:
                    continue
                raise
        return ReceivedCredential(
            credential=credentials[0], credentials=tuple(credentials), format=str(configuration.get("format", "")),
            credential_configuration_id=config_id, credential_issuer=resolved.credential_issuer,
            configuration=configuration, issuer_metadata=metadata)

    # --- HTTP -----------------------------------------------------------------------------

    def _checked_url(self, url: Any) -> str:
        if not isinstance(url, str):
            raise Oid4vciError("an issuer URL is not a string", code="METADATA_INVALID")
        scheme = urlsplit(url).scheme
        if scheme != "https" and not (scheme == "http" and not self.require_https):
            raise Oid4vciError(f"issuer URLs must be https: {url}", code="METADATA_INVALID")
        return url

    def _get_json(self, url: str, what: str) -> dict[str, Any]:
        status, body = self._request("GET", self._checked_url(url), what=what)
        if status != 200:
            raise Oid4vciError(f"{what} request answered HTTP {status}", code="HTTP_ERROR", status=status)
        return body

    def _post(self, url: str, *, data: Mapping[str, str] | None = None, json_body: Any = None,
              headers: Mapping[str, str] | None = None) -> tuple[int, dict[str, Any]]:
        return self._request("POST", self._checked_url(url), what=url, data=data, json_body=json_body,
                             headers=headers)

    def _request(self, method: str, url: str, *, what: str, data: Mapping[str, str] | None = None,
                 json_body: Any = None, headers: Mapping[str, str] | None = None) -> tuple[int, dict[str, Any]]:
        try:
            status, _, body = self.http.request(method, url, what=what, data=data, json_body=json_body,
                                                headers={"Accept": "application/json", **(headers or {})},
                                                code="HTTP_ERROR")
        except WalletError as exc:  # the transport failed or the answer is too large
            raise Oid4vciError(exc.message, code="HTTP_ERROR") from None
        if not body.strip():
            return status, {}
        try:
            value = load_json(body, max_bytes=self.http.max_bytes)
        except VcError:
            if status >= 400:
                return status, {}
            raise Oid4vciError(f"{what}: the response is not JSON", code="RESPONSE_INVALID") from None
        if not isinstance(value, dict):
            raise Oid4vciError(f"{what}: the response is not a JSON object", code="RESPONSE_INVALID")
        return status, value


def receive_offer(offer_uri_or_json: str | Mapping[str, Any], *, holder_key: KeyPair | Sequence[KeyPair],
                  tx_code: str | None = None, http: httpx.Client | None = None,
                  credential_configuration_id: str | None = None, require_https: bool = True,
                  now: datetime | None = None) -> ReceivedCredential:
    """Receive the credential an offer grants, bound to ``holder_key`` (see :meth:`Oid4vciClient.receive`)."""
    with Oid4vciClient(http=http, require_https=require_https) as client:
        return client.receive(offer_uri_or_json, holder_key=holder_key, tx_code=tx_code,
                              credential_configuration_id=credential_configuration_id, now=now)


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = load_json(text)
    except VcError as exc:
        raise Oid4vciError(f"{what} is not JSON: {exc.message}", code="OFFER_INVALID") from None
    if not isinstance(value, dict):
        raise Oid4vciError(f"{what} must be a JSON object", code="OFFER_INVALID")
    return value


def _parse_offer(offer: Mapping[str, Any], *, require_https: bool) -> CredentialOffer:
    issuer = offer.get("credential_issuer")
    schemes = ("https",) if require_https else ("https", "http")
    if not isinstance(issuer, str) or urlsplit(issuer).scheme not in schemes:
        raise Oid4vciError("the offer's credential_issuer must be an https URL", code="OFFER_INVALID")
    ids = offer.get("credential_configuration_ids")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise Oid4vciError("the offer needs credential_configuration_ids", code="OFFER_INVALID")
    grants = offer.get("grants")
    grant = grants.get(PRE_AUTHORIZED_GRANT) if isinstance(grants, dict) else None
    if not isinstance(grant, dict) or not isinstance(grant.get("pre-authorized_code"), str):
        raise Oid4vciError("the offer has no pre-authorized code grant (only that flow is supported)",
                           code="OFFER_INVALID")
    tx_code = grant.get("tx_code")
    if tx_code is not None and not isinstance(tx_code, dict):
        raise Oid4vciError("the offer's tx_code must be an object", code="OFFER_INVALID")
    server = grant.get("authorization_server")
    return CredentialOffer(issuer, tuple(ids), grant["pre-authorized_code"], tx_code,
                           server if isinstance(server, str) else None, dict(offer))


def _binding(configuration: Mapping[str, Any]) -> str:
    """How to name the key in the proof: the first method the configuration supports that we can make."""
    methods = configuration.get("cryptographic_binding_methods_supported") or ["jwk"]
    for method in ("jwk", "did:key", "did:jwk"):
        if method in methods:
            return method
    raise Oid4vciError("the credential configuration needs a key binding this wallet cannot make ("
                       + ", ".join(str(m) for m in methods) + ")", code="METADATA_INVALID")


def _refused(code: str, where: str, status: int, body: Mapping[str, Any]) -> Oid4vciError:
    error = body.get("error") if isinstance(body.get("error"), str) else None
    description = body.get("error_description") if isinstance(body.get("error_description"), str) else None
    message = f"{where} refused the request (HTTP {status}" + (f", {error}" if error else "") + ")"
    if description:
        message += f": {description}"
    return Oid4vciError(message, code=code, error=error, status=status)
