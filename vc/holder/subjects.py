"""Whom a stored credential is about, as the resident needs to tell two matching credentials apart.

A credential is about the holder when it names no other subject: an SD-JWT VC without ``sub`` (its
subject is whoever holds the ``cnf`` key), or whose ``sub``, like a W3C credential's
``credentialSubject.id``, is a DID of the wallet key it is bound to. A parent's wallet also holds
the child's certificates, bound to the parent's key with ``sub`` naming the child: not about the holder.

The summary also carries the subject's name claims (``familyName``, ``givenName``: at the subject's
top level, else in the first claim object that has them, e.g. a birth certificate's ``child``) and
when the credential was issued. They are shown to the resident only, never logged or recorded.

>>> summary = credential_subject(stored)
>>> summary.about_holder, summary.name_text(), summary.issued_at
(False, '山田 太郎', datetime.datetime(2026, 4, 1, 0, 0, tzinfo=datetime.timezone.utc))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from vc.did import did_key_public_key
from vc.did.jwk import did_jwk_public_jwk
from vc.errors import VcError
from vc.keys import jwk_thumbprint

from .claims import SD_FORMATS, ClaimPath, credential_document
from .records import StoredCredential

__all__ = ["SubjectSummary", "credential_subject"]

NAME_CLAIMS = ("familyName", "givenName")


@dataclass(frozen=True, slots=True)
class SubjectSummary:
    """Whom a credential is about (``about_holder``), the subject's name claims when it has them
    (``name_path``: the claim object holding them, ``()`` for the subject itself), and the issue time."""

    about_holder: bool
    name: tuple[str, ...] = ()
    name_path: ClaimPath = ()
    issued_at: datetime | None = None

    def name_text(self) -> str:
        """The subject's name as a Japanese document writes it (family name first), or ``""``."""
        return " ".join(self.name)


def _key_thumbprint(did: str) -> str | None:
    """The RFC 7638 thumbprint of the key a did:key / did:jwk encodes (other DIDs and URIs: None)."""
    did = did.split("#", 1)[0]
    try:
        if did.startswith("did:key:"):
            return did_key_public_key(did).thumbprint()
        if did.startswith("did:jwk:"):
            return jwk_thumbprint(did_jwk_public_jwk(did))
    except VcError:
        return None
    return None


def _subject_ids(stored: StoredCredential, document: Mapping[str, Any]) -> tuple[list[str], Mapping[str, Any]]:
    """The subject identifiers the credential names, and the claims object of its (first) subject."""
    if stored.format in SD_FORMATS:
        sub = document.get("sub")
        return ([sub] if isinstance(sub, str) else []), document
    subjects = document.get("credentialSubject")
    subjects = subjects if isinstance(subjects, list) else [subjects]
    objects = [s for s in subjects if isinstance(s, Mapping)]
    ids = [s["id"] for s in objects if isinstance(s.get("id"), str)]
    return ids, (objects[0] if objects else {})


def _about_holder(stored: StoredCredential, ids: list[str]) -> bool:
    if not ids:
        # an SD-JWT VC without sub is about the holder of its cnf key; a W3C credential without a
        # subject id names nobody the wallet can recognise
        return stored.format in SD_FORMATS and stored.key_id is not None
    return stored.key_id is not None and all(_key_thumbprint(i) == stored.key_id for i in ids)


def _name(stored: StoredCredential, subject: Mapping[str, Any]) -> tuple[tuple[str, ...], ClaimPath]:
    def names(obj: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(obj[n] for n in NAME_CLAIMS if isinstance(obj.get(n), str) and obj[n])

    own = names(subject)
    if own:
        return own, ()
    # the issuer's display order decides which object speaks for the subject (a birth certificate's child,
    # listed before the mother)
    prefix: ClaimPath = () if stored.format in SD_FORMATS else ("credentialSubject",)
    for claim in stored.claims:
        path = claim.path[len(prefix):] if claim.path[:len(prefix)] == prefix else ()
        if len(path) == 1 and isinstance(path[0], str) and isinstance(subject.get(path[0]), Mapping):
            found = names(subject[path[0]])
            if found:
                return found, claim.path
    return (), ()


def _issued_at(stored: StoredCredential, document: Mapping[str, Any]) -> datetime | None:
    if stored.format in SD_FORMATS:
        iat = document.get("iat")
        return datetime.fromtimestamp(iat, timezone.utc) if isinstance(iat, (int, float)) else None
    for name in ("validFrom", "issuanceDate", "iat", "nbf"):
        value = document.get(name)
        if isinstance(value, (int, float)):
            return datetime.fromtimestamp(value, timezone.utc)
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return None


def credential_subject(stored: StoredCredential, document: Mapping[str, Any] | None = None) -> SubjectSummary:
    """Whom ``stored`` is about, the subject's name claims and the issue time (``document``: its
    :func:`~vc.holder.claims.credential_document`, when already read)."""
    document = credential_document(stored) if document is None else document
    ids, subject = _subject_ids(stored, document)
    name, name_path = _name(stored, subject)
    return SubjectSummary(_about_holder(stored, ids), name, name_path, _issued_at(stored, document))
