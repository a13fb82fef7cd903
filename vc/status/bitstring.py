"""W3C Bitstring Status List v1.0: the bitstring, its ``encodedList``, the entry and the list credential.

Bit order (spec section 2.1 "encodedList"): index 0 is the left-most bit, i.e. the most significant
bit of byte 0. Entries are ``statusSize`` bits wide and start at bit ``index * statusSize``; a wide
entry reads left to right as a big-endian number. The uncompressed bitstring has at least 131,072
entries (16 KiB at one bit) for herd privacy. ``encodedList`` = ``"u"`` + base64url(GZIP(bits)).

>>> lst = BitstringStatusList.from_statuses({94567: 1})
>>> BitstringStatusList.decode(lst.encode()).status(94567)
1
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from vc.encoding.multibase import decode_multibase, encode_base64url_multibase
from vc.errors import MalformedError, StatusError, UsageError

from ._inflate import GZIP, inflate_bounded

__all__ = [
    "BSL_CONTEXT",
    "BitstringStatusList",
    "DEFAULT_TTL_MS",
    "MAX_DECODED_BYTES",
    "MIN_ENTRIES",
    "STATUS_PURPOSES",
    "bitstring_status_entry",
    "bitstring_status_list_credential",
    "decode_bitstring",
    "encode_bitstring",
]

BSL_CONTEXT = "https://www.w3.org/ns/credentials/v2"  # the VCDM 2.0 context defines every BSL term
MIN_ENTRIES = 131_072  # spec "minimumNumberOfEntries"; 16 KiB at statusSize 1
MAX_DECODED_BYTES = 2 * 1024 * 1024  # 16,777,216 one-bit entries; more is refused as a bomb
DEFAULT_TTL_MS = 300_000  # spec: a list without ``ttl`` may be cached for 300,000 ms
STATUS_PURPOSES = ("revocation", "suspension", "message")


def encode_bitstring(bitstring: bytes) -> str:
    """``encodedList`` for raw bitstring bytes: multibase ``u`` + base64url(GZIP), deterministic (mtime 0)."""
    return encode_base64url_multibase(gzip.compress(bytes(bitstring), compresslevel=9, mtime=0))


def decode_bitstring(encoded_list: str, *, max_bytes: int = MAX_DECODED_BYTES) -> bytes:
    """Raw bitstring bytes from an ``encodedList``; never inflates more than ``max_bytes``.

    ``StatusError`` codes: ``STATUS_LIST_MALFORMED`` (not ``u`` multibase base64url, not GZIP),
    ``STATUS_LIST_TOO_LARGE`` (inflates past ``max_bytes``).
    """
    if not isinstance(encoded_list, str) or not encoded_list.startswith("u"):
        raise StatusError(
            "encodedList must be a multibase base64url string starting with 'u'",
            code="STATUS_LIST_MALFORMED",
        )
    try:
        compressed = decode_multibase(encoded_list)
    except MalformedError as exc:
        raise StatusError(f"encodedList is not valid base64url: {exc.message}", code="STATUS_LIST_MALFORMED") from None
    return inflate_bounded(compressed, wbits=GZIP, max_output=max_bytes, what="encodedList")


@dataclass(frozen=True, slots=True)
class BitstringStatusList:
    """A decoded bitstring of ``status_size``-bit entries; immutable (``with_statuses`` makes a copy)."""

    bitstring: bytes
    status_size: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.status_size, int) or isinstance(self.status_size, bool) or self.status_size < 1:
            raise UsageError("status_size must be an integer of at least 1")

    @property
    def entries(self) -> int:
        """How many ``status_size``-bit entries the bitstring holds."""
        return len(self.bitstring) * 8 // self.status_size

    @classmethod
    def empty(cls, entries: int = MIN_ENTRIES, *, status_size: int = 1) -> BitstringStatusList:
        """An all-zero list of ``entries`` entries (rounded up to whole bytes); at least 131,072."""
        if entries < MIN_ENTRIES:
            raise UsageError(f"a Bitstring Status List needs at least {MIN_ENTRIES} entries, got {entries}")
        return cls(bytes(-(-entries * status_size // 8)), status_size)

    @classmethod
    def from_statuses(
        cls,
        statuses: Mapping[int, int] | Iterable[int],
        *,
        entries: int = MIN_ENTRIES,
        status_size: int = 1,
    ) -> BitstringStatusList:
        """A list with the given ``{index: value}`` set (or, for an iterable of indexes, value 1)."""
        items = statuses.items() if isinstance(statuses, Mapping) else ((i, 1) for i in statuses)
        return cls.empty(entries, status_size=status_size).with_statuses(dict(items))

    @classmethod
    def decode(
        cls,
        encoded_list: str,
        *,
        status_size: int = 1,
        min_entries: int = MIN_ENTRIES,
        max_bytes: int = MAX_DECODED_BYTES,
    ) -> BitstringStatusList:
        """Decode an ``encodedList``; ``StatusError`` ``STATUS_LIST_TOO_SHORT`` below ``min_entries``.

        Other codes as in ``decode_bitstring``.
        """
        lst = cls(decode_bitstring(encoded_list, max_bytes=max_bytes), status_size)
        if lst.entries < min_entries:
            raise StatusError(
                f"the status list has {lst.entries} entries of {status_size} bit(s), fewer than the "
                f"minimum {min_entries} the spec requires for herd privacy",
                code="STATUS_LIST_TOO_SHORT",
            )
        return lst

    def status(self, index: int) -> int:
        """The entry at ``index``; ``StatusError`` ``STATUS_INDEX_OUT_OF_RANGE`` past the end."""
        size = self.status_size
        pos = index * size
        if index < 0 or pos + size > len(self.bitstring) * 8:
            raise StatusError(
                f"status list index {index} is outside the list of {self.entries} entries",
                code="STATUS_INDEX_OUT_OF_RANGE",
                index=index,
                entries=self.entries,
            )
        data = self.bitstring
        if size == 1:  # the common case, kept branch-free for speed
            return (data[pos >> 3] >> (7 - (pos & 7))) & 1
        value = 0
        for bit in range(pos, pos + size):
            value = (value << 1) | ((data[bit >> 3] >> (7 - (bit & 7))) & 1)
        return value

    def with_statuses(self, statuses: Mapping[int, int]) -> BitstringStatusList:
        """A copy with each ``{index: value}`` written (0 clears an entry)."""
        size = self.status_size
        top = (1 << size) - 1
        buf = bytearray(self.bitstring)
        for index, value in statuses.items():
            if not 0 <= value <= top:
                raise UsageError(f"status value {value} does not fit in {size} bit(s)")
            pos = index * size
            if index < 0 or pos + size > len(buf) * 8:
                raise UsageError(f"index {index} is outside the list of {self.entries} entries")
            for k in range(size):
                bit = pos + k
                mask = 0x80 >> (bit & 7)
                if (value >> (size - 1 - k)) & 1:
                    buf[bit >> 3] |= mask
                else:
                    buf[bit >> 3] &= ~mask & 0xFF
        return BitstringStatusList(bytes(buf), size)

    def set_indexes(self) -> Iterator[int]:
        """Indexes whose entry is not zero, in order (skips zero bytes quickly)."""
        size = self.status_size
        data = self.bitstring
        if size == 1:
            for byte_index, byte in enumerate(data):
                if byte:
                    for k in range(8):
                        if byte & (0x80 >> k):
                            yield byte_index * 8 + k
            return
        for index in range(self.entries):
            if self.status(index):
                yield index

    def encode(self) -> str:
        """The ``encodedList`` value."""
        return encode_bitstring(self.bitstring)


def bitstring_status_entry(
    *,
    status_list_credential: str,
    index: int,
    purpose: str,
    entry_id: str | None = None,
    status_size: int = 1,
    status_messages: Sequence[Mapping[str, str]] | None = None,
    status_reference: str | Sequence[str] | None = None,
) -> dict[str, Any]:
    """The ``BitstringStatusListEntry`` for a credential's ``credentialStatus``.

    ``entry_id`` defaults to ``<list URL>#<index>`` (the spec forbids the bare list URL).
    ``status_messages`` (``[{"status": "0x0", "message": ...}, ...]``) is required when
    ``status_size`` > 1 and must then have ``2 ** status_size`` items.
    """
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise UsageError("statusListIndex must be a non-negative integer")
    entry: dict[str, Any] = {
        "id": entry_id or f"{status_list_credential}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": status_list_credential,
    }
    if status_size != 1:
        entry["statusSize"] = status_size
    if status_size > 1 and status_messages is None:
        raise UsageError("statusMessage is required when statusSize is greater than 1")
    if status_messages is not None:
        if len(status_messages) != 2**status_size:
            raise UsageError(f"statusMessage needs {2**status_size} items for statusSize {status_size}")
        entry["statusMessage"] = [dict(m) for m in status_messages]
    if status_reference is not None:
        entry["statusReference"] = status_reference if isinstance(status_reference, str) else list(status_reference)
    return entry


def bitstring_status_list_credential(
    *,
    url: str,
    issuer: str | Mapping[str, Any],
    purpose: str | Sequence[str],
    status_list: BitstringStatusList,
    valid_from: datetime,
    valid_until: datetime | None = None,
    ttl_ms: int | None = None,
    subject_id: str | None = None,
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` published at ``url`` (sign it with the issuer's key).

    ``ttl_ms`` is the spec's ``ttl`` in milliseconds (verifiers assume 300,000 without it); align
    the HTTP ``Cache-Control`` of the published file with it.
    """
    if status_list.entries < MIN_ENTRIES:
        raise UsageError(f"a published status list needs at least {MIN_ENTRIES} entries")
    subject: dict[str, Any] = {
        "id": subject_id or f"{url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose if isinstance(purpose, str) else list(purpose),
        "encodedList": status_list.encode(),
    }
    if ttl_ms is not None:
        if not isinstance(ttl_ms, int) or ttl_ms <= 0:
            raise UsageError("ttl must be a positive number of milliseconds")
        subject["ttl"] = ttl_ms
    credential: dict[str, Any] = {
        "@context": [BSL_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": dict(issuer) if isinstance(issuer, Mapping) else issuer,
        "validFrom": _xml_datetime(valid_from),
        "credentialSubject": subject,
    }
    if valid_until is not None:
        if valid_until <= valid_from:
            raise UsageError("validUntil must be later than validFrom")
        credential["validUntil"] = _xml_datetime(valid_until)
    return credential


def _xml_datetime(value: datetime) -> str:
    if value.tzinfo is None:
        raise UsageError("datetimes must be timezone-aware (UTC)")
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
