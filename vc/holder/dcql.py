"""DCQL on the wallet side (OpenID4VP 1.0 sections 6 and 7): which stored credentials answer a query.

For each Credential Query: the stored credentials of its ``format`` and type (``meta.vct_values``
for SD-JWT VC; ``meta.type_values`` for W3C formats, matched against the ``type`` terms and their
expanded IRIs), bound to a holder key when the query requires it, with every requested claim
present (and one of its ``values`` when given). ``claim_sets`` become the claim options of each
candidate, in the verifier's order of preference, keeping those the credential can satisfy.
``credential_sets`` (or, without them, every query) say which combinations answer the request.
Checking the query, claims path pointers, claim options and credential sets are :mod:`vc.dcql`,
shared with the verifier; a query for a format this wallet does not hold is valid and matches nothing.

>>> match = match_dcql(query, store.credentials())
>>> match.satisfiable, [c.credential.id for c in match.queries["birth"].candidates]
(True, ['9c1f...'])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vc.dcql import (
    DCQL_FORMATS,
    ClaimPath,
    claim_options,
    credential_sets,
    purpose_texts,
    select_claims,
    type_matches,
    validate_dcql,
)
from vc.errors import PresentationRequestError, WalletError

from .claims import credential_document
from .records import StoredCredential
from .subjects import SubjectSummary, credential_subject

__all__ = [
    "CredentialCandidate",
    "CredentialSetMatch",
    "QueryMatch",
    "RequestMatch",
    "check_dcql",
    "match_dcql",
    "select_claims",
]


def check_dcql(query: Any) -> dict[str, Any]:
    """``query`` when it is a valid DCQL query (any credential format: those this wallet does not hold
    simply match nothing); ``REQUEST_INVALID`` naming the problem otherwise."""
    try:
        return validate_dcql(query, formats=None)
    except PresentationRequestError as exc:
        raise WalletError(f"the presentation request's DCQL query is not valid: {exc.message}",
                          code="REQUEST_INVALID") from None


@dataclass(frozen=True)
class CredentialCandidate:
    """A stored credential that answers a Credential Query, with the claim options it can satisfy
    (each a tuple of requested paths, in the verifier's order of preference) and whom it is about."""

    query_id: str
    credential: StoredCredential
    options: tuple[tuple[ClaimPath, ...], ...]
    subject: SubjectSummary = SubjectSummary(about_holder=False)

    @property
    def required(self) -> tuple[ClaimPath, ...]:
        """The requested claims every option includes: sent whenever this credential is."""
        first = self.options[0] if self.options else ()
        return tuple(p for p in first if all(p in o for o in self.options))

    @property
    def optional(self) -> tuple[ClaimPath, ...]:
        """The requested claims only some options include: sent only when the holder turns them on."""
        seen: list[ClaimPath] = []
        for option in self.options:
            seen.extend(p for p in option if p not in seen and p not in self.required)
        return tuple(seen)


@dataclass(frozen=True)
class QueryMatch:
    """A Credential Query and the stored credentials that answer it (newest first; which one is
    presented is the resident's choice, by default :func:`vc.holder.consent.choose_credentials`)."""

    query: Mapping[str, Any]
    candidates: tuple[CredentialCandidate, ...] = ()

    @property
    def id(self) -> str:
        return str(self.query["id"])


@dataclass(frozen=True)
class CredentialSetMatch:
    """One credential set: its options (query ids), which of them the wallet can satisfy, whether
    it is required, and the purpose texts the verifier gave for it (``ja``, ``en``)."""

    index: int
    options: tuple[tuple[str, ...], ...]
    satisfiable: tuple[int, ...]
    required: bool = True
    purpose: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestMatch:
    """The whole query against the wallet."""

    queries: Mapping[str, QueryMatch]
    sets: tuple[CredentialSetMatch, ...]

    @property
    def missing(self) -> tuple[CredentialSetMatch, ...]:
        """Required credential sets the wallet cannot satisfy."""
        return tuple(s for s in self.sets if s.required and not s.satisfiable)

    @property
    def satisfiable(self) -> bool:
        return not self.missing


def _type_fits(cq: Mapping[str, Any], stored: StoredCredential) -> bool:
    vct = stored.types[0] if stored.types else None
    return type_matches(cq, vct=vct, type_names=set(stored.types) | set(stored.type_iris))


def match_dcql(query: Mapping[str, Any], credentials: Sequence[StoredCredential]) -> RequestMatch:
    """The stored credentials answering each Credential Query of ``query``, and the credential sets."""
    query = check_dcql(query)
    documents: dict[str, Any] = {}
    matches: dict[str, QueryMatch] = {}
    for cq in query["credentials"]:
        candidates = []
        for stored in sorted(credentials, key=lambda c: c.received_at, reverse=True):
            if stored.format != cq["format"] or stored.format not in DCQL_FORMATS or not _type_fits(cq, stored):
                continue
            if cq.get("require_cryptographic_holder_binding", True) and stored.key_id is None:
                continue
            if stored.id not in documents:
                documents[stored.id] = credential_document(stored)
            options = claim_options(cq, documents[stored.id])
            if options:
                candidates.append(CredentialCandidate(cq["id"], stored, tuple(tuple(o) for o in options),
                                                      credential_subject(stored, documents[stored.id])))
        matches[cq["id"]] = QueryMatch(cq, tuple(candidates))
    answered = {qid for qid, m in matches.items() if m.candidates}
    sets = tuple(
        CredentialSetMatch(
            index=i,
            options=tuple(tuple(o) for o in cs["options"]),
            satisfiable=tuple(j for j, o in enumerate(cs["options"]) if all(q in answered for q in o)),
            required=cs.get("required", True),
            purpose=purpose_texts(cs),
        )
        for i, cs in enumerate(credential_sets(query))
    )
    return RequestMatch(matches, sets)
