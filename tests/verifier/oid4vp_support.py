"""Test support for the verifier service: a live server (uvicorn on 127.0.0.1, a free port, in a
thread), a clock tests can move, issuers and a wallet built from the library.

The conftests of tests/verifier/requests and tests/verifier/service import its fixtures; test modules
import it as ``tests.verifier.oid4vp_support``.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import uvicorn

from vc.credentials import issue_credential
from vc.did import did_key
from vc.encoding.base64url import b64url_decode
from vc.jose.jws import verify_compact
from vc.keys import KeyPair
from vc.presentations import issue_presentation
from vc.sdjwt import issue_sd_jwt_vc, present_sd_jwt

#: the staff token every ``serve`` server accepts (its digest is configured, as a deployment would)
STAFF_TOKEN = "staff-token-for-tests-0123456789abcdefghijk"
STAFF = {"Authorization": f"Bearer {STAFF_TOKEN}"}

V2 = "https://www.w3.org/ns/credentials/v2"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
T0 = datetime(2026, 4, 1, 9, 0, tzinfo=timezone.utc)


class Clock:
    """A settable clock: the service reads it, tests move it (no sleeping)."""

    def __init__(self, start: datetime = T0) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


class LiveServer:
    """``app_factory(base_url)`` served by uvicorn on 127.0.0.1 at a free port, in a thread."""

    def __init__(self, app_factory: Callable[[str], Any]) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.app = app_factory(self.base_url)
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)
        self.sock.close()


# --- issuers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    key: KeyPair
    did: str

    @classmethod
    def new(cls) -> Issuer:
        key = KeyPair.generate("Ed25519")
        return cls(key, did_key(key.public))

    def sd_jwt_vc(self, vct: str, claims: Mapping[str, Any], *, holder: KeyPair, sd: Sequence[Any], now: datetime = T0,
                  expires: datetime | None = None) -> str:
        return issue_sd_jwt_vc(dict(claims), self.key, vct=vct, sd=list(sd), holder_key=holder.public,
                               now=now - timedelta(days=1), expires=expires)

    def di_credential(self, type_name: str, subject: Mapping[str, Any], *, now: datetime = T0) -> dict[str, Any]:
        credential = {
            "@context": [V2, EXAMPLES_V2],
            "type": ["VerifiableCredential", type_name],
            "issuer": self.did,
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": dict(subject),
        }
        return issue_credential(credential, self.key, now=now - timedelta(days=1))


# --- the wallet ------------------------------------------------------------------------------


def _unverified_payload(jwt: str) -> tuple[dict[str, Any], dict[str, Any]]:
    head, body, _ = jwt.split(".")
    return json.loads(b64url_decode(head)), json.loads(b64url_decode(body))


@dataclass
class Wallet:
    """A holder: its key, and what a wallet does with an OpenID4VP request link."""

    key: KeyPair = field(default_factory=lambda: KeyPair.generate("Ed25519"))

    @property
    def did(self) -> str:
        return did_key(self.key.public)

    def open(self, link: str, http: httpx.Client) -> dict[str, Any]:
        """The request parameters behind ``link``: fetched from request_uri (checking the request
        object's typ, client_id and, when signed, its signature by the verifier's DID key)."""
        query = dict(parse_qsl(urlsplit(link).query))
        if "request_uri" not in query:
            params: dict[str, Any] = dict(query)
            for name in ("dcql_query", "client_metadata"):
                params[name] = json.loads(params[name])
            return params
        answer = http.get(query["request_uri"])
        answer.raise_for_status()
        assert answer.headers["content-type"].startswith("application/oauth-authz-req+jwt")
        header, params = _unverified_payload(answer.text)
        assert header["typ"] == "oauth-authz-req+jwt"
        assert params["client_id"] == query["client_id"]
        if header["alg"] != "none":
            from vc.did import default_resolver

            did = params["client_id"].removeprefix("decentralized_identifier:")
            assert header["kid"].startswith(did + "#")
            resolver = default_resolver()
            key = resolver.verification_method_key(resolver.dereference(header["kid"]))
            verify_compact(answer.text, key, typ=("oauth-authz-req+jwt",))
        else:
            assert params["client_id"].startswith("redirect_uri:")
        return params

    def present_sd_jwt(self, sd_jwt: str, params: Mapping[str, Any], query_id: str, *,
                       aud: str | None = None, nonce: str | None = None, extra: Sequence[Any] = ()) -> str:
        """An SD-JWT+KB disclosing what the query asks for (plus ``extra`` paths)."""
        cq = next(c for c in params["dcql_query"]["credentials"] if c["id"] == query_id)
        paths = [c["path"] for c in cq.get("claims", [])] + list(extra)
        return present_sd_jwt(sd_jwt, disclose=paths, holder_key=self.key, aud=aud or params["client_id"],
                              nonce=nonce or params["nonce"], now=T0)

    def present_di(self, credentials: Sequence[Mapping[str, Any]], params: Mapping[str, Any], *,
                   domain: str | None = None, challenge: str | None = None) -> dict[str, Any]:
        """A Data Integrity presentation with challenge = nonce and domain = client_id."""
        return issue_presentation(list(credentials), self.key, challenge=challenge or params["nonce"],
                                  domain=domain or params["client_id"], now=T0)

    def respond(self, params: Mapping[str, Any], vp_token: Mapping[str, list[Any]], http: httpx.Client, *,
                state: str | None = None, response_uri: str | None = None) -> httpx.Response:
        """POST the direct_post response (form-encoded ``vp_token`` and ``state``)."""
        form = {"vp_token": json.dumps(vp_token, ensure_ascii=False), "state": state or params["state"]}
        return http.post(response_uri or params["response_uri"], data=form)


def staff_login(http: httpx.Client, token: str = STAFF_TOKEN) -> httpx.Response:
    """Log ``http`` in to the staff pages (the login form, as a browser posts it)."""
    return http.post("/staff/login", data={"token": token, "next": "/staff"}, follow_redirects=False)


# --- fixtures (re-exported by the conftests) ---------------------------------------------------

import pytest  # noqa: E402


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def hospital() -> Issuer:
    return Issuer.new()


@pytest.fixture(scope="session")
def city() -> Issuer:
    return Issuer.new()


@pytest.fixture
def wallet() -> Wallet:
    return Wallet()


@pytest.fixture
def serve(clock: Clock):  # type: ignore[no-untyped-def]
    """``serve(**options) -> LiveServer`` of ``create_app`` (stopped after the test).

    Options: ``prefix`` (``redirect_uri`` or ``decentralized_identifier``), ``policy``,
    ``vcapi_policy``, ``procedures``, ``audit``, ``store`` and ``ServiceSettings`` fields (``staff_tokens``
    defaults to the digest of ``STAFF_TOKEN``).
    """
    from verifier.requests import VerifierIdentity
    from verifier.service import ServiceSettings, create_app
    from verifier.service.auth import hash_staff_token

    servers: list[LiveServer] = []

    def start(*, prefix: str = "redirect_uri", policy: Any = None, vcapi_policy: Any = None, procedures: Any = None,
              audit: Any = None, store: Any = None, **settings: Any) -> LiveServer:
        def factory(base_url: str) -> Any:
            extra: dict[str, Any] = {}
            if prefix == "decentralized_identifier":
                key = KeyPair.generate("Ed25519")
                did = did_key(key.public)
                extra = {"did": did, "key": key, "kid": f"{did}#{did.removeprefix('did:key:')}"}
            identity = VerifierIdentity(base_url, name={"ja": "みどり市役所", "en": "Midori City Hall"}, prefix=prefix, **extra)
            settings.setdefault("staff_tokens", (hash_staff_token(STAFF_TOKEN),))
            return create_app(ServiceSettings(identity, clock=clock, **settings), policy=policy,
                              vcapi_policy=vcapi_policy, procedures=procedures, audit=audit, store=store)

        server = LiveServer(factory)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


BIRTH_VCT = "https://w3id.org/jitsuin/vct/BirthCertificate/v1"


def trust_policy(hospital: Issuer, city: Issuer, **options: Any) -> Any:
    """A policy trusting the hospital for birth certificates and the city for resident records only."""
    from verifier import Policy, TrustEntry, TrustList

    entries = (TrustEntry(types=frozenset({BIRTH_VCT, "BirthCertificateCredential"}), did=hospital.did),
               TrustEntry(types=frozenset({"ResidentRecordCredential"}), did=city.did))
    options.setdefault("subject_must_be_holder", False)
    return Policy(trust_list=TrustList(entries=entries), **options)


def moving_in_procedure() -> Any:
    """A small procedure: a birth certificate (SD-JWT VC) and the holder's resident record (Data Integrity)."""
    from verifier import Procedure

    return Procedure.from_dict({
        "id": "moving-in", "version": "1",
        "name": {"ja": "転入届", "en": "Moving-in notification"},
        "purpose": {"ja": "転入届の記入のため", "en": "To fill in the moving-in notification"},
        "scope": ["転入届"],
        "credentials": [
            {"id": "birth", "type": "BirthCertificateCredential", "vct": BIRTH_VCT, "formats": ["dc+sd-jwt"],
             "subject": "any", "claims": [{"path": ["child", "name"]}, {"path": ["child", "birthDate"]}]},
            {"id": "resident", "type": "ResidentRecordCredential",
             "typeIri": "https://www.w3.org/ns/credentials/examples#ResidentRecordCredential", "formats": ["ldp_vc"],
             "subject": "holder", "claims": [{"path": ["name"]}, {"path": ["address"]}]},
        ],
        "form": {"title": {"ja": "転入届", "en": "Moving-in notification"}, "fields": [
            {"id": "child_name", "label": {"ja": "子の氏名", "en": "Child's name"},
             "from": [{"credential": "birth", "path": ["child", "name"]}], "required": True},
            {"id": "notifier_name", "label": {"ja": "届出人の氏名", "en": "Notifier's name"},
             "from": [{"credential": "resident", "path": ["name"]}], "required": True},
            {"id": "new_address", "label": {"ja": "住所", "en": "Address"},
             "from": [{"credential": "resident", "path": ["address"]}]},
        ]},
    })
