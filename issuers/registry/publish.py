"""From registry rows to what is issued and published: status entries, list credentials, list tokens.

Issuing: ``credential_status_entries(registration)`` gives the ``BitstringStatusListEntry`` objects
for ``credentialStatus``; ``token_status_claim(registration)`` the ``status`` claim of an SD-JWT VC.

Publishing: ``publish_lists`` snapshots every list, builds the unsigned
``BitstringStatusListCredential`` (W3C) or Status List Token payload (IETF), has the caller's
signer sign it, and writes static files named as in their URLs (``3.json``, ``4.jwt``) that an
institution can put on any web server or CDN under ``base_url``. Serve them with a
``Cache-Control: max-age`` no longer than ``ttl``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from vc.atomic_file import write_atomic
from vc.errors import UsageError
from vc.status import (
    BitstringStatusList,
    TokenStatusList,
    bitstring_status_entry,
    bitstring_status_list_credential,
    status_list_claim,
    status_list_token_payload,
)

from .model import ListSnapshot, Registration
from .registry import DEFAULT_PURPOSES, StatusRegistry

__all__ = [
    "PublishedFile",
    "credential_status_entries",
    "list_credential",
    "list_token_payload",
    "publish_lists",
    "purposes_for_format",
    "token_status_claim",
]

DEFAULT_VALID_FOR = timedelta(days=1)  # a signed list older than this cannot be replayed as current
DEFAULT_TTL = timedelta(minutes=5)  # the Bitstring Status List default (300,000 ms)

# SD-JWT VCs reference an IETF Token Status List; every other format W3C Bitstring Status Lists
_FORMAT_PURPOSES: Mapping[str, tuple[str, ...]] = {
    "dc+sd-jwt": ("token",),
    "vc+sd-jwt": ("token",),
    "sd-jwt": ("token",),
}
_MEDIA_TYPES = {"revocation": "application/vc+ld+json", "suspension": "application/vc+ld+json",
                "token": "application/statuslist+jwt"}


def purposes_for_format(credential_format: str) -> tuple[str, ...]:
    """The list purposes to register for a credential format (``token`` for SD-JWT VCs)."""
    return _FORMAT_PURPOSES.get(credential_format, DEFAULT_PURPOSES)


def credential_status_entries(registration: Registration) -> list[dict[str, Any]]:
    """The ``BitstringStatusListEntry`` objects (revocation, suspension) for ``credentialStatus``."""
    return [
        bitstring_status_entry(status_list_credential=e.list_url, index=e.index, purpose=e.purpose)
        for e in registration.entries
        if e.purpose in ("revocation", "suspension")
    ]


def token_status_claim(registration: Registration) -> dict[str, Any] | None:
    """The ``status`` claim (``{"status_list": {"idx", "uri"}}``) of an SD-JWT VC, or None."""
    entry = registration.entry("token")
    return status_list_claim(index=entry.index, uri=entry.list_url) if entry else None


def list_credential(
    snapshot: ListSnapshot,
    *,
    issuer: str | Mapping[str, Any],
    now: datetime | None = None,
    valid_for: timedelta | None = DEFAULT_VALID_FOR,
    ttl: timedelta = DEFAULT_TTL,
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` of a revocation or suspension list snapshot."""
    info = snapshot.info
    if info.purpose not in ("revocation", "suspension"):
        raise UsageError(f"list {info.list_id} is a {info.purpose} list; use list_token_payload")
    now = (now or snapshot.taken_at).astimezone(timezone.utc).replace(microsecond=0)
    return bitstring_status_list_credential(
        url=info.url,
        issuer=issuer,
        purpose=info.purpose,
        status_list=BitstringStatusList.from_statuses(snapshot.values, entries=info.size),
        valid_from=now,
        valid_until=now + valid_for if valid_for else None,
        ttl_ms=int(ttl.total_seconds() * 1000),
    )


def list_token_payload(
    snapshot: ListSnapshot,
    *,
    issuer: str | None,
    now: datetime | None = None,
    valid_for: timedelta | None = DEFAULT_VALID_FOR,
    ttl: timedelta = DEFAULT_TTL,
) -> dict[str, Any]:
    """The unsigned Status List Token claims of a token list snapshot (2 bits per entry)."""
    info = snapshot.info
    if info.purpose != "token":
        raise UsageError(f"list {info.list_id} is a {info.purpose} list; use list_credential")
    now = (now or snapshot.taken_at).astimezone(timezone.utc).replace(microsecond=0)
    return status_list_token_payload(
        uri=info.url,
        status_list=TokenStatusList.from_statuses(snapshot.values, entries=info.size, bits=2),
        issued_at=now,
        issuer=issuer,
        expires_at=now + valid_for if valid_for else None,
        ttl=int(ttl.total_seconds()),
    )


@dataclass(frozen=True, slots=True)
class PublishedFile:
    """A written status list file and the URL it must be served at."""

    path: Path
    url: str
    list_id: int
    purpose: str
    media_type: str


def publish_lists(
    registry: StatusRegistry,
    *,
    out_dir: str | os.PathLike[str],
    issuer: str | Mapping[str, Any],
    sign_credential: Callable[[dict[str, Any]], dict[str, Any]],
    sign_token: Callable[[dict[str, Any]], str] | None = None,
    now: datetime | None = None,
    valid_for: timedelta | None = DEFAULT_VALID_FOR,
    ttl: timedelta = DEFAULT_TTL,
) -> list[PublishedFile]:
    """Write every list as a signed static file in ``out_dir``; returns what was written.

    ``sign_credential`` secures a list credential (e.g. ``vc.credentials.issue_credential`` with
    the issuer key); ``sign_token`` turns token claims into a compact JWS (e.g.
    ``vc.status.sign_status_list_token``); token lists without ``sign_token`` are a UsageError.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    written: list[PublishedFile] = []
    issuer_id = issuer if isinstance(issuer, str) else str(issuer.get("id"))
    for info in registry.lists():
        snapshot = registry.snapshot(info.list_id, now=now)
        if info.purpose == "token":
            if sign_token is None:
                raise UsageError("the registry has Token Status Lists; pass sign_token to publish them")
            payload = list_token_payload(snapshot, issuer=issuer_id, now=now, valid_for=valid_for, ttl=ttl)
            content = sign_token(payload).encode("ascii")
        else:
            signed = sign_credential(list_credential(snapshot, issuer=issuer, now=now, valid_for=valid_for, ttl=ttl))
            content = json.dumps(signed, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        path = out / _file_name(info.url)
        write_atomic(path, content, mode=0o644)  # a web server must never serve a half-written list
        written.append(PublishedFile(path, info.url, info.list_id, info.purpose, _MEDIA_TYPES[info.purpose]))
    return written


def _file_name(url: str) -> str:
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    if not name or name in (".", ".."):
        raise UsageError(f"cannot derive a file name from the list URL {url}")
    return name
