"""The issuance registry on both backends: allocation, idempotency, transitions, schema, defences."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from itertools import count

import pytest

from issuers.registry import (
    REASON_CODES,
    StatusRegistry,
    idempotency_digest,
    open_registry,
)
from vc.errors import CredentialNotFoundError, RegistryError, StatusTransitionError, UsageError
from vc.status import MIN_ENTRIES

BASE = "https://city.example/status"
NOW = datetime(2026, 4, 1, 9, 30, tzinfo=timezone.utc)
_ids = count()


@pytest.fixture
def registry(registry_location: str) -> Iterator[StatusRegistry]:
    with open_registry(registry_location, base_url=BASE) as reg:
        yield reg


def _register(registry: StatusRegistry, **kwargs: object):
    options = {
        "credential_id": f"urn:uuid:test-{next(_ids)}",
        "credential_type": "ResidentRecordCredential",
        "format": "eddsa-rdfc-2022",
        "now": NOW,
    } | kwargs
    return registry.register(**options)  # type: ignore[arg-type]


# --- registering ------------------------------------------------------------------------------


def test_register_allocates_one_index_per_purpose_in_lists_at_base_url(registry: StatusRegistry) -> None:
    reg = _register(registry, valid_until=NOW + timedelta(days=365))
    assert reg.created and reg.status == "active" and reg.issued_at == NOW
    assert reg.valid_until == NOW + timedelta(days=365)
    assert [e.purpose for e in reg.entries] == ["revocation", "suspension"]
    revocation, suspension = reg.entries
    assert revocation.list_id != suspension.list_id
    assert revocation.list_url == f"{BASE}/{revocation.list_id}.json"
    assert all(0 <= e.index < MIN_ENTRIES for e in reg.entries)
    stored = registry.get(reg.credential_id)
    assert (stored.entries, stored.issued_at, stored.valid_until, stored.status) == (
        reg.entries, reg.issued_at, reg.valid_until, reg.status)


def test_token_lists_for_sd_jwt(registry: StatusRegistry) -> None:
    reg = _register(registry, format="dc+sd-jwt", purposes=("token",))
    (entry,) = reg.entries
    assert entry.purpose == "token" and entry.list_url.endswith(".jwt")


def test_indexes_come_from_the_injected_randomness(registry_location: str) -> None:
    draws = iter([70_000, 12, 99_999] + [5] * 1000)
    with open_registry(registry_location, base_url=BASE, rng=lambda n: next(draws)) as reg:
        first = _register(reg, purposes=("revocation",))
        assert first.entries[0].index == 70_000


def test_collisions_fall_back_to_a_uniform_choice_among_unused(registry_location: str) -> None:
    # every probe returns 5: the first credential gets 5; the second finds all probes taken and
    # chooses the k-th unused index with k = 5, which is index 6 once 5 is gone
    with open_registry(registry_location, base_url=BASE, rng=lambda n: 5) as reg:
        assert _register(reg, purposes=("revocation",)).entries[0].index == 5
        assert _register(reg, purposes=("revocation",)).entries[0].index == 6


def test_random_indexes_are_spread_not_sequential(registry: StatusRegistry) -> None:
    indexes = [_register(registry, purposes=("revocation",)).entries[0].index for _ in range(40)]
    assert len(set(indexes)) == 40
    assert indexes != sorted(indexes)
    assert max(indexes) - min(indexes) > MIN_ENTRIES // 4  # 40 uniform draws are spread out


def test_idempotency_key_returns_the_first_registration(registry: StatusRegistry) -> None:
    first = _register(registry, idempotency_key="tax-office/2026/000123")
    again = _register(registry, idempotency_key="tax-office/2026/000123", credential_id="urn:uuid:other")
    assert again.created is False
    assert again.credential_id == first.credential_id and again.entries == first.entries
    assert registry.find(idempotency_key="tax-office/2026/000123").credential_id == first.credential_id
    assert registry.find(idempotency_key="never-used") is None


def test_idempotency_key_with_another_type_is_a_conflict(registry: StatusRegistry) -> None:
    _register(registry, idempotency_key="k-1")
    with pytest.raises(RegistryError) as err:
        _register(registry, idempotency_key="k-1", credential_type="TaxPaymentCertificateCredential")
    assert err.value.code == "IDEMPOTENCY_CONFLICT"


def test_only_the_sha256_of_the_idempotency_key_is_stored(registry: StatusRegistry, raw_db,
                                                          registry_location: str) -> None:
    key = "resident-record-000042-secret"
    reg = _register(registry, idempotency_key=key)
    stored = raw_db.rows("SELECT idempotency_hash FROM credentials WHERE credential_id = %s", (reg.credential_id,))
    assert stored == [(idempotency_digest(key),)]
    if not raw_db.postgres:
        raw_db.run("PRAGMA wal_checkpoint(FULL)")
        for suffix in ("", "-wal"):
            try:
                data = open(registry_location + suffix, "rb").read()
            except FileNotFoundError:
                continue
            assert key.encode() not in data


def test_duplicate_credential_id_is_refused(registry: StatusRegistry) -> None:
    reg = _register(registry)
    with pytest.raises(RegistryError) as err:
        _register(registry, credential_id=reg.credential_id)
    assert err.value.code == "DUPLICATE_CREDENTIAL_ID"


@pytest.mark.parametrize(
    "kwargs",
    [{"purposes": ()}, {"purposes": ("revocation", "revocation")}, {"purposes": ("refresh",)},
     {"credential_id": ""}, {"format": None}, {"now": datetime(2026, 1, 1)}],
    ids=["no-purpose", "repeated", "unknown-purpose", "empty-id", "no-format", "naive-now"],
)
def test_register_refuses_misuse(registry: StatusRegistry, kwargs: dict) -> None:
    with pytest.raises(UsageError):
        _register(registry, **kwargs)


def test_register_needs_base_url(registry_location: str) -> None:
    with open_registry(registry_location) as reg, pytest.raises(UsageError):
        _register(reg)


def test_list_size_is_configurable_but_not_below_the_minimum(registry_location: str) -> None:
    with pytest.raises(UsageError):
        open_registry(registry_location, base_url=BASE, list_size=MIN_ENTRIES - 1)
    with open_registry(registry_location, base_url=BASE, list_size=2 * MIN_ENTRIES) as reg:
        _register(reg, purposes=("revocation",))
        assert [info.size for info in reg.lists()] == [2 * MIN_ENTRIES]


def test_a_full_list_is_closed_and_a_new_one_started(registry: StatusRegistry, raw_db) -> None:
    first = _register(registry, purposes=("revocation",))
    list_id, taken = first.entries[0].list_id, first.entries[0].index
    last_free = (taken + 1) % MIN_ENTRIES
    # fill every other index directly, as if 131,070 credentials had been issued
    raw_db.run(
        "WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < %s) "
        "INSERT INTO credentials (credential_id, credential_type, format, issued_at, status) "
        "SELECT 'filler-' || x, 'T', 'f', %s, 'active' FROM g WHERE x <> %s AND x <> %s",
        (MIN_ENTRIES - 1, "2026-01-01T00:00:00Z", taken, last_free),
    )
    raw_db.run(
        "WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < %s) "
        "INSERT INTO status_entries (list_id, idx, credential_id, purpose) "
        "SELECT %s, x, 'filler-' || x, 'revocation' FROM g WHERE x <> %s AND x <> %s",
        (MIN_ENTRIES - 1, list_id, taken, last_free),
    )
    raw_db.run("UPDATE status_lists SET allocated = %s WHERE id = %s", (MIN_ENTRIES - 1, list_id))

    last = _register(registry, purposes=("revocation",))
    assert (last.entries[0].list_id, last.entries[0].index) == (list_id, last_free)
    (info,) = registry.lists()
    assert info.full and info.allocated == MIN_ENTRIES

    fresh = _register(registry, purposes=("revocation",))
    assert fresh.entries[0].list_id != list_id
    assert [i.full for i in registry.lists()] == [True, False]


# --- status changes -----------------------------------------------------------------------------


def test_suspend_reinstate_then_revoke(registry: StatusRegistry) -> None:
    reg = _register(registry)
    later = NOW + timedelta(hours=1)
    assert registry.suspend(reg.credential_id, reason="under_investigation", now=later).status == "suspended"
    assert registry.reinstate(reg.credential_id, now=later).status == "active"
    revoked = registry.revoke(reg.credential_id, reason="issued_in_error", now=later)
    assert (revoked.status, revoked.reason, revoked.status_changed_at) == ("revoked", "issued_in_error", later)
    assert registry.get(reg.credential_id).status == "revoked"
    assert [(h["from"], h["to"], h["reason"]) for h in registry.history(reg.credential_id)] == [
        ("active", "suspended", "under_investigation"),
        ("suspended", "active", "reinstated"),
        ("active", "revoked", "issued_in_error"),
    ]


def test_a_suspended_credential_can_be_revoked(registry: StatusRegistry) -> None:
    reg = _register(registry)
    registry.suspend(reg.credential_id)
    assert registry.revoke(reg.credential_id, reason="superseded").status == "revoked"


@pytest.mark.parametrize("action", ["revoke", "suspend", "reinstate"])
def test_revocation_is_final(registry: StatusRegistry, action: str) -> None:
    reg = _register(registry)
    registry.revoke(reg.credential_id)
    with pytest.raises(StatusTransitionError) as err:
        getattr(registry, action)(reg.credential_id)
    assert err.value.code == "CREDENTIAL_REVOKED"
    assert "final" in err.value.message
    assert registry.get(reg.credential_id).status == "revoked"


def test_reinstate_only_from_suspension(registry: StatusRegistry) -> None:
    reg = _register(registry)
    with pytest.raises(StatusTransitionError) as err:
        registry.reinstate(reg.credential_id)
    assert err.value.code == "NOT_SUSPENDED"
    registry.suspend(reg.credential_id)
    with pytest.raises(StatusTransitionError) as err:
        registry.suspend(reg.credential_id)
    assert err.value.code == "ALREADY_SUSPENDED"


@pytest.mark.parametrize("action", ["revoke", "suspend", "reinstate", "get"])
def test_unknown_credential_id_is_a_named_error(registry: StatusRegistry, action: str) -> None:
    with pytest.raises(CredentialNotFoundError) as err:
        getattr(registry, action)("urn:uuid:never-issued")
    assert err.value.code == "CREDENTIAL_NOT_FOUND"


def test_reason_codes_are_checked(registry: StatusRegistry) -> None:
    reg = _register(registry)
    with pytest.raises(RegistryError) as err:
        registry.revoke(reg.credential_id, reason="because I said so")
    assert err.value.code == "INVALID_REASON"
    assert "issued_in_error" in REASON_CODES


def test_a_change_needs_a_list_to_publish_it(registry: StatusRegistry) -> None:
    reg = _register(registry, purposes=("revocation",))
    with pytest.raises(RegistryError) as err:
        registry.suspend(reg.credential_id)
    assert err.value.code == "STATUS_PURPOSE_NOT_REGISTERED"


# --- snapshots -----------------------------------------------------------------------------------


def test_snapshots_show_revoked_and_suspended_bits(registry: StatusRegistry) -> None:
    revoked, suspended, active = _register(registry), _register(registry), _register(registry)
    registry.revoke(revoked.credential_id)
    registry.suspend(suspended.credential_id)
    rev_list = revoked.entry("revocation").list_id
    sus_list = revoked.entry("suspension").list_id
    assert dict(registry.snapshot(rev_list).values) == {revoked.entry("revocation").index: 1}
    assert dict(registry.snapshot(sus_list).values) == {suspended.entry("suspension").index: 1}
    assert active.entry("revocation").index not in registry.snapshot(rev_list).values


def test_token_snapshot_values_are_invalid_and_suspended(registry: StatusRegistry) -> None:
    a, b, _c = (_register(registry, format="dc+sd-jwt", purposes=("token",)) for _ in range(3))
    registry.revoke(a.credential_id)
    registry.suspend(b.credential_id)
    snap = registry.snapshot(a.entries[0].list_id)
    assert dict(snap.values) == {a.entries[0].index: 1, b.entries[0].index: 2}


def test_unknown_list_snapshot(registry: StatusRegistry) -> None:
    with pytest.raises(RegistryError) as err:
        registry.snapshot(999)
    assert err.value.code == "LIST_NOT_FOUND"


# --- schema and defences in depth -----------------------------------------------------------------


def test_schema_is_versioned_and_migrates_once(registry_location: str, raw_db) -> None:
    with open_registry(registry_location, base_url=BASE) as reg:
        assert reg.schema_version() == 1
    with open_registry(registry_location, base_url=BASE) as reg:
        assert reg.schema_version() == 1
    assert raw_db.rows("SELECT version FROM schema_version") == [(1,)]


def test_a_newer_schema_is_refused(registry_location: str, raw_db) -> None:
    open_registry(registry_location).close()
    raw_db.run("INSERT INTO schema_version (version, applied_at) VALUES (99, 'later')")
    with pytest.raises(RegistryError) as err:
        open_registry(registry_location)
    assert err.value.code == "REGISTRY_SCHEMA_TOO_NEW"


def test_the_schema_holds_no_personal_data_columns(registry: StatusRegistry, raw_db) -> None:
    if raw_db.postgres:
        rows = raw_db.rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'credentials' "
                           "AND table_schema = current_schema()")
    else:
        rows = [(r[1],) for r in raw_db.rows("PRAGMA table_info(credentials)")]
    assert {r[0] for r in rows} == {
        "credential_id", "idempotency_hash", "credential_type", "format", "issued_at", "valid_until",
        "status", "reason", "status_changed_at",
    }


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM status_entries",
        "UPDATE status_entries SET idx = idx + 1",
        "UPDATE credentials SET status = 'active' WHERE status = 'revoked'",
        "DELETE FROM credentials",
    ],
    ids=["delete-entry", "move-entry", "unrevoke", "delete-credential"],
)
def test_triggers_keep_indexes_unreused_and_revocation_final(registry: StatusRegistry, raw_db, sql: str) -> None:
    reg = _register(registry)
    registry.revoke(reg.credential_id)
    with pytest.raises(Exception) as err:
        raw_db.run(sql)
    assert "never" in str(err.value) or "final" in str(err.value)
    assert registry.get(reg.credential_id).status == "revoked"
