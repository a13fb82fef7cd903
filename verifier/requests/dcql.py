"""Building DCQL queries (OpenID4VP 1.0 section 6) and keeping only the claims they asked for.

Checking queries, claims path pointers and credential sets are :mod:`vc.dcql`, shared with the wallet
(re-exported here); this module holds what only a verifier does: building Credential and Claims
Queries, and projecting a verified credential onto the requested paths.

>>> q = dcql_query([credential_query("birth", "dc+sd-jwt", vct_values=["BirthCertificate"],
...                                  claims=[["child", "name"]])])
>>> validate_dcql(q)["credentials"][0]["id"]
'birth'
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from vc.dcql import (
    DCQL_FORMATS,
    ClaimPath,
    accepted_query_ids,
    missing_requirements,
    select_claims,
    validate_dcql,
    with_purpose,
)

__all__ = [
    "ClaimPath",
    "DCQL_FORMATS",
    "accepted_query_ids",
    "claim_query",
    "credential_query",
    "dcql_query",
    "missing_requirements",
    "project_claims",
    "select_claims",
    "validate_dcql",
    "with_purpose",
]


# --- building -------------------------------------------------------------------------------


def claim_query(path: Sequence[str | int | None], *, id: str | None = None, values: Sequence[Any] | None = None) -> dict[str, Any]:
    """One Claims Query: a claims path pointer, optionally an ``id`` and accepted ``values``."""
    out: dict[str, Any] = {"path": list(path)}
    if id is not None:
        out["id"] = id
    if values is not None:
        out["values"] = list(values)
    return out


def credential_query(
    id: str,
    format: str,
    *,
    vct_values: Sequence[str] | None = None,
    type_values: Sequence[Sequence[str]] | None = None,
    claims: Iterable[Sequence[str | int | None] | Mapping[str, Any]] = (),
    claim_sets: Sequence[Sequence[str]] | None = None,
    multiple: bool = False,
    require_holder_binding: bool = True,
) -> dict[str, Any]:
    """One Credential Query. ``vct_values`` for ``dc+sd-jwt``; ``type_values`` (arrays of types
    that must all be present) for ``jwt_vc_json``/``ldp_vc``; ``claims`` as paths or Claims Queries."""
    meta: dict[str, Any] = {}
    if vct_values is not None:
        meta["vct_values"] = list(vct_values)
    if type_values is not None:
        meta["type_values"] = [list(t) for t in type_values]
    out: dict[str, Any] = {"id": id, "format": format, "meta": meta}
    if multiple:
        out["multiple"] = True
    if not require_holder_binding:
        out["require_cryptographic_holder_binding"] = False
    built = [dict(c) if isinstance(c, Mapping) else claim_query(c) for c in claims]
    if built:
        out["claims"] = built
    if claim_sets is not None:
        out["claim_sets"] = [list(s) for s in claim_sets]
    return validate_dcql({"credentials": [out]})["credentials"][0]


def dcql_query(credentials: Sequence[Mapping[str, Any]], *, credential_sets: Sequence[Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """A DCQL query of ``credentials`` (and ``credential_sets``), checked by ``validate_dcql``."""
    query: dict[str, Any] = {"credentials": [dict(c) for c in credentials]}
    if credential_sets is not None:
        query["credential_sets"] = [dict(s) for s in credential_sets]
    return validate_dcql(query)


# --- keeping only what was asked for ----------------------------------------------------


def project_claims(document: Any, paths: Iterable[Sequence[str | int | None]]) -> dict[str, Any]:
    """Only the parts of ``document`` the ``paths`` select, in their places: what a verifier
    keeps of a credential so that claims it did not ask for are never recorded."""
    out: Any = {}
    for path in paths:
        picked = _project(document, list(path))
        if picked is not _MISSING:
            out = _merge(out, picked)
    return out if isinstance(out, dict) else {}


_MISSING = object()


def _project(value: Any, path: list[str | int | None]) -> Any:
    if not path:
        return copy.deepcopy(value)
    part, rest = path[0], path[1:]
    if isinstance(part, str):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        inner = _project(value[part], rest)
        return _MISSING if inner is _MISSING else {part: inner}
    if not isinstance(value, list):
        return _MISSING
    if part is None:
        items = [_project(v, rest) for v in value]
        if all(v is _MISSING for v in items):
            return _MISSING
        return [None if v is _MISSING else v for v in items]  # positions kept, so paths merge
    if isinstance(part, int) and 0 <= part < len(value):
        inner = _project(value[part], rest)
        # the element keeps its position; elements before it that were not asked for are None
        return _MISSING if inner is _MISSING else [None] * part + [inner]
    return _MISSING


def _merge(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        out = dict(a)
        for k, v in b.items():
            out[k] = _merge(out[k], v) if k in out else v
        return out
    if isinstance(a, list) and isinstance(b, list):
        out_list = []
        for i in range(max(len(a), len(b))):
            x = a[i] if i < len(a) else None
            y = b[i] if i < len(b) else None
            out_list.append(y if x is None else x if y is None else _merge(x, y))
        return out_list
    return b
