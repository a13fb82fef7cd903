"""Test support for the wallet app: the issuer service (a hospital's did:web workspace), the verifier
service (signed requests as decentralized_identifier:did:key) and the wallet app, each served by
uvicorn on 127.0.0.1 at a free port, in threads."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import nacl.pwhash.argon2id as argon2id

from examples.wallet import create_app as wallet_app
from issuers.service import BackgroundServer, ServiceSettings, bind_socket, new_staff_token
from issuers.service import create_app as issuer_app
from issuers.workspace import Workspace
from vc.did import DidResolver, did_key
from vc.keys import KeyPair
from vc.status import StatusChecker, StatusListFetcher
from verifier.policy import Policy, TrustEntry, TrustList
from verifier.requests import VerifierIdentity
from verifier.service import create_app as verifier_app
from verifier.service.settings import ServiceSettings as VerifierSettings

HOSPITAL = "霞が関中央病院"
VERIFIER_NAME = {"ja": "千代田区 戸籍住民課", "en": "Chiyoda City, Family Register Division"}
PASSPHRASE = "wallet passphrase for tests"


@dataclass
class Stack:
    issuer_url: str
    verifier_url: str
    wallet_url: str
    staff_token: str
    verifier_staff_token: str
    workspace: Workspace
    verifier_did: str
    store_path: Path
    http: httpx.Client

    def offer(self, type_name: str = "BirthCertificate", **body: Any) -> dict[str, Any]:
        """A credential offer made through the issuer's staff endpoint (with a PIN)."""
        body.setdefault("claims", dict(self.workspace.certificate_type(type_name).sample))
        body.setdefault("formats", ["dc+sd-jwt"])
        response = self.http.post(self.issuer_url + "/offers", json={"type": type_name, **body},
                                  headers={"Authorization": f"Bearer {self.staff_token}"})
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    def vct(self, type_name: str = "BirthCertificate") -> str:
        return self.workspace.certificate_type(type_name).vct

    def request(self, dcql_query: dict[str, Any], purpose: dict[str, str]) -> dict[str, Any]:
        """A presentation request made at the verifier (its link points at the wallet)."""
        response = self.http.post(self.verifier_url + "/requests", json={"dcql_query": dcql_query, "purpose": purpose},
                                  headers={"Authorization": f"Bearer {self.verifier_staff_token}"})
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    def result(self, created: dict[str, Any]) -> dict[str, Any]:
        response = self.http.get(created["result_url"], headers={"Authorization": f"Bearer {created['result_token']}"})
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]


@contextmanager
def wallet_stack(folder: Path) -> Iterator[Stack]:
    """The three services, ready; closed on exit."""
    with ExitStack() as stack:
        issuer_sock, verifier_sock, wallet_sock = bind_socket(), bind_socket(), bind_socket()
        issuer_url, verifier_url, wallet_url = (f"http://127.0.0.1:{s.getsockname()[1]}"
                                                for s in (issuer_sock, verifier_sock, wallet_sock))
        authority = issuer_url.removeprefix("http://")
        workspace = Workspace.init(folder / "hospital", name=HOSPITAL, did_web=authority, unencrypted=True,
                                   status_base_url=issuer_url, kinds=["medical_institution"])
        stack.callback(workspace.close)
        token, digest = new_staff_token()
        issuer = issuer_app(workspace, staff_tokens=[digest], settings=ServiceSettings(public_url=issuer_url))
        stack.callback(issuer.state.jitsuin.close)

        verifier_key = KeyPair.generate("Ed25519")
        did = did_key(verifier_key.public)
        identity = VerifierIdentity(base_url=verifier_url, name=dict(VERIFIER_NAME), prefix="decentralized_identifier",
                                    did=did, key=verifier_key, kid=f"{did}#{did.removeprefix('did:key:')}")
        resolver = DidResolver(allow_http_for=[authority])
        checker = StatusChecker(fetcher=StatusListFetcher(allow_http_for=[authority]), resolver=resolver,
                                loader=workspace.loader)
        vct = workspace.certificate_type("BirthCertificate").vct
        trusted = TrustEntry(types={vct}, did=workspace.issuer_did, name={"ja": HOSPITAL})
        policy = Policy(trust_list=TrustList((trusted,)),
                        resolver=resolver, loader=workspace.loader, status_checker=checker)
        verifier_staff = secrets.token_urlsafe(32)
        verifier = verifier_app(VerifierSettings(identity=identity, wallet_scheme=wallet_url + "/present",
                                                 staff_tokens=(verifier_staff,)), policy=policy)

        store_path = folder / "wallet.db"
        wallet = wallet_app(store_path, PASSPHRASE, opslimit=argon2id.OPSLIMIT_MIN, memlimit=argon2id.MEMLIMIT_MIN,
                            resolver=resolver, require_https=False)
        stack.callback(wallet.state.wallet.store.close)
        for app, sock in ((issuer, issuer_sock), (verifier, verifier_sock), (wallet, wallet_sock)):
            stack.enter_context(BackgroundServer(app, sock=sock))
        http = stack.enter_context(httpx.Client(timeout=30.0))
        yield Stack(issuer_url, verifier_url, wallet_url, token, verifier_staff, workspace, did, store_path, http)
