"""Issue and verify VCDM credentials secured with Data Integrity proofs.

VC Data Model 2.0 (and 1.1 for verification), with the cryptosuites of ``vc.proofs``.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Collection
from datetime import datetime, timedelta, timezone
from typing import Any

from .did import DidResolver, default_resolver, did_jwk, did_key
from .errors import UsageError, VcError
from .input import copy_json_checked, require_interoperable_numbers
from .jsonld import DocumentLoader, check_safe, default_loader
from .keys import KeyPair
from .model import check_validity, data_model_version, format_datetime, validate_credential
from .proofs import add_proof, get_cryptosuite, suite_for_proof, verify_proofs
from .results import CheckResult, VerificationResult
from .status import StatusChecker

__all__ = [
    "DEFAULT_SKEW",
    "DI_FORMATS",
    "default_status_checker",
    "issue_credential",
    "verify_credential",
    "with_status_checks",
]

DI_FORMATS = ("eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019", "Ed25519Signature2020")
DEFAULT_SKEW = timedelta(minutes=5)



def default_verification_method(key: KeyPair, issuer_id: str) -> str:
    """The verification method id for ``key`` when the issuer is the key's own did:key or did:jwk."""
    dk = did_key(key.public)
    if issuer_id == dk:
        return f"{dk}#{dk.removeprefix('did:key:')}"
    dj = did_jwk(key.public)
    if issuer_id == dj:
        return f"{dj}#0"
    raise UsageError(
        f"issuer {issuer_id!r} is not this key's did:key or did:jwk; pass verification_method= "
        "(the DID URL of this key in the issuer's DID document)"
    )


def issue_credential(
    credential: dict[str, Any],
    key: KeyPair,
    *,
    cryptosuite: str = "eddsa-rdfc-2022",
    verification_method: str | None = None,
    now: datetime | None = None,
    loader: DocumentLoader | None = None,
) -> dict[str, Any]:
    """Sign ``credential`` with a Data Integrity proof; fills ``issuer`` and ``validFrom`` when absent.

    A ``proof`` already in the input must be well-formed and is replaced.

    >>> signed = issue_credential({"@context": [...], "type": [...], "credentialSubject": {...}}, key)
    """
    if cryptosuite not in DI_FORMATS:
        raise UsageError(f"unknown Data Integrity format {cryptosuite!r}; choose one of {', '.join(DI_FORMATS)}")
    loader = loader or default_loader()
    now = (now or datetime.now(timezone.utc)).replace(microsecond=0)
    # a full copy: the signed credential must not share objects with the caller's input (a caller
    # filling one template in a loop would otherwise change credentials it already signed)
    doc, numbers_ok = copy_json_checked(credential)
    if "issuer" not in doc:
        doc["issuer"] = did_key(key.public)
    elif isinstance(doc["issuer"], dict) and "id" not in doc["issuer"]:
        doc["issuer"]["id"] = did_key(key.public)  # an issuer object with name/description but no id
    version = data_model_version(doc)
    stamp = format_datetime(now)
    if version == "2.0" and "validFrom" not in doc:
        doc["validFrom"] = stamp
    if version == "1.1" and "issuanceDate" not in doc:
        doc["issuanceDate"] = stamp
    validate_credential(doc)
    if not numbers_ok:
        require_interoperable_numbers(doc)
    # an input proof is replaced, not extended (use vc.proofs.add_proof for proof sets and chains)
    doc.pop("proof", None)
    if not get_cryptosuite(cryptosuite).uses_jsonld:
        check_safe(doc, loader=loader)  # the RDFC suites run the same check while canonicalizing
    issuer = doc["issuer"]
    issuer_id = issuer["id"] if isinstance(issuer, dict) else issuer
    vm = verification_method or default_verification_method(key, issuer_id)
    return add_proof(
        doc,
        key,
        cryptosuite=cryptosuite,
        verification_method=vm,
        proof_purpose="assertionMethod",
        created=stamp,
        loader=loader,
    )


def verify_credential(
    credential: dict[str, Any],
    *,
    resolver: DidResolver | None = None,
    loader: DocumentLoader | None = None,
    now: datetime | None = None,
    skew: timedelta = DEFAULT_SKEW,
    suites: Collection[str] | None = None,
    status: StatusChecker | bool = True,
) -> VerificationResult:
    """Verify a Data Integrity-secured credential; every check is reported, nothing is raised.

    ``status``: True checks ``credentialStatus`` with a default checker (fetching the issuer's list
    over HTTPS, cached), a ``StatusChecker`` uses that one, False skips the status check (the
    result then has no ``status`` check: say so to your users).
    """
    loader = loader or default_loader()
    resolver = resolver or default_resolver()
    now = now or datetime.now(timezone.utc)
    checks: list[CheckResult] = []
    checks.append(_run("data_model", lambda: validate_credential(credential)))
    if _has_non_jsonld_proof(credential):
        unsecured = {k: v for k, v in credential.items() if k != "proof"}
        checks.append(_run("jsonld", lambda: check_safe(unsecured, loader=loader)))
    if all(c.passed for c in checks):
        checks.extend(
            verify_proofs(
                credential,
                resolver=resolver,
                loader=loader,
                expected_purpose="assertionMethod",
                now=now,
                suites=suites,
            )
        )
    checks.append(_run("validity", lambda: check_validity(credential, now=now, skew=skew)))
    if status is not False and "credentialStatus" in credential and all(c.passed for c in checks):
        # only a credential whose proof holds is worth a status fetch (and a fetch reveals interest)
        checker = status if isinstance(status, StatusChecker) else default_status_checker(resolver, loader)
        checks.extend(checker.checks(credential, now=now))
    return VerificationResult(checks=tuple(checks), format="ldp_vc", document=credential)


@functools.lru_cache(maxsize=8)
def default_status_checker(resolver: DidResolver, loader: DocumentLoader) -> StatusChecker:
    """A process-wide status checker per (resolver, loader): lists are cached by their ``ttl``."""
    return StatusChecker(resolver=resolver, loader=loader)


def with_status_checks(
    result: VerificationResult,
    status: StatusChecker | bool,
    *,
    resolver: DidResolver | None = None,
    loader: DocumentLoader | None = None,
    now: datetime | None = None,
) -> VerificationResult:
    """``result`` plus ``status`` checks for a verified JWT/SD-JWT credential carrying a status entry."""
    doc = result.document
    if status is False or not result.verified or not isinstance(doc, dict):
        return result
    if "credentialStatus" not in doc and "status" not in doc:
        return result
    checker = status if isinstance(status, StatusChecker) else default_status_checker(
        resolver or default_resolver(), loader or default_loader()
    )
    extra = tuple(checker.checks(doc, now=now or datetime.now(timezone.utc)))
    return dataclasses.replace(result, checks=result.checks + extra)


def _has_non_jsonld_proof(document: dict[str, Any]) -> bool:
    """True when a proof's suite (e.g. eddsa-jcs-2022) does not canonicalize JSON-LD, so safe mode must run apart."""
    proofs = document.get("proof")
    for proof in proofs if isinstance(proofs, list) else [proofs]:
        if isinstance(proof, dict):
            try:
                if not suite_for_proof(proof).uses_jsonld:
                    return True
            except VcError:
                continue  # an unknown suite fails in the proof check itself
    return False


def _run(name: str, fn: Any) -> CheckResult:
    try:
        fn()
    except VcError as err:
        return CheckResult.fail(name, err)
    return CheckResult.ok(name)
