"""The verifier's audit log: each verification recorded for the verifier's own accountability, without claim
values (``log``), in SQLite by default (``sqlite``).

>>> with open_audit_log("audit.db") as log:
...     log.record(result, procedure=procedure, request_id=request_id)
"""

from __future__ import annotations

import os
from typing import Any

from .log import AuditLog, AuditRecord
from .sqlite import SqliteAuditLog

__all__ = ["AuditLog", "AuditRecord", "SqliteAuditLog", "open_audit_log"]


def open_audit_log(location: str | os.PathLike[str], **options: Any) -> AuditLog:
    """An audit log at a SQLite file path (or ``sqlite:///path``); options go to the backend."""
    text = os.fspath(location)
    if text.startswith(("postgresql://", "postgres://")):
        from vc.errors import AuditError

        raise AuditError("a PostgreSQL audit log is not available in this version; use a SQLite file",
                         code="AUDIT_UNAVAILABLE")
    return SqliteAuditLog(text.removeprefix("sqlite:///"), **options)
