"""A procedure as a DCQL query (OpenID4VP 1.0 section 6, formats in appendix B).

One credential query per requirement and format: ``dc+sd-jwt`` with ``meta.vct_values``, ``ldp_vc`` and
``jwt_vc_json`` with ``meta.type_values`` (the expanded type IRIs, VerifiableCredential's included).
Claim paths are relative to the subject in the procedure file; W3C formats get ``credentialSubject``
in front. Alternatives become ``credential_sets``: the procedure's own sets (each option expanded over
the formats of its credentials), or, when the procedure has none but a requirement is optional or comes
in several formats, one set per requirement.

>>> procedure.dcql_query()["credentials"][0]
{'id': 'birth', 'format': 'dc+sd-jwt', 'meta': {'vct_values': [...]}, 'claims': [{'path': ['child', 'sex']}, ...]}
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Procedure, Requirement

__all__ = ["VC_TYPE_IRI", "dcql_query"]

#: the expanded IRI of ``VerifiableCredential`` (VCDM 1.1 and 2.0 contexts both map it here)
VC_TYPE_IRI = "https://www.w3.org/2018/credentials#VerifiableCredential"
_MAX_OPTIONS = 64  # keeps a format cross product small enough for a wallet to show


def dcql_query(procedure: Procedure) -> dict[str, Any]:
    """The ``dcql_query`` request parameter for ``procedure``."""
    credentials = [
        _credential_query(req, query_id, fmt)
        for req in procedure.requirements
        for query_id, fmt in zip(req.query_ids, req.formats)
    ]
    query: dict[str, Any] = {"credentials": credentials}
    sets = _credential_sets(procedure)
    if sets:
        query["credential_sets"] = sets
    return query


def _credential_query(req: Requirement, query_id: str, fmt: str) -> dict[str, Any]:
    if fmt == "dc+sd-jwt":
        meta: dict[str, Any] = {"vct_values": [req.vct]}
        prefix: tuple[str, ...] = ()
    else:
        meta = {"type_values": [[VC_TYPE_IRI, req.type_iri]]}
        prefix = ("credentialSubject",)
    claims = []
    for path in req.claims:
        claim: dict[str, Any] = {"path": [*prefix, *path]}
        values = req.claim_values.get(path)
        if values:
            claim["values"] = list(values)
        claims.append(claim)
    query: dict[str, Any] = {"id": query_id, "format": fmt, "meta": meta, "claims": claims}
    if not req.holder_binding:
        query["require_cryptographic_holder_binding"] = False
    return query


def _credential_sets(procedure: Procedure) -> list[dict[str, Any]]:
    by_id = {r.id: r for r in procedure.requirements}
    if procedure.credential_sets:
        out = []
        for cset in procedure.credential_sets:
            options: list[list[str]] = []
            for option in cset.options:
                choices = [by_id[rid].query_ids for rid in option]
                options.extend(list(combo) for combo in itertools.islice(itertools.product(*choices), _MAX_OPTIONS))
            entry: dict[str, Any] = {"options": options[:_MAX_OPTIONS]}
            if not cset.required:
                entry["required"] = False
            out.append(entry)
        return out
    if not any(r.optional or len(r.formats) > 1 for r in procedure.requirements):
        return []  # without credential_sets every credential query is requested
    out = []
    for req in procedure.requirements:
        entry = {"options": [[q] for q in req.query_ids]}
        if req.optional:
            entry["required"] = False
        out.append(entry)
    return out
