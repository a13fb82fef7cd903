"""The disclosure history: what the resident gave to whom, when, and why (Estonia-style records of
access, kept by the holder).

Every presentation is recorded with its time, the verifier's identity (``client_id``, its name and
whether the request was signed), the purpose it gave, each credential shown (its id, type and
name) with the claim **paths** disclosed (never the values), and the verifier's answer. A declined
request is recorded as refused; a presentation the verifier rejected, as rejected. Entries live in
the encrypted wallet store and export as JSON.

>>> history = DisclosureHistory(store)
>>> history.export_json()
'{"history": [{"id": "...", "at": "2026-04-01T09:00:00Z", "outcome": "presented", ...}]}'
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from vc.errors import UsageError

from .claims import format_claim_path
from .records import localized
from .store import KIND_HISTORY, WalletStore

__all__ = ["DisclosedCredential", "DisclosureHistory", "HistoryEntry", "PRESENTED", "REFUSED", "REJECTED"]

PRESENTED = "presented"  # sent, and the verifier accepted it
REJECTED = "rejected"  # sent, and the verifier did not accept it (or could not be reached)
REFUSED = "refused"  # the resident declined; nothing was disclosed


def _z(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class DisclosedCredential:
    """One credential shown: which, of what type, and the claim paths disclosed (no values)."""

    credential_id: str
    query_id: str
    format: str
    types: tuple[str, ...]
    name: Mapping[str, str]
    issuer: str | None
    claims: tuple[str, ...]  # claim paths in string form, e.g. "child.sex"

    def to_dict(self) -> dict[str, Any]:
        return {"credential_id": self.credential_id, "query_id": self.query_id, "format": self.format,
                "types": list(self.types), "name": dict(self.name), "issuer": self.issuer, "claims": list(self.claims)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DisclosedCredential:
        return cls(data["credential_id"], data["query_id"], data["format"], tuple(data.get("types") or ()),
                   dict(data.get("name") or {}), data.get("issuer"), tuple(data.get("claims") or ()))


@dataclass(frozen=True)
class HistoryEntry:
    """One presentation request the resident answered (or refused)."""

    id: str
    at: datetime
    outcome: str  # PRESENTED | REJECTED | REFUSED
    client_id: str
    verifier_name: Mapping[str, str] = field(default_factory=dict)
    verifier_verified: bool = False  # the request was signed and the signature checked
    purpose: Mapping[str, str] = field(default_factory=dict)
    credentials: tuple[DisclosedCredential, ...] = ()
    response: Mapping[str, Any] = field(default_factory=dict)  # status, accepted, error (the verifier's answer)

    def verifier_display_name(self, lang: str = "ja") -> str:
        return localized(self.verifier_name, lang, fallback=self.client_id)

    def purpose_text(self, lang: str = "ja") -> str:
        return localized(self.purpose, lang)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": _z(self.at),
            "outcome": self.outcome,
            "verifier": {"client_id": self.client_id, "name": dict(self.verifier_name),
                         "verified": self.verifier_verified},
            "purpose": dict(self.purpose),
            "credentials": [c.to_dict() for c in self.credentials],
            "response": dict(self.response),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HistoryEntry:
        verifier = data.get("verifier") or {}
        return cls(
            id=data["id"],
            at=datetime.strptime(data["at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc),
            outcome=data["outcome"],
            client_id=verifier.get("client_id", ""),
            verifier_name=dict(verifier.get("name") or {}),
            verifier_verified=bool(verifier.get("verified")),
            purpose=dict(data.get("purpose") or {}),
            credentials=tuple(DisclosedCredential.from_dict(c) for c in data.get("credentials") or ()),
            response=dict(data.get("response") or {}),
        )


def disclosed_credential(credential: Any, query_id: str,
                         paths: Sequence[Sequence[str | int | None]]) -> DisclosedCredential:
    """The history record of a stored credential shown with the claim ``paths``."""
    return DisclosedCredential(credential.id, query_id, credential.format, tuple(credential.types),
                               dict(credential.name), credential.issuer,
                               tuple(format_claim_path(p) for p in paths))


class DisclosureHistory:
    """The history kept in a wallet store (sealed like everything else in it)."""

    def __init__(self, store: WalletStore) -> None:
        self.store = store

    def record(self, *, outcome: str, client_id: str, verifier_name: Mapping[str, str] | None = None,
               verifier_verified: bool = False, purpose: Mapping[str, str] | None = None,
               credentials: Sequence[DisclosedCredential] = (), response: Mapping[str, Any] | None = None,
               at: datetime | None = None, entry_id: str | None = None) -> HistoryEntry:
        """Add an entry (``REFUSED`` entries carry no credentials: nothing was disclosed)."""
        if outcome not in (PRESENTED, REJECTED, REFUSED):
            raise UsageError(f"outcome must be {PRESENTED}, {REJECTED} or {REFUSED}")
        entry = HistoryEntry(
            id=entry_id or secrets.token_hex(8),
            at=(at or self.store.now()).astimezone(timezone.utc).replace(microsecond=0),
            outcome=outcome,
            client_id=client_id,
            verifier_name=dict(verifier_name or {}),
            verifier_verified=verifier_verified,
            purpose=dict(purpose or {}),
            credentials=tuple(credentials) if outcome != REFUSED else (),
            response=dict(response or {}),
        )
        self.store.put(KIND_HISTORY, entry.id, entry.to_dict())
        return entry

    def entries(self) -> list[HistoryEntry]:
        """Every entry, newest first."""
        found = [HistoryEntry.from_dict(v) for _, v in self.store.records(KIND_HISTORY)]
        return list(reversed(found))

    def entry(self, entry_id: str) -> HistoryEntry:
        return HistoryEntry.from_dict(self.store.get(KIND_HISTORY, entry_id))

    def for_credential(self, credential_id: str) -> list[HistoryEntry]:
        """The entries in which ``credential_id`` was shown, newest first."""
        return [e for e in self.entries() if any(c.credential_id == credential_id for c in e.credentials)]

    def export(self) -> list[dict[str, Any]]:
        """Every entry as JSON-ready data, oldest first."""
        return [e.to_dict() for e in reversed(self.entries())]

    def export_json(self, *, indent: int | None = 2) -> str:
        """The history as a JSON document (claim paths, never claim values)."""
        return json.dumps({"history": self.export()}, ensure_ascii=False, indent=indent)
