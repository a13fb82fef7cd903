"""Test support for the holder library: a fast wallet store and credentials put straight into it (an SD-JWT VC
birth certificate with the catalog's disclosure structure and labels, a Data Integrity credential)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import httpx
import nacl.pwhash.argon2id as argon2id

from vc.credentials import issue_credential
from vc.did import did_key
from vc.holder import ClaimLabel, Oid4vpClient, StoredCredential, WalletStore
from vc.jose.jws import sign_compact
from vc.keys import KeyPair
from vc.sdjwt import issue_sd_jwt_vc

T0 = datetime(2026, 4, 1, 9, 0, tzinfo=timezone.utc)
PASSPHRASE = "correct horse battery staple"
BIRTH_VCT = "https://w3id.org/jitsuin/vct/BirthCertificate/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"

BIRTH_CLAIMS: dict[str, Any] = {
    "child": {"familyName": "山田", "sex": 1},
    "birthDateTime": "2025-03-10T04:32:00+09:00",
    "mother": {"familyName": "山田", "givenName": "花子"},
    "birthWeightGrams": 3120,
    "gestationWeeks": 39,
    "attendant": {"role": "医師", "name": "佐藤 一郎"},
    "documentDate": "2025-03-10",
}
# the catalog's default: H and M claims disclosable (top level), L claims always visible
BIRTH_SD = [("child",), ("birthDateTime",), ("mother",), ("birthWeightGrams",), ("gestationWeeks",)]
BIRTH_LABELS = (
    ClaimLabel(("child",), {"ja": "子", "en": "Child"}, True, "M"),
    ClaimLabel(("child", "familyName"), {"ja": "子の氏", "en": "Child's family name"}, False, "M"),
    ClaimLabel(("child", "sex"), {"ja": "男女の別", "en": "Sex"}, True, "M"),
    ClaimLabel(("birthDateTime",), {"ja": "生まれたとき", "en": "Date and time of birth"}, True, "M"),
    ClaimLabel(("mother",), {"ja": "母の氏名", "en": "Mother's name"}, True, "M"),
    ClaimLabel(("birthWeightGrams",), {"ja": "体重（グラム）", "en": "Weight at birth (g)"}, False, "H"),
    ClaimLabel(("gestationWeeks",), {"ja": "妊娠週数（週）", "en": "Gestation (weeks)"}, False, "H"),
    ClaimLabel(("attendant",), {"ja": "証明者", "en": "Certified by"}, True, "L"),
    ClaimLabel(("documentDate",), {"ja": "証明書作成年月日", "en": "Date of the certificate"}, True, "L"),
)


def new_store(folder: Path, name: str = "wallet.db") -> WalletStore:
    """A wallet with libsodium's minimum Argon2id cost (fast tests; the default is higher)."""
    return WalletStore.create(folder / name, PASSPHRASE, opslimit=argon2id.OPSLIMIT_MIN,
                              memlimit=argon2id.MEMLIMIT_MIN, clock=lambda: T0)


def add_birth_certificate(store: WalletStore, issuer: KeyPair, *, credential_id: str = "birth-1",
                          sd: list[tuple[Any, ...]] | None = None, claims: dict[str, Any] | None = None,
                          received_at: datetime = T0) -> StoredCredential:
    """An SD-JWT VC birth certificate bound to a new holder key of ``store``."""
    holder = store.new_key()
    token = issue_sd_jwt_vc(dict(claims or BIRTH_CLAIMS), issuer, vct=BIRTH_VCT, sd=list(sd or BIRTH_SD),
                            holder_key=holder.key.public, now=T0 - timedelta(days=1))
    stored = StoredCredential(
        id=credential_id, format="dc+sd-jwt", credential=token, issuer=did_key(issuer.public), types=(BIRTH_VCT,),
        received_at=received_at, name={"ja": "出生証明書", "en": "Certificate of birth"},
        issuer_name={"ja": "霞が関中央病院"}, claims=BIRTH_LABELS, key_id=holder.id)
    return store.add_credential(stored)


def add_di_credential(store: WalletStore, issuer: KeyPair, *, credential_id: str = "degree-1",
                      type_name: str = "ExampleDegreeCredential") -> StoredCredential:
    """A Data Integrity credential whose subject is a new holder key's did:key."""
    holder = store.new_key()
    credential = issue_credential({
        "@context": [V2, EXAMPLES_V2],
        "type": ["VerifiableCredential", type_name],
        "issuer": did_key(issuer.public),
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": did_key(holder.key.public), "degree": {"name": "学士（工学）"}},
    }, issuer, now=T0 - timedelta(days=1))
    stored = StoredCredential(
        id=credential_id, format="ldp_vc", credential=credential, issuer=did_key(issuer.public),
        types=("VerifiableCredential", type_name),
        type_iris=("https://www.w3.org/2018/credentials#VerifiableCredential",
                   f"https://www.w3.org/ns/credentials/examples#{type_name}"),
        received_at=T0, name={"ja": "学位証明書"}, key_id=holder.id)
    return store.add_credential(stored)


def birth_query(*, optional_weight: bool = True, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sex, time of birth and mother required; the weight optional (a claim set without it)."""
    claims = [{"id": "sex", "path": ["child", "sex"]}, {"id": "born", "path": ["birthDateTime"]},
              {"id": "mother", "path": ["mother"]}, {"id": "weight", "path": ["birthWeightGrams"]}]
    query: dict[str, Any] = {"id": "birth", "format": "dc+sd-jwt", "meta": {"vct_values": [BIRTH_VCT]},
                             "claims": claims}
    if optional_weight:
        query["claim_sets"] = [["sex", "born", "mother", "weight"], ["sex", "born", "mother"]]
    query.update(extra or {})
    return {"credentials": [query]}


# --- a verifier serving request objects -----------------------------------------------------------

REQUEST_OBJECT_TYP = "oauth-authz-req+jwt"


def kid_of(did: str) -> str:
    """The DID URL of a did:key's only key."""
    return f"{did}#{did.removeprefix('did:key:')}"


class FakeVerifier:
    """Serves one request object at /request and records every request it gets."""

    def __init__(self, key: KeyPair) -> None:
        self.key = key
        self.did = did_key(key.public)
        self.client_id = f"decentralized_identifier:{self.did}"
        self.object = ""
        self.requests: list[httpx.Request] = []
        self.echo_nonce = True

    def params(self, **change: Any) -> dict[str, Any]:
        params = {"response_type": "vp_token", "response_mode": "direct_post", "client_id": self.client_id,
                  "response_uri": "https://verifier.example/responses/1", "nonce": "n-1", "state": "s-1",
                  "dcql_query": birth_query(), "client_metadata": {"client_name#ja": "千代田区 戸籍住民課"},
                  "aud": "https://self-issued.me/v2",
                  "exp": int((datetime.now(timezone.utc) + timedelta(minutes=5)).timestamp())}
        params.update(change)
        return {k: v for k, v in params.items() if v is not None}

    def sign(self, params: dict[str, Any], *, key: KeyPair | None = None, kid: str | None = None) -> str:
        return sign_compact(params, key or self.key, header={"typ": REQUEST_OBJECT_TYP, "kid": kid or kid_of(self.did)})

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/request":
            body = self.object
            if request.method == "POST" and self.echo_nonce:
                nonce = parse_qs(request.content.decode())["wallet_nonce"][0]
                body = self.sign({**self.params(), "wallet_nonce": nonce})
            return httpx.Response(200, text=body, headers={"content-type": f"application/{REQUEST_OBJECT_TYP}"})
        return httpx.Response(200, json={})

    def link(self, **extra: str) -> str:
        return "openid4vp://?" + urlencode({"client_id": self.client_id,
                                            "request_uri": "https://verifier.example/request", **extra})

    def http(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handle))

    def client(self) -> Oid4vpClient:
        return Oid4vpClient(http=self.http())
