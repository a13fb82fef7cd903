"""IETF Token Status List: draft vectors, LSB-first bit order, claims, token payload checks, defences."""

from __future__ import annotations

import json
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vc.encoding.base64url import b64url_encode
from vc.errors import StatusError, UsageError
from vc.status import (
    INVALID,
    SUSPENDED,
    VALID,
    TokenStatusList,
    read_status_list_token,
    referenced_token_status,
    status_list_claim,
    status_list_token_header,
    status_list_token_payload,
)

VECTORS = json.loads(
    (Path(__file__).parents[2] / "vectors" / "token-status-list" / "draft-examples.json").read_text()
)["vectors"]
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
URI = "https://city.example/status/token/1"


@pytest.mark.parametrize("vector", [v for v in VECTORS if "bytes" in v], ids=lambda v: v["name"])
def test_draft_short_examples_decode_to_their_bytes_and_statuses(vector: dict) -> None:
    lst = TokenStatusList.decode(vector["lst"], bits=vector["bits"])
    assert lst.data.hex() == vector["bytes"]
    assert {str(i): lst.status(i) for i in range(len(vector["statuses"]))} == vector["statuses"]


@pytest.mark.parametrize("vector", [v for v in VECTORS if "bytes" in v], ids=lambda v: v["name"])
def test_we_build_the_draft_bytes_from_the_statuses(vector: dict) -> None:
    statuses = {int(i): s for i, s in vector["statuses"].items()}
    lst = TokenStatusList.from_statuses(statuses, entries=len(statuses), bits=vector["bits"])
    assert lst.data.hex() == vector["bytes"]
    # ZLIB output may differ between implementations; the decoded bytes may not
    assert TokenStatusList.decode(lst.encode(), bits=vector["bits"]).data == lst.data


def test_draft_appendix_c1_large_list() -> None:
    vector = next(v for v in VECTORS if v["name"].startswith("appendix"))
    lst = TokenStatusList.decode(vector["lst"], bits=1)
    assert lst.entries == vector["entries"]
    set_indexes = [i * 8 + k for i, byte in enumerate(lst.data) for k in range(8) if byte >> k & 1]
    assert set_indexes == sorted(int(i) for i in vector["set"])
    assert all(lst.status(int(i)) == INVALID for i in vector["set"])


def test_bit_zero_is_the_least_significant_bit() -> None:
    lst = TokenStatusList.from_statuses({0: 1}, entries=8, bits=1)
    assert lst.data == b"\x01"
    two = TokenStatusList.from_statuses({1: SUSPENDED}, entries=4, bits=2)
    assert two.data == bytes([0b0000_1000])


@settings(max_examples=40, deadline=None)
@given(
    bits=st.sampled_from([1, 2, 4, 8]),
    statuses=st.dictionaries(st.integers(0, 4095), st.integers(0, 255), max_size=40),
)
def test_round_trip_any_statuses(bits: int, statuses: dict[int, int]) -> None:
    statuses = {i: v % (1 << bits) for i, v in statuses.items()}
    lst = TokenStatusList.from_statuses(statuses, entries=4096, bits=bits)
    back = TokenStatusList.from_claim(lst.to_claim())
    assert back == lst
    assert all(back.status(i) == v for i, v in statuses.items())


def test_overwriting_a_status_keeps_the_neighbours() -> None:
    lst = TokenStatusList.from_statuses({0: 3, 1: 3, 2: 3}, entries=4, bits=2).with_statuses({1: 0})
    assert [lst.status(i) for i in range(4)] == [3, 0, 3, 0]


def test_index_past_the_end_is_out_of_range() -> None:
    lst = TokenStatusList.empty(16, bits=2)
    with pytest.raises(StatusError) as err:
        lst.status(16)
    assert err.value.code == "STATUS_INDEX_OUT_OF_RANGE"


@pytest.mark.parametrize(
    "claim",
    [
        {"bits": 3, "lst": "eNrbuRgAAhcBXQ"},
        {"bits": True, "lst": "eNrbuRgAAhcBXQ"},
        {"bits": 1, "lst": "eNrbuRgAAhcBXQ=="},
        {"bits": 1, "lst": b64url_encode(b"\x1f\x8b not zlib")},
        {"bits": 1, "lst": b64url_encode(zlib.compress(b"\x01\x02")[:-2])},
        {"bits": 1},
        {"bits": 1, "lst": 7},
        "eNrbuRgAAhcBXQ",
    ],
    ids=["bits-3", "bits-bool", "padding", "not-zlib", "truncated", "no-lst", "lst-number", "not-object"],
)
def test_bad_status_list_claims_are_malformed(claim: object) -> None:
    with pytest.raises(StatusError) as err:
        TokenStatusList.from_claim(claim)
    assert err.value.code == "STATUS_LIST_MALFORMED"


def test_zlib_bomb_is_refused() -> None:
    comp = zlib.compressobj(9)
    bomb = comp.compress(bytes(8 << 20)) + comp.flush()  # ~8 KB inflating to 8 MiB
    assert len(bomb) < 16_000
    with pytest.raises(StatusError) as err:
        TokenStatusList.decode(b64url_encode(bomb), bits=1)
    assert err.value.code == "STATUS_LIST_TOO_LARGE"


# --- claims and the token -------------------------------------------------------------------


def test_status_claim_shape_and_parse() -> None:
    claim = status_list_claim(index=42, uri=URI)
    assert claim == {"status_list": {"idx": 42, "uri": URI}}
    assert referenced_token_status({"status": claim}) == (42, URI)
    assert referenced_token_status({"iss": "x"}) is None


@pytest.mark.parametrize(
    "status",
    ["x", {"status_list": "x"}, {"status_list": {"idx": -1, "uri": URI}}, {"status_list": {"idx": "1", "uri": URI}},
     {"status_list": {"idx": 1}}, {"status_list": {"idx": True, "uri": URI}}],
    ids=["not-object", "list-not-object", "negative", "string-idx", "no-uri", "bool-idx"],
)
def test_broken_status_claims_are_named(status: object) -> None:
    with pytest.raises(StatusError) as err:
        referenced_token_status({"status": status})
    assert err.value.code == "STATUS_ENTRY_MALFORMED"


def _payload(**overrides: object) -> dict:
    payload = status_list_token_payload(
        uri=URI,
        status_list=TokenStatusList.from_statuses({3: INVALID, 4: SUSPENDED}, entries=131_072, bits=2),
        issued_at=NOW - timedelta(minutes=1),
        issuer="https://city.example",
        expires_at=NOW + timedelta(days=1),
        ttl=3600,
    )
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not None}


def test_token_payload_and_header_shape() -> None:
    payload = _payload()
    assert payload["sub"] == URI and payload["iss"] == "https://city.example" and payload["ttl"] == 3600
    assert payload["exp"] - payload["iat"] == 86_400 + 60
    assert payload["status_list"]["bits"] == 2
    assert status_list_token_header(alg="EdDSA", kid="k1") == {"alg": "EdDSA", "typ": "statuslist+jwt", "kid": "k1"}


def test_read_token_returns_the_list() -> None:
    lst = read_status_list_token({"typ": "statuslist+jwt"}, _payload(), uri=URI, now=NOW, issuer="https://city.example")
    assert [lst.status(i) for i in range(6)] == [VALID, VALID, VALID, INVALID, SUSPENDED, VALID]


@pytest.mark.parametrize(
    ("header", "overrides", "code"),
    [
        ({"typ": "JWT"}, {}, "STATUS_LIST_INVALID"),
        ({"typ": "statuslist+jwt"}, {"sub": "https://elsewhere.example/1"}, "STATUS_LIST_INVALID"),
        ({"typ": "statuslist+jwt"}, {"iss": "https://evil.example"}, "STATUS_LIST_INVALID"),
        ({"typ": "statuslist+jwt"}, {"iat": "yesterday"}, "STATUS_LIST_INVALID"),
        ({"typ": "statuslist+jwt"}, {"exp": int((NOW - timedelta(seconds=1)).timestamp())}, "STATUS_LIST_EXPIRED"),
        ({"typ": "statuslist+jwt"}, {"ttl": -5}, "STATUS_LIST_INVALID"),
        ({"typ": "statuslist+jwt"}, {"status_list": {"bits": 5, "lst": "eNrbuRgAAhcBXQ"}}, "STATUS_LIST_MALFORMED"),
    ],
    ids=["typ", "sub", "iss", "iat", "expired", "ttl", "bits"],
)
def test_read_token_refuses_bad_claims(header: dict, overrides: dict, code: str) -> None:
    with pytest.raises(StatusError) as err:
        read_status_list_token(header, _payload(**overrides), uri=URI, now=NOW, issuer="https://city.example")
    assert err.value.code == code


def test_payload_builder_refuses_bad_options() -> None:
    with pytest.raises(UsageError):
        status_list_token_payload(uri=URI, status_list=TokenStatusList.empty(8), issued_at=NOW, ttl=0)
    with pytest.raises(UsageError):
        status_list_token_payload(uri=URI, status_list=TokenStatusList.empty(8), issued_at=NOW, expires_at=NOW)
    with pytest.raises(UsageError):
        TokenStatusList.empty(8, bits=3)
