"""A small town on this machine: issuing institutions, one verifier and a resident's wallet, for the demo and the
examples.

Every service is the real one: each institution is an issuer workspace (``issuers.workspace``) served by the issuer
service (``issuers.service``: OpenID4VCI, status lists, its did:web document), the verifier is the verifier service
(``verifier.service``: OpenID4VP requests for the shipped procedures), all served by uvicorn in threads of this
process on free 127.0.0.1 ports. The wallet is the holder library (``vc.holder``) over an encrypted store.

Demo-only choices, each named here: the institutions are ``did:web:127.0.0.1%3A<port>`` issuers on plain http, so
the verifier's DID resolver and status list fetcher are told ``allow_http_for`` exactly those loopback authorities
(anywhere else did:web and status lists are https only); signing keys are stored unencrypted in a temporary folder;
the wallet's passphrase is fixed and its Argon2id cost is the minimum.

>>> with Town.open(folder, issuers=("hospital", "city")) as town:
...     town.issue_to_wallet("hospital", "BirthCertificate", claims)
...     created = town.request("birth-registration")
...     request = town.open_request(created["link"])
...     town.present(request, town.plan(request))
...     town.result(created)["outcome"]["form"]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import nacl.pwhash.argon2id as argon2id

from issuers.service import BackgroundServer, ServiceSettings, bind_socket, new_staff_token
from issuers.service import create_app as issuer_app
from issuers.workspace import Workspace
from vc.did import DidResolver, did_key
from vc.holder import (
    HistoryEntry,
    Oid4vpClient,
    PresentationPlan,
    PresentationRequest,
    StoredCredential,
    WalletStore,
    decline,
    match_dcql,
    plan_presentation,
    present,
    receive_credential,
)
from vc.holder.history import DisclosureHistory
from vc.jsonld import default_loader
from vc.keys import KeyPair
from vc.status import StatusChecker, StatusListFetcher
from verifier import Policy, TrustEntry, TrustList, builtin_procedures
from verifier.procedures import FieldOrigin, FilledField, FilledForm
from verifier.requests import VerifierIdentity
from verifier.service import ServiceSettings as VerifierSettings
from verifier.service import create_app as verifier_app
from verifier.service.auth import new_staff_token as new_verifier_token

__all__ = ["INSTITUTIONS", "JST", "WALLET_PASSPHRASE", "Institution", "InstitutionSpec", "Town", "filled_form", "today"]

JST = timezone(timedelta(hours=9), "JST")
WALLET_PASSPHRASE = "demo wallet passphrase (not a secret)"


@dataclass(frozen=True)
class InstitutionSpec:
    """Who an institution is: its names and its issuer kinds (which catalog types it may issue)."""

    id: str
    name: Mapping[str, str]
    kinds: tuple[str, ...]


INSTITUTIONS: Mapping[str, InstitutionSpec] = {s.id: s for s in (
    InstitutionSpec("hospital", {"ja": "霞が関中央病院", "en": "Kasumigaseki Central Hospital"}, ("medical_institution",)),
    InstitutionSpec("city", {"ja": "千代田区", "en": "Chiyoda City"}, ("municipality",)),
    InstitutionSpec("employer", {"ja": "株式会社霞が関商事", "en": "Kasumigaseki Trading Co., Ltd."}, ("employer",)),
    InstitutionSpec("school", {"ja": "千代田区立霞が関小学校", "en": "Kasumigaseki Elementary School"}, ("school",)),
    InstitutionSpec("insurer", {"ja": "霞が関商事健康保険組合", "en": "Kasumigaseki Trading Health Insurance Society"},
                    ("health_insurer",)),
)}


def today() -> date:
    """Today in Japan (certificate dates are Japanese calendar days)."""
    return datetime.now(JST).date()


@dataclass
class Institution:
    """A running issuer: its workspace, its service URL and a staff token for it."""

    spec: InstitutionSpec
    workspace: Workspace
    url: str
    staff_token: str

    @property
    def did(self) -> str:
        return self.workspace.issuer_did

    @property
    def authority(self) -> str:
        return self.url.removeprefix("http://")

    def type_names(self) -> frozenset[str]:
        """The credential types it issues, by name and by SD-JWT ``vct`` (what a trust entry lists)."""
        kinds = set(self.spec.kinds)
        names: set[str] = set()
        for ctype in self.workspace.catalog.list():
            if kinds & set(ctype.issuer_kinds):
                names |= {ctype.credential_type, ctype.vct}
        return frozenset(names)


def filled_form(data: Mapping[str, Any]) -> FilledForm:
    """A ``FilledForm`` back from its JSON (``FilledForm.to_dict``)."""
    fields = []
    for f in data.get("fields", []):
        source = f.get("source")
        origin = None
        if isinstance(source, Mapping):
            origin = FieldOrigin(requirement=source.get("credential", ""), credential_type=source.get("type", ""),
                                 issuer=source.get("issuer"), format=source.get("format", ""),
                                 path=source.get("path", ""), credential_id=source.get("credentialId"),
                                 query_id=source.get("queryId"))
        fields.append(FilledField(f["id"], dict(f.get("label", {})), f.get("value"), f.get("text", ""), origin,
                                  bool(f.get("required")), dict(f.get("texts", {}))))
    return FilledForm(str(data.get("procedure")), dict(data.get("title", {})), tuple(fields),
                      bool(data.get("verified")))


def _json(response: httpx.Response) -> dict[str, Any]:
    """The JSON body of a successful answer; a service's refusal becomes an error quoting its answer."""
    if response.status_code >= 400:
        raise RuntimeError(f"{response.request.method} {response.request.url} answered {response.status_code}: "
                           f"{response.text[:500]}")
    return response.json()  # type: ignore[no-any-return]


class Town:
    """The running services and the wallet; open with :meth:`Town.open`."""

    def __init__(self, institutions: dict[str, Institution], verifier_url: str, verifier_name: Mapping[str, str],
                 verifier_token: str, store: WalletStore, store_path: Path, resolver: DidResolver,
                 checker: StatusChecker, policy: Policy, http: httpx.Client, wallet_sock: Any,
                 stack: ExitStack) -> None:
        self.institutions = institutions
        self.verifier_url = verifier_url
        self.verifier_name = verifier_name
        self.verifier_token = verifier_token  # the verifier's staff (creating requests, the /staff pages)
        self.store = store
        self.store_path = store_path
        self.resolver = resolver
        self.checker = checker
        self.policy = policy  # the verifier's: each institution trusted for the types it issues
        self.http = http
        self.wallet = Oid4vpClient(http=http, resolver=resolver, require_https=False)
        self._wallet_sock = wallet_sock
        self._stack = stack
        self.wallet_url = f"http://127.0.0.1:{wallet_sock.getsockname()[1]}" if wallet_sock is not None else None

    @classmethod
    @contextmanager
    def open(cls, folder: str | Path, *, issuers: Iterable[str] = ("hospital", "city", "employer"),
             verifier_name: Mapping[str, str] | None = None, wallet_app: bool = False) -> Iterator[Town]:
        """Start the issuers named (keys of :data:`INSTITUTIONS`), the verifier and the wallet under ``folder``;
        everything stops on exit. ``wallet_app`` reserves a port for the wallet web app (:meth:`serve_wallet`)."""
        folder = Path(folder)
        with ExitStack() as stack:
            socks = {name: bind_socket() for name in issuers}
            for sock in socks.values():
                stack.callback(sock.close)
            institutions: dict[str, Institution] = {}
            servers: list[BackgroundServer] = []
            for name, sock in socks.items():
                spec = INSTITUTIONS[name]
                url = f"http://127.0.0.1:{sock.getsockname()[1]}"
                workspace = Workspace.init(folder / name, name=dict(spec.name), did_web=url.removeprefix("http://"),
                                           unencrypted=True, status_base_url=url, kinds=list(spec.kinds))
                stack.callback(workspace.close)
                token, digest = new_staff_token()
                app = issuer_app(workspace, staff_tokens=[digest], settings=ServiceSettings(public_url=url))
                stack.callback(app.state.jitsuin.close)
                servers.append(stack.enter_context(BackgroundServer(app, sock=sock)))
                institutions[name] = Institution(spec, workspace, url, token)

            # demo only: these loopback authorities may be reached over http (did:web documents, status lists)
            authorities = [i.authority for i in institutions.values()]
            resolver = DidResolver(allow_http_for=authorities)
            loader = default_loader()
            checker = StatusChecker(fetcher=StatusListFetcher(allow_http_for=authorities), resolver=resolver,
                                    loader=loader)
            trust = TrustList(tuple(TrustEntry(types=i.type_names(), did=i.did, name=dict(i.spec.name))
                                    for i in institutions.values()))
            policy = Policy(trust_list=trust, resolver=resolver, loader=loader, status_checker=checker)

            verifier_sock = bind_socket()
            wallet_sock = bind_socket() if wallet_app else None
            for sock in (verifier_sock, wallet_sock):
                if sock is not None:
                    stack.callback(sock.close)
            verifier_url = f"http://127.0.0.1:{verifier_sock.getsockname()[1]}"
            key = KeyPair.generate("Ed25519")  # the verifier signs its requests as a did:key
            did = did_key(key.public)
            verifier_name = dict(verifier_name or INSTITUTIONS["city"].name)
            identity = VerifierIdentity(base_url=verifier_url, name=verifier_name,
                                        prefix="decentralized_identifier", did=did, key=key,
                                        kid=f"{did}#{did.removeprefix('did:key:')}")
            scheme = f"http://127.0.0.1:{wallet_sock.getsockname()[1]}/present" if wallet_sock else "openid4vp://"
            verifier_token, verifier_digest = new_verifier_token()
            settings = VerifierSettings(identity=identity, wallet_scheme=scheme, staff_tokens=(verifier_digest,))
            verifier = verifier_app(settings, policy=policy, procedures=builtin_procedures())
            servers.append(stack.enter_context(BackgroundServer(verifier, sock=verifier_sock)))
            # on exit every server is told to stop first, so they wind down side by side, not one after another
            stack.callback(lambda: [server.request_stop() for server in servers])

            store_path = folder / "wallet.db"
            store = WalletStore.create(store_path, WALLET_PASSPHRASE, opslimit=argon2id.OPSLIMIT_MIN,
                                       memlimit=argon2id.MEMLIMIT_MIN)
            stack.callback(store.close)
            http = stack.enter_context(httpx.Client(timeout=30.0))
            town = cls(institutions, verifier_url, verifier_name, verifier_token, store, store_path, resolver, checker,
                       policy, http, wallet_sock, stack)
            stack.callback(town.wallet.close)
            yield town

    # --- institutions -------------------------------------------------------------------------

    def institution(self, name: str) -> Institution:
        return self.institutions[name]

    def name_of(self, did: str | None, lang: str = "ja") -> str:
        """An issuer's display name for its DID (the DID itself when it is not one of the town's)."""
        for inst in self.institutions.values():
            if inst.did == did:
                return inst.spec.name.get(lang) or inst.spec.name["ja"]
        return did or "?"

    def render(self, form: FilledForm | Mapping[str, Any], *, lang: str = "ja") -> str:
        """A filled form as a table (``FilledForm.render_table``) naming issuers instead of their DIDs; ``form``
        is a ``FilledForm`` or its JSON (``to_dict``, as the verifier service returns it)."""
        if isinstance(form, Mapping):
            form = filled_form(form)
        fields = tuple(replace(f, origin=replace(f.origin, issuer=self.name_of(f.origin.issuer, lang)))
                       if f.origin is not None else f for f in form.fields)
        return replace(form, fields=fields).render_table(lang=lang)

    def offer(self, issuer: str, type_name: str, claims: Mapping[str, Any], *,
              formats: Iterable[str] = ("dc+sd-jwt",), subject: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """A credential offer made by the institution's staff (OpenID4VCI, with a PIN): ``offer_uri``, ``tx_code``,
        and ``offer_id`` for :meth:`issued_for`. ``subject`` (``{}`` or ``{"id": uri}``): the credential is about
        that person (a child), not the wallet's holder, though bound to the wallet's key."""
        inst = self.institutions[issuer]
        body: dict[str, Any] = {"type": type_name, "claims": dict(claims), "formats": list(formats), "tx_code": True}
        if subject is not None:
            body["subject"] = dict(subject)
        response = self.http.post(inst.url + "/offers", json=body,
                                  headers={"Authorization": f"Bearer {inst.staff_token}"})
        return _json(response)

    def receive(self, offer: Mapping[str, Any]) -> StoredCredential:
        """The wallet takes the offer with its PIN: token, key proof, credential, checks, store."""
        return receive_credential(self.store, offer["offer_uri"], tx_code=offer["tx_code"], http=self.http,
                                  require_https=False, resolver=self.resolver)

    def issue_to_wallet(self, issuer: str, type_name: str, claims: Mapping[str, Any]) -> StoredCredential:
        """Offer, then receive: the credential is in the wallet."""
        return self.receive(self.offer(issuer, type_name, claims))

    def issued_for(self, issuer: str, offer: Mapping[str, Any]) -> dict[str, Any]:
        """What the institution's records say an offer became (``GET /offers/{offer_id}/credentials``, staff):
        ``state`` and the ``credentials`` (``credentialId``, ``format``) issued when the wallet redeemed it. An
        SD-JWT VC carries no id; the issuer's records do."""
        inst = self.institutions[issuer]
        response = self.http.get(f"{inst.url}/offers/{offer['offer_id']}/credentials",
                                 headers={"Authorization": f"Bearer {inst.staff_token}"})
        return _json(response)

    def revoke(self, issuer: str, offer: Mapping[str, Any], *, reason: str = "unspecified") -> list[dict[str, Any]]:
        """The institution's staff revoke what an offer was redeemed for (VC-API ``/credentials/status``, each
        credential found by :meth:`issued_for`): the registry records it and the published status lists change
        at once. The service's answers, one per credential; LookupError when the offer was never redeemed."""
        inst = self.institutions[issuer]
        found = self.issued_for(issuer, offer)
        if not found["credentials"]:
            raise LookupError(f"{issuer}'s offer {offer['offer_id']} was not redeemed ({found['state']})")
        answers = []
        for issued in found["credentials"]:
            body = {"credentialId": issued["credentialId"], "status": True, "reason": reason,
                    "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}
            response = self.http.post(inst.url + "/credentials/status", json=body,
                                      headers={"Authorization": f"Bearer {inst.staff_token}"})
            answers.append(_json(response))
        return answers

    # --- the verifier (its staff side) ----------------------------------------------------------

    def request(self, procedure_id: str) -> dict[str, Any]:
        """A presentation request for a procedure: ``link`` for the wallet, ``result_url`` + token for the staff."""
        response = self.http.post(self.verifier_url + "/requests", json={"procedure": procedure_id},
                                  headers={"Authorization": f"Bearer {self.verifier_token}"})
        return _json(response)

    def result(self, created: Mapping[str, Any]) -> dict[str, Any]:
        """What the staff see: ``status`` and, once answered, the ``outcome`` (verdict, codes, filled form)."""
        response = self.http.get(created["result_url"], headers={"Authorization": f"Bearer {created['result_token']}"})
        return _json(response)

    # --- the wallet -------------------------------------------------------------------------------

    def open_request(self, link: str) -> PresentationRequest:
        """The wallet reads the request (fetching and verifying the signed request object)."""
        return self.wallet.open_request(link)

    def plan(self, request: PresentationRequest, *,
             approved: Mapping[str, Iterable[Iterable[str | int | None]]] | None = None,
             optional: Iterable[str] = (), chosen: Mapping[str, str] | None = None) -> PresentationPlan:
        """Exactly what would be disclosed: the requested claims of the newest matching credentials (``chosen``:
        per query id, the stored credential id to use instead). ``optional``: credential query ids whose optional
        credential sets the resident answers too (e.g. ``child``)."""
        match = match_dcql(request.dcql_query, self.store.credentials())
        wanted = set(optional)
        sets = [s.index for s in match.sets
                if not s.required and any(wanted & set(option) for option in s.options)]
        return plan_presentation(match, approved={k: [tuple(p) for p in v] for k, v in (approved or {}).items()},
                                 include_optional_sets=sets, chosen=chosen)

    def present(self, request: PresentationRequest, plan: PresentationPlan) -> HistoryEntry:
        """Send the approved presentation; WalletError ``RESPONSE_FAILED`` when the verifier refuses it."""
        return present(self.store, self.wallet, request, plan)

    def decline(self, request: PresentationRequest) -> HistoryEntry:
        """Tell the verifier no (``access_denied``); nothing is disclosed, the refusal is recorded."""
        return decline(self.store, self.wallet, request)

    def history(self) -> list[HistoryEntry]:
        """The resident's disclosure history, oldest first."""
        return list(reversed(DisclosureHistory(self.store).entries()))

    def serve_wallet(self) -> str | None:
        """Serve the sample wallet app (``examples.wallet``) over this wallet's file; its URL, or None when the app
        is not available or no port was reserved (``wallet_app=True``)."""
        if self._wallet_sock is None:
            return None
        try:
            from examples.wallet import create_app
        except ImportError:
            return None
        app = create_app(self.store_path, WALLET_PASSPHRASE, resolver=self.resolver, require_https=False)
        self._stack.callback(app.state.wallet.store.close)
        self._stack.enter_context(BackgroundServer(app, sock=self._wallet_sock))
        return self.wallet_url
