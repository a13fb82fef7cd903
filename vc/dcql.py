"""DCQL, the Digital Credentials Query Language (OpenID4VP 1.0 section 6), and claims path pointers
(section 7), as both sides of a presentation need them: checking a query, selecting claims, deciding
whether a credential fits a Credential Query, and evaluating credential sets. The verifier builds and
evaluates queries with these (``verifier.requests``); the wallet answers them (``vc.holder.dcql``).

A query names credentials (``id``, ``format``, ``meta``, ``claims``, ``claim_sets``, ``multiple``,
``require_cryptographic_holder_binding``) and, optionally, ``credential_sets``: which combinations of
credentials satisfy the verifier (``options``, ``required``).

jitsuin extension (documented in ``verifier/requests/__init__.py``): a credential set may carry
``purpose`` (Japanese text shown to the resident) and ``purpose#en``; the drafts up to 24 defined
``purpose`` there, and DCQL says implementations ignore unknown properties.

>>> q = validate_dcql({"credentials": [{"id": "birth", "format": "dc+sd-jwt",
...                    "meta": {"vct_values": ["BirthCertificate"]}, "claims": [{"path": ["child", "name"]}]}]})
>>> select_claims({"child": {"name": "花子"}}, q["credentials"][0]["claims"][0]["path"])
['花子']
"""

from __future__ import annotations

import copy
import re
from collections.abc import Collection, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from vc.errors import PresentationRequestError
from vc.sdjwt.claim_path import ClaimPath

__all__ = [
    "ClaimPath",
    "DCQL_FORMATS",
    "REPORTED_FORMATS",
    "accepted_query_ids",
    "claim_matches",
    "claim_options",
    "credential_sets",
    "missing_requirements",
    "purpose_texts",
    "select_claims",
    "type_matches",
    "validate_dcql",
    "with_purpose",
]

DCQL_FORMATS = ("dc+sd-jwt", "jwt_vc_json", "ldp_vc")
"""Credential Format Identifiers jitsuin presents and verifies (OpenID4VP 1.0 Appendix B)."""

REPORTED_FORMATS: Mapping[str, frozenset[str]] = MappingProxyType({
    "dc+sd-jwt": frozenset({"dc+sd-jwt"}),
    "ldp_vc": frozenset({"ldp_vc"}),
    "jwt_vc_json": frozenset({"vc+jwt", "jwt_vc_json"}),
})
"""Each DCQL Credential Format Identifier -> the format names ``vc`` verifiers report for it."""

_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_MAX_CREDENTIALS = 32  # a procedure asks for a handful; a huge query is a mistake or an attack
_MAX_CLAIMS = 128


def _bad(message: str) -> PresentationRequestError:
    return PresentationRequestError(message, code="INVALID_DCQL")


# --- checking -------------------------------------------------------------------------------


def _check_path(path: Any, where: str) -> None:
    if not isinstance(path, list) or not path:
        raise _bad(f"{where}: 'path' must be a non-empty array")
    for part in path:
        ok = part is None or (isinstance(part, str)) or (isinstance(part, int) and not isinstance(part, bool) and part >= 0)
        if not ok:
            raise _bad(f"{where}: a claims path holds strings, null and non-negative integers only")


def _check_meta(cid: str, fmt: str, meta: dict[str, Any]) -> None:
    if fmt == "dc+sd-jwt":
        vct = meta.get("vct_values")
        if not isinstance(vct, list) or not vct or not all(isinstance(v, str) and v for v in vct):
            raise _bad(f"credential query {cid!r}: 'meta.vct_values' must be a non-empty array of strings")
    elif fmt in ("jwt_vc_json", "ldp_vc"):
        tv = meta.get("type_values")
        if not isinstance(tv, list) or not tv or not all(
            isinstance(t, list) and t and all(isinstance(x, str) and x for x in t) for t in tv
        ):
            raise _bad(f"credential query {cid!r}: 'meta.type_values' must be a non-empty array of non-empty string arrays")


def _check_claims(cid: str, claims: Any) -> set[str]:
    """The ids of the claims queries, after checking them."""
    claim_ids: set[str] = set()
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
    return claim_ids


def _check_credential(cq: Any, seen: set[str], formats: Collection[str] | None) -> None:
    if not isinstance(cq, dict):
        raise _bad("each entry of 'credentials' must be an object")
    cid = cq.get("id")
    if not isinstance(cid, str) or not _ID.match(cid):
        raise _bad("a credential query 'id' must be a non-empty string of letters, digits, '_' or '-'")
    if cid in seen:
        raise _bad(f"credential query id {cid!r} is used twice")
    seen.add(cid)
    fmt = cq.get("format")
    if formats is None:
        if not isinstance(fmt, str) or not fmt:
            raise _bad(f"credential query {cid!r}: 'format' must be a Credential Format Identifier")
    elif fmt not in formats:
        raise _bad(f"credential query {cid!r}: 'format' must be one of {', '.join(formats)}")
    meta = cq.get("meta")
    if not isinstance(meta, dict):
        raise _bad(f"credential query {cid!r}: 'meta' is required and must be an object")
    _check_meta(cid, fmt, meta)
    for name in ("multiple", "require_cryptographic_holder_binding"):
        if name in cq and not isinstance(cq[name], bool):
            raise _bad(f"credential query {cid!r}: {name!r} must be a boolean")
    claims = cq.get("claims")
    claim_ids = _check_claims(cid, claims) if claims is not None else set()
    claim_sets = cq.get("claim_sets")
    if claim_sets is not None:
        if claims is None:
            raise _bad(f"credential query {cid!r}: 'claim_sets' needs 'claims'")
        if not isinstance(claim_sets, list) or not claim_sets:
            raise _bad(f"credential query {cid!r}: 'claim_sets' must be a non-empty array")
        for option in claim_sets:
            if not isinstance(option, list) or not option or not all(isinstance(x, str) and x in claim_ids for x in option):
                raise _bad(f"credential query {cid!r}: each claim set lists ids of its claims queries")


def validate_dcql(query: Any, *, formats: Collection[str] | None = DCQL_FORMATS) -> dict[str, Any]:
    """A deep copy of ``query`` after checking it against OpenID4VP 1.0 section 6 and the ``formats``
    the caller handles (None: any Credential Format Identifier, as a wallet reading another
    verifier's query; the ``meta`` of the formats jitsuin knows is checked either way);
    ``PresentationRequestError`` ``INVALID_DCQL`` naming what is wrong otherwise."""
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


# --- claims path pointers and matching --------------------------------------------------------


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


def claim_matches(document: Any, claim: Mapping[str, Any]) -> bool:
    """True when ``document`` has the claim a Claims Query asks for, with one of its ``values`` when
    it gives them (section 6.3: type and value both match, so ``True`` is not ``1``)."""
    found = select_claims(document, claim["path"])
    if not found:
        return False
    values = claim.get("values")
    if values is None:
        return True
    return any(any(type(v) is type(f) and v == f for v in values) for f in found)


def claim_options(cq: Mapping[str, Any], document: Any) -> list[list[ClaimPath]]:
    """The claim options of a Credential Query that ``document`` satisfies, in the verifier's order
    of preference, each the paths of its claims queries (``claims`` alone is one option; no
    ``claims`` is one empty option). Empty when the document satisfies none."""
    claims = cq.get("claims")
    if claims is None:
        return [[]]
    sets = cq.get("claim_sets")
    if sets is None:
        options = [claims]
    else:
        by_id = {c["id"]: c for c in claims if "id" in c}
        options = [[by_id[i] for i in option] for option in sets]
    out: list[list[ClaimPath]] = []
    for chosen in options:
        if all(claim_matches(document, c) for c in chosen):
            paths = [tuple(c["path"]) for c in chosen]
            if paths not in out:
                out.append(paths)
    return out


def type_matches(cq: Mapping[str, Any], *, vct: str | None, type_names: Collection[str]) -> bool:
    """True when a credential fits the type a Credential Query asks for: its ``vct`` is one of
    ``meta.vct_values`` (SD-JWT VC), or ``type_names`` (the ``type`` terms and their expanded IRIs)
    hold every type of one of ``meta.type_values`` (W3C formats)."""
    meta = cq.get("meta") or {}
    if cq["format"] == "dc+sd-jwt":
        return vct is not None and vct in meta.get("vct_values", [])
    return any(all(t in type_names for t in option) for option in meta.get("type_values", []))


# --- credential sets ------------------------------------------------------------------------


def credential_sets(query: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The query's credential sets; without ``credential_sets`` every credential query is a
    required set of its own (section 6.4.2)."""
    sets = query.get("credential_sets")
    if sets:
        return [dict(s) for s in sets]
    return [{"options": [[c["id"]]], "required": True} for c in query["credentials"]]


def missing_requirements(query: Mapping[str, Any], satisfied: Collection[str]) -> list[list[list[str]]]:
    """For each required credential set that no option of satisfies, its options (lists of
    credential query ids); empty when the ``satisfied`` queries fulfil the request."""
    missing = []
    for cs in credential_sets(query):
        if not cs.get("required", True):
            continue
        if not any(all(cid in satisfied for cid in option) for option in cs["options"]):
            missing.append([list(o) for o in cs["options"]])
    return missing


def accepted_query_ids(query: Mapping[str, Any], satisfied: Collection[str]) -> list[str]:
    """The credential query ids whose presentations the verifier keeps: in every credential set,
    the first option (the verifier's preference) that ``satisfied`` fulfils, and nothing else."""
    kept: list[str] = []
    for cs in credential_sets(query):
        for option in cs["options"]:
            if all(cid in satisfied for cid in option):
                kept.extend(cid for cid in option if cid not in kept)
                break
    return kept


# --- the purpose extension --------------------------------------------------------------------


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


def purpose_texts(credential_set: Mapping[str, Any]) -> dict[str, str]:
    """The purpose texts of a credential set by language: ``purpose`` is ``ja``, ``purpose#en`` is ``en``."""
    out: dict[str, str] = {}
    for key, value in credential_set.items():
        if isinstance(value, str) and (key == "purpose" or key.startswith("purpose#")):
            out["ja" if key == "purpose" else key.split("#", 1)[1]] = value
    return out
