"""Credential offers (OpenID4VCI 1.0 section 4) with the pre-authorized code grant and a ``tx_code`` PIN.

An offer names the credential configurations of one certificate type and carries a pre-authorized code; the
claims wait, sealed, in the grant store until a wallet redeems the code. The PIN is delivered out of band
(read out at the counter, sent by post) and never stored in the clear.

>>> created = create_offer(store, settings, catalog.get("ResidentRecord"), claims, tx_code=True)
>>> created.offer_uri          # show as a QR code
'openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fcity.example.jp%2Foffers%2F...'
>>> created.tx_code            # tell the resident
'493027'
>>> created.offer_id           # the staff's handle: GET /offers/{offer_id}/credentials after redemption
'p2V1...'

A credential is about its holder unless the offer names another subject (``subject_is_holder=False``, with
or without ``subject_id``): a parent receives the child's certificate in the parent's wallet. It is then
issued as ``dc+sd-jwt`` only, bound (``cnf``) to the key of the wallet that redeems the offer, with ``sub``
naming the child (``subject_id``, else a fresh ``urn:uuid:``), so a verifier sees it is about someone else and
accepts it only with a Household or Representation credential linking the holder to that person by the
person claims ``familyName``, ``givenName`` and ``birthDate``, which the claims must therefore hold.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from issuers.catalog import CertificateType, validate_claims
from vc.errors import UsageError, WorkspaceError

from .grants import GrantStore
from .metadata import OID4VCI_FORMATS, PRE_AUTHORIZED_GRANT, configuration_id
from .settings import ServiceSettings

__all__ = ["CreatedOffer", "OFFER_SCHEME", "PERSON_CLAIMS", "create_offer", "offer_uri"]

OFFER_SCHEME = "openid-credential-offer://"
_TX_CODE_DESCRIPTION = "窓口でお伝えした番号を入力してください / Enter the PIN you were given at the counter"
#: the claims a credential about someone other than its holder must carry (verifier.policy.identity links by them)
PERSON_CLAIMS = ("familyName", "givenName", "birthDate")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")


@dataclass(frozen=True, slots=True)
class CreatedOffer:
    """A new offer: the offer object, its URIs (by reference and by value) and the PIN to hand over."""

    offer: dict[str, Any]
    offer_uri: str  # what the QR code shows: by reference when one was made, else by value
    by_value_uri: str
    reference_url: str | None
    tx_code: str | None
    expires_at: datetime
    credential_configuration_ids: tuple[str, ...]
    offer_id: str = ""  # the staff's handle for what the offer becomes (not in the offer the wallet sees)
    subject_id: str | None = None  # the credential's subject when it is not the holder

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (the staff endpoint's answer)."""
        return {
            "offer_id": self.offer_id,
            **({"subject": {"id": self.subject_id}} if self.subject_id is not None else {}),
            "offer_uri": self.offer_uri,
            "credential_offer": self.offer,
            "credential_offer_uri": self.reference_url,
            "by_value_uri": self.by_value_uri,
            "tx_code": self.tx_code,
            "expires_at": self.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "credential_configuration_ids": list(self.credential_configuration_ids),
        }


def offer_uri(*, offer: Mapping[str, Any] | None = None, reference_url: str | None = None) -> str:
    """``openid-credential-offer://?credential_offer=<json>`` or ``?credential_offer_uri=<url>``."""
    if (offer is None) == (reference_url is None):
        raise UsageError("give exactly one of offer and reference_url")
    if reference_url is not None:
        return f"{OFFER_SCHEME}?credential_offer_uri={quote(reference_url, safe='')}"
    text = json.dumps(offer, ensure_ascii=False, separators=(",", ":"))
    return f"{OFFER_SCHEME}?credential_offer={quote(text, safe='')}"


def _pin(tx_code: bool | str | None, length: int) -> str | None:
    if tx_code is None or tx_code is False:
        return None
    if tx_code is True:
        return "".join(secrets.choice("0123456789") for _ in range(length))
    if not isinstance(tx_code, str) or not tx_code.isascii() or not tx_code.isdigit() or not 4 <= len(tx_code) <= 12:
        raise WorkspaceError("a tx_code must be 4 to 12 digits (or true to draw one)", code="OFFER_INVALID")
    return tx_code


def _subject(subject_id: str | None, subject_is_holder: bool, claims: Mapping[str, Any],
             formats: list[str]) -> str | None:
    """The subject id of a credential about someone other than the holder (None: about the holder)."""
    if subject_is_holder and subject_id is None:
        return None
    if subject_id is not None and (not isinstance(subject_id, str) or len(subject_id) > 500
                                   or not _URI.match(subject_id)):
        raise WorkspaceError("subject.id must be a URI (a DID or e.g. urn:uuid:...) of at most 500 characters",
                             code="OFFER_INVALID")
    missing = [name for name in PERSON_CLAIMS if name not in claims]
    if missing:
        raise WorkspaceError(
            "a credential about someone other than its holder needs the subject's " + ", ".join(PERSON_CLAIMS)
            + " so a verifier can link them to the holder; missing: " + ", ".join(missing), code="OFFER_INVALID")
    unbound = [f for f in formats if not OID4VCI_FORMATS[f].binds_by_key]
    if unbound:
        raise WorkspaceError(
            f"a credential about someone other than its holder is offered as dc+sd-jwt only (bound to the holder's "
            f"key by cnf, its sub naming the subject); {', '.join(unbound)} name the holder as the subject",
            code="OFFER_INVALID")
    return subject_id or f"urn:uuid:{uuid.uuid4()}"


def create_offer(
    store: GrantStore,
    settings: ServiceSettings,
    ctype: CertificateType,
    claims: Mapping[str, Any],
    *,
    formats: Sequence[str] | None = None,
    tx_code: bool | str | None = None,
    by_reference: bool = True,
    ttl: timedelta | None = None,
    subject_id: str | None = None,
    subject_is_holder: bool = True,
    now: datetime | None = None,
) -> CreatedOffer:
    """Validate ``claims`` for ``ctype`` (CatalogError naming each bad field), store a pre-authorized code
    (and the offer itself when ``by_reference``) and the staff's record of the offer, and return the offer
    with its URIs, PIN and ``offer_id``.

    ``formats`` are OpenID4VCI format names (default: all of ``dc+sd-jwt``, ``jwt_vc_json``, ``ldp_vc``;
    ``dc+sd-jwt`` alone for a subject other than the holder); the wallet chooses one of the offered
    configurations. ``tx_code=True`` draws a numeric PIN. ``subject_id`` (or ``subject_is_holder=False``):
    the credential is about that person, not the holder (see the module docstring). WorkspaceError
    ``OFFER_INVALID`` names a bad format, PIN or subject.
    """
    validate_claims(ctype, claims)
    about_other = subject_id is not None or not subject_is_holder
    default = [f.name for f in OID4VCI_FORMATS.values() if f.binds_by_key or not about_other]
    chosen = list(formats) if formats else default
    unknown = [f for f in chosen if f not in OID4VCI_FORMATS]
    if unknown or len(set(chosen)) != len(chosen):
        raise WorkspaceError(f"formats must be distinct values from {', '.join(OID4VCI_FORMATS)}",
                             code="OFFER_INVALID")
    subject = _subject(subject_id, subject_is_holder, claims, chosen)
    now = now or settings.now()
    expires_at = now + (ttl or settings.offer_ttl)
    pin = _pin(tx_code, settings.tx_code_length)
    config_ids = tuple(configuration_id(ctype.id, f) for f in chosen)
    code = secrets.token_urlsafe(32)
    grant: dict[str, Any] = {"pre-authorized_code": code}
    if pin is not None:
        grant["tx_code"] = {"input_mode": "numeric", "length": len(pin), "description": _TX_CODE_DESCRIPTION}
    offer = {
        "credential_issuer": settings.public_url,
        "credential_configuration_ids": list(config_ids),
        "grants": {PRE_AUTHORIZED_GRANT: grant},
    }
    offer_id = secrets.token_urlsafe(16)
    payload = {"type": ctype.id, "version": ctype.version, "claims": dict(claims),
               "configurations": list(config_ids), "tx_code": pin is not None, "offer_id": offer_id}
    if subject is not None:
        payload["subject"] = {"id": subject}
    store.put("code", code, payload, expires_at=expires_at, check=pin, now=now)
    store.record_offer(offer_id, ctype.id, created_at=now, expires_at=expires_at)
    reference_url = None
    if by_reference:
        reference = secrets.token_urlsafe(32)
        store.put("offer", reference, offer, expires_at=expires_at)
        reference_url = settings.url(f"/offers/{reference}")
    by_value = offer_uri(offer=offer)
    return CreatedOffer(
        offer=offer,
        offer_uri=offer_uri(reference_url=reference_url) if reference_url else by_value,
        by_value_uri=by_value,
        reference_url=reference_url,
        tx_code=pin,
        expires_at=expires_at,
        credential_configuration_ids=config_ids,
        offer_id=offer_id,
        subject_id=subject,
    )
