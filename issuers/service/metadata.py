"""OpenID4VCI 1.0 metadata generated from the catalog: one credential configuration per type and format.

Formats (a registry, :data:`OID4VCI_FORMATS`): ``dc+sd-jwt`` (``vct``, bound by ``cnf.jwk``), ``jwt_vc_json``
and ``ldp_vc`` (``credential_definition``, bound by ``credentialSubject.id`` = the holder's did:key or
did:jwk). Configuration ids are ``<type id>.<format>``, e.g. ``ResidentRecord.dc+sd-jwt``. Display names and
per-claim labels come from the type in Japanese and English (``credential_metadata``, section 12.2.4).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from issuers.catalog import CertificateType, describe_claims
from vc.model import CREDENTIALS_V2_CONTEXT

from .key_proofs import PROOF_ALGS
from .settings import ServiceSettings

__all__ = [
    "IssuerProfile",
    "OID4VCI_FORMATS",
    "OfferFormat",
    "PRE_AUTHORIZED_GRANT",
    "authorization_server_metadata",
    "configuration_id",
    "credential_configurations",
    "credential_issuer_metadata",
    "split_configuration_id",
]

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
LOCALES = ("ja", "en")
# the Data Integrity suite an ldp_vc is signed with, by the workspace key type
_CRYPTOSUITE_FOR_KEY = {"Ed25519": "eddsa-rdfc-2022", "P-256": "ecdsa-rdfc-2019"}


@dataclass(frozen=True, slots=True)
class IssuerProfile:
    """What the metadata says about the issuer itself: display name and signing key type.

    ``names``: the name by language tag (``ja``, ``en``), published with their ``locale`` so a wallet shows
    the resident's language; empty: ``name`` alone, with no locale.
    """

    name: str
    key_alg: str  # "Ed25519" | "P-256"
    jose_alg: str  # "EdDSA" | "ES256"
    names: Mapping[str, str] = field(default_factory=dict)

    def display(self) -> list[dict[str, str]]:
        """The issuer's ``display`` entries (OpenID4VCI section 12.2.4): one per language, Japanese first."""
        if not self.names:
            return [{"name": self.name}]
        order = [tag for tag in LOCALES if tag in self.names] + [tag for tag in self.names if tag not in LOCALES]
        return [{"name": self.names[tag], "locale": tag} for tag in order]

    @property
    def cryptosuite(self) -> str:
        """The Data Integrity suite for ``ldp_vc`` with this key."""
        return _CRYPTOSUITE_FOR_KEY[self.key_alg]


@dataclass(frozen=True, slots=True)
class OfferFormat:
    """An OpenID4VCI credential format: how it is described, bound and issued by the workspace."""

    name: str
    binding_methods: tuple[str, ...]
    claims_prefix: tuple[str, ...]  # where the type's claims sit in the credential
    binds_by_key: bool  # True: the holder's public key (cnf); False: the holder's DID (credentialSubject.id)

    def workspace_format(self, issuer: IssuerProfile) -> str:
        """The ``Workspace.issue`` format name for this OpenID4VCI format."""
        return issuer.cryptosuite if self.name == "ldp_vc" else self.name

    def configuration(self, ctype: CertificateType, issuer: IssuerProfile) -> dict[str, Any]:
        """The ``credential_configurations_supported`` entry for ``ctype`` in this format."""
        config: dict[str, Any] = {"format": self.name, "scope": ctype.id}
        types = ["VerifiableCredential", ctype.credential_type]
        if self.name == "dc+sd-jwt":
            config["vct"] = ctype.vct
        elif self.name == "ldp_vc":
            config["credential_definition"] = {"@context": [CREDENTIALS_V2_CONTEXT, ctype.context_url],
                                               "type": types}
        else:
            config["credential_definition"] = {"type": types}
        config["cryptographic_binding_methods_supported"] = list(self.binding_methods)
        config["credential_signing_alg_values_supported"] = [
            issuer.cryptosuite if self.name == "ldp_vc" else issuer.jose_alg]
        config["proof_types_supported"] = {"jwt": {"proof_signing_alg_values_supported": list(PROOF_ALGS)}}
        config["credential_metadata"] = {"display": _type_display(ctype), "claims": self._claims(ctype)}
        return config

    def _claims(self, ctype: CertificateType) -> list[dict[str, Any]]:
        out = []
        for info in describe_claims(ctype):
            entry: dict[str, Any] = {"path": [*self.claims_prefix, *info.path]}
            if info.required:
                entry["mandatory"] = True
            # jitsuin extension: the catalog's sensitivity (H/M/L), so wallets can mark sensitive claims
            entry["sensitivity"] = info.sensitivity
            entry["display"] = [{"name": info.labels[lang], "locale": lang} for lang in LOCALES if lang in info.labels]
            out.append(entry)
        return out


OID4VCI_FORMATS: Mapping[str, OfferFormat] = {
    f.name: f
    for f in (
        OfferFormat("dc+sd-jwt", ("jwk",), (), binds_by_key=True),
        OfferFormat("jwt_vc_json", ("did:key", "did:jwk"), ("credentialSubject",), binds_by_key=False),
        OfferFormat("ldp_vc", ("did:key", "did:jwk"), ("credentialSubject",), binds_by_key=False),
    )
}


def configuration_id(type_id: str, format_name: str) -> str:
    """``ResidentRecord`` + ``dc+sd-jwt`` -> ``ResidentRecord.dc+sd-jwt``."""
    return f"{type_id}.{format_name}"


def split_configuration_id(config_id: str) -> tuple[str, str] | None:
    """``(type id, format)`` of a configuration id, or None when it is not one of ours."""
    type_id, dot, format_name = config_id.partition(".")
    if not dot or not type_id or format_name not in OID4VCI_FORMATS:
        return None
    return type_id, format_name


def _type_display(ctype: CertificateType) -> list[dict[str, Any]]:
    out = []
    for lang in LOCALES:
        if lang in ctype.name:
            entry = {"name": ctype.name[lang], "locale": lang}
            if lang in ctype.description:
                entry["description"] = ctype.description[lang]
            out.append(entry)
    return out


def credential_configurations(types: Iterable[CertificateType], issuer: IssuerProfile) -> dict[str, dict[str, Any]]:
    """Every (type, format) configuration, keyed by configuration id."""
    return {
        configuration_id(ctype.id, fmt.name): fmt.configuration(ctype, issuer)
        for ctype in types
        for fmt in OID4VCI_FORMATS.values()
    }


def credential_issuer_metadata(settings: ServiceSettings, issuer: IssuerProfile,
                               configurations: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """The document at ``/.well-known/openid-credential-issuer`` (section 12.2)."""
    return {
        "credential_issuer": settings.public_url,
        "credential_endpoint": settings.url("/credential"),
        "nonce_endpoint": settings.url("/nonce"),
        "batch_credential_issuance": {"batch_size": settings.batch_size},
        "display": issuer.display(),
        "credential_configurations_supported": dict(configurations),
    }


def authorization_server_metadata(settings: ServiceSettings) -> dict[str, Any]:
    """The document at ``/.well-known/oauth-authorization-server`` (RFC 8414): the issuer is its own
    authorization server and grants only pre-authorized codes, to anonymous wallets."""
    return {
        "issuer": settings.public_url,
        "token_endpoint": settings.url("/token"),
        "response_types_supported": [],
        "grant_types_supported": [PRE_AUTHORIZED_GRANT],
        "token_endpoint_auth_methods_supported": ["none"],
        "pre-authorized_grant_anonymous_access_supported": True,
    }
