"""Household and proxy (世帯・代理): when a credential about another person is accepted.

A parent applies for a child, a guardian for a ward, an agent for a principal. A credential whose
subject is not the holder (``verifier.policy.identity``) is accepted for a procedure when a
``HouseholdCredential`` or ``RepresentationCredential`` presented with it

1. verified, with every policy check passed (a Representation past its ``validUntil`` does not link),
2. is the holder's own (issued to the holder: its subject is a holder identifier),
3. is a kind of link the procedure accepts,
4. names the same person as the credential's subject (``familyName``, ``givenName``, ``birthDate``;
   a Household ``members[]`` entry, or the Representation's ``represented``), and
5. fits the procedure: the member's ``relationshipToHouseholder`` is one the procedure accepts, or the
   Representation's ``scope`` names the procedure (one of its scope codes) and its ``basis`` is accepted.

Catalog.md 2.2 and 2.11 give the claims; a Household discloses members one by one, so the holder can show
the one child the procedure concerns and nobody else.

When no link fits, the failure of the candidate that got furthest is reported: LINK_INVALID,
LINK_NOT_HOLDERS, LINK_SCOPE_MISMATCH (a link kind or scope the procedure does not accept),
LINK_PERSON_MISMATCH, LINK_RELATIONSHIP_NOT_ACCEPTED, LINK_BASIS_NOT_ACCEPTED; with no candidate at all,
SUBJECT_NOT_LINKED; with no person claims on the subject, LINK_PERSON_UNDETERMINED.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vc.results import CheckResult

from .identity import person_key

__all__ = [
    "HOUSEHOLD",
    "LINK_TYPES",
    "REPRESENTATION",
    "LinkCandidate",
    "LinkRules",
    "decide_link",
    "link_kind",
]

HOUSEHOLD = "household"
REPRESENTATION = "representation"
#: credential type names (VCDM ``type``, or a ``vct`` aliased to it) -> link kind
LINK_TYPES: Mapping[str, str] = {"HouseholdCredential": HOUSEHOLD, "RepresentationCredential": REPRESENTATION}


def link_kind(type_names: Collection[str]) -> str | None:
    """``household`` / ``representation`` for a credential of that type, else None."""
    for name in type_names:
        if name in LINK_TYPES:
            return LINK_TYPES[name]
    return None


@dataclass(frozen=True, slots=True)
class LinkRules:
    """What a procedure accepts. ``household_relationships`` None: no household links; ``representation_bases``
    None: no representation links (empty: any basis); ``scope``: the procedure codes a Representation's
    ``scope`` must name one of."""

    household_relationships: frozenset[str] | None = None
    representation_bases: frozenset[str] | None = None
    scope: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class LinkCandidate:
    """A presented Household/Representation credential as the link decision sees it."""

    index: int
    kind: str
    claims: Mapping[str, Any]
    usable: bool  # verified, every policy check passed
    own: bool  # its subject is the holder


@dataclass(frozen=True, slots=True)
class _Outcome:
    stage: int
    code: str | None
    message: str
    relationship: str | None = None


def decide_link(subject_claims: Mapping[str, Any], candidates: Sequence[LinkCandidate], *,
                rules: LinkRules | None) -> tuple[CheckResult, LinkCandidate | None, str | None]:
    """The ``subject`` check for a credential about someone other than the holder, the link used, and the
    relationship or basis it rests on."""
    if rules is None:
        return (CheckResult.fail("subject", "SUBJECT_NOT_LINKED",
                                 "the credential is about someone other than the holder; household and proxy links "
                                 "are accepted only for a procedure"), None, None)
    person = person_key(subject_claims)
    if person is None:
        return (CheckResult.fail("subject", "LINK_PERSON_UNDETERMINED",
                                 "the credential is about someone other than the holder; disclose its familyName, "
                                 "givenName and birthDate so the link to the holder can be checked"), None, None)
    if not candidates:
        return (CheckResult.fail("subject", "SUBJECT_NOT_LINKED",
                                 "the credential is about someone other than the holder and no HouseholdCredential or "
                                 "RepresentationCredential links them; present one with it"), None, None)
    best: _Outcome | None = None
    for candidate in candidates:
        outcome = _evaluate(candidate, person, rules)
        if outcome.code is None:
            what = "household member" if candidate.kind == HOUSEHOLD else "person represented"
            return (CheckResult.ok("subject", f"the subject is a {what} linked to the holder "
                                              f"({outcome.relationship}) by credential #{candidate.index}"),
                    candidate, outcome.relationship)
        if best is None or outcome.stage > best.stage:
            best = outcome
    assert best is not None and best.code is not None
    return CheckResult.fail("subject", best.code, best.message), None, None


def _evaluate(candidate: LinkCandidate, person: Any, rules: LinkRules) -> _Outcome:
    name = "HouseholdCredential" if candidate.kind == HOUSEHOLD else "RepresentationCredential"
    if not candidate.usable:
        return _Outcome(0, "LINK_INVALID", f"the {name} (#{candidate.index}) did not verify, so it links nobody")
    if not candidate.own:
        return _Outcome(1, "LINK_NOT_HOLDERS", f"the {name} (#{candidate.index}) was not issued to the holder")
    if candidate.kind == HOUSEHOLD:
        if rules.household_relationships is None:
            return _Outcome(2, "LINK_SCOPE_MISMATCH", "this procedure does not accept household links")
        members = candidate.claims.get("members", [])
        members = members if isinstance(members, list) else []
        matching = [m for m in members if person_key(m) == person]
        if not matching:
            return _Outcome(3, "LINK_PERSON_MISMATCH",
                            f"no disclosed member of the {name} (#{candidate.index}) has the subject's familyName, "
                            "givenName and birthDate")
        for member in matching:
            relationship = member.get("relationshipToHouseholder")
            if isinstance(relationship, str) and relationship in rules.household_relationships:
                return _Outcome(5, None, "", relationship)
        return _Outcome(4, "LINK_RELATIONSHIP_NOT_ACCEPTED",
                        "the subject's relationship to the householder is not one this procedure accepts "
                        f"({', '.join(sorted(rules.household_relationships))})")
    if rules.representation_bases is None:
        return _Outcome(2, "LINK_SCOPE_MISMATCH", "this procedure does not accept representation (proxy) links")
    if person_key(candidate.claims.get("represented")) != person:
        return _Outcome(3, "LINK_PERSON_MISMATCH",
                        f"the {name} (#{candidate.index}) represents someone else (familyName, givenName and "
                        "birthDate differ from the subject's)")
    scope = candidate.claims.get("scope", [])
    scope = [scope] if isinstance(scope, str) else scope if isinstance(scope, list) else []
    if not rules.scope.intersection(s for s in scope if isinstance(s, str)):
        return _Outcome(4, "LINK_SCOPE_MISMATCH",
                        f"the {name} (#{candidate.index}) does not cover this procedure "
                        f"({', '.join(sorted(rules.scope))}); its scope must name it")
    basis = candidate.claims.get("basis")
    if rules.representation_bases and basis not in rules.representation_bases:
        return _Outcome(4, "LINK_BASIS_NOT_ACCEPTED",
                        f"this procedure accepts representation on the basis of "
                        f"{', '.join(sorted(rules.representation_bases))} only")
    return _Outcome(5, None, "", basis if isinstance(basis, str) else None)
