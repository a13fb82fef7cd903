"""The grant store: single use across connections (as across worker processes), expiry, PIN attempts, and
nothing usable or personal at rest."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from issuers.service import GrantError, GrantStore

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=timezone.utc)
LATER = NOW + timedelta(minutes=15)
CLAIMS = {"type": "ResidentRecord", "claims": {"familyName": "山田", "givenName": "花子"}}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "workspace.db"


def test_a_grant_is_used_once_and_then_refused_as_used(db: Path) -> None:
    with GrantStore(db) as store:
        store.put("code", "secret-code", CLAIMS, expires_at=LATER)
        assert store.open("code", "secret-code", now=NOW) == CLAIMS
        assert store.consume("code", "secret-code", now=NOW) == CLAIMS
        with pytest.raises(GrantError) as caught:
            store.consume("code", "secret-code", now=NOW)
        assert caught.value.reason == "used"


def test_unknown_and_expired_grants_are_refused(db: Path) -> None:
    with GrantStore(db) as store:
        store.put("nonce", "n-1", expires_at=LATER)
        with pytest.raises(GrantError) as unknown:
            store.consume("nonce", "n-2", now=NOW)
        assert unknown.value.reason == "unknown"
        with pytest.raises(GrantError) as expired:
            store.consume("nonce", "n-1", now=LATER)
        assert expired.value.reason == "expired"


def test_a_secret_of_one_kind_is_not_a_grant_of_another(db: Path) -> None:
    with GrantStore(db) as store:
        store.put("nonce", "shared-value", expires_at=LATER)
        with pytest.raises(GrantError):
            store.consume("token", "shared-value", now=NOW)


def test_wrong_pins_count_and_burn_the_code(db: Path) -> None:
    with GrantStore(db) as store:
        store.put("code", "c", CLAIMS, expires_at=LATER, check="493027")
        for _ in range(2):
            with pytest.raises(GrantError) as wrong:
                store.consume("code", "c", now=NOW, check="000000", max_attempts=3)
            assert wrong.value.reason == "wrong_check"
        with pytest.raises(GrantError):
            store.consume("code", "c", now=NOW, check=None, max_attempts=3)  # the third failure burns it
        with pytest.raises(GrantError) as burnt:
            store.consume("code", "c", now=NOW, check="493027", max_attempts=3)
        assert burnt.value.reason == "used"


def test_two_connections_racing_for_one_code_let_exactly_one_win(db: Path) -> None:
    GrantStore(db).put("code", "race", CLAIMS, expires_at=LATER)
    stores = [GrantStore(db) for _ in range(6)]  # one connection each, like worker processes
    barrier = threading.Barrier(len(stores))
    outcomes: list[str] = []

    def redeem(store: GrantStore) -> None:
        barrier.wait()
        try:
            store.consume("code", "race", now=NOW)
            outcomes.append("won")
        except GrantError as exc:
            outcomes.append(exc.reason)

    threads = [threading.Thread(target=redeem, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["used"] * 5 + ["won"]


def test_modify_changes_the_payload_in_one_transaction_and_can_use_the_grant_up(db: Path) -> None:
    with GrantStore(db) as store:
        store.put("token", "t", {"issued": []}, expires_at=LATER)
        store.modify("token", "t", lambda p: ({"issued": [*p["issued"], "a"]}, False), now=NOW)
        assert store.open("token", "t", now=NOW) == {"issued": ["a"]}
        store.modify("token", "t", lambda p: ({"issued": [*p["issued"], "b"]}, True), now=NOW)
        with pytest.raises(GrantError):
            store.open("token", "t", now=NOW)


def test_the_database_holds_neither_secrets_nor_claims(db: Path) -> None:
    with GrantStore(db) as store:
        store.put("code", "the-pre-authorized-code", CLAIMS, expires_at=LATER, check="493027")
    raw = b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))
    for secret in ("the-pre-authorized-code", "493027", "山田", "familyName", "ResidentRecord"):
        assert secret.encode() not in raw
    assert db.stat().st_mode & 0o077 == 0


def test_old_rows_are_purged_on_the_way(db: Path) -> None:
    with GrantStore(db) as store:
        store.put("nonce", "old", expires_at=NOW)
        store.put("nonce", "new", expires_at=LATER + timedelta(days=2), now=NOW + timedelta(days=2))
        assert store.count("nonce") == 1


def test_offer_records_outlive_the_grants_and_hold_no_claim(db: Path) -> None:
    with GrantStore(db) as store:
        store.put("code", "secret-code", CLAIMS, expires_at=LATER)
        store.record_offer("offer-1", "ResidentRecord", created_at=NOW, expires_at=LATER)
        assert store.offer_record("offer-1").state(NOW) == "pending"
        assert store.offer_record("offer-1").state(LATER) == "expired"
        store.record_issued("offer-1", "urn:uuid:a", format="dc+sd-jwt", issued_at=NOW)
        store.record_issued("offer-1", "urn:uuid:a", format="dc+sd-jwt", issued_at=NOW)  # the same: recorded once
        store.record_issued("offer-1", "urn:uuid:b", format="dc+sd-jwt", issued_at=LATER)
        # a write long after: the expired grants are purged, the staff's records stay
        store.put("nonce", "n-1", expires_at=NOW + timedelta(days=30), now=NOW + timedelta(days=10))
        assert store.count("code") == 0
        record = store.offer_record("offer-1")
        assert record is not None and record.state(NOW + timedelta(days=10)) == "redeemed"
        assert [c.credential_id for c in record.credentials] == ["urn:uuid:a", "urn:uuid:b"]
        assert store.offer_record("offer-2") is None
    assert "山田".encode() not in db.read_bytes()
