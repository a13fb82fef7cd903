"""DCQL, the Digital Credentials Query Language (OpenID4VP 1.0 section 6) and claims path
pointers (section 7): build and check queries, and evaluate them against verified credentials.

A query names credentials (``id``, ``format``, ``meta``, ``claims``, ``claim_sets``,
``multiple``, ``require_cryptographic_holder_binding``) and, optionally, ``credential_sets``:
which combinations of credentials satisfy the verifier (``options``, ``required``).

jitsuin extension (documented in ``verifier/requests/__init__.py``): a credential set may carry
``purpose`` (Japanese text shown to the resident) and ``purpose#en``; the drafts up to 24 defined
``purpose`` there, and DCQL says implementations ignore unknown properties.

>>> q = dcql_query([credential_query("birth", "dc+sd-jwt", vct_values=["BirthCertificate"],
...                                  claims=[["child", "name"]])])
>>> validate_dcql(q)["credentials"][0]["id"]
'birth'
"""

from __future__ import annotations

import copy
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from vc.errors import PresentationRequestError

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

DCQL_FORMATS = ("dc+sd-jwt", "jwt_vc_json", "ldp_vc")
"""Credential Format Identifiers this verifier asks for (OpenID4VP 1.0 Appendix B)."""

ClaimPath = tuple[str | int | None, ...]

_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_MAX_CREDENTIALS = 32  # a procedure asks for a handful; a huge query is a mistake or an attack
_MAX_CLAIMS = 128


def _bad(message: str) -> PresentationRequestError:
    return PresentationRequestError(message, code="INVALID_DCQL")


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


def with_purpose(query: Mapping[str, Any], purpose: Mapping[str, str] | str | None) -> dict[str, Any]:
    """A copy of ``query`` whose credential sets carry ``purpose`` (ja) and ``purpose#en``.

    A query without ``credential_sets`` gets one required set whose only option is every
    credential, which asks for exactly what the query without sets asks for.
    """
    out = copy.deepcopy(dict(query))
    if not purpose:
        return validate_dcql(out)
    texts = {"ja": purpose} if isinstance(purpose, str) else dict(purpose)
    if "credential_sets" not in out:
        out["credential_sets"] = [{"options": [[c["id"] for c in out.get("credentials", []) if isinstance(c, Mapping)]]}]
    for cs in out["credential_sets"]:
        if isinstance(cs, dict) and "purpose" not in cs:
            primary = texts.get("ja") or texts.get("en")
            if primary:
                cs["purpose"] = primary
            if texts.get("en") and texts.get("en") != primary:
                cs["purpose#en"] = texts["en"]
    return validate_dcql(out)


# --- checking -------------------------------------------------------------------------------


def _check_path(path: Any, where: str) -> None:
    if not isinstance(path, list) or not path:
        raise _bad(f"{where}: 'path' must be a non-empty array")
    for part in path:
        ok = part is None or (isinstance(part, str)) or (isinstance(part, int) and not isinstance(part, bool) and part >= 0)
        if not ok:
            raise _bad(f"{where}: a claims path holds strings, null and non-negative integers only")


def _check_credential(cq: Any, seen: set[str], formats: Collection[str]) -> None:
    if not isinstance(cq, dict):
        raise _bad("each entry of 'credentials' must be an object")
    cid = cq.get("id")
    if not isinstance(cid, str) or not _ID.match(cid):
        raise _bad("a credential query 'id' must be a non-empty string of letters, digits, '_' or '-'")
    if cid in seen:
        raise _bad(f"credential query id {cid!r} is used twice")
    seen.add(cid)
    fmt = cq.get("format")
    if fmt not in formats:
        raise _bad(f"credential query {cid!r}: 'format' must be one of {', '.join(formats)}")
    meta = cq.get("meta")
    if not isinstance(meta, dict):
        raise _bad(f"credential query {cid!r}: 'meta' is required and must be an object")
    if fmt == "dc+sd-jwt":
        vct = meta.get("vct_values")
        if not isinstance(vct, list) or not vct or not all(isinstance(v, str) and v for v in vct):
            raise _bad(f"credential query {cid!r}: 'meta.vct_values' must be a non-empty array of strings")
    else:
        tv = meta.get("type_values")
        if not isinstance(tv, list) or not tv or not all(
            isinstance(t, list) and t and all(isinstance(x, str) and x for x in t) for t in tv
        ):
            raise _bad(f"credential query {cid!r}: 'meta.type_values' must be a non-empty array of non-empty string arrays")
    for name in ("multiple", "require_cryptographic_holder_binding"):
        if name in cq and not isinstance(cq[name], bool):
            raise _bad(f"credential query {cid!r}: {name!r} must be a boolean")
    claims = cq.get("claims")
    claim_ids: set[str] = set()
    if claims is not None:
        if not isinstance(claims, list) or not claims or len(claims) > _MAX_CLAIMS:
            raise _bad(f"credential query {cid!r}: 'claims' must be a non-empty array (at most {_MAX_CLAIMS})")
        paths: set[str] = set()
        for claim in claims:
            if not isinstance(claim, dict):
                raise _bad(f"credential query {cid!r}: each claims query must be an object")
            _check_path(claim.get("path"), f"credential query {cid!r}")
            key = repr(claim["path"])
            if key in paths:
                raise _bad(f"credential query {cid!r}: the same claim path is requested twice")
            paths.add(key)
            if "id" in claim:
                if not isinstance(claim["id"], str) or not _ID.match(claim["id"]) or claim["id"] in claim_ids:
                    raise _bad(f"credential query {cid!r}: claim ids must be unique strings of letters, digits, '_' or '-'")
                claim_ids.add(claim["id"])
            if "values" in claim:
                values = claim["values"]
                if not isinstance(values, list) or not values or not all(
                    isinstance(v, (str, int, bool)) for v in values
                ):
                    raise _bad(f"credential query {cid!r}: 'values' must be a non-empty array of strings, integers or booleans")
    claim_sets = cq.get("claim_sets")
    if claim_sets is not None:
        if claims is None:
            raise _bad(f"credential query {cid!r}: 'claim_sets' needs 'claims'")
        if not isinstance(claim_sets, list) or not claim_sets:
            raise _bad(f"credential query {cid!r}: 'claim_sets' must be a non-empty array")
        for option in claim_sets:
            if not isinstance(option, list) or not option or not all(isinstance(x, str) and x in claim_ids for x in option):
                raise _bad(f"credential query {cid!r}: each claim set lists ids of its claims queries")


def validate_dcql(query: Any, *, formats: Collection[str] = DCQL_FORMATS) -> dict[str, Any]:
    """A deep copy of ``query`` after checking it against OpenID4VP 1.0 section 6 (and the
    formats this verifier supports); ``INVALID_DCQL`` naming what is wrong otherwise."""
    if not isinstance(query, Mapping):
        raise _bad("a DCQL query must be a JSON object")
    query = copy.deepcopy(dict(query))
    creds = query.get("credentials")
    if not isinstance(creds, list) or not creds or len(creds) > _MAX_CREDENTIALS:
        raise _bad(f"'credentials' must be a non-empty array (at most {_MAX_CREDENTIALS})")
    seen: set[str] = set()
    for cq in creds:
        _check_credential(cq, seen, formats)
    sets = query.get("credential_sets")
    if sets is not None:
        if not isinstance(sets, list) or not sets:
            raise _bad("'credential_sets' must be a non-empty array")
        for cs in sets:
            if not isinstance(cs, dict):
                raise _bad("each credential set must be an object")
            options = cs.get("options")
            if not isinstance(options, list) or not options or not all(
                isinstance(o, list) and o and all(isinstance(x, str) and x in seen for x in o) for o in options
            ):
                raise _bad("each credential set needs 'options': non-empty arrays of credential query ids")
            if "required" in cs and not isinstance(cs["required"], bool):
                raise _bad("a credential set's 'required' must be a boolean")
    return query


# --- claims path pointers -------------------------------------------------------------------


class _PathError(Exception):
    pass


def select_claims(document: Any, path: Sequence[str | int | None]) -> list[Any]:
    """The values a claims path pointer selects (OpenID4VP 1.0 section 7.1); empty when the
    claim is absent or the path does not fit the document's shape."""
    try:
        return _select(document, path)
    except _PathError:
        return []


def _select(document: Any, path: Sequence[str | int | None]) -> list[Any]:
    selected = [document]
    for part in path:
        nxt: list[Any] = []
        for element in selected:
            if isinstance(part, str):
                if not isinstance(element, dict):
                    raise _PathError
                if part in element:
                    nxt.append(element[part])
            elif part is None:
                if not isinstance(element, list):
                    raise _PathError
                nxt.extend(element)
            elif isinstance(part, int) and not isinstance(part, bool) and part >= 0:
                if not isinstance(element, list):
                    raise _PathError
                if part < len(element):
                    nxt.append(element[part])
            else:
                raise _PathError
        selected = nxt
        if not selected:
            return []
    return selected


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


# --- credential sets ------------------------------------------------------------------------


def _sets(query: Mapping[str, Any]) -> list[dict[str, Any]]:
    sets = query.get("credential_sets")
    if sets:
        return [dict(s) for s in sets]
    # without credential_sets every credential query is required (section 6.4.2)
    return [{"options": [[c["id"]]], "required": True} for c in query["credentials"]]


def missing_requirements(query: Mapping[str, Any], satisfied: Collection[str]) -> list[list[list[str]]]:
    """For each required credential set that no option of satisfies, its options (lists of
    credential query ids); empty when the ``satisfied`` queries fulfil the request."""
    missing = []
    for cs in _sets(query):
        if not cs.get("required", True):
            continue
        if not any(all(cid in satisfied for cid in option) for option in cs["options"]):
            missing.append([list(o) for o in cs["options"]])
    return missing


def accepted_query_ids(query: Mapping[str, Any], satisfied: Collection[str]) -> list[str]:
    """The credential query ids whose presentations the verifier keeps: in every credential set,
    the first option (the verifier's preference) that ``satisfied`` fulfils, and nothing else."""
    kept: list[str] = []
    for cs in _sets(query):
        for option in cs["options"]:
            if all(cid in satisfied for cid in option):
                kept.extend(cid for cid in option if cid not in kept)
                break
    return kept
