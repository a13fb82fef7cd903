"""What the issuance registry records: status bookkeeping only, never claim values or personal data.

A credential row holds its id, type, format, issued-at, valid-until, current status and the reason
code of the last change; each status entry holds (list, index, purpose). The institution's own
row key (e.g. its record number) is kept only as a SHA-256 digest, to make re-issuing idempotent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = [
    "ACTIVE",
    "CREDENTIAL_STATES",
    "DEFAULT_PURPOSES",
    "LIST_PURPOSES",
    "ListSnapshot",
    "REASON_CODES",
    "REVOKED",
    "Registration",
    "RegistrationRequest",
    "SUSPENDED",
    "StatusEntry",
    "StatusListInfo",
    "idempotency_digest",
]

ACTIVE, SUSPENDED, REVOKED = "active", "suspended", "revoked"
CREDENTIAL_STATES = (ACTIVE, SUSPENDED, REVOKED)

# the kinds of list an index is allocated in: W3C one-bit lists per purpose, and the IETF Token
# Status List ("token", two bits: 0 VALID, 1 INVALID = revoked, 2 SUSPENDED) for SD-JWT VCs
LIST_PURPOSES = ("revocation", "suspension", "token")
DEFAULT_PURPOSES = ("revocation", "suspension")

# reason codes for a status change (after RFC 5280 CRLReason, named for public-service cases)
REASON_CODES = frozenset(
    {
        "unspecified",
        "issued_in_error",  # e.g. a birth certificate issued with a wrong entry
        "superseded",  # e.g. a tax certificate replaced after an amended return
        "affiliation_changed",  # e.g. an employee who left
        "cessation_of_operation",
        "key_compromise",
        "privilege_withdrawn",
        "holder_request",
        "under_investigation",  # typical for a suspension
        "reinstated",  # the default reason of a reinstatement
    }
)


def idempotency_digest(key: str) -> str:
    """The SHA-256 hex digest stored for an institution's idempotency key (the key itself never is)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class StatusEntry:
    """One allocated index: ``purpose`` in list ``list_id`` (published at ``list_url``)."""

    purpose: str
    list_id: int
    index: int
    list_url: str


@dataclass(frozen=True, slots=True)
class RegistrationRequest:
    """One credential for ``StatusRegistry.register_many``: the arguments ``register`` takes for it."""

    credential_id: str
    credential_type: str
    format: str
    purposes: Sequence[str] = DEFAULT_PURPOSES
    idempotency_key: str | None = None
    valid_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Registration:
    """A credential's registry row. ``created`` is False when an idempotent re-issue found it."""

    credential_id: str
    credential_type: str
    format: str
    issued_at: datetime
    valid_until: datetime | None
    status: str
    reason: str | None
    status_changed_at: datetime | None
    entries: tuple[StatusEntry, ...]
    created: bool = True

    def entry(self, purpose: str) -> StatusEntry | None:
        """The entry for ``purpose``, or None."""
        return next((e for e in self.entries if e.purpose == purpose), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (for ``jitsuin status show``)."""
        return {
            "credential_id": self.credential_id,
            "credential_type": self.credential_type,
            "format": self.format,
            "issued_at": _iso(self.issued_at),
            "valid_until": _iso(self.valid_until),
            "status": self.status,
            "reason": self.reason,
            "status_changed_at": _iso(self.status_changed_at),
            "entries": [
                {"purpose": e.purpose, "list_id": e.list_id, "index": e.index, "list_url": e.list_url}
                for e in self.entries
            ],
        }


@dataclass(frozen=True, slots=True)
class StatusListInfo:
    """A status list: its number, purpose, URL, capacity and how many indexes are handed out."""

    list_id: int
    purpose: str
    url: str
    size: int
    allocated: int
    created_at: datetime
    full: bool


@dataclass(frozen=True, slots=True)
class ListSnapshot:
    """The non-zero values of one list at one moment, ready to encode and publish."""

    info: StatusListInfo
    values: Mapping[int, int]  # index -> value (1 revoked/suspended; token lists: 1 INVALID, 2 SUSPENDED)
    taken_at: datetime


def _iso(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value is not None else None
