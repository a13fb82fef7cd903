"""register_many on both backends: a chunk in one transaction, with register's guarantees."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from issuers.registry import RegistrationRequest, StatusRegistry, open_registry
from vc.errors import RegistryError, UsageError
from vc.status import MIN_ENTRIES

BASE = "https://city.example/status"
NOW = datetime(2026, 4, 1, 9, 30, tzinfo=timezone.utc)
TYPE, FORMAT = "ResidentRecordCredential", "eddsa-rdfc-2022"


@pytest.fixture
def registry(registry_location: str) -> Iterator[StatusRegistry]:
    with open_registry(registry_location, base_url=BASE) as reg:
        yield reg


def _request(n: int | str, **kwargs: object) -> RegistrationRequest:
    return RegistrationRequest(**({"credential_id": f"urn:uuid:many-{n}", "credential_type": TYPE,
                                   "format": FORMAT} | kwargs))  # type: ignore[arg-type]


def _slots(raw_db) -> list[tuple[int, int]]:
    return [(int(r[0]), int(r[1])) for r in raw_db.rows("SELECT list_id, idx FROM status_entries")]


def _assert_counts_match(raw_db) -> None:
    allocated = {int(r[0]): int(r[1]) for r in raw_db.rows("SELECT id, allocated FROM status_lists")}
    counts = raw_db.rows("SELECT list_id, COUNT(*) FROM status_entries GROUP BY list_id")
    counted = {int(r[0]): int(r[1]) for r in counts}
    assert allocated == counted


def test_a_chunk_is_registered_in_order_with_distinct_random_indexes(registry: StatusRegistry, raw_db) -> None:
    until = NOW + timedelta(days=30)
    requests = [_request(n, valid_until=until) for n in range(30)]
    requests += [_request("sd", format="dc+sd-jwt", purposes=("token",)),
                 _request("rev", purposes=["suspension", "revocation"])]
    made = registry.register_many(requests, now=NOW)
    assert [r.credential_id for r in made] == [r.credential_id for r in requests]
    assert all(r.created and r.issued_at == NOW and r.status == "active" for r in made)
    assert made[0].valid_until == until and made[-1].valid_until is None
    assert [e.purpose for e in made[0].entries] == ["revocation", "suspension"]
    assert [e.purpose for e in made[-2].entries] == ["token"] and made[-2].entries[0].list_url.endswith(".jwt")
    assert [e.purpose for e in made[-1].entries] == ["suspension", "revocation"]  # the order asked for
    for reg in made:
        assert set(registry.get(reg.credential_id).entries) == set(reg.entries)
    slots = [(e.list_id, e.index) for r in made for e in r.entries]
    assert len(set(slots)) == len(slots) == 2 * 31 + 1
    assert sorted(slots) == sorted(_slots(raw_db))
    revocation = sorted(r.entry("revocation").index for r in made if r.entry("revocation"))
    assert max(revocation) - min(revocation) > MIN_ENTRIES // 4  # drawn at random, not handed out in a row
    _assert_counts_match(raw_db)


def test_an_empty_chunk_does_nothing(registry: StatusRegistry) -> None:
    assert registry.register_many([]) == []
    assert registry.lists() == []


def test_keys_already_committed_return_their_rows_and_only_new_keys_take_indexes(registry: StatusRegistry,
                                                                                  raw_db) -> None:
    first = registry.register_many([_request(n, idempotency_key=f"rec-{n}") for n in range(10)], now=NOW)
    # a re-run after a crash: the chunk boundaries moved, the credential ids are new, half the keys are known
    later = NOW + timedelta(hours=2)
    again = registry.register_many([_request(f"rerun-{n}", idempotency_key=f"rec-{n}") for n in range(5, 15)],
                                   now=later)
    for n in range(5, 10):
        reg = again[n - 5]
        assert reg.created is False
        assert (reg.credential_id, reg.entries, reg.issued_at) == (first[n].credential_id, first[n].entries, NOW)
    assert all(r.created and r.credential_id.endswith(f"rerun-{n}") and r.issued_at == later
               for n, r in zip(range(10, 15), again[5:], strict=True))
    assert len(_slots(raw_db)) == 2 * 15 and len(set(_slots(raw_db))) == 2 * 15
    _assert_counts_match(raw_db)


def test_a_key_repeated_within_a_chunk_is_registered_once(registry: StatusRegistry, raw_db) -> None:
    made = registry.register_many(
        [_request(0, idempotency_key="rec-A"), _request(1), _request(2, idempotency_key="rec-A")], now=NOW)
    assert made[0].created and made[1].created and made[2].created is False
    assert (made[2].credential_id, made[2].entries) == (made[0].credential_id, made[0].entries)
    stored = {r[0] for r in raw_db.rows("SELECT credential_id FROM credentials")}
    assert stored == {made[0].credential_id, made[1].credential_id}
    assert len(_slots(raw_db)) == 4


@pytest.mark.parametrize(
    "chunk,code,position",
    [
        ([_request(0, idempotency_key="k"), _request(1), _request(2, idempotency_key="k", format="vc+jwt")],
         "IDEMPOTENCY_CONFLICT", 2),
        ([_request(0), _request(1, purposes=("revocation",)), _request(0)], "DUPLICATE_CREDENTIAL_ID", 2),
    ],
    ids=["conflicting-key", "repeated-id"],
)
def test_one_bad_request_rolls_back_the_whole_chunk(registry: StatusRegistry, raw_db, chunk: list,
                                                    code: str, position: int) -> None:
    with pytest.raises(RegistryError) as err:
        registry.register_many(chunk, now=NOW)
    assert (err.value.code, err.value.detail["request"]) == (code, position)
    assert raw_db.rows("SELECT credential_id FROM credentials") == []
    assert _slots(raw_db) == [] and raw_db.rows("SELECT id FROM status_lists") == []
    # nothing half-done stands in the way of the corrected chunk
    assert len(registry.register_many(chunk[:2], now=NOW)) == 2


def test_a_key_registered_before_with_another_type_is_a_conflict(registry: StatusRegistry, raw_db) -> None:
    registry.register(credential_id="urn:uuid:old", credential_type=TYPE, format=FORMAT, idempotency_key="k")
    with pytest.raises(RegistryError) as err:
        registry.register_many([_request(1), _request(2, idempotency_key="k", credential_type="OtherCredential")])
    assert (err.value.code, err.value.detail["request"]) == ("IDEMPOTENCY_CONFLICT", 1)
    assert [r[0] for r in raw_db.rows("SELECT credential_id FROM credentials")] == ["urn:uuid:old"]


def test_misuse_names_the_request(registry: StatusRegistry) -> None:
    with pytest.raises(UsageError) as err:
        registry.register_many([_request(0), _request(1, purposes=("refresh",))])
    assert err.value.detail["request"] == 1
    with pytest.raises(UsageError):
        registry.register_many([_request(0, valid_until=datetime(2027, 1, 1))])  # naive


class _Died(Exception):
    pass


def test_a_failure_inside_the_transaction_leaves_nothing(registry_location: str, raw_db) -> None:
    draws = iter(range(1000, 1040))

    def rng(n: int) -> int:  # fails while the chunk draws indexes, its credential rows already inserted
        value = next(draws, None)
        if value is None:
            raise _Died
        return value

    with open_registry(registry_location, base_url=BASE, rng=rng) as reg, pytest.raises(_Died):
        reg.register_many([_request(n) for n in range(20)], now=NOW)
    assert raw_db.rows("SELECT credential_id FROM credentials") == [] and _slots(raw_db) == []


def test_a_list_that_fills_up_mid_chunk_is_closed_and_a_new_one_started(registry: StatusRegistry,
                                                                          raw_db) -> None:
    first = registry.register(credential_id="urn:uuid:first", credential_type=TYPE, format=FORMAT,
                              purposes=("revocation",), now=NOW)
    list_id, taken = first.entries[0].list_id, first.entries[0].index
    free = {(taken + k) % MIN_ENTRIES for k in (1, 2, 3)}
    keep = (taken, *sorted(free))
    marks = ", ".join(["%s"] * len(keep))
    # fill every other index directly, as if 131,068 credentials had been issued
    raw_db.run(
        "WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < %s) "
        "INSERT INTO credentials (credential_id, credential_type, format, issued_at, status) "
        f"SELECT 'filler-' || x, 'T', 'f', %s, 'active' FROM g WHERE x NOT IN ({marks})",
        (MIN_ENTRIES - 1, "2026-01-01T00:00:00Z", *keep),
    )
    raw_db.run(
        "WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < %s) "
        "INSERT INTO status_entries (list_id, idx, credential_id, purpose) "
        f"SELECT %s, x, 'filler-' || x, 'revocation' FROM g WHERE x NOT IN ({marks})",
        (MIN_ENTRIES - 1, list_id, *keep),
    )
    raw_db.run("UPDATE status_lists SET allocated = %s WHERE id = %s", (MIN_ENTRIES - 3, list_id))

    made = registry.register_many([_request(n, purposes=("revocation",)) for n in range(5)], now=NOW)
    slots = [(r.entries[0].list_id, r.entries[0].index) for r in made]
    assert {(lst, idx) for lst, idx in slots if lst == list_id} == {(list_id, idx) for idx in free}
    fresh = [(lst, idx) for lst, idx in slots if lst != list_id]
    assert len(fresh) == 2 and len({lst for lst, _ in fresh}) == 1 and len(set(fresh)) == 2
    old, new = registry.lists()
    assert (old.list_id, old.full, old.allocated) == (list_id, True, MIN_ENTRIES)
    assert (new.full, new.allocated, new.purpose) == (False, 2, "revocation")
    assert new.url == f"{BASE}/{new.list_id}.json"
    _assert_counts_match(raw_db)
