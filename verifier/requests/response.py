"""Authorization responses (OpenID4VP 1.0 section 8): check a ``vp_token`` against the stored
request and keep only what was asked for.

``vp_token`` is a JSON object keyed by DCQL credential query id, each an array of presentations
(strings for SD-JWT and JWT, objects for Data Integrity). For each requested query:

- more presentations than allowed (``multiple`` false) -> ``TOO_MANY_PRESENTATIONS``
- every presentation verifies and is bound to this request (``check_presentation``); the first
  credential inside that fits the query (format, ``vct_values``/``type_values``, every requested
  claim present, ``values`` matched) is kept: ``CREDENTIAL_TYPE_MISMATCH`` / ``CLAIM_MISSING``
  when none fits
- the credential sets: every required set has an option whose queries are all satisfied
  (``CREDENTIAL_MISSING`` otherwise); per set, the first such option is accepted

Kept credentials carry only the requested claims (``project_claims``); vp_token entries for
queries that were not asked for, credentials in a presentation that do not fit, and options the
verifier did not need are ignored and never recorded (only their count is).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from vc.dcql import REPORTED_FORMATS, claim_options, type_matches
from vc.errors import PresentationRequestError, VcError
from vc.results import CheckResult

from .authorization_request import AuthorizationRequest
from .dcql import accepted_query_ids, missing_requirements, project_claims
from .presentation_check import PresentationCheck, PresentedCredential, VpTokenCheck, check_vp_token

__all__ = ["AcceptedCredential", "ResponseOutcome", "evaluate_vp_token", "parse_vp_token"]

MAX_VP_TOKEN_BYTES = 2_000_000  # a few credentials are tens of kB; refuse anything far larger unparsed


@dataclass(frozen=True)
class AcceptedCredential:
    """A verified credential the request asked for, with only the requested claims."""

    query_id: str
    format: str
    issuer: str | None
    types: tuple[str, ...]
    claims: dict[str, Any]
    presented: PresentedCredential | None = field(default=None, repr=False, compare=False)

    @property
    def link(self) -> str | None:
        """How a credential about someone other than the holder was linked to them (``household:子``,
        ``representation:親権``; ``verifier.policy.links``), when a policy accepted it that way."""
        source = self.presented.source if self.presented is not None else None
        link = getattr(source, "link", None)
        return link if isinstance(link, str) else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"query_id": self.query_id, "format": self.format, "issuer": self.issuer,
                               "types": list(self.types), "claims": self.claims}
        if self.link is not None:
            out["link"] = self.link
        return out


@dataclass(frozen=True)
class ResponseOutcome:
    """The verdict on one authorization response: checks (each with a code when failed), the
    accepted credentials, and how many unrequested entries were ignored."""

    request_id: str
    procedure_id: str | None
    checks: tuple[CheckResult, ...]
    credentials: tuple[AcceptedCredential, ...] = ()
    ignored: int = 0
    presentations: tuple[PresentationCheck, ...] = field(default=(), repr=False, compare=False)
    verifier_result: Any = field(default=None, repr=False, compare=False)  # verifier.VerifierResult with a policy

    @property
    def verified(self) -> bool:
        return bool(self.checks) and all(c.passed for c in self.checks)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.checks if not c.passed and c.code)

    def credential(self, query_id: str) -> AcceptedCredential | None:
        return next((c for c in self.credentials if c.query_id == query_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "procedure_id": self.procedure_id,
            "verified": self.verified,
            "codes": list(self.codes),
            "checks": [c.to_dict() for c in self.checks],
            "credentials": [c.to_dict() for c in self.credentials] if self.verified else [],
            "ignored": self.ignored,
        }


def _invalid(message: str) -> PresentationRequestError:
    return PresentationRequestError(message, code="INVALID_VP_TOKEN")


def parse_vp_token(value: Any) -> dict[str, list[Any]]:
    """The ``vp_token`` parameter (a JSON-encoded object, or the object) as query id -> presentations."""
    if isinstance(value, (str, bytes)):
        if len(value) > MAX_VP_TOKEN_BYTES:
            raise _invalid(f"vp_token is larger than {MAX_VP_TOKEN_BYTES} bytes")
        from vc.input import load_json

        try:
            value = load_json(value)
        except VcError:
            raise _invalid("vp_token must be a JSON object keyed by credential query id") from None
    if not isinstance(value, Mapping) or not value:
        raise _invalid("vp_token must be a non-empty JSON object keyed by credential query id")
    out: dict[str, list[Any]] = {}
    for key, entries in value.items():
        if not isinstance(key, str) or not isinstance(entries, list) or not entries:
            raise _invalid("each vp_token entry is a non-empty array of presentations")
        if not all(isinstance(e, (str, dict)) for e in entries):
            raise _invalid("a presentation in vp_token is a string or a JSON object")
        out[key] = list(entries)
    return out


# --- matching a credential to its query -----------------------------------------------------


@lru_cache(maxsize=512)
def _expanded(context_json: str, types_json: str) -> frozenset[str]:
    from vc.jsonld import default_loader, expand

    try:
        expanded = expand({"@context": json.loads(context_json), "type": json.loads(types_json)}, loader=default_loader())
    except VcError:
        return frozenset()
    found: set[str] = set()
    for node in expanded:
        for t in node.get("@type", []) if isinstance(node, dict) else []:
            if isinstance(t, str):
                found.add(t)
    return frozenset(found)


def _type_names(credential: PresentedCredential) -> frozenset[str]:
    """The credential's types as IRIs (JSON-LD expanded, as DCQL ``type_values`` are) plus the
    terms as written, so a query may name either."""
    written = credential.document.get("type", list(credential.types))
    written = [written] if isinstance(written, str) else [t for t in written if isinstance(t, str)] if isinstance(written, list) else []
    names = set(credential.types) | set(written)
    ctx = credential.document.get("@context")
    if ctx is not None and written:
        names |= _expanded(json.dumps(ctx, sort_keys=True), json.dumps(written))
    return frozenset(names)


def _type_fits(cq: Mapping[str, Any], credential: PresentedCredential) -> bool:
    vct = credential.types[0] if credential.types else None
    return type_matches(cq, vct=vct, type_names=_type_names(credential))


def _requested_paths(cq: Mapping[str, Any], document: Mapping[str, Any]) -> list[list[Any]] | None:
    """The claim paths the query asks for that this credential fulfils (its first claim option the
    credential satisfies, the verifier's preference); None when it does not."""
    if cq.get("claims") is None:
        # no claims asked for: nothing selectively disclosable for SD-JWT, the whole subject otherwise
        return [] if cq["format"] == "dc+sd-jwt" else [["credentialSubject"]]
    options = claim_options(cq, document)
    return [list(path) for path in options[0]] if options else None


def _match(cq: Mapping[str, Any], check: PresentationCheck) -> tuple[PresentedCredential, list[list[Any]]] | CheckResult:
    """The first credential of the presentation that fits the query (and the paths to keep), or
    the failed check saying why none does."""
    formatted = [c for c in check.credentials if c.format in REPORTED_FORMATS[cq["format"]]]
    if check.credentials and not formatted:
        return CheckResult.fail(f"query:{cq['id']}", "CREDENTIAL_FORMAT_MISMATCH",
                                f"'{cq['id']}' asks for {cq['format']}; the presentation holds another format")
    # verified credentials first: an unrequested or failing extra one never hides the one asked for
    typed = sorted((c for c in formatted if _type_fits(cq, c)), key=lambda c: not c.verified)
    if not typed:
        return CheckResult.fail(f"query:{cq['id']}", "CREDENTIAL_TYPE_MISMATCH",
                                f"no credential of the requested type was presented for '{cq['id']}'")
    for credential in typed:
        paths = _requested_paths(cq, credential.document)
        if paths is not None:
            return credential, paths
    return CheckResult.fail(f"query:{cq['id']}", "CLAIM_MISSING",
                            f"a claim requested for '{cq['id']}' was not disclosed (or has another value)")


# --- the response -----------------------------------------------------------------------------


def _renamed(check: CheckResult) -> CheckResult:
    return CheckResult(f"presentation:{check.check}", check.passed, check.code, check.message)


def evaluate_vp_token(
    request: AuthorizationRequest,
    vp_token: Mapping[str, Sequence[Any]],
    *,
    policy: Any = None,
    procedure: Any = None,
    now: datetime | None = None,
    check: Callable[..., VpTokenCheck] = check_vp_token,
) -> ResponseOutcome:
    """Verify every requested presentation in ``vp_token`` for ``request`` and decide; never
    raises for a bad response (the outcome's failed checks carry the codes)."""
    query = request.dcql_query
    by_id = {cq["id"]: cq for cq in query["credentials"]}
    checks: list[CheckResult] = []
    candidates: dict[str, AcceptedCredential] = {}
    ignored = sum(len(v) for k, v in vp_token.items() if k not in by_id)
    requested: dict[str, list[Any]] = {}
    for qid, entries in vp_token.items():
        cq = by_id.get(qid)
        if cq is None:
            continue  # not requested: ignored, not verified, not recorded
        if len(entries) > 1 and not cq.get("multiple", False):
            checks.append(CheckResult.fail(f"query:{qid}", "TOO_MANY_PRESENTATIONS",
                                           f"'{qid}' allows one presentation; {len(entries)} were sent"))
            continue
        requested[qid] = list(entries)
    verified = check(
        requested,
        formats={qid: by_id[qid]["format"] for qid in requested},
        audience=request.client_id,
        nonce=request.nonce,
        policy=policy,
        procedure=procedure,
        require_holder_binding={qid: by_id[qid].get("require_cryptographic_holder_binding", True) for qid in requested},
        now=now,
    )
    # the policy's checks of each presentation (proof, binding) name the cause: they go first; its
    # summaries (a procedure's missing credentials) go last, after this request's own verdicts
    summaries = {"procedure", "credentials"}
    checks.extend(_renamed(c) for c in verified.checks if c.check not in summaries)
    presentations: list[PresentationCheck] = []
    for qid in requested:
        cq, name = by_id[qid], f"query:{qid}"
        results = verified.by_query.get(qid, ())
        presentations.extend(results)
        failed = None
        for result in results:
            if not result.verified:
                codes = result.codes or ("PRESENTATION_INVALID",)
                failed = CheckResult.fail(name, codes[0], f"the presentation for '{qid}' did not verify ({', '.join(codes)})")
                break
            matched = _match(cq, result)
            if isinstance(matched, CheckResult):
                failed = matched
                break
            credential, paths = matched
            if not credential.verified:
                codes = tuple(c.code for c in credential.checks if not c.passed and c.code) or ("CREDENTIAL_INVALID",)
                failed = CheckResult.fail(name, codes[0], f"the credential for '{qid}' did not verify ({', '.join(codes)})")
                break
            ignored += len(result.credentials) - 1
            if qid in candidates:
                ignored += 1  # 'multiple': the first presentation's credential is the one kept
                continue
            candidates[qid] = AcceptedCredential(qid, cq["format"], credential.issuer, credential.types,
                                                 project_claims(credential.document, paths), credential)
        if failed is None and not results:
            failed = CheckResult.fail(name, "CREDENTIAL_TYPE_MISMATCH", f"no credential fitting '{qid}' was presented")
        checks.append(failed or CheckResult.ok(name))
    satisfied = set(candidates)
    missing = missing_requirements(query, satisfied)
    if missing:
        wanted = " or ".join("+".join(option) for option in missing[0])
        checks.append(CheckResult.fail("credential_sets", "CREDENTIAL_MISSING",
                                       f"a required credential was not presented (needed: {wanted})"))
    else:
        checks.append(CheckResult.ok("credential_sets"))
    checks.extend(_renamed(c) for c in verified.checks if c.check in summaries)
    accepted = accepted_query_ids(query, satisfied)
    ignored += len(satisfied) - len(accepted)
    kept = tuple(candidates[qid] for qid in accepted)
    return ResponseOutcome(request.id, request.procedure_id, tuple(checks), kept, ignored, tuple(presentations),
                           verified.result)
