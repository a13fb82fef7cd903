"""The disclosure history: presented, rejected and refused entries, paths not values, JSON export."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.vc.holder.holder_support import PASSPHRASE, T0, add_birth_certificate
from vc.errors import UsageError
from vc.holder import PRESENTED, REFUSED, REJECTED, DisclosureHistory, WalletStore
from vc.holder.history import disclosed_credential
from vc.keys import KeyPair

VERIFIER = {"client_id": "decentralized_identifier:did:key:z6MkCity", "verifier_name": {"ja": "千代田区", "en": "Chiyoda"},
            "verifier_verified": True, "purpose": {"ja": "出生届のため", "en": "For the birth registration"}}


def test_entries_are_kept_newest_first_with_paths_and_no_values(store: WalletStore, tmp_path: Path) -> None:
    stored = add_birth_certificate(store, KeyPair.generate())
    history = DisclosureHistory(store)
    shown = disclosed_credential(stored, "birth", [("child", "sex"), ("mother", "familyName")])
    first = history.record(outcome=PRESENTED, credentials=[shown], response={"status": 200, "accepted": True},
                           at=T0, **VERIFIER)
    second = history.record(outcome=REFUSED, credentials=[shown], at=T0 + timedelta(hours=1), **VERIFIER)
    third = history.record(outcome=REJECTED, credentials=[shown], at=T0 + timedelta(hours=2),
                           response={"status": 400, "error_code": "CLAIM_MISSING"}, **VERIFIER)
    assert [e.id for e in history.entries()] == [third.id, second.id, first.id]
    assert second.credentials == ()  # refused: nothing was disclosed, whatever the caller passed
    assert history.for_credential(stored.id) == [third, first]

    exported = json.loads(history.export_json())["history"]
    assert [e["outcome"] for e in exported] == ["presented", "refused", "rejected"]
    assert exported[0] == {
        "id": first.id, "at": "2026-04-01T09:00:00Z", "outcome": "presented",
        "verifier": {"client_id": VERIFIER["client_id"], "name": VERIFIER["verifier_name"], "verified": True},
        "purpose": VERIFIER["purpose"],
        "credentials": [{"credential_id": stored.id, "query_id": "birth", "format": "dc+sd-jwt",
                         "types": list(stored.types), "name": dict(stored.name), "issuer": stored.issuer,
                         "claims": ["child.sex", "mother.familyName"]}],
        "response": {"status": 200, "accepted": True},
    }
    assert "山田" not in history.export_json()

    store.close()  # kept in the encrypted store
    with WalletStore.open(tmp_path / "wallet.db", PASSPHRASE) as reopened:
        assert DisclosureHistory(reopened).entry(first.id) == first


def test_an_unknown_outcome_is_a_usage_error(store: WalletStore) -> None:
    with pytest.raises(UsageError):
        DisclosureHistory(store).record(outcome="maybe", client_id="x")
