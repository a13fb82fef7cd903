"""Who presented, and whom each credential is about: identifiers compared as plain strings.

How jitsuin compares holder and subject (documented choice):

- The **holder** is known by what the presentation proves: the ``holder`` DID of a Data Integrity or
  ``vp+jwt`` presentation whose proof verified, and, for each verified SD-JWT Key Binding JWT, the
  ``cnf`` key. A key is known by its RFC 9278 JWK thumbprint URI
  (``urn:ietf:params:oauth:jwk-thumbprint:sha-256:...``), its ``did:key`` and its ``did:jwk``, so a
  did:key holder and the same key in an SD-JWT ``cnf`` are one holder.
- A credential's **subject** is named by ``credentialSubject.id`` (VCDM) or ``sub`` (SD-JWT VC).
  When it names none, the subject is the holder of the ``cnf`` key (SD-JWT VC: the key binds the
  credential to its holder). An issuer that binds a credential about someone else (a child, a ward)
  to the applicant's key must therefore name that subject with ``sub`` / ``credentialSubject.id``.
- A credential is **the holder's own** when a subject identifier is a holder identifier. Otherwise
  it is about another person, known by the person claims ``familyName``, ``givenName`` and
  ``birthDate`` (catalog.md 2.0 PersonCore), which a Household member or a Representation's
  ``represented`` must match (``verifier.policy.links``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from vc.did import did_jwk, did_key
from vc.did.jwk import did_jwk_public_jwk
from vc.did.key import did_key_public_key
from vc.errors import VcError
from vc.keys import PublicKey

__all__ = [
    "JWK_THUMBPRINT_URI_PREFIX",
    "PersonKey",
    "cnf_identifiers",
    "did_identifiers",
    "key_identifiers",
    "person_key",
    "subject_identifiers",
]

JWK_THUMBPRINT_URI_PREFIX = "urn:ietf:params:oauth:jwk-thumbprint:sha-256:"


def key_identifiers(key: PublicKey) -> frozenset[str]:
    """The names a public key goes by: its JWK thumbprint URI, did:key and did:jwk."""
    return frozenset({JWK_THUMBPRINT_URI_PREFIX + key.thumbprint(), did_key(key), did_jwk(key)})


def did_identifiers(did: str) -> frozenset[str]:
    """``did`` plus, for a did:key / did:jwk, the other names of the key it encodes."""
    key: PublicKey | None = None
    try:
        if did.startswith("did:key:"):
            key = did_key_public_key(did)
        elif did.startswith("did:jwk:"):
            key = PublicKey.from_jwk(did_jwk_public_jwk(did))
    except VcError:
        key = None
    return frozenset({did}) | (key_identifiers(key) if key is not None else frozenset())


def cnf_identifiers(claims: Mapping[str, Any]) -> frozenset[str]:
    """The names of the holder key in an SD-JWT's ``cnf`` (``jwk``, ``jkt`` or a DID URL ``kid``)."""
    cnf = claims.get("cnf")
    if not isinstance(cnf, Mapping):
        return frozenset()
    out: set[str] = set()
    jwk = cnf.get("jwk")
    if isinstance(jwk, Mapping):
        try:
            out |= key_identifiers(PublicKey.from_jwk(dict(jwk)))
        except VcError:
            pass
    jkt = cnf.get("jkt")
    if isinstance(jkt, str) and jkt:
        out.add(JWK_THUMBPRINT_URI_PREFIX + jkt)
    kid = cnf.get("kid")
    if isinstance(kid, str) and kid.startswith("did:"):
        out |= did_identifiers(kid.split("#", 1)[0])
    return frozenset(out)


def subject_identifiers(subjects: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """The ``id``s of credential subjects (DIDs or other URIs), with a did:key/did:jwk's key names."""
    out: set[str] = set()
    for subject in subjects:
        sid = subject.get("id")
        if isinstance(sid, str) and sid:
            out |= did_identifiers(sid) if sid.startswith("did:") else {sid}
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class PersonKey:
    """A person as the certificates name them: family name, given name, date of birth (NFC-normalised)."""

    family_name: str
    given_name: str
    birth_date: str

    def describe(self) -> str:
        """Which fields are compared (never their values, which are personal data)."""
        return "familyName, givenName and birthDate"


def _norm(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    # NFC keeps ideographic variation selectors: an IVS-distinguished glyph stays distinct (catalog.md 3.5)
    text = unicodedata.normalize("NFC", value).strip()
    return text or None


def person_key(claims: Any) -> PersonKey | None:
    """The PersonKey of a claims object with ``familyName``, ``givenName`` and ``birthDate``; None if any is missing."""
    if not isinstance(claims, Mapping):
        return None
    family, given, birth = (_norm(claims.get(k)) for k in ("familyName", "givenName", "birthDate"))
    if family is None or given is None or birth is None:
        return None
    return PersonKey(family, given, birth)
