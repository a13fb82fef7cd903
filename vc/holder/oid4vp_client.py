"""Wallet side of OpenID for Verifiable Presentations 1.0 with DCQL and ``response_mode=direct_post``.

1. :meth:`Oid4vpClient.open_request` reads a request link (``openid4vp://?...`` or a wallet https
   link): by value, by ``request`` (a request object JWT) or by ``request_uri`` (fetched once, GET or
   ``request_uri_method=post`` with a ``wallet_nonce``). Client identifier prefixes (section 5.9):
   ``decentralized_identifier:<did>`` requests must be signed by a key of that DID (``kid`` a DID URL
   of it; the signature is verified through the DID resolver), ``redirect_uri:<response_uri>``
   requests must not be signed and the verifier's identity stays unverified. Other prefixes are
   refused. The verifier's name comes from ``client_metadata.client_name`` (``#ja``/``#en`` tags) and
   the purpose from the DCQL credential sets' ``purpose`` (jitsuin's profile, see ``verifier.requests``).
2. :func:`vc.holder.dcql.match_dcql` and :func:`vc.holder.consent.plan_presentation` decide what would
   be disclosed; the resident approves.
3. :func:`present` builds the ``vp_token`` (SD-JWT + KB-JWT, ``aud`` = client_id; Data Integrity VP,
   ``domain`` = client_id, ``challenge`` = nonce), posts it to ``response_uri`` and records the
   disclosure history; :func:`decline` tells the verifier ``access_denied`` and records a refusal.

Errors are :class:`vc.errors.WalletError`: ``REQUEST_INVALID``, ``REQUEST_SIGNATURE_INVALID``,
``REQUEST_UNSATISFIABLE``, ``APPROVAL_REQUIRED``, ``RESPONSE_FAILED``.

>>> client = Oid4vpClient()
>>> request = client.open_request("openid4vp://?client_id=decentralized_identifier%3Adid%3Akey%3A...&request_uri=...")
>>> plan = plan_presentation(match_dcql(request.dcql_query, store.credentials()))
>>> entry = present(store, client, request, plan)
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from vc.did import DidResolver, default_resolver
from vc.errors import DidError, JoseError, KeyMaterialError, WalletError
from vc.jose.jws import parse_compact, verify_compact
from vc.jsonld import DocumentLoader

from .consent import PresentationPlan, build_vp_token
from .dcql import check_dcql
from .history import PRESENTED, REFUSED, REJECTED, DisclosureHistory, HistoryEntry, disclosed_credential
from .records import localized
from .store import WalletStore
from .transport import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, WalletHttp, json_object

__all__ = [
    "CLIENT_ID_PREFIXES",
    "REQUEST_OBJECT_TYP",
    "Oid4vpClient",
    "PresentationRequest",
    "VerifierReply",
    "decline",
    "present",
]

REQUEST_OBJECT_TYP = "oauth-authz-req+jwt"
STATIC_AUDIENCE = "https://self-issued.me/v2"  # section 5.8: a request object's aud under static discovery
# prefix -> whether its requests must be signed (True) or must not be (False)
CLIENT_ID_PREFIXES: Mapping[str, bool] = {"decentralized_identifier": True, "redirect_uri": False}
DEFAULT_SKEW = timedelta(seconds=60)


def _invalid(message: str, **detail: Any) -> WalletError:
    return WalletError(message, code="REQUEST_INVALID", **detail)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class PresentationRequest:
    """A checked authorization request: who asks (and whether that is verified), why, for what,
    and where the answer goes."""

    client_id: str
    prefix: str
    verifier_id: str  # the DID (decentralized_identifier) or the response URI (redirect_uri)
    verified: bool  # signed, and the signature verified with a key of verifier_id
    response_uri: str
    nonce: str
    dcql_query: dict[str, Any]
    state: str | None = None
    verifier_name: Mapping[str, str] = field(default_factory=dict)
    purpose: Mapping[str, str] = field(default_factory=dict)
    client_metadata: Mapping[str, Any] = field(default_factory=dict, repr=False)
    expires_at: datetime | None = None
    params: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def verifier_display_name(self, lang: str = "ja") -> str:
        """The name the verifier gives (self-asserted unless ``verified``), else its identifier."""
        return localized(self.verifier_name, lang, fallback=self.verifier_host)

    @property
    def verifier_host(self) -> str:
        """The host the answer goes to (what the resident can check against the address bar)."""
        return urlsplit(self.response_uri).netloc

    def purpose_text(self, lang: str = "ja") -> str:
        return localized(self.purpose, lang)


@dataclass(frozen=True)
class VerifierReply:
    """The verifier's answer to a posted response."""

    status: int
    accepted: bool
    body: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def error(self) -> str | None:
        value = self.body.get("error")
        return value if isinstance(value, str) else None

    @property
    def error_code(self) -> str | None:
        value = self.body.get("errorCode")
        return value if isinstance(value, str) else None

    @property
    def redirect_uri(self) -> str | None:
        value = self.body.get("redirect_uri")
        return value if isinstance(value, str) else None

    def to_record(self) -> dict[str, Any]:
        """What the history keeps of the answer: status and error codes (no free text from the verifier)."""
        out: dict[str, Any] = {"status": self.status, "accepted": self.accepted}
        if self.error:
            out["error"] = self.error[:64]
        if self.error_code:
            out["error_code"] = self.error_code[:64]
        codes = self.body.get("codes")
        if isinstance(codes, list):
            out["codes"] = [str(c)[:64] for c in codes[:16]]
        return out


def _split_prefix(client_id: str) -> tuple[str, str]:
    head, sep, rest = client_id.partition(":")
    if not sep or head not in CLIENT_ID_PREFIXES or not rest:
        raise _invalid("the verifier's client_id uses a client identifier prefix this wallet does not support "
                       f"(supported: {', '.join(p + ':' for p in CLIENT_ID_PREFIXES)})")
    return head, rest


def _json_param(value: Any, name: str) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise _invalid(f"the request parameter {name!r} is not JSON") from None
    return value


def _names(metadata: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in metadata.items():
        if isinstance(value, str) and value and (key == "client_name" or key.startswith("client_name#")):
            lang = key.split("#", 1)[1] if "#" in key else "und"
            out[lang[:16]] = value[:200]
    return out


def _purposes(query: Mapping[str, Any]) -> dict[str, str]:
    texts: dict[str, list[str]] = {}
    for cs in query.get("credential_sets") or ():
        if not isinstance(cs, Mapping):
            continue
        for key, value in cs.items():
            if isinstance(value, str) and value and (key == "purpose" or key.startswith("purpose#")):
                lang = "ja" if key == "purpose" else key.split("#", 1)[1][:16]
                if value not in texts.setdefault(lang, []):
                    texts[lang].append(value[:1000])
    return {lang: "\n".join(values) for lang, values in texts.items()}


class Oid4vpClient:
    """The HTTP and checking side of answering presentation requests.

    ``resolver`` resolves the verifier's DID (default: did:key, did:jwk offline, did:web over https);
    ``require_https`` refuses plain-http request and response URIs (False only for local tests).
    """

    def __init__(self, *, http: httpx.Client | None = None, resolver: DidResolver | None = None,
                 require_https: bool = True, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
                 skew: timedelta = DEFAULT_SKEW, clock: Callable[[], datetime] = _utc_now) -> None:
        self.http = WalletHttp(http=http, timeout=timeout, max_bytes=max_bytes, require_https=require_https)
        self.resolver = resolver or default_resolver()
        self.skew = skew
        self.clock = clock

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Oid4vpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading the request ---------------------------------------------------------------

    def open_request(self, link: str | Mapping[str, Any]) -> PresentationRequest:
        """The checked request behind ``link`` (a URI, or its parameters as a mapping)."""
        params = dict(link) if isinstance(link, Mapping) else self._link_params(link)
        client_id = params.get("client_id")
        if not isinstance(client_id, str) or not client_id:
            raise _invalid("the request has no client_id")
        prefix, _ = _split_prefix(client_id)  # before any fetch: an unsupported verifier is not contacted
        if "request_uri" in params:
            jwt, wallet_nonce = self._fetch_request_object(params)
            return self._from_request_object(jwt, client_id, wallet_nonce)
        if "request" in params:
            return self._from_request_object(str(params["request"]), client_id, None)
        if CLIENT_ID_PREFIXES[prefix]:
            raise _invalid("a decentralized_identifier request must come as a signed request object "
                           "(request or request_uri)")
        return self._checked(params, verified=False)

    @staticmethod
    def _link_params(link: str) -> dict[str, Any]:
        if not isinstance(link, str) or not link.strip():
            raise _invalid("paste the whole request link (openid4vp://?...)")
        query = urlsplit(link.strip()).query
        pairs = parse_qsl(query, keep_blank_values=True)
        names = [name for name, _ in pairs]
        if not pairs:
            raise _invalid("the link carries no presentation request (openid4vp://?client_id=...)")
        if len(set(names)) != len(names):
            raise _invalid("the request link repeats a parameter")
        return dict(pairs)

    def _fetch_request_object(self, params: Mapping[str, Any]) -> tuple[str, str | None]:
        uri = self.http.check_url(params["request_uri"], what="the request_uri")
        method = str(params.get("request_uri_method") or "get").lower()
        wallet_nonce = None
        if method == "post":
            wallet_nonce = secrets.token_urlsafe(16)
            status, headers, body = self.http.request("POST", uri, what="the request object",
                                                      data={"wallet_nonce": wallet_nonce},
                                                      headers={"Accept": f"application/{REQUEST_OBJECT_TYP}"})
        elif method == "get":
            status, headers, body = self.http.request("GET", uri, what="the request object",
                                                      headers={"Accept": f"application/{REQUEST_OBJECT_TYP}"})
        else:
            raise _invalid("request_uri_method must be get or post")
        if status != 200:
            error = None
            try:
                error = json_object(body, what="the error").get("errorCode")
            except WalletError:
                pass
            raise _invalid(f"the verifier did not hand over the request (HTTP {status}"
                           + (f", {error}" if isinstance(error, str) else "") + "); ask it for a new one",
                           status=status)
        try:
            return body.decode("ascii").strip(), wallet_nonce
        except UnicodeDecodeError:
            raise _invalid("the request object is not a JWT") from None

    def _from_request_object(self, jwt: str, client_id: str, wallet_nonce: str | None) -> PresentationRequest:
        try:
            jws = parse_compact(jwt)
            payload = jws.payload_json(what="the request object")
        except JoseError as exc:
            raise _invalid(f"the request object is not a readable JWT ({exc.code})") from None
        if jws.header.get("typ") != REQUEST_OBJECT_TYP:
            raise _invalid(f"the request object's typ must be {REQUEST_OBJECT_TYP}")
        if payload.get("client_id") != client_id:
            raise _invalid("the request object names another client_id than the link")
        prefix, identifier = _split_prefix(client_id)
        signed = jws.header.get("alg") not in (None, "none")
        if CLIENT_ID_PREFIXES[prefix]:
            if not signed:
                raise WalletError("the request claims to come from a DID but is not signed; it was not opened",
                                  code="REQUEST_SIGNATURE_INVALID")
            self._verify_signature(jwt, jws.header, identifier)
        elif signed:
            raise _invalid("a redirect_uri request must not be signed (OpenID4VP 1.0 section 5.9.3)")
        aud = payload.get("aud")
        if aud is not None and aud != STATIC_AUDIENCE and not (isinstance(aud, list) and STATIC_AUDIENCE in aud):
            raise _invalid("the request object is addressed to another wallet (aud)")
        now = self.clock()
        exp = payload.get("exp")
        expires_at = None
        if exp is not None:
            if not isinstance(exp, (int, float)) or isinstance(exp, bool):
                raise _invalid("the request object's exp must be a number")
            expires_at = datetime.fromtimestamp(exp, timezone.utc)
            if now > expires_at + self.skew:
                raise _invalid("the request has expired; ask the verifier for a new one")
        if wallet_nonce is not None and payload.get("wallet_nonce") != wallet_nonce:
            raise _invalid("the request object does not carry the wallet_nonce this wallet sent (a replay?)")
        return self._checked(payload, verified=CLIENT_ID_PREFIXES[prefix], expires_at=expires_at)

    def _verify_signature(self, jwt: str, header: Mapping[str, Any], did: str) -> None:
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid.startswith(did + "#"):
            raise WalletError("the request object's kid is not a key of the verifier's DID",
                              code="REQUEST_SIGNATURE_INVALID")
        try:
            key = self.resolver.verification_method_key(self.resolver.dereference(kid))
            verify_compact(jwt, key, typ=(REQUEST_OBJECT_TYP,))
        except (JoseError, DidError, KeyMaterialError) as exc:
            raise WalletError(f"the request's signature does not verify with the verifier's DID key ({exc.code}); "
                              "it was not opened", code="REQUEST_SIGNATURE_INVALID") from None

    def _checked(self, params: Mapping[str, Any], *, verified: bool,
                 expires_at: datetime | None = None) -> PresentationRequest:
        client_id = str(params.get("client_id"))
        prefix, identifier = _split_prefix(client_id)
        if params.get("response_type") != "vp_token":
            raise _invalid("response_type must be vp_token")
        if params.get("response_mode") != "direct_post":
            raise _invalid("this wallet answers with response_mode=direct_post only")
        response_uri = self.http.check_url(params.get("response_uri"), what="the response_uri")
        if prefix == "redirect_uri" and identifier != response_uri:
            raise _invalid("a redirect_uri client_id must be the response_uri")
        nonce = params.get("nonce")
        if not isinstance(nonce, str) or not nonce:
            raise _invalid("the request has no nonce")
        state = params.get("state")
        if state is not None and not isinstance(state, str):
            raise _invalid("state must be a string")
        query = check_dcql(_json_param(params.get("dcql_query"), "dcql_query"))
        metadata = _json_param(params.get("client_metadata") or {}, "client_metadata")
        if not isinstance(metadata, dict):
            raise _invalid("client_metadata must be an object")
        return PresentationRequest(
            client_id=client_id, prefix=prefix, verifier_id=identifier, verified=verified, response_uri=response_uri,
            nonce=nonce, dcql_query=query, state=state, verifier_name=_names(metadata), purpose=_purposes(query),
            client_metadata=metadata, expires_at=expires_at, params=dict(params))

    # --- answering ----------------------------------------------------------------------------

    def _post(self, request: PresentationRequest, form: dict[str, str]) -> VerifierReply:
        if request.state is not None:
            form["state"] = request.state
        status, _, body = self.http.request("POST", request.response_uri, what="the verifier's response endpoint",
                                            data=form, headers={"Accept": "application/json"}, code="RESPONSE_FAILED")
        try:
            parsed = json_object(body, what="the verifier's answer", code="RESPONSE_FAILED") if body.strip() else {}
        except WalletError:
            parsed = {}
        return VerifierReply(status, status == 200, parsed)

    def post_vp_token(self, request: PresentationRequest, vp_token: Mapping[str, Any]) -> VerifierReply:
        """POST ``vp_token`` (and ``state``) to the response URI, form-encoded (section 8.2)."""
        return self._post(request, {"vp_token": json.dumps(vp_token, ensure_ascii=False, separators=(",", ":"))})

    def post_error(self, request: PresentationRequest, error: str = "access_denied") -> VerifierReply:
        """Tell the verifier the resident declined (``access_denied``) or the wallet failed."""
        return self._post(request, {"error": error})


def present(store: WalletStore, client: Oid4vpClient, request: PresentationRequest, plan: PresentationPlan, *,
            now: datetime | None = None, loader: DocumentLoader | None = None) -> HistoryEntry:
    """Build the ``vp_token`` for the approved ``plan``, post it, and record it in the history.

    Returns the history entry when the verifier accepted; raises ``RESPONSE_FAILED`` (after recording
    a ``rejected`` entry: the claims did leave the wallet) when it did not or could not be reached.
    """
    vp_token = build_vp_token(plan, client_id=request.client_id, nonce=request.nonce, key_for=store.key, now=now,
                              loader=loader)
    shown = [disclosed_credential(c.credential, c.query_id, c.disclosed) for c in plan.credentials]
    history = DisclosureHistory(store)
    common = dict(client_id=request.client_id, verifier_name=request.verifier_name,
                  verifier_verified=request.verified, purpose=request.purpose, credentials=shown, at=now)
    try:
        reply = client.post_vp_token(request, vp_token)
    except WalletError as exc:
        entry = history.record(outcome=REJECTED, response={"error": "unreachable"}, **common)
        raise WalletError(f"the answer could not be delivered to the verifier: {exc.message}",
                          code="RESPONSE_FAILED", history_id=entry.id) from None
    entry = history.record(outcome=PRESENTED if reply.accepted else REJECTED, response=reply.to_record(), **common)
    if not reply.accepted:
        reason = reply.error_code or reply.error or f"HTTP {reply.status}"
        raise WalletError(f"the verifier did not accept the presentation ({reason})", code="RESPONSE_FAILED",
                          history_id=entry.id, status=reply.status, error_code=reply.error_code)
    return entry


def decline(store: WalletStore, client: Oid4vpClient | None, request: PresentationRequest, *,
            now: datetime | None = None) -> HistoryEntry:
    """Record the refusal and, when ``client`` is given, tell the verifier (``access_denied``);
    nothing is disclosed. A verifier that cannot be reached does not stop the refusal."""
    response: dict[str, Any] = {}
    if client is not None:
        try:
            response = client.post_error(request).to_record()
        except WalletError:
            response = {"error": "unreachable"}
    return DisclosureHistory(store).record(outcome=REFUSED, client_id=request.client_id,
                                           verifier_name=request.verifier_name, verifier_verified=request.verified,
                                           purpose=request.purpose, response=response, at=now)
