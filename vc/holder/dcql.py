"""DCQL on the wallet side (OpenID4VP 1.0 sections 6 and 7): which stored credentials answer a query.

For each Credential Query: the stored credentials of its ``format`` and type (``meta.vct_values``
for SD-JWT VC; ``meta.type_values`` for W3C formats, matched against the ``type`` terms and their
expanded IRIs), bound to a holder key when the query requires it, with every requested claim
present (and one of its ``values`` when given). ``claim_sets`` become the claim options of each
candidate, in the verifier's order of preference, keeping those the credential can satisfy.
``credential_sets`` (or, without them, every query) say which combinations answer the request.

>>> match = match_dcql(query, store.credentials())
>>> match.satisfiable, [c.credential.id for c in match.queries["birth"].candidates]
(True, ['9c1f...'])
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vc.errors import WalletError

from .claims import ClaimPath, credential_document
from .records import StoredCredential

__all__ = [
    "CredentialCandidate",
    "CredentialSetMatch",
    "QueryMatch",
    "RequestMatch",
    "check_dcql",
    "match_dcql",
    "select_claims",
]

WALLET_FORMATS = ("dc+sd-jwt", "jwt_vc_json", "ldp_vc")
_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_MAX_CREDENTIALS = 32
_MAX_CLAIMS = 128


def _bad(message: str) -> WalletError:
    return WalletError(f"the presentation request's DCQL query is not valid: {message}", code="REQUEST_INVALID")


def _check_path(path: Any) -> ClaimPath:
    if not isinstance(path, list) or not path:
        raise _bad("a claims 'path' must be a non-empty array")
    for part in path:
        index = isinstance(part, int) and not isinstance(part, bool) and part >= 0
        if not (part is None or isinstance(part, str) or index):
            raise _bad("a claims path holds strings, null and non-negative integers only")
    return tuple(path)


def check_dcql(query: Any) -> dict[str, Any]:
    """``query`` when it is a DCQL query this wallet can answer; ``REQUEST_INVALID`` naming the problem."""
    if not isinstance(query, dict):
        raise _bad("it must be a JSON object")
    creds = query.get("credentials")
    if not isinstance(creds, list) or not creds or len(creds) > _MAX_CREDENTIALS:
        raise _bad(f"'credentials' must be a non-empty array (at most {_MAX_CREDENTIALS})")
    ids: set[str] = set()
    for cq in creds:
        if not isinstance(cq, dict) or not isinstance(cq.get("id"), str) or not _ID.match(cq["id"]) or cq["id"] in ids:
            raise _bad("each credential query needs a unique 'id' of letters, digits, '_' or '-'")
        ids.add(cq["id"])
        if not isinstance(cq.get("format"), str):
            raise _bad(f"credential query {cq['id']!r} needs a 'format'")
        if not isinstance(cq.get("meta", {}), dict):
            raise _bad(f"credential query {cq['id']!r}: 'meta' must be an object")
        claims = cq.get("claims")
        claim_ids: set[str] = set()
        if claims is not None:
            if not isinstance(claims, list) or not claims or len(claims) > _MAX_CLAIMS:
                raise _bad(f"credential query {cq['id']!r}: 'claims' must be a non-empty array")
            for claim in claims:
                if not isinstance(claim, dict):
                    raise _bad(f"credential query {cq['id']!r}: each claims query must be an object")
                _check_path(claim.get("path"))
                if "id" in claim:
                    if not isinstance(claim["id"], str) or claim["id"] in claim_ids:
                        raise _bad(f"credential query {cq['id']!r}: claim ids must be unique strings")
                    claim_ids.add(claim["id"])
                if "values" in claim and (not isinstance(claim["values"], list) or not claim["values"]):
                    raise _bad(f"credential query {cq['id']!r}: 'values' must be a non-empty array")
        sets = cq.get("claim_sets")
        if sets is not None:
            if claims is None or not isinstance(sets, list) or not sets or not all(
                    isinstance(o, list) and o and all(isinstance(x, str) and x in claim_ids for x in o) for o in sets):
                raise _bad(f"credential query {cq['id']!r}: 'claim_sets' must list ids of its claims queries")
    sets = query.get("credential_sets")
    if sets is not None:
        if not isinstance(sets, list) or not sets:
            raise _bad("'credential_sets' must be a non-empty array")
        for cs in sets:
            options = cs.get("options") if isinstance(cs, dict) else None
            if not isinstance(options, list) or not options or not all(
                    isinstance(o, list) and o and all(isinstance(x, str) and x in ids for x in o) for o in options):
                raise _bad("each credential set needs 'options': arrays of credential query ids")
            if "required" in cs and not isinstance(cs["required"], bool):
                raise _bad("a credential set's 'required' must be a boolean")
    return query


def select_claims(document: Any, path: Sequence[str | int | None]) -> list[Any]:
    """The values a claims path pointer selects (section 7.1); empty when absent or mis-shaped."""
    selected = [document]
    for part in path:
        nxt: list[Any] = []
        for element in selected:
            if isinstance(part, str):
                if not isinstance(element, dict):
                    return []
                if part in element:
                    nxt.append(element[part])
            elif part is None:
                if not isinstance(element, list):
                    return []
                nxt.extend(element)
            else:
                if not isinstance(element, list):
                    return []
                if part < len(element):
                    nxt.append(element[part])
        selected = nxt
        if not selected:
            return []
    return selected


def _claim_present(document: Any, claim: Mapping[str, Any]) -> bool:
    found = select_claims(document, claim["path"])
    if not found:
        return False
    values = claim.get("values")
    if values is None:
        return True
    return any(any(type(v) is type(f) and v == f for v in values) for f in found)  # True is not 1


@dataclass(frozen=True)
class CredentialCandidate:
    """A stored credential that answers a Credential Query, with the claim options it can satisfy
    (each a tuple of requested paths, in the verifier's order of preference)."""

    query_id: str
    credential: StoredCredential
    options: tuple[tuple[ClaimPath, ...], ...]

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
    """A Credential Query and the stored credentials that answer it (best first: newest)."""

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
    meta = cq.get("meta") or {}
    if cq["format"] == "dc+sd-jwt":
        vcts = meta.get("vct_values")
        return bool(stored.types) and (not isinstance(vcts, list) or stored.types[0] in vcts)
    names = set(stored.types) | set(stored.type_iris)
    options = meta.get("type_values")
    if not isinstance(options, list):
        return True
    return any(isinstance(o, list) and all(t in names for t in o) for o in options)


def _options(cq: Mapping[str, Any], document: Any) -> tuple[tuple[ClaimPath, ...], ...]:
    claims = cq.get("claims")
    if claims is None:
        return ((),)
    sets = cq.get("claim_sets")
    if sets is None:
        return (tuple(tuple(c["path"]) for c in claims),) if all(_claim_present(document, c) for c in claims) else ()
    by_id = {c["id"]: c for c in claims if "id" in c}
    out: list[tuple[ClaimPath, ...]] = []
    for option in sets:
        chosen = [by_id[i] for i in option]
        if all(_claim_present(document, c) for c in chosen):
            paths = tuple(tuple(c["path"]) for c in chosen)
            if paths not in out:
                out.append(paths)
    return tuple(out)


def _purpose(cs: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in cs.items():
        if isinstance(value, str) and (key == "purpose" or key.startswith("purpose#")):
            out["ja" if key == "purpose" else key.split("#", 1)[1]] = value
    return out


def match_dcql(query: Mapping[str, Any], credentials: Sequence[StoredCredential]) -> RequestMatch:
    """The stored credentials answering each Credential Query of ``query``, and the credential sets."""
    query = check_dcql(dict(query))
    documents: dict[str, Any] = {}
    matches: dict[str, QueryMatch] = {}
    for cq in query["credentials"]:
        candidates = []
        for stored in sorted(credentials, key=lambda c: c.received_at, reverse=True):
            if stored.format != cq["format"] or stored.format not in WALLET_FORMATS or not _type_fits(cq, stored):
                continue
            if cq.get("require_cryptographic_holder_binding", True) and stored.key_id is None:
                continue
            if stored.id not in documents:
                documents[stored.id] = credential_document(stored)
            options = _options(cq, documents[stored.id])
            if options:
                candidates.append(CredentialCandidate(cq["id"], stored, options))
        matches[cq["id"]] = QueryMatch(cq, tuple(candidates))
    answered = {qid for qid, m in matches.items() if m.candidates}
    raw_sets = query.get("credential_sets") or [{"options": [[cq["id"]]], "required": True}
                                                for cq in query["credentials"]]
    sets = tuple(
        CredentialSetMatch(
            index=i,
            options=tuple(tuple(o) for o in cs["options"]),
            satisfiable=tuple(j for j, o in enumerate(cs["options"]) if all(q in answered for q in o)),
            required=cs.get("required", True),
            purpose=_purpose(cs),
        )
        for i, cs in enumerate(raw_sets)
    )
    return RequestMatch(matches, sets)
