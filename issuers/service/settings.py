"""What an issuer service is configured with besides its workspace: public URL, lifetimes, limits, clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from vc.errors import UsageError

__all__ = ["ServiceSettings", "utc_now"]


def utc_now() -> datetime:
    """The current time as an aware UTC datetime (the default clock)."""
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    """Lifetimes and limits of one issuer service.

    ``public_url`` is the Credential Issuer Identifier (OpenID4VCI) and the base of every URL the service
    publishes: ``https://city.example.jp`` (no trailing slash, no query). ``clock`` is injectable so tests
    can move time instead of sleeping.
    """

    public_url: str
    offer_ttl: timedelta = timedelta(minutes=15)  # a pre-authorized code lives this long
    access_token_ttl: timedelta = timedelta(minutes=5)
    nonce_ttl: timedelta = timedelta(minutes=5)
    proof_max_age: timedelta = timedelta(minutes=5)  # a key proof's iat may be this old
    skew: timedelta = timedelta(seconds=60)  # a key proof's iat may be this far in the future
    tx_code_length: int = 6
    tx_code_attempts: int = 5  # wrong PINs before the pre-authorized code is burnt
    batch_size: int = 5  # key proofs (so credentials) per credential request
    status_ttl: timedelta = timedelta(minutes=5)  # Cache-Control max-age and the lists' ttl
    max_body_bytes: int = 1024 * 1024
    clock: Callable[[], datetime] = field(default=utc_now, compare=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.public_url)
        if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
            raise UsageError("public_url must be an http(s) URL without query or fragment, e.g. https://city.example.jp")
        if self.public_url.endswith("/"):
            object.__setattr__(self, "public_url", self.public_url.rstrip("/"))
        if not 4 <= self.tx_code_length <= 12:
            raise UsageError("tx_code_length must be between 4 and 12 digits")
        if self.batch_size < 1 or self.tx_code_attempts < 1:
            raise UsageError("batch_size and tx_code_attempts must be at least 1")

    def url(self, path: str) -> str:
        """An absolute URL under ``public_url`` for ``path`` (which starts with ``/``)."""
        return self.public_url + path

    def now(self) -> datetime:
        """The service clock, in UTC without microseconds."""
        return self.clock().astimezone(timezone.utc).replace(microsecond=0)
