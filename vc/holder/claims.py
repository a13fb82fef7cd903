"""The claims a stored credential holds, and exactly which of them a presentation would disclose.

For an SD-JWT VC the answer is computed, not guessed: the Disclosures ``vc.sdjwt`` would select
for the requested paths are applied to the Issuer-signed payload, as the verifier will, and the
leaves of the result are the disclosed claims (the claims always visible included). A Data
Integrity or JWT credential cannot withhold anything: every claim is disclosed.

Technical claims (issuer, validity, status reference, the holder key) are listed apart from the
personal ones: they are disclosed too, but say nothing about the resident.

>>> disclosed_paths(stored, [("child", "sex")])
[('attendant', 'name'), ('attendant', 'role'), ('child', 'sex'), ('documentDate',)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from vc.errors import UsageError, VcError, WalletError
from vc.jose.jws import parse_compact
from vc.sdjwt import parse_sd_jwt, process_disclosures, select_disclosures
from vc.sdjwt.claim_path import ClaimPath, format_path

from .records import StoredCredential

__all__ = [
    "SD_FORMATS",
    "TECHNICAL_CLAIMS",
    "ClaimPath",
    "credential_document",
    "disclosed_document",
    "disclosed_paths",
    "format_claim_path",
    "leaf_paths",
    "path_covers",
    "personal_claim",
    "selectively_disclosable",
]

SD_FORMATS = frozenset({"dc+sd-jwt"})
# top-level members of an SD-JWT VC payload that describe the credential, not the person (a W3C
# credential's personal claims are those of its credentialSubject)
TECHNICAL_CLAIMS = frozenset({"iss", "iat", "nbf", "exp", "vct", "vct#integrity", "cnf", "status", "jti", "_sd_alg"})


def _sd_payload(stored: StoredCredential) -> tuple[Any, dict[str, Any]]:
    token = parse_sd_jwt(str(stored.credential))
    return token, parse_compact(token.issuer_jwt).payload_json(what="SD-JWT payload")


def credential_document(stored: StoredCredential) -> dict[str, Any]:
    """Everything the credential says (an SD-JWT with all its Disclosures applied)."""
    try:
        if stored.format in SD_FORMATS:
            token, payload = _sd_payload(stored)
            return process_disclosures(payload, token.disclosures).claims
        if isinstance(stored.credential, str):  # jwt_vc_json: the payload, or its VCDM 1.1 'vc' claim
            payload = parse_compact(stored.credential).payload_json(what="JWT payload")
            inner = payload.get("vc")
            return dict(inner) if isinstance(inner, Mapping) else payload
        return dict(stored.credential)
    except VcError as exc:
        raise WalletError(f"a stored credential cannot be read ({exc.code})", code="WALLET_CORRUPT") from None


def disclosed_document(stored: StoredCredential, disclose: Iterable[Sequence[str | int | None]]) -> dict[str, Any]:
    """What the verifier sees when ``disclose`` paths are presented: for SD-JWT the payload with
    exactly the Disclosures the holder library would send; otherwise the whole credential."""
    if stored.format not in SD_FORMATS:
        return credential_document(stored)
    token, payload = _sd_payload(stored)
    try:
        chosen = select_disclosures(token, [tuple(p) for p in disclose])
    except UsageError as exc:
        raise WalletError(f"the credential cannot disclose a requested claim: {exc.message}",
                          code="REQUEST_UNSATISFIABLE") from None
    return process_disclosures(payload, chosen).claims


def leaf_paths(document: Any, prefix: ClaimPath = ()) -> list[ClaimPath]:
    """The path of every leaf value (scalars, empty objects and arrays) of ``document``."""
    out: list[ClaimPath] = []
    if isinstance(document, Mapping) and document:
        for name, value in document.items():
            out.extend(leaf_paths(value, (*prefix, name)))
    elif isinstance(document, list) and document:
        for i, value in enumerate(document):
            out.extend(leaf_paths(value, (*prefix, i)))
    elif prefix:
        out.append(prefix)
    return out


def personal_claim(path: Sequence[str | int | None], fmt: str) -> bool:
    """True for a claim about the person (not the issuer, validity, status or holder key)."""
    if fmt in SD_FORMATS:
        return bool(path) and path[0] not in TECHNICAL_CLAIMS
    # W3C: the subject's claims are personal (its 'id' is the holder's DID: technical)
    return len(path) >= 2 and path[0] == "credentialSubject" and path[1] != "id"


def disclosed_paths(stored: StoredCredential, disclose: Iterable[Sequence[str | int | None]], *,
                    personal: bool = True) -> list[ClaimPath]:
    """The leaf paths a presentation of ``disclose`` reveals, sorted; ``personal=True`` leaves out
    the technical claims (issuer, validity, status, holder key)."""
    leaves = leaf_paths(disclosed_document(stored, disclose))
    if personal:
        leaves = [p for p in leaves if personal_claim(p, stored.format)]
    return sorted(leaves, key=format_claim_path)


def selectively_disclosable(stored: StoredCredential) -> bool:
    """True when the holder can choose what this credential's presentation reveals."""
    return stored.format in SD_FORMATS


def path_covers(outer: Sequence[str | int | None], inner: Sequence[str | int | None]) -> bool:
    """True when ``inner`` is ``outer`` or lies below it (``None`` in ``outer`` matches any index)."""
    if len(inner) < len(outer):
        return False
    return all(a == b or (a is None and isinstance(b, int)) for a, b in zip(outer, inner))


# the wallet's name for the one string form of a claim path: ``("child", "sex")`` -> ``child.sex``,
# ``("members", 0)`` -> ``members[0]``, ``None`` -> ``[*]``
format_claim_path = format_path
