"""Receive a credential into the wallet: OpenID4VCI, then checks, then the encrypted store.

:func:`receive_credential` takes a credential offer (link, QR payload or JSON) and the PIN, runs the
pre-authorized code flow with :mod:`vc.holder.oid4vci_client` using a fresh holder key for this
credential (so two verifiers cannot link presentations of different credentials by key), and keeps
the credential only when:

- it verifies (signature, data model, validity; ``CREDENTIAL_REJECTED`` with the failed codes);
- it is what the issuer's metadata describes (``METADATA_MISMATCH``): the configuration's format,
  its ``vct`` or ``credential_definition.type``, and an issuer key the Credential Issuer publishes
  (its JWT VC Issuer Metadata lists the signing key, or the issuer is the did:web of its host);
- it is bound to the wallet's key (``cnf.jwk`` or ``credentialSubject.id``; ``CREDENTIAL_REJECTED``).

Display data (the certificate's name, the issuer's name, per-claim labels and sensitivity) is
taken from the Credential Issuer Metadata and stored with the credential.

>>> stored = receive_credential(store, "openid-credential-offer://?credential_offer_uri=...", tx_code="493027")
>>> stored.display_name("ja"), stored.issuer_display_name("ja")
('出生証明書', '霞が関中央病院')
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import httpx

from vc.did import DidResolver, default_resolver, did_jwk, did_key
from vc.errors import VcError, WalletError
from vc.formats import credential_types, detect_format, verify
from vc.jose.jws import parse_compact
from vc.jsonld import DocumentLoader, default_loader, expand
from vc.keys import KeyPair, PublicKey
from vc.sdjwt import parse_sd_jwt

from .oid4vci_client import Oid4vciClient, ReceivedCredential, well_known_url
from .records import ClaimLabel, StoredCredential, StoredKey
from .store import WalletStore
from .transport import WalletHttp

__all__ = ["FORMAT_PREFERENCE", "check_received", "receive_credential", "stored_credential"]

# which offered configuration to take when an offer has several: selective disclosure first
FORMAT_PREFERENCE = ("dc+sd-jwt", "ldp_vc", "jwt_vc_json")
# the secured shape each OpenID4VCI format arrives in (vc.formats.detect_format names)
_SHAPES = {"dc+sd-jwt": "sd-jwt", "jwt_vc_json": "jwt", "ldp_vc": "ldp_vc"}


def _mismatch(message: str) -> WalletError:
    return WalletError(message + "; the credential was not stored", code="METADATA_MISMATCH")


def _rejected(message: str, **detail: Any) -> WalletError:
    return WalletError(message + "; the credential was not stored", code="CREDENTIAL_REJECTED", **detail)


def _locales(entries: Any) -> dict[str, str]:
    """``[{"name": ..., "locale": "ja"}, ...]`` -> ``{"ja": ...}`` (no locale: ``und``)."""
    out: dict[str, str] = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, Mapping) and isinstance(entry.get("name"), str):
            out.setdefault(str(entry.get("locale") or "und")[:16], entry["name"][:200])
    return out


def _descriptions(entries: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, Mapping) and isinstance(entry.get("description"), str):
            out.setdefault(str(entry.get("locale") or "und")[:16], entry["description"][:1000])
    return out


def _claim_labels(configuration: Mapping[str, Any]) -> tuple[ClaimLabel, ...]:
    meta = configuration.get("credential_metadata")
    claims = meta.get("claims") if isinstance(meta, Mapping) else configuration.get("claims")
    out = []
    for entry in claims if isinstance(claims, list) else []:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("path"), list):
            continue
        path = tuple(p for p in entry["path"] if p is None or isinstance(p, (str, int)))
        sensitivity = entry.get("sensitivity")
        out.append(ClaimLabel(path, _locales(entry.get("display")), bool(entry.get("mandatory")),
                              sensitivity if isinstance(sensitivity, str) else None))
    return tuple(out)


def _display(configuration: Mapping[str, Any]) -> Any:
    meta = configuration.get("credential_metadata")
    return meta.get("display") if isinstance(meta, Mapping) and "display" in meta else configuration.get("display")


def _signing_kid(credential: dict[str, Any] | str, shape: str) -> str | None:
    try:
        if shape == "sd-jwt":
            header = parse_compact(parse_sd_jwt(str(credential)).issuer_jwt).header
        elif shape == "jwt":
            header = parse_compact(str(credential)).header
        else:
            proof = credential.get("proof") if isinstance(credential, dict) else None
            proof = proof[0] if isinstance(proof, list) and proof else proof
            return proof.get("verificationMethod") if isinstance(proof, dict) else None
    except VcError:
        return None
    kid = header.get("kid")
    return kid if isinstance(kid, str) else None


def _issuer_publishes(credential_issuer: str, issuer: str | None, kid: str | None, key: PublicKey | None,
                      http: WalletHttp) -> bool:
    """The Credential Issuer vouches for the signing key: the issuer is the did:web of its host, or
    its JWT VC Issuer Metadata lists the key (by ``kid`` and value)."""
    host = urlsplit(credential_issuer).netloc
    if issuer and issuer.startswith("did:web:") and issuer.split(":")[2].replace("%3A", ":") == host:
        return True
    if kid is None:
        return False
    try:
        published = http.get_json(well_known_url(credential_issuer, "jwt-vc-issuer"), what="the issuer's keys",
                                  code="METADATA_MISMATCH")
    except WalletError:
        return False
    if published.get("issuer") != credential_issuer:
        return False
    keys = published.get("jwks", {}).get("keys") if isinstance(published.get("jwks"), Mapping) else None
    for jwk in keys if isinstance(keys, list) else []:
        if isinstance(jwk, Mapping) and jwk.get("kid") == kid:
            try:
                return key is None or PublicKey.from_jwk(dict(jwk)) == key
            except VcError:
                return False
    return False


def _type_iris(document: Mapping[str, Any], loader: DocumentLoader) -> tuple[str, ...]:
    if "@context" not in document:
        return ()
    try:
        typed = {"@context": document["@context"], "type": list(credential_types(document))}
        expanded = expand(typed, loader=loader)
    except VcError:
        return ()  # a context the loader does not hold: DCQL type_values then match the terms only
    return tuple(t for node in expanded if isinstance(node, dict) for t in node.get("@type", []) if isinstance(t, str))


def _issuer_id(document: Mapping[str, Any]) -> str | None:
    for name in ("iss", "issuer"):
        value = document.get(name)
        value = value.get("id") if isinstance(value, Mapping) else value
        if isinstance(value, str):
            return value
    return None


def _valid_until(document: Mapping[str, Any]) -> datetime | None:
    exp = document.get("exp")
    if isinstance(exp, (int, float)) and not isinstance(exp, bool):
        return datetime.fromtimestamp(exp, timezone.utc)
    for name in ("validUntil", "expirationDate"):
        value = document.get(name)
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return None
    return None


def check_received(received: ReceivedCredential, credential: dict[str, Any] | str, holder: KeyPair, *,
                   http: WalletHttp, resolver: DidResolver, loader: DocumentLoader, now: datetime) -> dict[str, Any]:
    """Verify one received credential against its signature, the issuer's metadata and the holder
    key; the verified document, or WalletError ``CREDENTIAL_REJECTED`` / ``METADATA_MISMATCH``."""
    configuration = received.configuration
    fmt = str(configuration.get("format") or received.format)
    shape = _SHAPES.get(fmt)
    if shape is None:
        raise _rejected(f"the credential format {fmt!r} is not one this wallet holds")
    try:
        actual = detect_format(credential)
    except VcError:
        raise _rejected("what the issuer sent is not a credential") from None
    if actual != shape:
        raise _mismatch(f"the issuer's metadata describes a {fmt} credential, but another format arrived")
    result = verify(credential, resolver=resolver, loader=loader, now=now, status=False)
    if not result.verified or not isinstance(result.document, dict):
        codes = [c.code for c in result.checks if not c.passed and c.code]
        raise _rejected("the credential does not verify (" + (", ".join(codes) or "unknown") + ")", codes=codes)
    document = result.document
    if shape == "jwt" and isinstance(document.get("vc"), Mapping):
        document = dict(document["vc"])
    if fmt == "dc+sd-jwt":
        if configuration.get("vct") and document.get("vct") != configuration["vct"]:
            raise _mismatch("the credential's vct is not the one the issuer's metadata offers")
        cnf = document.get("cnf")
        jwk = cnf.get("jwk") if isinstance(cnf, Mapping) else None
        try:
            bound = isinstance(jwk, Mapping) and PublicKey.from_jwk(dict(jwk)) == holder.public
        except VcError:
            bound = False
        if not bound:
            raise _rejected("the credential is not bound to this wallet's key (cnf)")
    else:
        definition = configuration.get("credential_definition")
        wanted = definition.get("type") if isinstance(definition, Mapping) else None
        if isinstance(wanted, list) and not set(wanted) <= set(credential_types(document)):
            raise _mismatch("the credential's types are not the ones the issuer's metadata offers")
        subject = document.get("credentialSubject")
        subject_id = subject.get("id") if isinstance(subject, Mapping) else None
        if subject_id not in (did_key(holder.public), did_jwk(holder.public)):
            raise _rejected("the credential's subject is not this wallet's key (credentialSubject.id)")
    kid = _signing_kid(credential, shape)
    issuer = _issuer_id(document)
    try:
        key = resolver.verification_method_key(resolver.dereference(kid)) if kid and kid.startswith("did:") else None
    except VcError:
        key = None
    if not _issuer_publishes(received.credential_issuer, issuer, kid, key, http):
        raise _mismatch("the credential is signed by a key its Credential Issuer does not publish")
    return document


def stored_credential(received: ReceivedCredential, credential: dict[str, Any] | str, document: Mapping[str, Any],
                      *, key_id: str, loader: DocumentLoader, now: datetime,
                      credential_id: str | None = None) -> StoredCredential:
    """The record the wallet keeps for a checked credential, with the issuer's display data."""
    configuration = received.configuration
    fmt = str(configuration.get("format") or received.format)
    display = _display(configuration)
    return StoredCredential(
        id=credential_id or secrets.token_hex(12),
        format=fmt,
        credential=credential,
        issuer=_issuer_id(document),
        types=credential_types(document),
        type_iris=_type_iris(document, loader) if fmt != "dc+sd-jwt" else (),
        received_at=now.astimezone(timezone.utc),  # full precision: "newest" must order two receipts in one second
        name=_locales(display),
        description=_descriptions(display),
        issuer_name=_locales(received.issuer_metadata.get("display")),
        credential_issuer=received.credential_issuer,
        configuration_id=received.credential_configuration_id,
        claims=_claim_labels(configuration),
        key_id=key_id,
        valid_until=_valid_until(document),
    )


def _choose_configuration(client: Oid4vciClient, offer: str | Mapping[str, Any],
                          preference: Sequence[str]) -> tuple[Mapping[str, Any], str]:
    resolved = client.resolve_offer(offer)
    metadata = client.issuer_metadata(resolved.credential_issuer)
    configurations = metadata["credential_configurations_supported"]
    offered = [c for c in resolved.credential_configuration_ids if isinstance(configurations.get(c), Mapping)]
    if not offered:
        raise _mismatch("the issuer's metadata describes none of the offered credentials")
    rank = {fmt: i for i, fmt in enumerate(preference)}
    offered.sort(key=lambda c: rank.get(str(configurations[c].get("format")), len(rank)))
    if str(configurations[offered[0]].get("format")) not in rank:
        raise _rejected("the offer holds no credential format this wallet can hold")
    return resolved.raw, offered[0]


def receive_credential(
    store: WalletStore,
    offer: str | Mapping[str, Any],
    *,
    tx_code: str | None = None,
    http: httpx.Client | None = None,
    require_https: bool = True,
    resolver: DidResolver | None = None,
    loader: DocumentLoader | None = None,
    key_alg: str = "Ed25519",
    format_preference: Sequence[str] = FORMAT_PREFERENCE,
    now: datetime | None = None,
) -> StoredCredential:
    """Receive the credential an offer grants, check it, and store it with a fresh holder key.

    Raises :class:`vc.errors.Oid4vciError` for a failed exchange (``TX_CODE_REQUIRED``,
    ``TOKEN_REFUSED`` for a wrong PIN ...) and WalletError ``CREDENTIAL_REJECTED`` /
    ``METADATA_MISMATCH`` for a credential that is not kept; nothing is stored then.
    """
    resolver = resolver or default_resolver()
    loader = loader or default_loader()
    checked_at = now or datetime.now(timezone.utc)  # key proof and verification: the real time
    key = KeyPair.generate(key_alg)
    with Oid4vciClient(http=http, require_https=require_https) as client, \
            WalletHttp(http=http, require_https=require_https) as wallet_http:
        resolved, config_id = _choose_configuration(client, offer, format_preference)
        received = client.receive(resolved, holder_key=key, tx_code=tx_code, credential_configuration_id=config_id,
                                  now=now)
        document = check_received(received, received.credential, key, http=wallet_http, resolver=resolver,
                                  loader=loader, now=checked_at)
    received_at = now or store.now()
    stored_key = StoredKey(key.public.thumbprint(), key, received_at.astimezone(timezone.utc).replace(microsecond=0),
                           label=config_id)
    stored = stored_credential(received, received.credential, document, key_id=stored_key.id, loader=loader,
                               now=received_at)
    return store.add_credential(stored, key=stored_key)
