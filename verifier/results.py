"""What the verifier answers: one ``VerifierResult`` with every check, and each credential's facts.

``verified`` is true only when there is at least one counted credential, every presentation-level
check passed and every counted credential verified (its ``vc`` checks and the policy's). Credentials a
procedure did not ask for are ``ignored``: they do not count, and their claims are dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from vc.results import CheckResult, VerificationResult

__all__ = ["VerifiedCredential", "VerifierResult"]


@dataclass(frozen=True, slots=True)
class VerifiedCredential:
    """One credential of a verification: who issued it, what it is, what it disclosed, and every check.

    ``claims`` are the disclosed subject claims (``credentialSubject`` of a VCDM credential; the SD-JWT VC
    claims without ``iss``/``vct``/``cnf``/... ). ``result`` is the ``vc`` verification result; ``checks``
    are the policy's checks (trust, status, schema, holder binding ...). ``query_id`` is the DCQL credential
    query it answered (OpenID4VP ``vp_token`` key), ``requirement`` the procedure requirement it fills,
    ``link`` how a credential about another person is linked to the holder (``household:子``,
    ``representation:親権``).
    """

    index: int
    format: str
    issuer: str | None
    types: tuple[str, ...]
    claims: Mapping[str, Any]
    result: VerificationResult
    checks: tuple[CheckResult, ...] = ()
    credential_id: str | None = None
    query_id: str | None = None
    requirement: str | None = None
    subject_id: str | None = None
    link: str | None = None
    ignored: bool = False
    valid_from: datetime | None = None
    valid_until: datetime | None = None

    @property
    def verified(self) -> bool:
        return self.result.verified and all(c.passed for c in self.checks)

    @property
    def all_checks(self) -> tuple[CheckResult, ...]:
        """The ``vc`` checks (with embedded ones) then the policy checks."""
        return _flatten(self.result) + self.checks

    @property
    def errors(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.all_checks if not c.passed)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.errors if c.code)

    def has_type(self, name: str) -> bool:
        return name in self.types

    def to_dict(self, *, claims: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"index": self.index, "verified": self.verified, "format": self.format,
                               "issuer": self.issuer, "types": list(self.types)}
        for name in ("credential_id", "query_id", "requirement", "link"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.ignored:
            out["ignored"] = True
        if claims:
            out["claims"] = dict(self.claims)
        out["checks"] = [c.to_dict() for c in self.all_checks]
        return out


@dataclass(frozen=True, slots=True)
class VerifierResult:
    """The verdict on a credential or a presentation (or a ``vp_token`` of several).

    ``checks``: the presentation-level checks (each presentation's proof/binding checks, the holder proof,
    format and algorithm acceptance, a procedure's required credentials). ``credentials``: every credential,
    in order. ``holder``: the holder DID the presentation proved, when it has one. ``procedure``: the
    procedure's id when one was given.
    """

    kind: str  # "credential" | "presentation"
    checks: tuple[CheckResult, ...]
    credentials: tuple[VerifiedCredential, ...]
    holder: str | None = None
    procedure: str | None = None
    presentations: tuple[VerificationResult, ...] = field(default=(), repr=False)

    @property
    def counted(self) -> tuple[VerifiedCredential, ...]:
        """The credentials that count (not ignored)."""
        return tuple(c for c in self.credentials if not c.ignored)

    @property
    def verified(self) -> bool:
        counted = self.counted
        return bool(counted) and all(c.passed for c in self.checks) and all(c.verified for c in counted)

    @property
    def errors(self) -> tuple[CheckResult, ...]:
        """Failed checks: presentation-level, then each counted credential's."""
        return tuple(c for c in self.checks if not c.passed) + tuple(e for cred in self.counted for e in cred.errors)

    @property
    def codes(self) -> tuple[str, ...]:
        """Every failure code, presentation-level first, without repeats."""
        return tuple(dict.fromkeys(c.code for c in self.errors if c.code))

    def credential(self, requirement_or_query: str) -> VerifiedCredential | None:
        """The counted credential filling this procedure requirement (or answering this DCQL query id)."""
        for cred in self.counted:
            if requirement_or_query in (cred.requirement, cred.query_id):
                return cred
        return None

    def to_dict(self, *, claims: bool = True) -> dict[str, Any]:
        """JSON-ready; ``claims=False`` leaves out the disclosed claims (for logs)."""
        out: dict[str, Any] = {"verified": self.verified, "kind": self.kind}
        if self.procedure is not None:
            out["procedure"] = self.procedure
        if self.holder is not None:
            out["holder"] = self.holder
        out["codes"] = list(self.codes)
        out["checks"] = [c.to_dict() for c in self.checks]
        out["credentials"] = [c.to_dict(claims=claims and not c.ignored) for c in self.credentials]
        return out


def _flatten(result: VerificationResult) -> tuple[CheckResult, ...]:
    return result.checks + tuple(c for cred in result.credentials for c in _flatten(cred))
