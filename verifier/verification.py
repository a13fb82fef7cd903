"""The verifier's entry points: verify a credential or a presentation against a ``Policy`` (and a procedure).

``vc`` verifies each format (proofs, signatures, disclosures, key binding, validity); the policy adds its
own checks per credential, in this order:

- ``format``: the credential's format is accepted (FORMAT_NOT_ACCEPTED)
- ``algorithm``: its JOSE ``alg`` / Data Integrity cryptosuite is accepted (ALG_NOT_ACCEPTED)
- ``trust``: the issuer is trusted for the type (UNTRUSTED_ISSUER, ISSUER_NOT_TRUSTED_FOR_TYPE, TRUST_ENTRY_*)
- ``schema``: valid against its ``credentialSchema`` (SCHEMA_VIOLATION, SCHEMA_UNAVAILABLE ...)
- ``age``: issued at most ``max_credential_age`` (or the procedure's ``maxAgeDays``) ago (CREDENTIAL_TOO_OLD)
- ``status``: each status entry (REVOKED, SUSPENDED, STATUS_UNAVAILABLE ..., STATUS_REQUIRED, STATUS_CHECKER_MISSING)
- in a presentation, ``holder_binding`` (HOLDER_BINDING_REQUIRED) and ``subject`` (SUBJECT_NOT_HOLDER and the
  household/proxy link codes of ``verifier.policy.links``)

and per presentation ``format``/``algorithm`` for the presentation itself, and, with a procedure,
``procedure`` (PROCEDURE_CREDENTIAL_MISSING). Nothing is raised for a bad credential.

>>> result = verify_presentation(vp_token, policy=policy, procedure=procedure,
...                              audience="x509_san_dns:city.example.lg.jp", nonce=request.nonce)
>>> result.verified, result.codes
>>> procedure.fill_form(result).to_dict()
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from vc.errors import MalformedError, VcError
from vc.results import CheckResult

from ._facts import VCDM_FORMATS, Facts, facts_of
from ._formats import (
    Binding,
    Presented,
    PresentationRun,
    algorithms,
    presentation_algorithms,
    run_credential,
    run_presentation,
    split_vp_token,
)
from .policy.links import LinkCandidate, decide_link, link_kind
from .policy.policy import Policy
from .procedures.matching import Candidate, assign_requirements, requested_claims
from .procedures.model import Procedure, Requirement
from .results import VerifiedCredential, VerifierResult

__all__ = ["verify_credential", "verify_presentation"]

_FULL_DOCUMENT_FORMATS = frozenset({"ldp_vc", "vc+jwt", "jwt_vc_json"})  # schema validation sees every claim


def verify_credential(
    credential: Any,
    *,
    policy: Policy,
    now: datetime | None = None,
    status_checker: Any = None,
) -> VerifierResult:
    """Verify one credential (Data Integrity object, ``vc+jwt``, SD-JWT VC, or an enveloped one) against ``policy``.

    Holder binding is a property of presentations and is not checked here. ``status_checker`` (a
    ``vc.status.StatusChecker``) overrides ``policy.status_checker``.
    """
    now = _now(now)
    try:
        presented = run_credential(credential, policy, now)
    except MalformedError as err:
        return VerifierResult(kind="credential", checks=(CheckResult.fail("format", err),), credentials=())
    checker = status_checker if status_checker is not None else policy.status_checker
    facts = facts_of(presented.result)
    checks = _credential_checks(facts, presented, policy, checker, now, None)
    return VerifierResult(kind="credential", checks=(), credentials=(_verified(0, facts, presented, checks),),
                          presentations=(presented.result,))


def verify_presentation(
    presentation: Any,
    *,
    policy: Policy,
    audience: str | None = None,
    nonce: str | None = None,
    challenge: str | None = None,
    domain: str | None = None,
    procedure: Procedure | None = None,
    now: datetime | None = None,
    status_checker: Any = None,
    seen_nonces: Callable[[str], bool] | None = None,
) -> VerifierResult:
    """Verify what a holder presented, against ``policy`` and (optionally) a ``procedure``.

    ``presentation``: a Data Integrity presentation, a ``vp+jwt``, an SD-JWT+KB, a list of these, or an
    OpenID4VP ``vp_token`` object (DCQL credential query id -> list of presentations). ``audience`` and
    ``nonce`` bind JOSE/SD-JWT presentations (KB-JWT ``aud``/``nonce``); ``challenge``/``domain`` bind Data
    Integrity ones and default to ``nonce``/``audience`` (OpenID4VP: client id and nonce serve both).
    ``seen_nonces(nonce) -> bool`` reports a replayed nonce in JOSE/SD-JWT presentations.

    With a ``procedure``, its trust entries join the policy's, each credential fills one of its
    requirements (or is ignored: not counted, claims dropped), household/proxy links follow its rules, and
    a missing required credential fails the ``procedure`` check.
    """
    now = _now(now)
    if procedure is not None:
        policy = policy.for_procedure(procedure)
    checker = status_checker if status_checker is not None else policy.status_checker
    binding = Binding(audience=audience, nonce=nonce, challenge=challenge, domain=domain, seen_nonces=seen_nonces)
    top: list[CheckResult] = []
    runs: list[PresentationRun] = []
    for query_id, item in split_vp_token(presentation):
        try:
            runs.append(run_presentation(item, policy, now, binding, query_id))
        except MalformedError as err:
            top.append(CheckResult.fail("format", err))
    for run in runs:
        if run.result is not None:
            top.extend(run.result.checks)
            top.append(_accepted_format(run.format, policy))
            alg = _algorithm_check(presentation_algorithms(run), policy)
            if alg is not None:
                top.append(alg)
    holder_ids = frozenset().union(*(r.holder_ids for r in runs))
    holder = next((r.holder for r in runs if r.holder), None)

    presented = [p for run in runs for p in run.credentials]
    views = [_View(i, p, facts_of(p.result), policy, holder_ids) for i, p in enumerate(presented)]

    assigned: dict[int, str] = {}
    if procedure is not None:
        assigned = assign_requirements(procedure, [
            Candidate(v.index, v.type_names, v.facts.format, v.own, v.presented.query_id) for v in views
        ])
    requirements = {i: procedure.requirement(rid) for i, rid in assigned.items()} if procedure else {}

    base = {v.index: _credential_checks(v.facts, v.presented, policy, checker, now, requirements.get(v.index))
            for v in views}
    candidates = [
        LinkCandidate(v.index, v.link, v.facts.claims, v.presented.result.verified and all(c.passed for c in base[v.index]),
                      v.own)
        for v in views if v.link is not None
    ]
    used_links: set[int] = set()
    links: dict[int, str] = {}
    holder_checks: dict[int, list[CheckResult]] = {}
    for v in views:
        requirement = requirements.get(v.index)
        checks, link, kind = _holder_checks(v, requirement, policy, procedure,
                                            [c for c in candidates if c.index != v.index])
        holder_checks[v.index] = checks
        if link is not None:
            used_links.add(link.index)
            links[v.index] = f"{link.kind}:{kind}" if kind else link.kind

    credentials = []
    for v in views:
        ignored = procedure is not None and v.index not in assigned and v.index not in used_links
        requirement = requirements.get(v.index)
        # with a procedure the verifier keeps only the claims it asked for (a Data Integrity credential
        # shows every claim; a link used but not asked for keeps none)
        keep = None if procedure is None else (requirement.claims if requirement is not None else ())
        cred = _verified(v.index, v.facts, v.presented, tuple(base[v.index]) + tuple(holder_checks[v.index]),
                         requirement=assigned.get(v.index), link=links.get(v.index), ignored=ignored, keep=keep)
        credentials.append(cred)

    if procedure is not None:
        missing = procedure.missing(set(assigned.values()))
        top.append(CheckResult.fail("procedure", "PROCEDURE_CREDENTIAL_MISSING",
                                    f"{procedure.id} needs credentials not presented (or not fitting): "
                                    + "; ".join(missing))
                   if missing else CheckResult.ok("procedure", f"every credential {procedure.id} needs was presented"))
    if not any(not c.ignored for c in credentials):
        top.append(CheckResult.fail("credentials", "NO_CREDENTIALS", "the presentation holds no usable credential"))
    return VerifierResult(
        kind="presentation", checks=tuple(top), credentials=tuple(credentials), holder=holder,
        procedure=procedure.id if procedure else None,
        presentations=tuple(r.result for r in runs if r.result is not None),
    )


# --- one credential ---------------------------------------------------------------------------


class _View:
    """A presented credential with what the holder checks need (internal)."""

    __slots__ = ("index", "presented", "facts", "type_names", "own", "bound", "link", "holder_known")

    def __init__(self, index: int, presented: Presented, facts: Facts, policy: Policy, holder_ids: frozenset[str]):
        self.index = index
        self.presented = presented
        self.facts = facts
        self.type_names = policy.type_names(facts.types)
        # the subject is named by credentialSubject.id / sub, else it is the holder of the cnf key
        subject = facts.subject_ids or facts.cnf_ids
        self.own = bool(subject & holder_ids)
        self.bound = bool((facts.cnf_ids | facts.subject_ids) & holder_ids)
        self.link = link_kind(self.type_names)
        self.holder_known = bool(holder_ids)


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc)


def _verified(index: int, facts: Facts, presented: Presented, checks: Sequence[CheckResult], *,
              requirement: str | None = None, link: str | None = None, ignored: bool = False,
              keep: Sequence[tuple[Any, ...]] | None = None) -> VerifiedCredential:
    # claims only from a credential whose signature and disclosures verified, and never of an ignored one
    claims = dict(facts.claims) if presented.result.verified and not ignored else {}
    if keep is not None:
        claims = requested_claims(claims, keep)
    return VerifiedCredential(
        index=index, format=facts.format, issuer=facts.issuer, types=facts.types, claims=claims,
        result=presented.result, checks=tuple(checks), credential_id=facts.credential_id,
        query_id=presented.query_id, requirement=requirement, subject_id=facts.subject_id, link=link,
        ignored=ignored, valid_from=facts.valid_from, valid_until=facts.valid_until,
    )


def _accepted_format(fmt: str, policy: Policy) -> CheckResult:
    if fmt in policy.formats:
        return CheckResult.ok("format", f"{fmt} is accepted")
    return CheckResult.fail("format", "FORMAT_NOT_ACCEPTED",
                            f"this verifier does not accept {fmt}; accepted: {', '.join(sorted(policy.formats))}")


def _algorithm_check(used: Sequence[tuple[str, str]], policy: Policy) -> CheckResult | None:
    if not used:
        return None
    refused = [name for kind, name in used if name not in (policy.algs if kind == "jose" else policy.cryptosuites)]
    if refused:
        return CheckResult.fail("algorithm", "ALG_NOT_ACCEPTED",
                                f"secured with {', '.join(sorted(set(refused)))}, which this verifier does not accept")
    return CheckResult.ok("algorithm", ", ".join(dict.fromkeys(name for _, name in used)))


def _credential_checks(facts: Facts, presented: Presented, policy: Policy, checker: Any, now: datetime,
                       requirement: Requirement | None) -> list[CheckResult]:
    checks = [_accepted_format(facts.format, policy)]
    alg = _algorithm_check(algorithms(presented.raw), policy)
    if alg is not None:
        checks.append(alg)
    if not presented.result.verified or facts.document is None:
        return checks  # trust and status of a credential that did not verify mean nothing; its own checks say why
    checks.append(policy.trust_list.evaluate(facts.issuer, policy.type_names(facts.types), now=now))
    if policy.validate_schema and facts.format in _FULL_DOCUMENT_FORMATS:
        schema = policy.schemas.check(facts.document, required=policy.require_schema)
        if schema is not None:
            checks.append(schema)
    age = _age_check(facts, policy, requirement, now)
    if age is not None:
        checks.append(age)
    checks.extend(_status_checks(facts, policy, checker, now))
    return checks


def _age_check(facts: Facts, policy: Policy, requirement: Requirement | None, now: datetime) -> CheckResult | None:
    limits = [x for x in (policy.max_credential_age, requirement.max_age if requirement else None) if x is not None]
    if not limits:
        return None
    limit = min(limits)
    if facts.valid_from is None:
        return CheckResult.fail("age", "CREDENTIAL_TOO_OLD",
                                "the credential states no issuance time (validFrom / iat), so its age is unknown")
    if now - facts.valid_from > limit + policy.clock_skew:
        return CheckResult.fail("age", "CREDENTIAL_TOO_OLD",
                                f"the credential was issued more than {_days(limit)} ago; ask the holder for a fresh one")
    return CheckResult.ok("age", f"issued within {_days(limit)}")


def _days(delta: timedelta) -> str:
    return f"{delta.days} days" if delta.days >= 1 else f"{int(delta.total_seconds())} seconds"


def _status_checks(facts: Facts, policy: Policy, checker: Any, now: datetime) -> list[CheckResult]:
    if not facts.has_status:
        if policy.require_status:
            return [CheckResult.fail("status", "STATUS_REQUIRED",
                                     "the credential has no status entry and this policy requires one")]
        return []
    if not policy.check_status:
        return []
    if checker is None:
        return [CheckResult.fail("status", "STATUS_CHECKER_MISSING",
                                 "the credential has a status entry but no status checker is configured; pass "
                                 "status_checker= (a vc.status.StatusChecker) or set check_status=False")]
    doc = facts.document or {}
    try:
        results = checker.check_credential(doc, now=now) if facts.format in VCDM_FORMATS else checker.check_token(doc, now=now)
    except VcError as err:
        return [CheckResult.fail("status", err)]
    out = []
    for r in results:
        check = r.to_check()
        if r.code == "STATUS_UNAVAILABLE" and not policy.status_unavailable_fails:
            check = replace(check, passed=True, message=check.message + "; accepted by this policy")
        out.append(check)
    return out


# --- holder and subject -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Mode:
    subject: str
    binding: bool


def _mode(view: _View, requirement: Requirement | None, policy: Policy) -> _Mode:
    if requirement is not None:
        subject = requirement.subject
        binding = policy.holder_binding_required and requirement.holder_binding
    else:
        # a Household/Representation credential links only when it is the holder's own
        subject = "holder" if view.link is not None else "holder_or_linked"
        binding = policy.holder_binding_required
    if view.link is not None:
        subject = "holder"
    if not policy.subject_must_be_holder:
        subject = "any"
    return _Mode(subject, binding)


def _holder_checks(view: _View, requirement: Requirement | None, policy: Policy, procedure: Procedure | None,
                   candidates: list[LinkCandidate]) -> tuple[list[CheckResult], LinkCandidate | None, str | None]:
    """The ``holder_binding`` and ``subject`` checks of a presented credential, and the link it rests on."""
    if not view.presented.result.verified:
        return [], None, None
    mode = _mode(view, requirement, policy)
    checks: list[CheckResult] = []
    subject: CheckResult | None = None
    link: LinkCandidate | None = None
    kind: str | None = None
    if mode.subject != "any":
        if view.own:
            subject = CheckResult.ok("subject", "the credential is about the holder")
        elif not view.holder_known:
            subject = CheckResult.fail("subject", "SUBJECT_NOT_HOLDER",
                                       "the presentation proves no holder (no holder proof, no key binding JWT), so "
                                       "whom the credential is about cannot be compared with who presents it")
        elif mode.subject == "holder":
            subject = CheckResult.fail("subject", "SUBJECT_NOT_HOLDER",
                                       "the credential must be about the holder, and its subject is someone else")
        else:
            rules = None
            if procedure is not None:
                rules = requirement.links(procedure.link_rules) if requirement is not None else procedure.link_rules
            subject, link, kind = decide_link(view.facts.claims, candidates, rules=rules)
    if mode.binding:
        if view.bound:
            checks.append(CheckResult.ok("holder_binding", "the presenter holds the key the credential is bound to"
                                         if view.facts.cnf_ids else "the credential's subject is the presenter"))
        elif link is not None:
            checks.append(CheckResult.ok("holder_binding", "presented by a holder linked to its subject"))
        else:
            checks.append(CheckResult.fail("holder_binding", "HOLDER_BINDING_REQUIRED",
                                           "the credential is not bound to the presenter (no cnf key proven by a "
                                           "key binding JWT, no subject id the presentation's holder controls)"))
    if subject is not None:
        checks.append(subject)
    return checks, link, kind
