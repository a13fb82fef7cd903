"""What the resident agrees to: the exact claims each credential would disclose, and the
``vp_token`` that discloses those and nothing else.

``plan_presentation`` turns a :class:`~vc.holder.dcql.RequestMatch` and the resident's choices into
a :class:`PresentationPlan`: per credential, the claims the verifier requires, the optional ones
(off unless approved), the ones the credential always shows, and, computed from the credential
itself, the exact claim paths that will leave the wallet. Claims the catalog rates ``H`` are marked
sensitive. When the request cannot be answered without a claim the resident has not approved, the
plan refuses (``APPROVAL_REQUIRED``) instead of choosing for them. When several stored credentials answer
a query (the holder's own 住民票 and the child's), the resident picks one (``chosen``); without a pick,
:func:`choose_credentials` takes the holder's own for a query about the holder, else the newest.

``build_vp_token`` makes the presentations (SD-JWT + KB-JWT with ``aud`` = client_id and ``nonce``;
a Data Integrity presentation with ``challenge`` = nonce and ``domain`` = client_id; a ``vp+jwt``)
and checks each SD-JWT presentation once more against the plan before anything is sent.

>>> plan = plan_presentation(match, approved={"birth": [("birthWeightGrams",)]})
>>> [c.disclosed for c in plan.credentials]
>>> vp_token = build_vp_token(plan, client_id=request.client_id, nonce=request.nonce, key_for=store.key)
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vc.errors import JoseError, UsageError, WalletError
from vc.jose.jws import parse_compact
from vc.jsonld import DocumentLoader
from vc.keys import KeyPair
from vc.sdjwt import parse_sd_jwt, process_disclosures
from vc.securing import present_credential

from .claims import (
    ClaimPath,
    disclosed_paths,
    format_claim_path,
    leaf_paths,
    path_covers,
    personal_claim,
    selectively_disclosable,
)
from .dcql import CredentialCandidate, RequestMatch
from .records import ClaimLabel, StoredCredential

__all__ = [
    "ALWAYS",
    "OPTIONAL",
    "REQUIRED",
    "ClaimDisclosure",
    "CredentialDisclosure",
    "PresentationPlan",
    "build_vp_token",
    "choose_credentials",
    "plan_presentation",
]

REQUIRED = "required"  # the verifier needs it; sent whenever the credential is
OPTIONAL = "optional"  # the verifier would like it; sent only when the resident turns it on
ALWAYS = "always"  # not asked for, but the credential cannot be shown without it


@dataclass(frozen=True)
class ClaimDisclosure:
    """One line of the consent screen: a claim path, its label, why it is there, whether it is
    sensitive, and whether it will be sent."""

    path: ClaimPath
    requirement: str  # REQUIRED | OPTIONAL | ALWAYS
    selected: bool
    sensitive: bool = False
    label: ClaimLabel | None = None

    def label_text(self, lang: str = "ja") -> str:
        return (self.label.label(lang) if self.label else "") or format_claim_path(self.path)

    @property
    def path_text(self) -> str:
        return format_claim_path(self.path)


@dataclass(frozen=True)
class CredentialDisclosure:
    """A credential the presentation includes: the requested paths handed to the holder library
    (``disclose``), the consent lines, and the exact personal claim paths that will be disclosed."""

    query_id: str
    credential: StoredCredential
    disclose: tuple[ClaimPath, ...]
    claims: tuple[ClaimDisclosure, ...]
    disclosed: tuple[ClaimPath, ...]

    @property
    def sensitive_selected(self) -> bool:
        return any(c.sensitive and c.selected for c in self.claims)


@dataclass(frozen=True)
class PresentationPlan:
    """Everything a presentation will disclose, per credential query."""

    credentials: tuple[CredentialDisclosure, ...]
    set_choices: Mapping[int, int | None]  # credential set index -> chosen option (None: optional set left out)

    def credential(self, query_id: str) -> CredentialDisclosure | None:
        return next((c for c in self.credentials if c.query_id == query_id), None)


def _sensitive(stored: StoredCredential, path: ClaimPath, leaves: Sequence[ClaimPath]) -> bool:
    """H at the path, at a parent of it, or at a claim below it that goes along."""
    for claim in stored.claims:
        if not claim.sensitive:
            continue
        if path_covers(claim.path, path) or any(path_covers(claim.path, leaf) for leaf in leaves
                                                if path_covers(path, leaf)):
            return True
    return False


def _label(stored: StoredCredential, path: ClaimPath) -> ClaimLabel | None:
    found = stored.label_for(path)
    if found is not None:
        return found
    # a leaf below a labelled claim (mother.familyName under mother) borrows nothing: show its own path,
    # but an array element takes the label of its array
    trimmed = tuple(p for p in path if not isinstance(p, int))
    return stored.label_for(trimmed) if trimmed != path else None


def _choose_option(candidate: CredentialCandidate, allowed: set[ClaimPath]) -> tuple[ClaimPath, ...]:
    for option in candidate.options:  # the verifier's order of preference, within what is allowed
        if set(option) <= allowed:
            return option
    wanted = [format_claim_path(p) for p in candidate.optional if p not in allowed]
    raise WalletError(
        f"the request for '{candidate.query_id}' cannot be answered without an optional claim you have not "
        f"approved ({', '.join(wanted)}); turn on the claims you agree to share, or decline",
        code="APPROVAL_REQUIRED", query_id=candidate.query_id, claims=wanted)


def _credential_disclosure(candidate: CredentialCandidate, approved: Collection[ClaimPath]) -> CredentialDisclosure:
    stored = candidate.credential
    if not selectively_disclosable(stored):
        # the whole credential goes: every requested claim is sent, there is nothing optional to turn off
        option = candidate.options[0]
        disclosed = disclosed_paths(stored, option)
        requested = list(dict.fromkeys(p for o in candidate.options for p in o))
        whole = [ClaimDisclosure(p, REQUIRED, True, _sensitive(stored, p, disclosed), _label(stored, p))
                 for p in requested]
        whole += [ClaimDisclosure(leaf, ALWAYS, True, _sensitive(stored, leaf, disclosed), _label(stored, leaf))
                  for leaf in disclosed if not any(path_covers(p, leaf) for p in requested)]
        return CredentialDisclosure(candidate.query_id, stored, option, tuple(whole), tuple(disclosed))
    allowed = set(candidate.required) | {p for p in approved if p in candidate.optional}
    option = _choose_option(candidate, allowed)
    disclosed = disclosed_paths(stored, option)
    lines: list[ClaimDisclosure] = []
    for path in candidate.required:
        lines.append(ClaimDisclosure(path, REQUIRED, True, _sensitive(stored, path, disclosed), _label(stored, path)))
    for path in candidate.optional:
        lines.append(ClaimDisclosure(path, OPTIONAL, path in option, _sensitive(stored, path, disclosed),
                                     _label(stored, path)))
    for leaf in disclosed:
        if not any(path_covers(p, leaf) for p in option):
            lines.append(ClaimDisclosure(leaf, ALWAYS, True, _sensitive(stored, leaf, disclosed), _label(stored, leaf)))
    return CredentialDisclosure(candidate.query_id, stored, option, tuple(lines), tuple(disclosed))


def plan_presentation(
    match: RequestMatch,
    *,
    approved: Mapping[str, Collection[Sequence[str | int | None]]] | None = None,
    options: Mapping[int, int] | None = None,
    include_optional_sets: Collection[int] = (),
    chosen: Mapping[str, str] | None = None,
) -> PresentationPlan:
    """The presentation the resident's choices make.

    ``approved``: per credential query id, the optional claim paths turned on (everything else
    optional stays off). ``options``: per credential set index, the option chosen (default: the
    first the wallet can satisfy). ``include_optional_sets``: optional credential sets to answer
    (default none). ``chosen``: per query id, the stored credential id to use (default: see
    :func:`choose_credentials`). ``REQUEST_UNSATISFIABLE`` when a required set cannot be answered,
    ``APPROVAL_REQUIRED`` when only an unapproved optional claim would answer it,
    ``CREDENTIAL_CHOICE_INVALID`` when a chosen credential does not answer its query.
    """
    if not match.satisfiable:
        raise WalletError("the wallet holds no credential that answers this request", code="REQUEST_UNSATISFIABLE",
                          sets=[s.index for s in match.missing])
    approved_paths = {qid: {tuple(p) for p in paths} for qid, paths in (approved or {}).items()}
    set_choices: dict[int, int | None] = {}
    query_ids: list[str] = []
    for cs in match.sets:
        if not cs.required and cs.index not in include_optional_sets:
            set_choices[cs.index] = None
            continue
        pick = (options or {}).get(cs.index, cs.satisfiable[0] if cs.satisfiable else None)
        if pick is None or pick not in cs.satisfiable:
            if not cs.required:
                set_choices[cs.index] = None
                continue
            raise WalletError("the chosen alternative of the request cannot be answered with what the wallet holds",
                              code="REQUEST_UNSATISFIABLE", set=cs.index)
        set_choices[cs.index] = pick
        query_ids.extend(q for q in cs.options[pick] if q not in query_ids)
    picked = choose_credentials(match, query_ids, chosen=chosen)
    disclosures = [_credential_disclosure(picked[qid], approved_paths.get(qid, set())) for qid in query_ids]
    return PresentationPlan(tuple(disclosures), set_choices)


def choose_credentials(
    match: RequestMatch,
    query_ids: Sequence[str],
    *,
    chosen: Mapping[str, str] | None = None,
) -> dict[str, CredentialCandidate]:
    """The credential presented for each of ``query_ids``: the resident's choice (``chosen``: query id ->
    stored credential id), else the default.

    The default: DCQL cannot say whose credential a query wants, so a query is taken to be about the
    holder unless an earlier query of the request already takes the holder's own credential it could
    use (a request asking for the holder's and the partner's employment certificates). About the holder:
    the newest credential about the holder, else the newest; otherwise the newest not taken already.
    ``CREDENTIAL_CHOICE_INVALID`` when a choice names a query the request does not make or a credential
    that does not answer its query (nothing is presented then).
    """
    chosen = dict(chosen or {})
    picked: dict[str, CredentialCandidate] = {}
    for qid, credential_id in chosen.items():
        query = match.queries.get(qid)
        if query is None:
            raise WalletError(f"a credential was chosen for '{qid}', which this request does not ask for; "
                              "open the request again and choose among its credentials",
                              code="CREDENTIAL_CHOICE_INVALID", query_id=qid)
        candidate = next((c for c in query.candidates if c.credential.id == credential_id), None)
        if candidate is None:
            raise WalletError(f"the credential chosen for '{qid}' does not answer that query (or is no longer in "
                              "the wallet); choose one of the credentials the request lists",
                              code="CREDENTIAL_CHOICE_INVALID", query_id=qid)
        if qid in query_ids:
            picked[qid] = candidate
    taken = {c.credential.id for c in picked.values()}
    own_taken = {c.credential.id for c in picked.values() if c.subject.about_holder}
    for qid in query_ids:
        if qid in picked:
            continue
        candidates = match.queries[qid].candidates
        about_holder = not any(c.credential.id in own_taken for c in candidates)
        own = [c for c in candidates if c.subject.about_holder]
        fresh = [c for c in candidates if c.credential.id not in taken]
        candidate = (own[0] if about_holder and own else fresh[0] if fresh else candidates[0])
        picked[qid] = candidate
        taken.add(candidate.credential.id)
        if candidate.subject.about_holder:
            own_taken.add(candidate.credential.id)
    return picked


def _check_sd_jwt(presentation: str, item: CredentialDisclosure) -> None:
    """The presentation discloses no personal claim outside the plan (a last guard before sending)."""
    token = parse_sd_jwt(presentation)
    payload = parse_compact(token.issuer_jwt).payload_json(what="SD-JWT payload")
    claims = process_disclosures(payload, token.disclosures).claims
    allowed = set(item.disclosed)
    extra = [p for p in leaf_paths(claims) if personal_claim(p, item.credential.format) and p not in allowed]
    if extra:
        raise WalletError("the presentation would disclose claims you did not approve ("
                          + ", ".join(format_claim_path(p) for p in extra) + "); nothing was sent",
                          code="APPROVAL_REQUIRED", query_id=item.query_id)


def build_vp_token(
    plan: PresentationPlan,
    *,
    client_id: str,
    nonce: str,
    key_for: Callable[[str], KeyPair],
    now: datetime | None = None,
    loader: DocumentLoader | None = None,
) -> dict[str, list[Any]]:
    """The ``vp_token`` object (query id -> [presentation]) for ``plan``, bound to the verifier
    (``client_id``) and the request (``nonce``); ``key_for(key_id)`` gives the holder key."""
    vp_token: dict[str, list[Any]] = {}
    for item in plan.credentials:
        stored = item.credential
        if stored.key_id is None:
            raise WalletError("this credential is not bound to a key of this wallet, so it cannot be presented",
                              code="REQUEST_UNSATISFIABLE", query_id=item.query_id)
        key = key_for(stored.key_id)
        try:
            if selectively_disclosable(stored):
                presentation = present_credential(str(stored.credential), key, audience=client_id, nonce=nonce,
                                                  disclose=[list(p) for p in item.disclose], now=now)
                _check_sd_jwt(str(presentation), item)
            else:
                presentation = present_credential(stored.credential, key, audience=client_id, nonce=nonce,
                                                  challenge=nonce, domain=client_id, now=now, loader=loader)
        except (UsageError, JoseError) as exc:
            raise WalletError(f"the presentation for '{item.query_id}' could not be made ({exc.code})",
                              code="REQUEST_UNSATISFIABLE", query_id=item.query_id) from None
        vp_token[item.query_id] = [presentation]
    return vp_token
