"""Credential offers (OpenID4VCI 1.0 section 4) with the pre-authorized code grant and a ``tx_code`` PIN.

An offer names the credential configurations of one certificate type and carries a pre-authorized code; the
claims wait, sealed, in the grant store until a wallet redeems the code. The PIN is delivered out of band
(read out at the counter, sent by post) and never stored in the clear.

>>> created = create_offer(store, settings, catalog.get("ResidentRecord"), claims, tx_code=True)
>>> created.offer_uri          # show as a QR code
'openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fcity.example.jp%2Foffers%2F...'
>>> created.tx_code            # tell the resident
'493027'
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from issuers.catalog import CertificateType, validate_claims
from vc.errors import UsageError

from .grants import GrantStore
from .metadata import OID4VCI_FORMATS, PRE_AUTHORIZED_GRANT, configuration_id
from .settings import ServiceSettings

__all__ = ["CreatedOffer", "OFFER_SCHEME", "create_offer", "offer_uri"]

OFFER_SCHEME = "openid-credential-offer://"
_TX_CODE_DESCRIPTION = "窓口でお伝えした番号を入力してください / Enter the PIN you were given at the counter"


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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (the staff endpoint's answer)."""
        return {
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
        raise UsageError("a tx_code must be 4 to 12 digits (or True to draw one)")
    return tx_code


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
    now: datetime | None = None,
) -> CreatedOffer:
    """Validate ``claims`` for ``ctype`` (CatalogError naming each bad field), store a pre-authorized code
    (and the offer itself when ``by_reference``), and return the offer with its URIs and PIN.

    ``formats`` are OpenID4VCI format names (default: all of ``dc+sd-jwt``, ``jwt_vc_json``, ``ldp_vc``);
    the wallet chooses one of the offered configurations. ``tx_code=True`` draws a numeric PIN.
    """
    validate_claims(ctype, claims)
    chosen = list(formats) if formats else list(OID4VCI_FORMATS)
    unknown = [f for f in chosen if f not in OID4VCI_FORMATS]
    if unknown or len(set(chosen)) != len(chosen):
        raise UsageError(f"formats must be distinct values from {', '.join(OID4VCI_FORMATS)}")
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
    payload = {"type": ctype.id, "version": ctype.version, "claims": dict(claims),
               "configurations": list(config_ids), "tx_code": pin is not None}
    store.put("code", code, payload, expires_at=expires_at, check=pin, now=now)
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
    )
