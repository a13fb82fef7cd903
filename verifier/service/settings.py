"""What a verifier service runs with: who it is, lifetimes, limits, its clock, and the parts it
joins (request store, policy, procedures, audit log)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from vc.errors import UsageError
from verifier.requests import DEFAULT_REQUEST_TTL, WALLET_SCHEME, OpenId4VpVerifier, RequestStore, VerifierIdentity

from .auth import StaffAuth

__all__ = ["ServiceSettings", "VerifierContext", "utc_now"]


def utc_now() -> datetime:
    """The current time as an aware UTC datetime (the default clock)."""
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class ServiceSettings:
    """Lifetimes and limits of one verifier service. ``identity.base_url`` is the public URL the
    wallet reaches (request and response URIs are built under it). ``clock`` is injectable so
    tests move time instead of sleeping. ``staff_tokens``: ``sha256:<hex>`` digests of the staff
    bearer tokens (``verifier.service.auth``; plain tokens are accepted for development and hashed at
    once); with none, creating requests and the staff pages are refused to everyone."""

    identity: VerifierIdentity
    request_ttl: timedelta = DEFAULT_REQUEST_TTL
    challenge_ttl: timedelta = timedelta(minutes=10)
    by_reference: bool = True
    wallet_scheme: str = WALLET_SCHEME
    max_body_bytes: int = 2 * 1024 * 1024
    staff_tokens: tuple[str, ...] = field(default=(), repr=False)
    clock: Callable[[], datetime] = field(default=utc_now, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.staff_tokens, str):
            raise UsageError("staff_tokens is a sequence of digests, not one string")
        object.__setattr__(self, "staff_tokens", tuple(self.staff_tokens))

    def now(self) -> datetime:
        return self.clock().astimezone(timezone.utc)


@dataclass(frozen=True)
class VerifierContext:
    """Everything a route needs, built once by ``create_app`` and kept on ``app.state.verifier``."""

    settings: ServiceSettings
    store: RequestStore
    oid4vp: OpenId4VpVerifier
    policy: Any = None  # verifier.policy.Policy for OpenID4VP responses (None: the core checks only)
    vcapi_policy: Any = None  # the policy of the VC-API endpoints (None: the core checks only)
    procedures: Mapping[str, Any] = field(default_factory=dict)  # id -> verifier.procedures.Procedure
    audit: Any = None  # verifier.audit.AuditLog
    staff: StaffAuth = field(default_factory=StaffAuth)  # who may create requests and use the staff pages
