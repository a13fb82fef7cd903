"""A small world of issuers and holders with throwaway keys, for the verifier tests.

Credentials are really signed: Data Integrity with ``vc.credentials.issue_credential`` and SD-JWT VC with
``vc.sdjwt``. Issuers are did:web DIDs resolved from preloaded documents. The jitsuin JSON-LD context is
bundled in the core loader (``vc/jsonld/contexts/jitsuin-v1.jsonld``), so the verifier needs nothing from
``issuers``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from vc.credentials import issue_credential
from vc.did import DidResolver, did_key, did_web_document
from vc.jsonld import DocumentLoader
from vc.keys import KeyPair
from vc.presentations import issue_presentation
from vc.sdjwt import issue_sd_jwt_vc, present_sd_jwt
from verifier import Policy, TrustEntry, TrustList

NOW = datetime(2025, 6, 2, 1, 0, tzinfo=timezone.utc)
AUDIENCE = "redirect_uri:https://city.example.lg.jp/verifier/response"
NONCE = "n-4c9f2a"
JITSUIN_CONTEXT = "https://w3id.org/jitsuin/v1"
VCT = "https://w3id.org/jitsuin/vct/{}/v1"

ISSUERS = {
    "city": "city.example.lg.jp",
    "hospital": "hospital.example.jp",
    "school": "school.example.ed.jp",
    "employer": "employer.example.co.jp",
    "partner_employer": "partner-employer.example.co.jp",
    "insurer": "kenpo.example.or.jp",
    "ministry": "digital.example.go.jp",
}


@dataclass
class World:
    keys: dict[str, KeyPair]
    resolver: DidResolver
    loader: DocumentLoader
    holder: KeyPair = field(default_factory=lambda: KeyPair.from_seed(b"holder-parent-key-0000000000000!"))
    child: KeyPair = field(default_factory=lambda: KeyPair.from_seed(b"child-key-000000000000000000000!"))
    partner: KeyPair = field(default_factory=lambda: KeyPair.from_seed(b"partner-key-00000000000000000000"))

    def did(self, issuer: str) -> str:
        return f"did:web:{ISSUERS[issuer]}"

    def vm(self, issuer: str) -> str:
        return f"{self.did(issuer)}#key-1"

    @property
    def holder_did(self) -> str:
        return did_key(self.holder.public)

    def trust(self, **extra: Iterable[str]) -> TrustList:
        """Each test issuer trusted for the types it issues (plus ``extra`` issuer -> types)."""
        types = {
            "city": ["ResidentRecordCredential", "HouseholdCredential", "ResidentTaxCertificateCredential",
                     "RepresentationCredential"],
            "hospital": ["BirthCertificateCredential"],
            "school": ["SchoolEnrollmentCredential"],
            "employer": ["EmploymentCertificateCredential", "WithholdingSlipCredential"],
            "partner_employer": ["EmploymentCertificateCredential"],
            "insurer": ["HealthInsuranceCredential"],
        }
        for name, more in extra.items():
            types.setdefault(name, []).extend(more)
        return TrustList(tuple(TrustEntry(types=frozenset(t), did=self.did(n)) for n, t in types.items()))

    def policy(self, **changes: Any) -> Policy:
        options: dict[str, Any] = {"trust_list": self.trust(), "resolver": self.resolver, "loader": self.loader,
                                   "check_status": False}
        options.update(changes)
        return Policy(**options)

    # --- issuing --------------------------------------------------------------------------------

    def di(self, issuer: str, type_name: str, claims: Mapping[str, Any], *, subject_id: str | None = "holder",
           valid_from: datetime | None = None, valid_until: datetime | None = None,
           schema_id: str | None = None, credential_id: str | None = None, extra: Mapping[str, Any] | None = None,
           key: KeyPair | None = None) -> dict[str, Any]:
        """A Data Integrity (eddsa-rdfc-2022) credential of ``type_name`` from ``issuer``."""
        subject: dict[str, Any] = {}
        if subject_id == "holder":
            subject["id"] = self.holder_did
        elif subject_id is not None:
            subject["id"] = subject_id
        subject.update(claims)
        valid_from = valid_from or NOW - timedelta(days=1)
        doc: dict[str, Any] = {
            "@context": ["https://www.w3.org/ns/credentials/v2", JITSUIN_CONTEXT],
            "type": ["VerifiableCredential", type_name],
            "issuer": self.did(issuer),
            "validFrom": valid_from.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "credentialSubject": subject,
        }
        if credential_id:
            doc["id"] = credential_id
        if valid_until:
            doc["validUntil"] = valid_until.strftime("%Y-%m-%dT%H:%M:%SZ")
        if schema_id:
            doc["credentialSchema"] = {"id": schema_id, "type": "JsonSchema"}
        doc.update(extra or {})
        return issue_credential(doc, key or self.keys[issuer], verification_method=self.vm(issuer), now=valid_from,
                                loader=self.loader)

    def sd(self, issuer: str, type_id: str, claims: Mapping[str, Any], *, sd: Iterable[Any] | None = None,
           holder: KeyPair | None | str = "holder", sub: str | None = None, issued: datetime | None = None,
           expires: datetime | None = None, status: Mapping[str, Any] | None = None) -> str:
        """An SD-JWT VC (vct for ``type_id``) from ``issuer``, bound to the holder key; every top-level claim
        selectively disclosable unless ``sd`` says which."""
        holder_key = self.holder if holder == "holder" else holder
        all_claims = dict(claims)
        if sub is not None:
            all_claims["sub"] = sub
        paths = list(sd) if sd is not None else [k for k in claims]
        return issue_sd_jwt_vc(all_claims, self.keys[issuer], vct=VCT.format(type_id), sd=paths,
                               holder_key=holder_key.public if isinstance(holder_key, KeyPair) else None,
                               iss=self.did(issuer), kid=self.vm(issuer), now=issued or NOW - timedelta(days=1),
                               expires=expires, status=status)

    def present(self, sd_jwt: str, *, disclose: Iterable[Any] | None = None, holder: KeyPair | None = None,
                aud: str = AUDIENCE, nonce: str = NONCE) -> str:
        """The SD-JWT with the chosen disclosures and a KB-JWT for the verifier."""
        return present_sd_jwt(sd_jwt, disclose=disclose, holder_key=holder or self.holder, aud=aud, nonce=nonce,
                              now=NOW - timedelta(seconds=10))

    def vp(self, credentials: list[Any], *, holder: KeyPair | None = None, challenge: str = NONCE,
           domain: str = AUDIENCE) -> dict[str, Any]:
        """A Data Integrity presentation signed by the holder (did:key) with challenge and domain."""
        return issue_presentation(credentials, holder or self.holder, challenge=challenge, domain=domain,
                                  now=NOW - timedelta(seconds=10), loader=self.loader)


@pytest.fixture(scope="session")
def world() -> World:
    keys = {name: KeyPair.from_seed(name.encode().ljust(32, b"-")[:32]) for name in ISSUERS}
    documents = [did_web_document(domain, [keys[name].public], key_ids=["key-1"]) for name, domain in ISSUERS.items()]
    resolver = DidResolver(preloaded=documents)
    loader = DocumentLoader()  # the bundled contexts, the jitsuin one included
    loader(JITSUIN_CONTEXT)  # ContextNotAllowedError if it were not
    return World(keys=keys, resolver=resolver, loader=loader)
