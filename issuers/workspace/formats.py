"""The credential formats a workspace issues in, by name: how each adds status and signs.

- Data Integrity (``eddsa-rdfc-2022``, ``eddsa-jcs-2022``, ``ecdsa-rdfc-2019``): the VCDM 2.0 credential
  with ``BitstringStatusListEntry`` objects in ``credentialStatus``, a proof by the workspace key.
- ``vc+jwt`` (alias ``jwt_vc_json``, the OpenID4VCI name the catalog uses): the same credential as a
  compact JWS.
- ``dc+sd-jwt``: an SD-JWT VC of the subject claims with the type's default selectively disclosable
  paths (catalog sensitivity H and M), ``vct`` from the type, ``cnf`` from the holder key and the
  Token Status List ``status.status_list`` claim.

>>> get_format("dc+sd-jwt").suffix
'.sd-jwt'
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from issuers.catalog import CertificateType, sd_paths
from issuers.registry import Registration, credential_status_entries, token_status_claim
from vc.errors import WorkspaceError
from vc.jsonld import DocumentLoader
from vc.keys import KeyPair
from vc.model import parse_datetime
from vc.sdjwt import issue_sd_jwt_vc
from vc.securing import secure_credential

from .holder import Holder

__all__ = ["FORMATS", "CredentialFormat", "SignRequest", "format_names", "get_format", "present_paths"]


@dataclass(frozen=True, slots=True)
class SignRequest:
    """Everything a format needs to secure one credential.

    ``credential`` is the unsigned VCDM 2.0 credential from the catalog (id, validity, subject, derived
    predicates; no ``credentialStatus``); ``registration`` the registry row (None: no status).
    """

    credential: Mapping[str, Any]
    ctype: CertificateType
    key: KeyPair
    verification_method: str
    registration: Registration | None
    holder: Holder
    now: datetime
    loader: DocumentLoader


@dataclass(frozen=True, slots=True)
class CredentialFormat:
    """A format: its name, the key types that can sign it, its file suffix and media type, its signer."""

    name: str
    key_algs: frozenset[str]
    suffix: str
    media_type: str
    sign: Callable[[SignRequest], dict[str, Any] | str]
    needs_holder_key: bool = False  # binding needs the key itself, not only a DID

    @property
    def compact(self) -> bool:
        """True when the signed credential is a string (JWS / SD-JWT), not a JSON object."""
        return self.suffix != ".json"

    def check_key(self, alg: str) -> None:
        """WorkspaceError FORMAT_KEY_MISMATCH unless a key of type ``alg`` can sign this format."""
        if alg not in self.key_algs:
            raise WorkspaceError(
                f"{self.name} needs a {' or '.join(sorted(self.key_algs))} key; the workspace signing key is "
                f"{alg} (choose another --format, or a workspace created with --alg {sorted(self.key_algs)[0]})",
                code="FORMAT_KEY_MISMATCH", format=self.name)


def _with_status(request: SignRequest) -> dict[str, Any]:
    credential = copy.deepcopy(dict(request.credential))
    if request.registration is not None:
        entries = credential_status_entries(request.registration)
        if entries:
            credential["credentialStatus"] = entries
    return credential


def _secured(format_name: str) -> Callable[[SignRequest], dict[str, Any] | str]:
    """A signer for a format whose status goes into ``credentialStatus`` (Data Integrity, vc+jwt)."""
    def sign(request: SignRequest) -> dict[str, Any] | str:
        return secure_credential(_with_status(request), request.key, format=format_name,
                                 verification_method=request.verification_method, now=request.now,
                                 loader=request.loader)

    return sign


def _sd_jwt_vc(request: SignRequest) -> str:
    credential = request.credential
    claims = copy.deepcopy(dict(credential["credentialSubject"]))
    subject_id = claims.pop("id", None)
    if subject_id is not None:
        claims["sub"] = subject_id
    valid_until = credential.get("validUntil")
    issuer = credential["issuer"]
    return issue_sd_jwt_vc(
        claims,
        request.key,
        vct=request.ctype.vct,
        sd=present_paths(claims, sd_paths(request.ctype)),
        holder_key=dict(request.holder.jwk) if request.holder.jwk is not None else None,
        iss=issuer["id"] if isinstance(issuer, Mapping) else issuer,
        kid=request.verification_method,
        now=request.now,
        not_before=parse_datetime(credential["validFrom"], what="validFrom"),
        expires=parse_datetime(valid_until, what="validUntil") if valid_until else None,
        status=token_status_claim(request.registration) if request.registration is not None else None,
    )


def present_paths(claims: Mapping[str, Any], paths: list[tuple[str | None, ...]]) -> list[tuple[str | None, ...]]:
    """The claim paths (``None`` = each array element) that name at least one value in ``claims``:
    the catalog lists every disclosable claim of a type, an SD-JWT only those the credential has."""
    return [p for p in paths if _names_a_value(claims, p)]


def _names_a_value(value: Any, path: tuple[str | None, ...]) -> bool:
    if not path:
        return True
    head, rest = path[0], path[1:]
    if head is None:
        return isinstance(value, list) and any(_names_a_value(item, rest) for item in value)
    return isinstance(value, Mapping) and head in value and _names_a_value(value[head], rest)


_EDDSA = frozenset({"Ed25519"})
_ANY = frozenset({"Ed25519", "P-256"})

FORMATS: Mapping[str, CredentialFormat] = {
    f.name: f
    for f in (
        CredentialFormat("eddsa-rdfc-2022", _EDDSA, ".json", "application/vc", _secured("eddsa-rdfc-2022")),
        CredentialFormat("eddsa-jcs-2022", _EDDSA, ".json", "application/vc", _secured("eddsa-jcs-2022")),
        CredentialFormat("ecdsa-rdfc-2019", frozenset({"P-256"}), ".json", "application/vc",
                         _secured("ecdsa-rdfc-2019")),
        CredentialFormat("vc+jwt", _ANY, ".jwt", "application/vc+jwt", _secured("vc+jwt")),
        CredentialFormat("dc+sd-jwt", _ANY, ".sd-jwt", "application/dc+sd-jwt", _sd_jwt_vc, needs_holder_key=True),
    )
}
_ALIASES = {"jwt_vc_json": "vc+jwt", "vc+sd-jwt": "dc+sd-jwt"}


def get_format(name: str) -> CredentialFormat:
    """The format named ``name`` (or an alias); WorkspaceError FORMAT_UNSUPPORTED otherwise."""
    found = FORMATS.get(_ALIASES.get(name, name))
    if found is None:
        raise WorkspaceError(f"unknown credential format {name!r}; choose one of {', '.join(format_names())}",
                             code="FORMAT_UNSUPPORTED", format=name)
    return found


def format_names() -> list[str]:
    """Every format name, in registry order."""
    return list(FORMATS)
