"""Verifier side of credential status: fetch, verify, cache and read a credential's status entries.

Two mechanisms, one ``StatusChecker``:

- W3C Bitstring Status List (``credentialStatus`` of type ``BitstringStatusListEntry``), following
  the spec's validate algorithm: dereference ``statusListCredential``, verify its proof, match the
  ``statusPurpose``, require ``minimumNumberOfEntries`` (131,072), read the entry.
- IETF Token Status List (``status.status_list`` in a JWT / SD-JWT VC payload): fetch the Status
  List Token, verify its JWS, check ``typ``/``sub``/``iat``/``exp``/``ttl``, read ``idx``.

Results, not exceptions: each entry gives a ``StatusResult`` whose ``code`` is ``None`` (fine),
``REVOKED``, ``SUSPENDED``, ``STATUS_UNAVAILABLE`` (the list could not be had; ``reason`` says
why: ``STATUS_HTTP_ERROR``, ``STATUS_NOT_JSON``, ``STATUS_REDIRECT_LOOP``,
``STATUS_RESPONSE_TOO_LARGE``, ``STATUS_FETCH_TIMEOUT``, ``STATUS_OFFLINE_NO_COPY``,
``STATUS_LIST_EXPIRED`` ...), ``STATUS_LIST_INVALID`` (bad proof, wrong issuer, wrong purpose,
malformed or bomb list; ``reason`` again), ``STATUS_INDEX_OUT_OF_RANGE``,
``STATUS_ENTRY_MALFORMED``, ``STATUS_TYPE_UNSUPPORTED``, ``STATUS_PURPOSE_UNSUPPORTED`` or
``STATUS_UNRECOGNIZED`` (a token status value other than VALID/INVALID/SUSPENDED). The policy
decides whether ``STATUS_UNAVAILABLE`` fails verification.

Caching: a verified list is reused until ``ttl`` (W3C: milliseconds, default 300,000; IETF:
seconds), HTTP ``Cache-Control: max-age``, ``validUntil``/``exp`` or ``max_cache_seconds``,
whichever comes first. ``offline=True`` never fetches and answers from the last good copy
(``StatusListCache``), reporting its ``age``.

>>> checker = StatusChecker(resolver=my_resolver)
>>> [r.to_check() for r in checker.check_credential(credential)]
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from vc.errors import StatusError, VcError
from vc.results import CheckResult

from .bitstring import DEFAULT_TTL_MS, MAX_DECODED_BYTES, MIN_ENTRIES, BitstringStatusList, decode_bitstring
from .cache import CachedList, MemoryStatusListCache, StatusListCache
from .fetch import (
    BITSTRING_ACCEPT,
    BITSTRING_MEDIA_TYPES,
    TOKEN_ACCEPT,
    TOKEN_MEDIA_TYPES,
    StatusListFetcher,
)
from .token_status_list import (
    INVALID,
    SUSPENDED,
    VALID,
    TokenStatusList,
    read_status_list_token,
    referenced_token_status,
    verify_status_list_token,
)

__all__ = [
    "ListCredentialVerifier",
    "StatusChecker",
    "StatusResult",
    "TokenVerifier",
]

# (status list credential, the time to verify it at) -> one CheckResult per check; all must pass
ListCredentialVerifier = Callable[[dict[str, Any], datetime], Sequence[CheckResult]]
# compact JWS -> (protected header, payload) once its signature is verified; raises VcError otherwise
TokenVerifier = Callable[[str], tuple[Mapping[str, Any], Mapping[str, Any]]]

_INDEX = re.compile(r"[0-9]{1,15}")
_MAX_STATUS_SIZE = 8
_DEFAULT_TOKEN_TTL = 300  # seconds, when a Status List Token has neither ttl nor max-age
# the code a set (non-zero) status yields per purpose; "message" never fails
_SET_CODES: dict[str, str | None] = {"revocation": "REVOKED", "suspension": "SUSPENDED", "message": None}
_TOKEN_CODES: dict[int, str | None] = {VALID: None, INVALID: "REVOKED", SUSPENDED: "SUSPENDED"}


@dataclass(frozen=True, slots=True)
class StatusResult:
    """The status of one entry: ``code`` None when fine, else a named failure (module docstring)."""

    purpose: str  # "revocation" | "suspension" | "message" | "token"
    list_url: str | None
    index: int | None
    code: str | None
    message: str
    value: int | None = None  # the raw status value read from the list
    reason: str | None = None  # the specific cause behind STATUS_UNAVAILABLE / STATUS_LIST_INVALID
    status_message: str | None = None  # for purpose "message"
    fetched_at: datetime | None = None
    age: timedelta | None = None
    offline: bool = False  # answered from the last good copy without fetching
    stale: bool = False  # that copy is past its ttl / validUntil / exp

    @property
    def passed(self) -> bool:
        return self.code is None

    def to_check(self) -> CheckResult:
        """A ``status`` check for a ``VerificationResult`` (the message names ``reason`` when there is one)."""
        message = f"{self.message} ({self.reason})" if self.reason else self.message
        return CheckResult("status", self.passed, self.code, message)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"purpose": self.purpose, "passed": self.passed, "message": self.message}
        for name in ("list_url", "index", "code", "value", "reason", "status_message"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.fetched_at is not None:
            out["fetched_at"] = self.fetched_at.isoformat()
        if self.age is not None:
            out["age_seconds"] = int(self.age.total_seconds())
        if self.offline:
            out["offline"] = True
        if self.stale:
            out["stale"] = True
        return out


@dataclass(frozen=True, slots=True)
class _VerifiedList:
    kind: str
    url: str
    issuer: str | None
    purposes: frozenset[str]
    bitstring: bytes | None  # W3C lists
    token_list: TokenStatusList | None  # IETF lists
    fetched_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class _Source:
    lst: _VerifiedList
    offline: bool = False
    stale: bool = False
    note: str = ""


class _Problem(Exception):
    """Internal: a list could not be used; becomes a StatusResult."""

    def __init__(self, code: str, reason: str | None, message: str) -> None:
        super().__init__(message)
        self.code, self.reason, self.message = code, reason, message


@dataclass(frozen=True, slots=True)
class _Entry:
    url: str
    index: int
    purpose: str
    status_size: int
    messages: Mapping[int, str] = field(default_factory=dict)


class StatusChecker:
    """Checks status entries against fetched, verified and cached status lists.

    ``verify_list_credential`` verifies a W3C list credential's proofs (default: the proof and
    validity checks of ``vc.credentials.verify_credential`` with ``resolver``/``loader``);
    ``verify_token`` verifies a Status List Token's JWS (default: ``verify_status_list_token``
    with a ``vc.jose.DidKeyLookup`` on ``resolver``, so ``kid`` is a DID URL). Both can be injected.
    ``require_same_issuer`` (default) insists the list's issuer is the credential's.
    """

    def __init__(
        self,
        *,
        fetcher: StatusListFetcher | None = None,
        cache: StatusListCache | None = None,
        verify_list_credential: ListCredentialVerifier | None = None,
        verify_token: TokenVerifier | None = None,
        resolver: Any = None,
        loader: Any = None,
        offline: bool = False,
        stale_if_error: bool = False,
        max_offline_age: timedelta | None = None,
        require_same_issuer: bool = True,
        min_entries: int = MIN_ENTRIES,
        max_decoded_bytes: int = MAX_DECODED_BYTES,
        max_cache_seconds: int = 86_400,
        skew: timedelta = timedelta(minutes=5),
    ) -> None:
        self.fetcher = fetcher or StatusListFetcher()
        self.cache = cache if cache is not None else MemoryStatusListCache()
        self._verify_list_credential = verify_list_credential
        self._verify_token = verify_token
        self.resolver = resolver
        self.loader = loader
        self.offline = offline
        self.stale_if_error = stale_if_error
        self.max_offline_age = max_offline_age
        self.require_same_issuer = require_same_issuer
        self.min_entries = min_entries
        self.max_decoded_bytes = max_decoded_bytes
        self.max_cache_seconds = max_cache_seconds
        self.skew = skew
        self._verified: dict[tuple[str, str], _VerifiedList] = {}
        self._lock = threading.Lock()

    # --- public ---------------------------------------------------------------------------

    def check_credential(
        self, credential: Mapping[str, Any], *, now: datetime | None = None
    ) -> tuple[StatusResult, ...]:
        """One result per ``credentialStatus`` entry of a (proof-verified) VCDM credential; () without one."""
        now = now or datetime.now(timezone.utc)
        status = credential.get("credentialStatus")
        if status is None:
            return ()
        entries = status if isinstance(status, list) else [status]
        issuer = _issuer_id(credential.get("issuer"))
        return tuple(self._check_bitstring_entry(entry, issuer, now) for entry in entries)

    def check_token(self, payload: Mapping[str, Any], *, now: datetime | None = None) -> tuple[StatusResult, ...]:
        """The result for a JWT / SD-JWT VC payload's ``status.status_list``; () without one."""
        now = now or datetime.now(timezone.utc)
        try:
            ref = referenced_token_status(payload)
        except StatusError as exc:
            return (StatusResult("token", None, None, exc.code, exc.message),)
        if ref is None:
            return ()
        index, uri = ref
        issuer = payload.get("iss") if isinstance(payload.get("iss"), str) else None
        try:
            source = self._obtain("token", uri, now)
            lst = source.lst
            if self.require_same_issuer and issuer is not None and lst.issuer != issuer:
                raise _Problem("STATUS_LIST_INVALID", "STATUS_ISSUER_MISMATCH",
                               "the Status List Token's 'iss' is not the credential's issuer")
            assert lst.token_list is not None
            value = lst.token_list.status(index)
        except _Problem as problem:
            return (StatusResult("token", uri, index, problem.code, problem.message, reason=problem.reason),)
        except StatusError as exc:  # index out of range
            return (StatusResult("token", uri, index, exc.code, exc.message),)
        code = _TOKEN_CODES.get(value, "STATUS_UNRECOGNIZED")
        message = {
            None: "the token status is VALID",
            "REVOKED": "the credential is revoked (INVALID); revocation is final",
            "SUSPENDED": "the credential is suspended; the issuer may reinstate it",
        }.get(code, f"the token status value {value:#04x} is not one this verifier knows")
        return (self._result("token", uri, index, code, message, value, source, now),)

    def checks(self, document: Mapping[str, Any], *, now: datetime | None = None) -> list[CheckResult]:
        """``status`` CheckResults for a VCDM credential or a JWT/SD-JWT payload, whichever it is."""
        results = self.check_credential(document, now=now) or self.check_token(document, now=now)
        return [r.to_check() for r in results]

    def clear(self) -> None:
        """Forget the verified lists held in memory (the cache store keeps its copies)."""
        with self._lock:
            self._verified.clear()

    # --- W3C Bitstring Status List --------------------------------------------------------

    def _check_bitstring_entry(self, raw: Any, issuer: str | None, now: datetime) -> StatusResult:
        try:
            entry = _parse_entry(raw)
        except _Problem as problem:
            purpose = raw.get("statusPurpose") if isinstance(raw, Mapping) else None
            return StatusResult(purpose if isinstance(purpose, str) else "unknown", None, None,
                                problem.code, problem.message, reason=problem.reason)
        try:
            source = self._obtain("bitstring", entry.url, now)
            lst = source.lst
            if self.require_same_issuer and lst.issuer != issuer:
                raise _Problem("STATUS_LIST_INVALID", "STATUS_ISSUER_MISMATCH",
                               "the status list credential's issuer is not the credential's issuer")
            if entry.purpose not in lst.purposes:
                raise _Problem("STATUS_LIST_INVALID", "STATUS_PURPOSE_MISMATCH",
                               f"the status list is for {', '.join(sorted(lst.purposes))}, "
                               f"not for the entry's statusPurpose {entry.purpose!r}")
            assert lst.bitstring is not None
            bits = BitstringStatusList(lst.bitstring, entry.status_size)
            if bits.entries < self.min_entries:
                raise _Problem("STATUS_LIST_INVALID", "STATUS_LIST_TOO_SHORT",
                               f"the status list has {bits.entries} entries, fewer than the minimum "
                               f"{self.min_entries} required for herd privacy")
            value = bits.status(entry.index)
        except _Problem as problem:
            return StatusResult(entry.purpose, entry.url, entry.index, problem.code, problem.message,
                                reason=problem.reason)
        except StatusError as exc:  # index out of range
            return StatusResult(entry.purpose, entry.url, entry.index, exc.code, exc.message)
        code = _SET_CODES[entry.purpose] if value else None
        status_message = None
        if entry.purpose == "message":
            status_message = entry.messages.get(value) or ("set" if value else "unset")
            message = f"status message: {status_message}"
        elif code == "REVOKED":
            message = "the credential is revoked; revocation is final"
        elif code == "SUSPENDED":
            message = "the credential is suspended; the issuer may reinstate it"
        else:
            message = f"not {'revoked' if entry.purpose == 'revocation' else 'suspended'}"
        return self._result(entry.purpose, entry.url, entry.index, code, message, value, source, now,
                            status_message=status_message)

    # --- obtaining a verified list ----------------------------------------------------------

    def _obtain(self, kind: str, url: str, now: datetime) -> _Source:
        key = (kind, url)
        held = self._verified.get(key)
        if not self.offline and held is not None and now < held.expires_at:
            return _Source(held)  # the hot path: a fresh verified copy in memory
        if self.offline:
            return self._offline_copy(kind, url, now, held, note="offline mode")
        try:
            fetched = self.fetcher.fetch(
                url,
                accept=BITSTRING_ACCEPT if kind == "bitstring" else TOKEN_ACCEPT,
                media_types=BITSTRING_MEDIA_TYPES if kind == "bitstring" else TOKEN_MEDIA_TYPES,
                now=now,
            )
        except StatusError as exc:
            if self.stale_if_error:
                try:
                    return self._offline_copy(kind, url, now, held, note=f"fetch failed ({exc.code})")
                except _Problem:
                    pass
            raise _Problem("STATUS_UNAVAILABLE", exc.code, f"status list unavailable: {exc.message}") from None
        lst = self._verify(kind, url, fetched.body, fetched.fetched_at, now, max_age=fetched.max_age)
        self.cache.put(CachedList(url, kind, fetched.body, fetched.fetched_at, lst.expires_at))
        with self._lock:
            self._verified[key] = lst
        return _Source(lst)

    def _offline_copy(self, kind: str, url: str, now: datetime, held: _VerifiedList | None, *, note: str) -> _Source:
        lst = held
        if lst is None:
            stored = self.cache.get(url)
            if stored is None or stored.kind != kind:
                raise _Problem("STATUS_UNAVAILABLE", "STATUS_OFFLINE_NO_COPY",
                               f"status list unavailable: {note} and no earlier copy of {url} is kept")
            try:  # verified again as of when it was fetched: a cache file is not trusted blindly
                lst = self._verify(kind, url, stored.body, stored.fetched_at, stored.fetched_at,
                                   expires_at=stored.expires_at)
            except _Problem as problem:
                raise _Problem("STATUS_UNAVAILABLE", "STATUS_OFFLINE_NO_COPY",
                               f"status list unavailable: the kept copy no longer verifies ({problem.message})"
                               ) from None
            with self._lock:
                self._verified[(kind, url)] = lst
        age = now - lst.fetched_at
        if self.max_offline_age is not None and age > self.max_offline_age:
            raise _Problem("STATUS_UNAVAILABLE", "STATUS_OFFLINE_COPY_TOO_OLD",
                           f"status list unavailable: {note} and the kept copy is {_human(age)} old, older "
                           f"than the {_human(self.max_offline_age)} allowed")
        return _Source(lst, offline=True, stale=now >= lst.expires_at, note=note)

    def _verify(
        self,
        kind: str,
        url: str,
        body: bytes,
        fetched_at: datetime,
        verify_at: datetime,
        *,
        max_age: int | None = None,
        expires_at: datetime | None = None,
    ) -> _VerifiedList:
        if kind == "bitstring":
            return self._verify_bitstring(url, body, fetched_at, verify_at, max_age, expires_at)
        return self._verify_token_list(url, body, fetched_at, verify_at, max_age, expires_at)

    def _verify_bitstring(
        self, url: str, body: bytes, fetched_at: datetime, verify_at: datetime,
        max_age: int | None, expires_at: datetime | None,
    ) -> _VerifiedList:
        from vc.input import load_json  # late: keeps `import vc.status` light

        try:
            doc = load_json(body, max_bytes=max(len(body), 1))
        except VcError as exc:
            raise _Problem("STATUS_UNAVAILABLE", "STATUS_NOT_JSON",
                           f"status list unavailable: the response is not JSON ({exc.message})") from None
        subject = _list_subject(doc)
        purposes = subject.get("statusPurpose")
        purposes = [purposes] if isinstance(purposes, str) else purposes
        if not isinstance(purposes, list) or not purposes or not all(isinstance(p, str) for p in purposes):
            raise _Problem("STATUS_LIST_INVALID", "STATUS_LIST_MALFORMED",
                           "the status list credential's credentialSubject.statusPurpose is missing")
        valid_until = self._check_list_validity(doc, verify_at)
        self._check_list_proof(doc, verify_at)
        try:
            bitstring = decode_bitstring(subject.get("encodedList"), max_bytes=self.max_decoded_bytes)
        except StatusError as exc:
            raise _Problem("STATUS_LIST_INVALID", exc.code, f"status list invalid: {exc.message}") from None
        ttl = subject.get("ttl", DEFAULT_TTL_MS)
        if isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or ttl <= 0:
            raise _Problem("STATUS_LIST_INVALID", "STATUS_LIST_MALFORMED",
                           "the status list credential's ttl must be a positive number of milliseconds")
        if expires_at is None:
            expires_at = self._expiry(fetched_at, ttl / 1000, max_age, valid_until)
        return _VerifiedList("bitstring", url, _issuer_id(doc.get("issuer")), frozenset(purposes), bitstring, None,
                             fetched_at, expires_at)

    def _verify_token_list(
        self, url: str, body: bytes, fetched_at: datetime, verify_at: datetime,
        max_age: int | None, expires_at: datetime | None,
    ) -> _VerifiedList:
        try:
            token = body.decode("ascii").strip()
        except UnicodeDecodeError:
            raise _Problem("STATUS_UNAVAILABLE", "STATUS_NOT_JSON",
                           "status list unavailable: the response is not a compact JWT") from None
        if token.count(".") != 2:
            raise _Problem("STATUS_UNAVAILABLE", "STATUS_NOT_JSON",
                           "status list unavailable: the response is not a compact JWT")
        verify = self._verify_token or _default_token_verifier(self.resolver)
        try:
            header, payload = verify(token)
        except VcError as exc:
            raise _Problem("STATUS_LIST_INVALID", exc.code,
                           f"the Status List Token does not verify: {exc.message}") from None
        try:
            token_list = read_status_list_token(header, payload, uri=url, now=verify_at,
                                                max_bytes=self.max_decoded_bytes)
        except StatusError as exc:
            if exc.code == "STATUS_LIST_EXPIRED":
                raise _Problem("STATUS_UNAVAILABLE", exc.code, f"status list unavailable: {exc.message}") from None
            raise _Problem("STATUS_LIST_INVALID", exc.code, f"status list invalid: {exc.message}") from None
        if expires_at is None:
            exp = payload.get("exp")
            cap = datetime.fromtimestamp(exp, timezone.utc) if isinstance(exp, (int, float)) else None
            expires_at = self._expiry(fetched_at, payload.get("ttl", _DEFAULT_TOKEN_TTL), max_age, cap)
        issuer = payload.get("iss") if isinstance(payload.get("iss"), str) else None
        return _VerifiedList("token", url, issuer, frozenset({"token"}), None, token_list, fetched_at, expires_at)

    def _check_list_validity(self, doc: dict[str, Any], at: datetime) -> datetime | None:
        from vc.model import parse_datetime  # late: keeps `import vc.status` light

        try:
            valid_from = parse_datetime(doc["validFrom"]) if "validFrom" in doc else None
            valid_until = parse_datetime(doc["validUntil"]) if "validUntil" in doc else None
        except VcError as exc:
            raise _Problem("STATUS_LIST_INVALID", exc.code, f"status list invalid: {exc.message}") from None
        if valid_from is not None and valid_from > at + self.skew:
            raise _Problem("STATUS_LIST_INVALID", "NOT_YET_VALID", "the status list credential is not valid yet")
        if valid_until is not None and valid_until < at - self.skew:
            raise _Problem("STATUS_UNAVAILABLE", "STATUS_LIST_EXPIRED",
                           "status list unavailable: the published status list credential has expired "
                           "(validUntil); the issuer has not republished it")
        return valid_until

    def _check_list_proof(self, doc: dict[str, Any], at: datetime) -> None:
        verify = self._verify_list_credential or _default_list_verifier(self.resolver, self.loader)
        try:
            checks = list(verify(doc, at))
        except VcError as exc:
            raise _Problem("STATUS_LIST_INVALID", exc.code,
                           f"the status list credential does not verify: {exc.message}") from None
        failed = [c for c in checks if not c.passed]
        if not checks or failed:
            reason = failed[0].code if failed else "PROOF_MISSING"
            detail = failed[0].message if failed else "no checks ran"
            raise _Problem("STATUS_LIST_INVALID", reason, f"the status list credential does not verify: {detail}")

    def _expiry(self, fetched_at: datetime, ttl_seconds: float, max_age: int | None, cap: datetime | None) -> datetime:
        seconds = min(float(ttl_seconds), float(self.max_cache_seconds))
        if max_age is not None:
            seconds = min(seconds, float(max_age))
        expires = fetched_at + timedelta(seconds=seconds)
        return min(expires, cap) if cap is not None else expires

    def _result(
        self, purpose: str, url: str, index: int, code: str | None, message: str, value: int,
        source: _Source, now: datetime, *, status_message: str | None = None,
    ) -> StatusResult:
        lst = source.lst
        age = now - lst.fetched_at
        if source.offline:
            message += f" (from a copy fetched {_human(age)} ago; {source.note}{', stale' if source.stale else ''})"
        return StatusResult(purpose, url, index, code, message, value=value, status_message=status_message,
                            fetched_at=lst.fetched_at, age=age, offline=source.offline, stale=source.stale)


# --- helpers ------------------------------------------------------------------------------


def _parse_entry(raw: Any) -> _Entry:
    if not isinstance(raw, Mapping):
        raise _Problem("STATUS_ENTRY_MALFORMED", None, "a credentialStatus entry must be an object")
    kind = raw.get("type")
    if kind != "BitstringStatusListEntry":
        raise _Problem("STATUS_TYPE_UNSUPPORTED", None,
                       f"credentialStatus type {kind!r} is not supported; this verifier reads BitstringStatusListEntry")
    purpose = raw.get("statusPurpose")
    if not isinstance(purpose, str) or not purpose:
        raise _Problem("STATUS_ENTRY_MALFORMED", None, "credentialStatus.statusPurpose must be a string")
    if purpose not in _SET_CODES:
        raise _Problem("STATUS_PURPOSE_UNSUPPORTED", None,
                       f"statusPurpose {purpose!r} is not supported (revocation, suspension, message)")
    index = raw.get("statusListIndex")
    if not isinstance(index, str) or not _INDEX.fullmatch(index):
        raise _Problem("STATUS_ENTRY_MALFORMED", None,
                       "credentialStatus.statusListIndex must be a base-10 integer written as a string")
    url = raw.get("statusListCredential")
    if not isinstance(url, str) or not url:
        raise _Problem("STATUS_ENTRY_MALFORMED", None, "credentialStatus.statusListCredential must be a URL")
    size = raw.get("statusSize", 1)
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise _Problem("STATUS_ENTRY_MALFORMED", None, "credentialStatus.statusSize must be a positive integer")
    if size > _MAX_STATUS_SIZE:
        raise _Problem("STATUS_TYPE_UNSUPPORTED", None, f"statusSize above {_MAX_STATUS_SIZE} is not supported")
    messages = _parse_messages(raw.get("statusMessage"), size)
    return _Entry(url.split("#", 1)[0], int(index), purpose, size, messages)


def _parse_messages(raw: Any, size: int) -> dict[int, str]:
    if raw is None:
        if size > 1:
            raise _Problem("STATUS_ENTRY_MALFORMED", None,
                           "credentialStatus.statusMessage is required when statusSize > 1")
        return {}
    if not isinstance(raw, list) or len(raw) != 2**size:
        raise _Problem("STATUS_ENTRY_MALFORMED", None,
                       f"credentialStatus.statusMessage must list {2**size} messages for statusSize {size}")
    out: dict[int, str] = {}
    for item in raw:
        status = item.get("status") if isinstance(item, Mapping) else None
        message = item.get("message") if isinstance(item, Mapping) else None
        if not isinstance(status, str) or not re.fullmatch(r"0x[0-9a-fA-F]+", status) or not isinstance(message, str):
            raise _Problem("STATUS_ENTRY_MALFORMED", None,
                           "each statusMessage item needs 'status' (hex such as \"0x1\") and 'message'")
        out[int(status, 16)] = message
    return out


def _list_subject(doc: Any) -> Mapping[str, Any]:
    if not isinstance(doc, Mapping):
        raise _Problem("STATUS_UNAVAILABLE", "STATUS_NOT_JSON",
                       "status list unavailable: the response is not a JSON object")
    types = doc.get("type")
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or "BitstringStatusListCredential" not in types:
        raise _Problem("STATUS_LIST_INVALID", "STATUS_LIST_WRONG_TYPE",
                       "the statusListCredential URL does not give a BitstringStatusListCredential")
    subject = doc.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    if not isinstance(subject, Mapping) or subject.get("type") != "BitstringStatusList":
        raise _Problem("STATUS_LIST_INVALID", "STATUS_LIST_WRONG_TYPE",
                       "the status list credential's credentialSubject must have type BitstringStatusList")
    return subject


def _issuer_id(issuer: Any) -> str | None:
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, Mapping) and isinstance(issuer.get("id"), str):
        return issuer["id"]
    return None


def _human(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86_400), ("h", 3_600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


def _default_list_verifier(resolver: Any, loader: Any) -> ListCredentialVerifier:
    from vc.credentials import verify_credential  # late: vc.credentials may itself use this module

    def verify(doc: dict[str, Any], at: datetime) -> Sequence[CheckResult]:
        return verify_credential(doc, resolver=resolver, loader=loader, now=at).checks

    return verify


def _default_token_verifier(resolver: Any) -> TokenVerifier:
    from vc.did import default_resolver
    from vc.jose import DidKeyLookup

    lookup = DidKeyLookup(resolver or default_resolver())
    return lambda token: verify_status_list_token(token, key_lookup=lookup)
