"""IETF OAuth Token Status List (draft-ietf-oauth-status-list): the list, the ``status`` claim and the token.

Bit order (draft section 4.1): a status of ``bits`` (1, 2, 4 or 8) bits at index ``i`` sits in byte
``i * bits // 8`` starting at bit ``i * bits % 8`` counted from the LEAST significant bit, the
opposite of the W3C Bitstring Status List. ``lst`` = base64url(ZLIB(bytes)), no padding.
Status values (section 7.1): 0x00 VALID, 0x01 INVALID (final), 0x02 SUSPENDED (reversible).

A Referenced Token (an SD-JWT VC) carries ``"status": {"status_list": {"idx": 0, "uri": "..."}}``;
the Status List Token is a JWT with header ``typ: statuslist+jwt`` and claims ``sub`` (= ``uri``),
``iat``, optional ``exp`` and ``ttl`` (seconds), and ``status_list: {"bits", "lst"}``.

>>> lst = TokenStatusList.from_statuses({0: INVALID, 1: SUSPENDED}, entries=16, bits=2)
>>> TokenStatusList.from_claim(lst.to_claim()).status(1)
2
"""

from __future__ import annotations

import zlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from vc.encoding.base64url import b64url_decode, b64url_encode
from vc.errors import IssuerMismatchError, MalformedError, StatusError, UsageError

from ._inflate import ZLIB, inflate_bounded
from .bitstring import MAX_DECODED_BYTES

__all__ = [
    "ALLOWED_BITS",
    "INVALID",
    "STATUS_LIST_TOKEN_MEDIA_TYPE",
    "STATUS_LIST_TOKEN_TYP",
    "SUSPENDED",
    "TokenStatusList",
    "VALID",
    "read_status_list_token",
    "referenced_token_status",
    "sign_status_list_token",
    "status_list_claim",
    "status_list_token_header",
    "status_list_token_payload",
    "verify_status_list_token",
]

VALID, INVALID, SUSPENDED = 0x00, 0x01, 0x02
ALLOWED_BITS = (1, 2, 4, 8)
STATUS_LIST_TOKEN_TYP = "statuslist+jwt"
STATUS_LIST_TOKEN_MEDIA_TYPE = "application/statuslist+jwt"


@dataclass(frozen=True, slots=True)
class TokenStatusList:
    """A decoded Status List: ``bits`` bits per Referenced Token, least significant bit first."""

    data: bytes
    bits: int = 1

    def __post_init__(self) -> None:
        if self.bits not in ALLOWED_BITS:
            raise UsageError(f"bits must be one of {ALLOWED_BITS}, got {self.bits!r}")

    @property
    def entries(self) -> int:
        """How many statuses the byte array holds."""
        return len(self.data) * 8 // self.bits

    @classmethod
    def empty(cls, entries: int, *, bits: int = 1) -> TokenStatusList:
        """An all-VALID list of ``entries`` statuses (rounded up to whole bytes)."""
        if entries < 1:
            raise UsageError("a status list needs at least one entry")
        return cls(bytes(-(-entries * bits // 8)), bits)

    @classmethod
    def from_statuses(
        cls, statuses: Mapping[int, int] | Iterable[int], *, entries: int, bits: int = 1
    ) -> TokenStatusList:
        """A list with ``{index: value}`` set (an iterable of indexes sets INVALID)."""
        items = statuses.items() if isinstance(statuses, Mapping) else ((i, INVALID) for i in statuses)
        return cls.empty(entries, bits=bits).with_statuses(dict(items))

    @classmethod
    def decode(cls, lst: str, *, bits: int, max_bytes: int = MAX_DECODED_BYTES) -> TokenStatusList:
        """Decode ``lst``; ``StatusError`` ``STATUS_LIST_MALFORMED`` / ``STATUS_LIST_TOO_LARGE``."""
        if bits not in ALLOWED_BITS:
            raise StatusError(f"status_list.bits must be one of {ALLOWED_BITS}", code="STATUS_LIST_MALFORMED")
        if not isinstance(lst, str):
            raise StatusError("status_list.lst must be a string", code="STATUS_LIST_MALFORMED")
        try:
            compressed = b64url_decode(lst)
        except MalformedError as exc:
            raise StatusError(f"status_list.lst is not base64url: {exc.message}",
                              code="STATUS_LIST_MALFORMED") from None
        return cls(inflate_bounded(compressed, wbits=ZLIB, max_output=max_bytes, what="status_list.lst"), bits)

    @classmethod
    def from_claim(cls, claim: Any, *, max_bytes: int = MAX_DECODED_BYTES) -> TokenStatusList:
        """Decode the ``status_list`` claim object ``{"bits": ..., "lst": ...}``."""
        if not isinstance(claim, Mapping) or "bits" not in claim or "lst" not in claim:
            raise StatusError("status_list must be an object with 'bits' and 'lst'", code="STATUS_LIST_MALFORMED")
        bits = claim["bits"]
        if isinstance(bits, bool) or not isinstance(bits, int):
            raise StatusError("status_list.bits must be an integer", code="STATUS_LIST_MALFORMED")
        return cls.decode(claim["lst"], bits=bits, max_bytes=max_bytes)

    def status(self, index: int) -> int:
        """The status at ``index``; ``StatusError`` ``STATUS_INDEX_OUT_OF_RANGE`` past the end."""
        bits = self.bits
        pos = index * bits
        if index < 0 or pos + bits > len(self.data) * 8:
            raise StatusError(
                f"status list index {index} is outside the list of {self.entries} entries",
                code="STATUS_INDEX_OUT_OF_RANGE",
                index=index,
                entries=self.entries,
            )
        return (self.data[pos >> 3] >> (pos & 7)) & ((1 << bits) - 1)

    def with_statuses(self, statuses: Mapping[int, int]) -> TokenStatusList:
        """A copy with each ``{index: value}`` written."""
        bits = self.bits
        top = (1 << bits) - 1
        buf = bytearray(self.data)
        for index, value in statuses.items():
            if not 0 <= value <= top:
                raise UsageError(f"status value {value} does not fit in {bits} bit(s)")
            pos = index * bits
            if index < 0 or pos + bits > len(buf) * 8:
                raise UsageError(f"index {index} is outside the list of {self.entries} entries")
            shift = pos & 7
            buf[pos >> 3] = (buf[pos >> 3] & ~(top << shift) & 0xFF) | (value << shift)
        return TokenStatusList(bytes(buf), bits)

    def encode(self) -> str:
        """The ``lst`` value: base64url(ZLIB at the highest level, as the draft recommends)."""
        return b64url_encode(zlib.compress(self.data, 9))

    def to_claim(self) -> dict[str, Any]:
        """The ``status_list`` claim object."""
        return {"bits": self.bits, "lst": self.encode()}


def status_list_claim(*, index: int, uri: str) -> dict[str, Any]:
    """The ``status`` claim of a Referenced Token: ``{"status_list": {"idx": index, "uri": uri}}``."""
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise UsageError("idx must be a non-negative integer")
    return {"status_list": {"idx": index, "uri": uri}}


def referenced_token_status(payload: Mapping[str, Any]) -> tuple[int, str] | None:
    """``(idx, uri)`` from a Referenced Token's ``status.status_list``; None without one.

    ``StatusError`` ``STATUS_ENTRY_MALFORMED`` when the claim is there but broken.
    """
    status = payload.get("status")
    if status is None:
        return None
    if not isinstance(status, Mapping):
        raise StatusError("the 'status' claim must be an object", code="STATUS_ENTRY_MALFORMED")
    ref = status.get("status_list")
    if ref is None:
        return None
    if not isinstance(ref, Mapping):
        raise StatusError("'status.status_list' must be an object", code="STATUS_ENTRY_MALFORMED")
    idx, uri = ref.get("idx"), ref.get("uri")
    if isinstance(idx, bool) or not isinstance(idx, int) or idx < 0:
        raise StatusError("'status.status_list.idx' must be a non-negative integer", code="STATUS_ENTRY_MALFORMED")
    if not isinstance(uri, str) or not uri:
        raise StatusError("'status.status_list.uri' must be a URI string", code="STATUS_ENTRY_MALFORMED")
    return idx, uri


def status_list_token_header(*, alg: str, kid: str | None = None) -> dict[str, Any]:
    """The protected header: ``typ: statuslist+jwt``, ``alg`` and optionally ``kid``."""
    header: dict[str, Any] = {"alg": alg, "typ": STATUS_LIST_TOKEN_TYP}
    if kid is not None:
        header["kid"] = kid
    return header


def status_list_token_payload(
    *,
    uri: str,
    status_list: TokenStatusList,
    issued_at: datetime,
    issuer: str | None = None,
    expires_at: datetime | None = None,
    ttl: int | None = None,
) -> dict[str, Any]:
    """The unsigned Status List Token claims: ``sub`` = ``uri``, ``iat``, ``exp``, ``ttl`` (seconds)."""
    payload: dict[str, Any] = {"sub": uri, "iat": _epoch(issued_at)}
    if issuer is not None:
        payload["iss"] = issuer
    if expires_at is not None:
        if expires_at <= issued_at:
            raise UsageError("exp must be later than iat")
        payload["exp"] = _epoch(expires_at)
    if ttl is not None:
        if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl <= 0:
            raise UsageError("ttl must be a positive number of seconds")
        payload["ttl"] = ttl
    payload["status_list"] = status_list.to_claim()
    return payload


def sign_status_list_token(payload: Mapping[str, Any], key: Any, *, kid: str | None = None) -> str:
    """A compact JWS over ``payload`` with ``typ: statuslist+jwt``, signed by ``key`` (a ``KeyPair``).

    ``kid`` should name the key so verifiers can find it (for a DID issuer, the verification
    method's DID URL, e.g. ``did:web:city.example#key-1``).
    """
    from vc.jose.jws import algorithm_for_key, sign_compact  # JOSE owns signing; late keeps vc.status light

    alg = algorithm_for_key(key).name
    return sign_compact(dict(payload), key, header=status_list_token_header(alg=alg, kid=kid))


def verify_status_list_token(
    token: str, *, key_lookup: Any, algs: Collection[str] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Verify a Status List Token's JWS; ``(header, payload)`` or a ``JoseError``/``VcError``.

    ``key_lookup`` is a ``vc.jose`` ``KeyLookup`` (e.g. ``DidKeyLookup(resolver)``); MAC and
    ``none`` algorithms are refused by ``vc.jose``; a key not controlled by ``iss`` is
    ``ISSUER_MISMATCH``. Claims are checked afterwards by ``read_status_list_token``.
    """
    from vc.jose import DEFAULT_ALGS, check_header, parse_compact
    from vc.jose.jws import verify_signature

    jws = parse_compact(token)
    alg = check_header(jws.header, algs=algs or DEFAULT_ALGS, typ=(STATUS_LIST_TOKEN_TYP,))
    payload = jws.payload_json(what="Status List Token payload")
    found = key_lookup(jws.header, payload, purpose="assertionMethod")
    verify_signature(jws, found.key, alg)
    iss = payload.get("iss")
    if iss is not None and found.controller is not None and found.controller.split("#", 1)[0] != iss:
        raise IssuerMismatchError("the Status List Token's signing key is not controlled by its 'iss'")
    return jws.header, payload


def read_status_list_token(
    header: Mapping[str, Any],
    payload: Mapping[str, Any],
    *,
    uri: str,
    now: datetime,
    issuer: str | None = None,
    max_bytes: int = MAX_DECODED_BYTES,
) -> TokenStatusList:
    """Check a signature-verified Status List Token's header and claims; return its list.

    ``StatusError`` ``STATUS_LIST_INVALID`` for a wrong ``typ``, ``sub`` other than ``uri``, an
    ``iss`` other than ``issuer`` (when given), a missing ``iat``, an ``exp`` in the past or a bad
    ``ttl``; list codes as in ``TokenStatusList.decode``.
    """
    if header.get("typ") != STATUS_LIST_TOKEN_TYP:
        raise StatusError(f"the Status List Token's typ must be {STATUS_LIST_TOKEN_TYP!r}", code="STATUS_LIST_INVALID")
    if payload.get("sub") != uri:
        raise StatusError("the Status List Token's 'sub' is not the 'uri' the credential references",
                          code="STATUS_LIST_INVALID")
    if issuer is not None and payload.get("iss") != issuer:
        raise StatusError("the Status List Token's 'iss' is not the credential's issuer", code="STATUS_LIST_INVALID")
    iat = payload.get("iat")
    if isinstance(iat, bool) or not isinstance(iat, (int, float)):
        raise StatusError("the Status List Token has no numeric 'iat'", code="STATUS_LIST_INVALID")
    exp = payload.get("exp")
    if exp is not None:
        if isinstance(exp, bool) or not isinstance(exp, (int, float)):
            raise StatusError("the Status List Token's 'exp' is not a number", code="STATUS_LIST_INVALID")
        if exp <= now.timestamp():
            raise StatusError("the Status List Token has expired ('exp'); fetch a fresh one",
                              code="STATUS_LIST_EXPIRED")
    ttl = payload.get("ttl")
    if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or ttl <= 0):
        raise StatusError("the Status List Token's 'ttl' must be a positive number", code="STATUS_LIST_INVALID")
    return TokenStatusList.from_claim(payload.get("status_list"), max_bytes=max_bytes)


def _epoch(value: datetime) -> int:
    if value.tzinfo is None:
        raise UsageError("datetimes must be timezone-aware (UTC)")
    return int(value.astimezone(timezone.utc).timestamp())
