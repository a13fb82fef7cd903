"""Running the ``vc`` verifiers on what a holder presented, format by format (a registry, not an if-chain).

Presentations: a Data Integrity presentation (``ldp_vp``; ``challenge``/``domain`` default to the
OpenID4VP ``nonce``/client id), a ``vp+jwt``, an SD-JWT with a Key Binding JWT (OpenID4VP ``dc+sd-jwt``:
the credential is its own presentation), or a bare credential (no holder proof). A ``vp_token`` object
(DCQL query id -> list of presentations) and a list of presentations are taken apart here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from vc.credentials import verify_credential as _verify_di_credential
from vc.errors import JoseError, MalformedError, VcError
from vc.input import load_json
from vc.jose import open_envelope, parse_compact, verify_presentation_entry, verify_vc_jwt, verify_vp_jwt
from vc.jose.jws import normalize_typ
from vc.presentations import verify_presentation as _verify_di_presentation
from vc.results import CheckResult, VerificationResult
from vc.sdjwt import verify_sd_jwt

from .policy.identity import cnf_identifiers, did_identifiers
from .policy.policy import Policy

__all__ = ["Binding", "Presented", "PresentationRun", "algorithms", "kind_of", "run_credential", "run_presentation",
           "split_vp_token"]

PRESENTATION_KINDS = frozenset({"ldp_vp", "vp+jwt"})


@dataclass(frozen=True, slots=True)
class Binding:
    """What the verifier was told to expect of a presentation (OpenID4VP / VC-API terms)."""

    audience: str | None = None
    nonce: str | None = None
    challenge: str | None = None
    domain: str | None = None
    seen_nonces: Callable[[str], bool] | None = None


@dataclass(frozen=True, slots=True)
class Presented:
    """One credential as presented (``raw``: the secured object or compact string) and its ``vc`` result."""

    raw: Any
    result: VerificationResult
    query_id: str | None = None


@dataclass(frozen=True, slots=True)
class PresentationRun:
    """One presentation's ``vc`` result (None for a credential presented on its own) and its credentials."""

    format: str
    result: VerificationResult | None
    raw: Any
    credentials: tuple[Presented, ...]
    holder: str | None = None
    holder_ids: frozenset[str] = field(default_factory=frozenset)


def kind_of(value: Any) -> tuple[str, Any]:
    """``(kind, value)``: ``ldp_vp``, ``vp+jwt``, ``sd-jwt``, ``jwt``, ``enveloped`` or ``ldp_vc``, with JSON
    text parsed; MalformedError for anything else."""
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{"):
            return kind_of(load_json(text))
        if "~" in text:
            return "sd-jwt", text
        if text.count(".") == 2:
            try:
                typ = parse_compact(text).header.get("typ")
            except JoseError:
                return "jwt", text  # the JWT verifier reports what is wrong with it
            return ("vp+jwt" if isinstance(typ, str) and normalize_typ(typ) == "vp+jwt" else "jwt"), text
        raise MalformedError("not a JSON object, a compact JWS or an SD-JWT")
    if isinstance(value, Mapping):
        types = value.get("type", [])
        types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
        if "VerifiablePresentation" in types:
            return "ldp_vp", dict(value)
        if "EnvelopedVerifiableCredential" in types:
            return "enveloped", dict(value)
        return "ldp_vc", dict(value)
    raise MalformedError(f"a credential or presentation must be a JSON object or a string, got {type(value).__name__}")


def split_vp_token(presentation: Any) -> list[tuple[str | None, Any]]:
    """``[(query id or None, presentation)]``: a DCQL ``vp_token`` object (query id -> list of presentations),
    a list of presentations, or one presentation."""
    if isinstance(presentation, (str, bytes)) and presentation.lstrip()[:1] in ("{", b"{"):
        try:
            presentation = load_json(presentation)  # a vp_token as its JSON text
        except VcError:
            return [(None, presentation)]  # reported as malformed by the runner
    if isinstance(presentation, Mapping) and _is_vp_token(presentation):
        out: list[tuple[str | None, Any]] = []
        for query_id, value in presentation.items():
            for item in value if isinstance(value, list) else [value]:
                out.append((str(query_id), item))
        return out
    if isinstance(presentation, (list, tuple)):
        return [(None, item) for item in presentation]
    return [(None, presentation)]


def _is_vp_token(value: Mapping[str, Any]) -> bool:
    # a W3C document has @context/type/proof; a vp_token maps query ids to presentations
    return bool(value) and not ({"@context", "type", "proof", "credentialSubject"} & value.keys()) and all(
        isinstance(v, (list, str, Mapping)) for v in value.values()
    )


# --- credentials ----------------------------------------------------------------------------
# ``status=False`` throughout: the policy's own status checker decides whether and how status is checked
# (``verifier.verification``), so ``vc`` never fetches a status list itself. ``vc+jwt`` and SD-JWT
# verification do not check status at all.


def _bare(value: Any, policy: Policy, now: datetime) -> VerificationResult:
    return _verify_di_credential(value, resolver=policy.resolver, loader=policy.loader, now=now, skew=policy.clock_skew,
                                 status=False)


def _jwt(value: Any, policy: Policy, now: datetime) -> VerificationResult:
    return verify_vc_jwt(value, resolver=policy.resolver, key_lookup=policy.key_lookup, loader=policy.loader, now=now,
                         skew=policy.clock_skew)


def _sd_jwt(value: Any, policy: Policy, now: datetime) -> VerificationResult:
    return verify_sd_jwt(value, key_lookup=policy.key_lookup, resolver=policy.resolver, require_kb=False, now=now,
                         skew=policy.clock_skew)


def _enveloped(value: Any, policy: Policy, now: datetime) -> VerificationResult:
    return verify_presentation_entry(value, resolver=policy.resolver, loader=policy.loader, key_lookup=policy.key_lookup,
                                     now=now, skew=policy.clock_skew, status=False)


_CREDENTIAL_VERIFIERS: Mapping[str, Callable[[Any, Policy, datetime], VerificationResult]] = {
    "ldp_vc": _bare,
    "jwt": _jwt,
    "sd-jwt": _sd_jwt,
    "enveloped": _enveloped,
}


def run_credential(value: Any, policy: Policy, now: datetime) -> Presented:
    """Verify one credential on its own; MalformedError only when it is no format at all."""
    kind, parsed = kind_of(value)
    if kind in PRESENTATION_KINDS:
        check = CheckResult.fail("format", "FORMAT_NOT_ACCEPTED",
                                 "this is a presentation; verify it with verify_presentation")
        return Presented(parsed, VerificationResult(checks=(check,), format=kind))
    return Presented(parsed, _CREDENTIAL_VERIFIERS[kind](parsed, policy, now))


# --- presentations --------------------------------------------------------------------------


def _holder_of(document: Mapping[str, Any] | None, *names: str) -> str | None:
    for name in names:
        value = (document or {}).get(name)
        if isinstance(value, Mapping):
            value = value.get("id")
        if isinstance(value, str) and value:
            return value
    return None


def _entries(document: Mapping[str, Any] | None) -> list[Any]:
    entries = (document or {}).get("verifiableCredential", [])
    return entries if isinstance(entries, list) else [entries]


def _holder_run(fmt: str, raw: Any, result: VerificationResult, query_id: str | None, *names: str) -> PresentationRun:
    entries = _entries(result.document)
    creds = tuple(Presented(e, r, query_id) for e, r in zip(entries, result.credentials))
    holder = _holder_of(result.document, *names) if result.checks and all(c.passed for c in result.checks) else None
    return PresentationRun(fmt, result, raw, creds, holder, did_identifiers(holder) if holder else frozenset())


def _ldp_vp(raw: Any, policy: Policy, now: datetime, b: Binding, query_id: str | None) -> PresentationRun:
    result = _verify_di_presentation(
        raw, challenge=b.challenge if b.challenge is not None else b.nonce,
        domain=b.domain if b.domain is not None else b.audience, resolver=policy.resolver, loader=policy.loader,
        now=now, skew=policy.clock_skew, key_lookup=policy.key_lookup, status=False,
    )
    return _holder_run("ldp_vp", raw, result, query_id, "holder")


def _vp_jwt(raw: Any, policy: Policy, now: datetime, b: Binding, query_id: str | None) -> PresentationRun:
    result = verify_vp_jwt(
        raw, aud=b.audience if b.audience is not None else b.domain,
        nonce=b.nonce if b.nonce is not None else b.challenge, resolver=policy.resolver, key_lookup=policy.key_lookup,
        loader=policy.loader, now=now, skew=policy.clock_skew, seen_nonces=b.seen_nonces, status=False,
    )
    return _holder_run("vp+jwt", raw, result, query_id, "holder", "iss")


def _sd_jwt_presentation(raw: Any, policy: Policy, now: datetime, b: Binding, query_id: str | None) -> PresentationRun:
    aud = b.audience if b.audience is not None else b.domain
    nonce = b.nonce if b.nonce is not None else b.challenge
    result = verify_sd_jwt(
        raw, key_lookup=policy.key_lookup, resolver=policy.resolver, aud=aud, nonce=nonce,
        require_kb=True if policy.holder_binding_required else None, seen_nonces=b.seen_nonces, now=now,
        skew=policy.clock_skew, max_age=policy.kb_max_age, status=False,
    )
    if result.format == "vp+sd-jwt":
        return _holder_run("vp+sd-jwt", raw, result, query_id, "holder")
    kb = result.check("kb_jwt")
    proven = cnf_identifiers(result.document or {}) if kb is not None and kb.passed else frozenset()
    return PresentationRun(result.format, None, raw, (Presented(raw, result, query_id),), None, proven)


def _credential_alone(raw: Any, policy: Policy, now: datetime, b: Binding, query_id: str | None) -> PresentationRun:
    kind, _ = kind_of(raw)
    result = _CREDENTIAL_VERIFIERS[kind](raw, policy, now)
    return PresentationRun(result.format, None, raw, (Presented(raw, result, query_id),))


_PRESENTATION_RUNNERS: Mapping[str, Callable[[Any, Policy, datetime, Binding, str | None], PresentationRun]] = {
    "ldp_vp": _ldp_vp,
    "vp+jwt": _vp_jwt,
    "sd-jwt": _sd_jwt_presentation,
    "jwt": _credential_alone,
    "ldp_vc": _credential_alone,
    "enveloped": _credential_alone,
}


def run_presentation(value: Any, policy: Policy, now: datetime, binding: Binding,
                     query_id: str | None = None) -> PresentationRun:
    """Verify one presentation and its credentials; MalformedError only when it is no format at all."""
    kind, parsed = kind_of(value)
    return _PRESENTATION_RUNNERS[kind](parsed, policy, now, binding, query_id)


# --- algorithms -------------------------------------------------------------------------------


def algorithms(raw: Any, *, key_binding: bool = True) -> tuple[tuple[str, str], ...]:
    """``(("jose", alg) | ("di", cryptosuite), ...)`` securing ``raw``: its proofs' cryptosuites (or legacy proof
    types), a JWS ``alg``, and (``key_binding``) an SD-JWT's KB-JWT ``alg``."""
    if isinstance(raw, Mapping):
        if "proof" in raw:
            proofs = raw["proof"] if isinstance(raw["proof"], list) else [raw["proof"]]
            out = []
            for proof in proofs:
                if isinstance(proof, Mapping):
                    name = proof.get("cryptosuite") if proof.get("type") == "DataIntegrityProof" else proof.get("type")
                    if isinstance(name, str):
                        out.append(("di", name))
            return tuple(out)
        try:
            _, token = open_envelope(raw)
        except VcError:
            return ()
        return algorithms(token, key_binding=key_binding)
    if not isinstance(raw, str):
        return ()
    parts = raw.split("~")
    tokens = [parts[0]] + ([parts[-1]] if key_binding and len(parts) > 1 and parts[-1] else [])
    out = []
    for token in tokens:
        try:
            alg = parse_compact(token).header.get("alg")
        except VcError:
            continue
        if isinstance(alg, str):
            out.append(("jose", alg))
    return tuple(out)


def presentation_algorithms(run: PresentationRun) -> Sequence[tuple[str, str]]:
    """What secures the presentation itself (not its credentials)."""
    if run.result is None:
        return ()
    if isinstance(run.raw, Mapping):
        return algorithms({"proof": run.raw.get("proof")} if "proof" in run.raw else {})
    return algorithms(run.raw, key_binding=False) if isinstance(run.raw, str) else ()
