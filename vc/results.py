"""Verification results: a frozen record of every check, never an exception for a bad credential."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import VcError

__all__ = ["CheckResult", "VerificationResult"]


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One named check (``proof``, ``validity``, ``data_model`` ...) and its outcome."""

    check: str
    passed: bool
    code: str | None = None
    message: str = ""

    @classmethod
    def ok(cls, check: str, message: str = "") -> CheckResult:
        return cls(check, True, None, message)

    @classmethod
    def fail(cls, check: str, error: VcError | str, message: str = "") -> CheckResult:
        """A failed check from an error (its code and message) or from a bare code."""
        if isinstance(error, VcError):
            return cls(check, False, error.code, message or error.message)
        return cls(check, False, error, message)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"check": self.check, "passed": self.passed}
        if self.code:
            out["code"] = self.code
        if self.message:
            out["message"] = self.message
        return out


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """The outcome of verifying one credential or presentation.

    ``verified`` is true only when there is at least one check and every check passed.
    ``document`` is the verified payload (the credential, the presentation, or the disclosed
    SD-JWT claims); ``credentials`` holds the results of embedded credentials of a presentation.
    """

    checks: tuple[CheckResult, ...]
    format: str
    document: dict[str, Any] | None = None
    credentials: tuple[VerificationResult, ...] = field(default=())

    @property
    def verified(self) -> bool:
        return bool(self.checks) and all(c.passed for c in self.checks) and all(
            c.verified for c in self.credentials
        )

    @property
    def errors(self) -> tuple[CheckResult, ...]:
        """The failed checks, own and of embedded credentials."""
        own = tuple(c for c in self.checks if not c.passed)
        return own + tuple(e for cred in self.credentials for e in cred.errors)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.errors if c.code)

    def check(self, name: str) -> CheckResult | None:
        """The first check with this name, or None."""
        return next((c for c in self.checks if c.check == name), None)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "verified": self.verified,
            "format": self.format,
            "checks": [c.to_dict() for c in self.checks],
        }
        if self.document is not None:
            out["document"] = self.document
        if self.credentials:
            out["credentials"] = [c.to_dict() for c in self.credentials]
        return out
