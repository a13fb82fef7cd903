"""Add and verify Data Integrity proofs, including proof sets and proof chains.

W3C vc-data-integrity 1.0, section 4: "Add Proof" and "Add Proof Set/Chain" (a new proof is appended to
the document's existing proofs; with ``previousProof`` the proofs it names are part of the signed
document), "Verify Proof" and "Verify Proof Sets and Chains" (each proof verified on its own, a chained
proof over the document plus the proofs its ``previousProof`` names).

    >>> signed = add_proof(credential, key, cryptosuite="eddsa-rdfc-2022",
    ...                    verification_method=vm, created="2024-04-01T00:00:00Z")   # doctest: +SKIP
    >>> checks = verify_proofs(signed, resolver=default_resolver())                   # doctest: +SKIP
    >>> all(c.passed for c in checks)                                                 # doctest: +SKIP
    True

``verify_proofs`` returns, for each proof, a ``proof`` check (shape, cryptosuite, verification method,
key type and signature) followed by ``proof_purpose``, ``proof_controller`` and, where they apply,
``proof_expires``, ``proof_challenge`` and ``proof_domain``. It never raises for a bad document.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from vc.did import DidResolver
from vc.errors import (
    ChallengeMismatchError,
    DomainMismatchError,
    HolderMismatchError,
    InvalidDidError,
    IssuerMismatchError,
    KeyPurposeMismatchError,
    KeyTypeMismatchError,
    MalformedError,
    MalformedProofError,
    ProofError,
    ProofExpiredError,
    ProofMissingError,
    UsageError,
    VcError,
    VerificationMethodNotFoundError,
)
from vc.jsonld.loader import DocumentLoader, default_loader
from vc.keys import KeyPair, PublicKey
from vc.model.datetimes import format_datetime
from vc.proofs.suite import Cryptosuite, get_cryptosuite, parse_proof_datetime, suite_for_proof
from vc.results import CheckResult

__all__ = ["add_proof", "verify_proofs"]

# member order of a created proof (as in the spec examples; JSON order does not affect the signature)
_OPTION_ORDER = (
    "type", "id", "cryptosuite", "created", "expires", "verificationMethod", "proofPurpose",
    "challenge", "domain", "nonce", "previousProof",
)

# the relationship whose controller a proof binds to, by proof purpose (VCDM 2.0 issuer / holder)
_BOUND_PARTY = {"assertionMethod": "issuer", "authentication": "holder"}


# --- creating -------------------------------------------------------------------------------


def add_proof(
    document: dict[str, Any],
    key: KeyPair,
    *,
    cryptosuite: str,
    verification_method: str,
    proof_purpose: str = "assertionMethod",
    created: str | datetime | None = None,
    expires: str | datetime | None = None,
    challenge: str | None = None,
    domain: str | Sequence[str] | None = None,
    nonce: str | None = None,
    previous_proof: str | Sequence[str] | None = None,
    proof_id: str | None = None,
    loader: DocumentLoader | None = None,
) -> dict[str, Any]:
    """A new document: ``document`` with a proof by ``key`` added (appended to existing proofs as a set).

    ``cryptosuite`` is a registered suite name (``eddsa-rdfc-2022``, ``eddsa-jcs-2022``,
    ``ecdsa-rdfc-2019``, ``Ed25519Signature2020``). ``created``/``expires`` are XML Schema date-times (a
    datetime is written as ``YYYY-MM-DDTHH:MM:SSZ``); ``created=None`` leaves it out. ``previous_proof``
    names the ``id`` of existing proofs to chain to; ``proof_id`` gives this proof an ``id``.
    When the document's ``@context`` lacks the suite's context it is appended, as vc-js does (refused
    when existing proofs would break). Nested values are shared with ``document``, not copied.

    Raises UnknownCryptosuiteError, KeyTypeMismatchError, MalformedProofError (bad option values),
    UsageError, and JSON-LD errors (ContextNotAllowedError, UndefinedTermError ...) for the document.
    """
    suite = get_cryptosuite(cryptosuite)
    if key.alg not in suite.key_algs:
        raise KeyTypeMismatchError(
            f"{suite.name} signs with {' or '.join(sorted(suite.key_algs))} keys, not {key.alg}; "
            "choose a cryptosuite for this key",
        )
    if not isinstance(document, dict):
        raise UsageError("add_proof needs the document as a dict (a JSON object)")
    if not isinstance(verification_method, str) or not verification_method:
        raise UsageError("verification_method must be the URL (DID URL) of the signing key")
    existing = _proof_list(document.get("proof"))
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    missing = suite.missing_context(unsecured)
    if missing is not None:
        if existing:
            raise UsageError(
                f"the document's @context lacks {missing}, needed by {suite.name}, and adding it would "
                "break the proofs it already has; add the context before the first proof"
            )
        unsecured["@context"] = _append_context(unsecured.get("@context"), missing)

    options: dict[str, Any] = {
        "type": suite.proof_type,
        "id": proof_id,
        "cryptosuite": suite.name if suite.proof_type == "DataIntegrityProof" else None,
        "created": _datetime_option(created),
        "expires": _datetime_option(expires),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
        "challenge": challenge,
        "domain": list(domain) if isinstance(domain, (list, tuple)) else domain,
        "nonce": nonce,
        "previousProof": list(previous_proof) if isinstance(previous_proof, (list, tuple)) else previous_proof,
    }
    options = {name: options[name] for name in _OPTION_ORDER if options[name] is not None}
    _check_options(options)

    signing_input = unsecured
    if previous_proof is not None:
        matching = _matching_proofs(existing, options["previousProof"], error=UsageError)
        signing_input = {**unsecured, "proof": matching}
    proof = suite.create_proof(signing_input, options, key, loader=loader or default_loader())
    secured = dict(unsecured)
    secured["proof"] = [*existing, proof] if existing else proof
    return secured


def _proof_list(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    proofs = value if isinstance(value, list) else [value]
    if not all(isinstance(p, dict) for p in proofs):
        raise MalformedProofError("the document's existing 'proof' must be an object or a list of objects")
    return list(proofs)


def _append_context(context: Any, url: str) -> list[Any]:
    if context is None:
        return [url]
    return [*context, url] if isinstance(context, list) else [context, url]


def _datetime_option(value: str | datetime | None) -> str | None:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise UsageError("proof date-times must be timezone-aware (e.g. datetime.now(timezone.utc))")
        return format_datetime(value)
    return value


def _matching_proofs(
    proofs: Sequence[Any], previous: str | list[str], *, error: type[VcError]
) -> list[dict[str, Any]]:
    """The proofs ``previousProof`` names, in its order (vc-data-integrity "Add Proof Set/Chain" step 4)."""
    by_id = {p["id"]: p for p in proofs if isinstance(p, dict) and isinstance(p.get("id"), str)}
    matching = []
    for proof_id in [previous] if isinstance(previous, str) else previous:
        if proof_id not in by_id:
            raise error("'previousProof' names a proof id that is not among the document's proofs")
        matching.append(by_id[proof_id])
    return matching


# --- shape ----------------------------------------------------------------------------------


def _is_str_or_str_list(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


# member -> (test, what it must be)
_MEMBER_SHAPES = {
    "type": (lambda v: isinstance(v, str), "a string"),
    "verificationMethod": (lambda v: isinstance(v, str) and bool(v), "a URL string"),
    "proofPurpose": (lambda v: isinstance(v, str) and bool(v), "a string"),
    "cryptosuite": (lambda v: isinstance(v, str), "a string"),
    "id": (lambda v: isinstance(v, str), "a URL string"),
    "challenge": (lambda v: isinstance(v, str), "a string"),
    "nonce": (lambda v: isinstance(v, str), "a string"),
    "domain": (_is_str_or_str_list, "a string or a list of strings"),
    "previousProof": (_is_str_or_str_list, "a string or a list of strings"),
}
_REQUIRED = ("type", "verificationMethod", "proofPurpose")


def _check_options(proof: dict[str, Any]) -> None:
    """MalformedProofError unless the proof's members have the types vc-data-integrity section 2.1 gives."""
    for member in _REQUIRED:
        if member not in proof:
            raise MalformedProofError(f"the proof has no '{member}'", member=member)
    for member, (test, what) in _MEMBER_SHAPES.items():
        if member in proof and not test(proof[member]):
            raise MalformedProofError(f"proof '{member}' must be {what}", member=member)
    for member in ("created", "expires"):
        if member in proof:
            parse_proof_datetime(proof[member], member)


def _check_shape(proof: Any) -> None:
    if not isinstance(proof, dict):
        raise MalformedProofError("each proof must be a JSON object")
    _check_options(proof)
    if "proofValue" not in proof:
        raise MalformedProofError("the proof has no 'proofValue'", member="proofValue")


# --- verifying ------------------------------------------------------------------------------


@dataclass
class _Verification:
    """The state of one ``verify_proofs`` call: inputs plus what is computed once and shared by its proofs."""

    document: dict[str, Any]
    unsecured: dict[str, Any]
    proofs: list[Any]
    resolver: DidResolver
    loader: DocumentLoader
    expected_purpose: str | None
    challenge: str | None
    domain: str | None
    now: datetime
    suites: Collection[str] | None
    methods: dict[str, tuple[dict[str, Any], PublicKey] | VcError] = field(default_factory=dict)
    authorized: dict[tuple[str, str], bool | VcError] = field(default_factory=dict)
    transforms: dict[Hashable, bytes] = field(default_factory=dict)

    def method(self, url: str) -> tuple[dict[str, Any], PublicKey]:
        """The verification method and its key, resolved and decoded once per call."""
        found = self.methods.get(url)
        if found is None:
            try:
                vm = self.resolver.dereference(url)
                found = (vm, self.resolver.verification_method_key(vm))
            except InvalidDidError:
                found = VerificationMethodNotFoundError(
                    "the proof's 'verificationMethod' is not a DID URL; jitsuin resolves verification "
                    "methods through DIDs only (did:key, did:jwk, did:web)"
                )
            except VcError as err:
                found = err
            self.methods[url] = found
        if isinstance(found, VcError):
            raise found
        return found

    def is_authorized(self, url: str, purpose: str) -> bool:
        found = self.authorized.get((url, purpose))
        if found is None:
            try:
                found = self.resolver.is_authorized(url, purpose)
            except VcError as err:
                found = err
            self.authorized[(url, purpose)] = found
        if isinstance(found, VcError):
            raise found
        return found

    def signed_document(self, proof: dict[str, Any]) -> tuple[dict[str, Any], Hashable]:
        """The document a proof was made over, and a key naming it (for the transformation cache)."""
        previous = proof.get("previousProof")
        if previous is None:
            return self.unsecured, ()
        matching = _matching_proofs(self.proofs, previous, error=MalformedProofError)
        ids = (previous,) if isinstance(previous, str) else tuple(previous)
        return {**self.unsecured, "proof": matching}, ids


def verify_proofs(
    document: dict[str, Any],
    *,
    resolver: DidResolver,
    loader: DocumentLoader | None = None,
    expected_purpose: str | None = "assertionMethod",
    challenge: str | None = None,
    domain: str | None = None,
    now: datetime | None = None,
    suites: Collection[str] | None = None,
) -> list[CheckResult]:
    """Verify every proof of ``document``; a list of checks, never an exception for a bad document.

    ``expected_purpose`` is the proof purpose required ("assertionMethod" for credentials,
    "authentication" for presentations; None accepts any, still checking the method is authorized for
    it). ``challenge``/``domain``, when given, must equal the proof's. ``suites`` limits the accepted
    cryptosuites. A document without a proof gives one failed ``proof`` check, PROOF_MISSING.
    """
    if not isinstance(document, dict):
        return [CheckResult.fail("proof", MalformedError("the secured document must be a JSON object"))]
    proofs = document.get("proof")
    if proofs is None or proofs == []:
        return [CheckResult.fail("proof", ProofMissingError("the document has no 'proof'; it is not secured"))]
    state = _Verification(
        document=document,
        unsecured={k: v for k, v in document.items() if k != "proof"},
        proofs=proofs if isinstance(proofs, list) else [proofs],
        resolver=resolver,
        loader=loader or default_loader(),
        expected_purpose=expected_purpose,
        challenge=challenge,
        domain=domain,
        now=now or datetime.now(timezone.utc),
        suites=suites,
    )
    checks: list[CheckResult] = []
    for index, proof in enumerate(state.proofs):
        label = "the proof" if len(state.proofs) == 1 else f"proof {index + 1} of {len(state.proofs)}"
        try:
            checks.extend(_verify_one(state, proof, label))
        except Exception as exc:  # noqa: BLE001 - a shape no step anticipated must still fail closed, not raise
            error = ProofError(f"the proof could not be processed ({type(exc).__name__}); it is not accepted")
            checks.append(_fail("proof", label, error))
    return checks


def _fail(check: str, label: str, error: VcError) -> CheckResult:
    return CheckResult.fail(check, error, f"{label}: {error.message}")


def _verify_one(state: _Verification, proof: Any, label: str) -> list[CheckResult]:
    try:
        _check_shape(proof)
        suite = suite_for_proof(proof, allowed=state.suites)
    except VcError as err:
        return [_fail("proof", label, err)]

    checks = []
    method: dict[str, Any] | None = None
    try:
        method, public = state.method(proof["verificationMethod"])
        _verify_signature(state, suite, proof, public)
        checks.append(CheckResult.ok("proof", f"{label}: {suite.name} signature verified"))
    except VcError as err:
        checks.append(_fail("proof", label, err))

    if method is not None:
        checks.append(_purpose_check(state, proof, label))
        checks.append(_controller_check(state, proof, method, label))
    checks.extend(_option_checks(state, proof, label))
    return checks


def _verify_signature(state: _Verification, suite: Cryptosuite, proof: dict[str, Any], public: PublicKey) -> None:
    if public.alg not in suite.key_algs:
        raise KeyTypeMismatchError(
            f"the verification method holds a {public.alg} key, but {suite.name} needs "
            f"{' or '.join(sorted(suite.key_algs))}",
        )
    signed, doc_key = state.signed_document(proof)
    suite.verify_proof(signed, proof, public, loader=state.loader, cache=state.transforms, cache_key=doc_key)


def _purpose_check(state: _Verification, proof: dict[str, Any], label: str) -> CheckResult:
    purpose = proof["proofPurpose"]
    if state.expected_purpose is not None and purpose != state.expected_purpose:
        return _fail("proof_purpose", label, KeyPurposeMismatchError(
            f"the proof's 'proofPurpose' is not {state.expected_purpose!r} as required here",
        ))
    try:
        authorized = state.is_authorized(proof["verificationMethod"], purpose)
    except VcError as err:
        return _fail("proof_purpose", label, err)
    if not authorized:
        return _fail("proof_purpose", label, KeyPurposeMismatchError(
            f"the verification method is not listed under '{purpose}' in its controller's DID document",
        ))
    return CheckResult.ok("proof_purpose", f"{label}: verification method authorized for {purpose}")


def _controller_check(
    state: _Verification, proof: dict[str, Any], method: dict[str, Any], label: str
) -> CheckResult:
    purpose = state.expected_purpose or proof["proofPurpose"]
    party = _BOUND_PARTY.get(purpose)
    if party is None or party not in state.document:
        return CheckResult.ok("proof_controller", f"{label}: no {party or 'issuer or holder'} to bind")
    value = state.document[party]
    party_id = value.get("id") if isinstance(value, dict) else value
    error_type = IssuerMismatchError if party == "issuer" else HolderMismatchError
    if not isinstance(party_id, str):
        return _fail("proof_controller", label, error_type(f"the document's '{party}' has no id to bind the proof to"))
    if method.get("controller") != party_id:
        return _fail("proof_controller", label, error_type(
            f"the verification method's controller is not the document's '{party}'; the proof was made "
            f"with a key that does not belong to the {party}",
        ))
    return CheckResult.ok("proof_controller", f"{label}: verification method controlled by the {party}")


def _option_checks(state: _Verification, proof: dict[str, Any], label: str) -> list[CheckResult]:
    checks = []
    if "expires" in proof:
        if state.now >= parse_proof_datetime(proof["expires"], "expires"):
            checks.append(_fail("proof_expires", label, ProofExpiredError(
                "the proof's 'expires' time has passed; ask for a new proof",
            )))
        else:
            checks.append(CheckResult.ok("proof_expires", f"{label}: not expired"))
    if state.challenge is not None:
        if "challenge" not in proof:
            checks.append(_fail("proof_challenge", label, ChallengeMismatchError(
                "the proof has no 'challenge', but this verifier requires the one it issued",
            )))
        elif proof["challenge"] != state.challenge:
            checks.append(_fail("proof_challenge", label, ChallengeMismatchError(
                "the proof's 'challenge' is not the one this verifier issued (a replayed proof?)",
            )))
        else:
            checks.append(CheckResult.ok("proof_challenge", f"{label}: challenge matches"))
    if state.domain is not None:
        domains = proof.get("domain")
        listed = [domains] if isinstance(domains, str) else domains or []
        if state.domain not in listed:
            checks.append(_fail("proof_domain", label, DomainMismatchError(
                "the proof's 'domain' does not include this verifier's domain"
                if domains is not None else "the proof has no 'domain', but this verifier requires one",
            )))
        else:
            checks.append(CheckResult.ok("proof_domain", f"{label}: domain matches"))
    return checks
