"""Ask the issuer's status list whether a stored credential still stands, and note the answer.

The resident sees it before presenting ("status last checked"); the verifier checks for itself anyway.
Answers: ``valid``, ``revoked``, ``suspended``, ``unknown`` (the list could not be had or read), or
``none`` (the credential has no status entry).

>>> check_status(store, stored.id, checker=StatusChecker())
StoredCredential(..., status='valid', status_checked_at=...)
"""

from __future__ import annotations

from datetime import datetime, timezone

from vc.did import DidResolver
from vc.formats import verify
from vc.jsonld import DocumentLoader
from vc.status import StatusChecker

from .records import StoredCredential
from .store import WalletStore

__all__ = ["STATUS_ANSWERS", "check_status"]

# a failed status check's code -> what the wallet notes
STATUS_ANSWERS = {"REVOKED": "revoked", "SUSPENDED": "suspended"}


def check_status(store: WalletStore, credential_id: str, *, checker: StatusChecker,
                 resolver: DidResolver | None = None, loader: DocumentLoader | None = None,
                 now: datetime | None = None) -> StoredCredential:
    """Check the stored credential's status now and record the answer with the time."""
    stored = store.credential(credential_id)
    now = now or datetime.now(timezone.utc)
    result = verify(stored.credential, resolver=resolver, loader=loader, now=now, status=checker)
    checks = [c for c in result.checks if c.check == "status"]
    if not checks:
        answer = "none" if result.verified else "unknown"
    else:
        failed = [c.code for c in checks if not c.passed]
        answer = next((STATUS_ANSWERS[c] for c in failed if c in STATUS_ANSWERS), "unknown" if failed else "valid")
    return store.record_status(credential_id, answer, at=now)
