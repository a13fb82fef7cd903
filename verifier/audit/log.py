"""The verifier's own accountability record: which verification happened, for what, with what verdict.

Recorded per verification: time, procedure, purpose, request id, issuer DIDs, credential types, formats,
verdict and failure codes. Never recorded: claim values, check messages, the holder, credential ids
(the form output goes to the caller, not to the log), nor anything about credentials a procedure did
not ask for (ignored credentials).

>>> log = open_audit_log("audit.db")
>>> log.record(result, procedure=procedure, request_id=request.id)
>>> [r.verified for r in log.records(procedure="school-transfer")]
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from verifier.procedures import Procedure
    from verifier.results import VerifierResult

__all__ = ["AuditLog", "AuditRecord"]


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One audit row."""

    id: int | None
    recorded_at: datetime
    kind: str
    procedure: str | None
    purpose: str | None
    request_id: str | None
    verified: bool
    codes: tuple[str, ...]
    issuers: tuple[str, ...]
    credential_types: tuple[str, ...]
    formats: tuple[str, ...]
    credential_count: int

    @classmethod
    def of(cls, result: VerifierResult, *, procedure: Procedure | str | None = None, purpose: str | None = None,
           request_id: str | None = None, now: datetime | None = None) -> AuditRecord:
        """The row for ``result``; ``purpose`` defaults to the procedure's Japanese purpose text."""
        counted = result.counted
        procedure_id = procedure if isinstance(procedure, str) or procedure is None else procedure.id
        if purpose is None and procedure is not None and not isinstance(procedure, str):
            purpose = procedure.purpose.get("ja") or procedure.purpose.get("en")
        return cls(
            id=None,
            recorded_at=(now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0),
            kind=result.kind,
            procedure=procedure_id or result.procedure,
            purpose=purpose,
            request_id=request_id,
            verified=result.verified,
            codes=tuple(result.codes),
            issuers=tuple(sorted({c.issuer for c in counted if c.issuer})),
            credential_types=tuple(sorted({t for c in counted for t in c.types})),
            formats=tuple(sorted({c.format for c in counted})),
            credential_count=len(counted),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "recordedAt": self.recorded_at.strftime("%Y-%m-%dT%H:%M:%SZ"), "kind": self.kind,
            "procedure": self.procedure, "purpose": self.purpose, "requestId": self.request_id,
            "verified": self.verified, "codes": list(self.codes), "issuers": list(self.issuers),
            "credentialTypes": list(self.credential_types), "formats": list(self.formats),
            "credentialCount": self.credential_count,
        }


class AuditLog(ABC):
    """Where audit rows go; backends implement ``_insert``, ``_select``, ``_delete_before`` and ``close``."""

    def record(self, result: VerifierResult, *, procedure: Procedure | str | None = None, purpose: str | None = None,
               request_id: str | None = None, now: datetime | None = None) -> AuditRecord:
        """Append the row for ``result``; returns it with its id. AuditError AUDIT_UNAVAILABLE if it cannot."""
        row = AuditRecord.of(result, procedure=procedure, purpose=purpose, request_id=request_id, now=now)
        return self._insert(row)

    def records(self, *, procedure: str | None = None, request_id: str | None = None, since: datetime | None = None,
                until: datetime | None = None, limit: int = 1000) -> list[AuditRecord]:
        """Rows oldest first, filtered by procedure id, request id and time (``since`` inclusive, ``until`` exclusive)."""
        return self._select(procedure=procedure, request_id=request_id, since=since, until=until, limit=limit)

    def purge(self, *, before: datetime) -> int:
        """Delete rows recorded before ``before`` (a retention period); returns how many."""
        return self._delete_before(before)

    @abstractmethod
    def _insert(self, row: AuditRecord) -> AuditRecord: ...

    @abstractmethod
    def _select(self, *, procedure: str | None, request_id: str | None, since: datetime | None,
                until: datetime | None, limit: int) -> list[AuditRecord]: ...

    @abstractmethod
    def _delete_before(self, before: datetime) -> int: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> AuditLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
