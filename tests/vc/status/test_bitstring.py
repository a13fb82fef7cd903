"""W3C Bitstring Status List: vectors, bit order, entries, list credentials, decoder defences."""

from __future__ import annotations

import base64
import gzip
import json
import re
import zlib
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vc.errors import StatusError, UsageError
from vc.status import (
    MIN_ENTRIES,
    BitstringStatusList,
    bitstring_status_entry,
    bitstring_status_list_credential,
    decode_bitstring,
    encode_bitstring,
)

VECTORS = Path(__file__).parents[2] / "vectors" / "bitstring-status-list"
SPEC = VECTORS / "spec-examples"
REFERENCE = VECTORS / "generated-by-reference-libs"
EMPTY_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def _load_example(path: Path) -> dict:
    """The spec's ``.txt`` examples are JSON with ``//`` comments and ``...`` lines: drop those."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".txt":
        text = "\n".join(
            line for line in text.splitlines() if not line.strip().startswith("//") and line.strip() != "..."
        )
        text = re.sub(r",(\s*[\]}])", r"\1", text)
    return json.loads(text)


def _spec_examples() -> list[Path]:
    return sorted(SPEC.iterdir())


def _reference_vectors() -> list[dict]:
    return json.loads((REFERENCE / "bsl-encodedlists.json").read_text())["vectors"]


# --- vectors --------------------------------------------------------------------------------


@pytest.mark.parametrize("vector", _reference_vectors(), ids=lambda v: f"set{len(v['setIndexes'])}")
def test_reference_library_lists_decode_to_their_set_indexes(vector: dict) -> None:
    lst = BitstringStatusList.decode(vector["encodedList"])
    assert lst.entries == vector["lengthBits"]
    assert list(lst.set_indexes()) == sorted(vector["setIndexes"])
    for index in vector["setIndexes"]:
        assert lst.status(index) == 1


@pytest.mark.parametrize("vector", _reference_vectors(), ids=lambda v: f"set{len(v['setIndexes'])}")
def test_our_encoding_decodes_to_the_same_bits_as_the_reference(vector: dict) -> None:
    ours = BitstringStatusList.from_statuses(vector["setIndexes"], entries=vector["lengthBits"]).encode()
    assert decode_bitstring(ours) == decode_bitstring(vector["encodedList"])


def test_reference_unsigned_list_credential_has_index_94567_set() -> None:
    doc = json.loads((REFERENCE / "bsl-unsigned-status-list-credential.json").read_text())
    lst = BitstringStatusList.decode(doc["credentialSubject"]["encodedList"])
    assert list(lst.set_indexes()) == [94567]


@pytest.mark.parametrize("path", [p for p in _spec_examples() if "bitstringstatuslistcredential" in p.name
                                  or "status-list-verifiable-credential" in p.name], ids=lambda p: p.stem)
def test_spec_list_credentials_decode_to_131072_unset_entries(path: Path) -> None:
    subject = _load_example(path)["credentialSubject"]
    lst = BitstringStatusList.decode(subject["encodedList"])
    assert lst.entries == MIN_ENTRIES
    assert list(lst.set_indexes()) == []
    assert subject["encodedList"] == EMPTY_LIST


@pytest.mark.parametrize(
    "path", [p for p in _spec_examples() if "credentialStatus" in p.read_text()], ids=lambda p: p.stem
)
def test_spec_credential_status_entries_are_rebuilt_exactly(path: Path) -> None:
    status = _load_example(path)["credentialStatus"]
    for entry in status if isinstance(status, list) else [status]:
        messages = entry.get("statusMessage")
        if messages is not None and len(messages) != 2 ** entry.get("statusSize", 1):
            # example 2 elides the 4th message with "..."; complete it as the spec intends
            messages = [*messages, {"status": "0x3", "message": "undefined"}]
        rebuilt = bitstring_status_entry(
            status_list_credential=entry["statusListCredential"],
            index=int(entry["statusListIndex"]),
            purpose=entry["statusPurpose"],
            entry_id=entry["id"],
            status_size=entry.get("statusSize", 1),
            status_messages=messages,
            status_reference=entry.get("statusReference"),
        )
        expected = dict(entry, statusMessage=messages) if messages is not None else entry
        assert rebuilt == expected


def test_spec_empty_list_is_16_kib_of_zeros() -> None:
    assert decode_bitstring(EMPTY_LIST) == bytes(16 * 1024)


# --- bit order and values -------------------------------------------------------------------


def test_index_zero_is_the_most_significant_bit_of_byte_zero() -> None:
    lst = BitstringStatusList.from_statuses([0, 9])
    assert lst.bitstring[0] == 0x80
    assert lst.bitstring[1] == 0x40


def test_last_index_is_the_least_significant_bit_of_the_last_byte() -> None:
    lst = BitstringStatusList.from_statuses([MIN_ENTRIES - 1])
    assert lst.bitstring[-1] == 0x01
    assert lst.status(MIN_ENTRIES - 1) == 1


def test_wide_entries_read_big_endian_from_index_times_size() -> None:
    lst = BitstringStatusList.from_statuses({0: 0b10, 1: 0b01, 3: 0b11}, status_size=2)
    assert lst.bitstring[0] == 0b10_01_00_11
    assert [lst.status(i) for i in range(5)] == [2, 1, 0, 3, 0]
    assert lst.entries == MIN_ENTRIES


def test_with_statuses_returns_a_copy_and_can_clear() -> None:
    one = BitstringStatusList.from_statuses([5])
    two = one.with_statuses({5: 0, 6: 1})
    assert one.status(5) == 1 and two.status(5) == 0 and two.status(6) == 1


@settings(max_examples=40, deadline=None)
@given(
    size=st.sampled_from([1, 2, 3, 4, 8]),
    statuses=st.dictionaries(st.integers(0, MIN_ENTRIES - 1), st.integers(0, 255), max_size=30),
)
def test_round_trip_any_statuses(size: int, statuses: dict[int, int]) -> None:
    statuses = {i: v % (1 << size) for i, v in statuses.items()}
    lst = BitstringStatusList.from_statuses(statuses, status_size=size)
    back = BitstringStatusList.decode(lst.encode(), status_size=size)
    assert back == lst
    for index, value in statuses.items():
        assert back.status(index) == value


def test_encoding_is_deterministic_and_multibase_u() -> None:
    lst = BitstringStatusList.from_statuses([1, 2, 3])
    assert lst.encode() == lst.encode()
    assert lst.encode().startswith("uH4sI")  # 'u' + base64url of the GZIP magic 1f 8b 08


# --- decoder defences -----------------------------------------------------------------------


def test_index_past_the_end_is_a_named_error() -> None:
    lst = BitstringStatusList.empty()
    with pytest.raises(StatusError) as err:
        lst.status(MIN_ENTRIES)
    assert err.value.code == "STATUS_INDEX_OUT_OF_RANGE"
    with pytest.raises(StatusError):
        lst.status(-1)


def test_wide_entry_crossing_the_end_is_out_of_range() -> None:
    lst = BitstringStatusList(bytes(7), 3)  # 56 bits: 18 whole entries, the 19th would cross the end
    assert lst.entries == 18
    assert lst.status(17) == 0
    with pytest.raises(StatusError) as err:
        lst.status(18)
    assert err.value.code == "STATUS_INDEX_OUT_OF_RANGE"


@pytest.mark.parametrize(
    "encoded",
    [
        "zH4sIAAAAAAAAA",  # base58btc prefix: the spec requires base64url
        EMPTY_LIST[1:],  # no multibase prefix at all
        "uH4sI=AAA",  # padding / bad characters
        "u!!!!",
        "u" + base64.urlsafe_b64encode(b"not gzip at all").decode().rstrip("="),
        "",
    ],
    ids=["base58", "no-prefix", "padding", "bad-chars", "not-gzip", "empty"],
)
def test_bad_encoded_list_is_status_list_malformed(encoded: str) -> None:
    with pytest.raises(StatusError) as err:
        decode_bitstring(encoded)
    assert err.value.code == "STATUS_LIST_MALFORMED"


def test_non_string_encoded_list_is_malformed() -> None:
    with pytest.raises(StatusError) as err:
        decode_bitstring(12345)  # type: ignore[arg-type]
    assert err.value.code == "STATUS_LIST_MALFORMED"


def test_truncated_gzip_is_malformed() -> None:
    data = gzip.compress(bytes(16 * 1024))
    with pytest.raises(StatusError) as err:
        decode_bitstring("u" + base64.urlsafe_b64encode(data[:-6]).decode().rstrip("="))
    assert err.value.code == "STATUS_LIST_MALFORMED"


def test_zlib_instead_of_gzip_is_malformed() -> None:
    data = zlib.compress(bytes(16 * 1024))
    with pytest.raises(StatusError) as err:
        decode_bitstring("u" + base64.urlsafe_b64encode(data).decode().rstrip("="))
    assert err.value.code == "STATUS_LIST_MALFORMED"


def test_list_shorter_than_the_minimum_is_too_short() -> None:
    with pytest.raises(StatusError) as err:
        BitstringStatusList.decode(encode_bitstring(bytes(1024)))
    assert err.value.code == "STATUS_LIST_TOO_SHORT"
    # an ecosystem may set a lower bound; the short list then reads, and past its end is out of range
    small = BitstringStatusList.decode(encode_bitstring(bytes(1024)), min_entries=8192)
    with pytest.raises(StatusError) as err:
        small.status(8192)
    assert err.value.code == "STATUS_INDEX_OUT_OF_RANGE"


def _gzip_bomb(megabytes: int) -> str:
    """A GZIP stream of ``megabytes`` MiB of zeros built from one full-flushed deflate block.

    A full flush makes the block independent of what came before, so repeating it is valid
    deflate: ~1 KB per MiB. The trailer is left off; a bounded decoder never gets that far.
    """
    comp = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = comp.compress(bytes(1 << 20)) + comp.flush(zlib.Z_FULL_FLUSH)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return "u" + base64.urlsafe_b64encode(header + block * megabytes).decode().rstrip("=")


def test_gzip_bomb_of_a_few_kb_is_refused() -> None:
    bomb = _gzip_bomb(8)  # ~8 KB inflating to 8 MiB, past the 2 MiB default bound
    assert len(bomb) < 16_000
    with pytest.raises(StatusError) as err:
        decode_bitstring(bomb)
    assert err.value.code == "STATUS_LIST_TOO_LARGE"


def test_gigabyte_gzip_bomb_is_refused_after_bounded_output() -> None:
    bomb = _gzip_bomb(1024)  # ~1 MB of base64 that would inflate to 1 GiB
    with pytest.raises(StatusError) as err:
        decode_bitstring(bomb, max_bytes=64 * 1024)
    assert err.value.code == "STATUS_LIST_TOO_LARGE"


def test_max_bytes_is_a_hard_bound() -> None:
    exact = encode_bitstring(bytes(32 * 1024))
    assert len(decode_bitstring(exact, max_bytes=32 * 1024)) == 32 * 1024
    with pytest.raises(StatusError) as err:
        decode_bitstring(exact, max_bytes=32 * 1024 - 1)
    assert err.value.code == "STATUS_LIST_TOO_LARGE"


def test_trailing_bytes_after_the_gzip_stream_are_malformed() -> None:
    data = gzip.compress(bytes(16 * 1024)) + b"junk"
    with pytest.raises(StatusError) as err:
        decode_bitstring("u" + base64.urlsafe_b64encode(data).decode().rstrip("="))
    assert err.value.code == "STATUS_LIST_MALFORMED"


# --- building ---------------------------------------------------------------------------------


def test_list_credential_matches_the_spec_example_shape() -> None:
    example = _load_example(SPEC / "03-example-bitstringstatuslistcredential.json")
    built = bitstring_status_list_credential(
        url="https://example.com/credentials/status/3",
        issuer="did:example:12345",
        purpose="revocation",
        status_list=BitstringStatusList.empty(),
        valid_from=datetime(2021, 4, 5, 14, 27, 40, tzinfo=timezone.utc),
        subject_id="https://example.com/status/3#list",
    )
    encoded = built["credentialSubject"].pop("encodedList")
    expected_encoded = example["credentialSubject"].pop("encodedList")
    assert built == example
    assert decode_bitstring(encoded) == decode_bitstring(expected_encoded)


def test_list_credential_carries_ttl_and_valid_until() -> None:
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    built = bitstring_status_list_credential(
        url="https://city.example/status/1",
        issuer={"id": "did:web:city.example", "name": "City"},
        purpose=["revocation"],
        status_list=BitstringStatusList.from_statuses([7]),
        valid_from=start,
        valid_until=datetime(2026, 1, 2, tzinfo=timezone.utc),
        ttl_ms=3_600_000,
    )
    assert built["validUntil"] == "2026-01-02T00:00:00Z"
    assert built["credentialSubject"]["ttl"] == 3_600_000
    assert built["credentialSubject"]["id"] == "https://city.example/status/1#list"
    assert built["credentialSubject"]["statusPurpose"] == ["revocation"]
    assert BitstringStatusList.decode(built["credentialSubject"]["encodedList"]).status(7) == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"ttl_ms": 0},
        {"valid_until": datetime(2020, 1, 1, tzinfo=timezone.utc)},
        {"valid_from": datetime(2026, 1, 1)},  # naive
    ],
    ids=["ttl-zero", "until-before-from", "naive-datetime"],
)
def test_list_credential_refuses_bad_options(kwargs: dict) -> None:
    options = {
        "url": "https://x.example/s/1",
        "issuer": "did:example:1",
        "purpose": "revocation",
        "status_list": BitstringStatusList.empty(),
        "valid_from": datetime(2026, 1, 1, tzinfo=timezone.utc),
    } | kwargs
    with pytest.raises(UsageError):
        bitstring_status_list_credential(**options)


def test_entry_requires_messages_for_wide_status() -> None:
    with pytest.raises(UsageError):
        bitstring_status_entry(status_list_credential="https://x/s/1", index=1, purpose="message", status_size=2)
    with pytest.raises(UsageError):
        bitstring_status_entry(status_list_credential="https://x/s/1", index=-1, purpose="revocation")


def test_empty_refuses_fewer_than_the_minimum_entries() -> None:
    with pytest.raises(UsageError):
        BitstringStatusList.empty(1000)
