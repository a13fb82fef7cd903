"""Status lists served live from the registry: signed on request, kept for ``ttl``, dropped on a change.

A W3C list (``n.json``) is a ``BitstringStatusListCredential`` signed with the workspace key (the same
issuer as the credentials that point at it); a token list (``n.jwt``) a Status List Token. A status change
made through this process drops its copies at once; other worker processes serve theirs until ``ttl``
passes, which is also what ``Cache-Control: max-age`` and the lists' own ``ttl`` promise verifiers.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from issuers.registry import StatusListInfo, StatusRegistry, list_credential, list_token_payload
from vc.credentials import issue_credential
from vc.jsonld import DocumentLoader
from vc.keys import KeyPair
from vc.status import STATUS_LIST_TOKEN_MEDIA_TYPE, sign_status_list_token

__all__ = ["PublishedList", "StatusPublisher"]

_BITSTRING_MEDIA_TYPE = "application/vc+ld+json"
_SUITE_FOR_KEY = {"Ed25519": "eddsa-rdfc-2022", "P-256": "ecdsa-rdfc-2019"}


@dataclass(frozen=True, slots=True)
class PublishedList:
    """A signed list ready to send: body, media type, and until when this copy may be served."""

    body: bytes
    media_type: str
    expires_at: datetime


class StatusPublisher:
    """Signs the registry's lists for serving; ``path_prefix`` is the URL path they live under (``/status``)."""

    def __init__(
        self,
        registry: StatusRegistry,
        *,
        issuer: str,
        key: KeyPair,
        verification_method: str,
        loader: DocumentLoader,
        ttl: timedelta,
        clock: Callable[[], datetime],
    ) -> None:
        self.registry = registry
        self.issuer = issuer
        self.key = key
        self.verification_method = verification_method
        self.loader = loader
        self.ttl = ttl
        self.clock = clock
        base = registry.base_url or ""
        self.path_prefix = urlsplit(base).path.rstrip("/")
        self._copies: dict[int, PublishedList] = {}
        self._lock = threading.Lock()

    def find(self, name: str) -> StatusListInfo | None:
        """The list published as ``name`` (``3.json``, ``4.jwt``), or None."""
        for info in self.registry.lists():
            if urlsplit(info.url).path.rsplit("/", 1)[-1] == name:
                return info
        return None

    def get(self, info: StatusListInfo) -> PublishedList:
        """The signed list, from the copy held when still fresh."""
        now = self.clock().replace(microsecond=0)
        with self._lock:
            held = self._copies.get(info.list_id)
            if held is not None and held.expires_at > now:
                return held
            published = self._sign(info, now)
            self._copies[info.list_id] = published
            return published

    def invalidate(self) -> None:
        """Drop every held copy (after a status change)."""
        with self._lock:
            self._copies.clear()

    def _sign(self, info: StatusListInfo, now: datetime) -> PublishedList:
        snapshot = self.registry.snapshot(info.list_id, now=now)
        body: bytes
        if info.purpose == "token":
            payload = list_token_payload(snapshot, issuer=self.issuer, now=now, ttl=self.ttl)
            body = sign_status_list_token(payload, self.key, kid=self.verification_method).encode("ascii")
            media_type = STATUS_LIST_TOKEN_MEDIA_TYPE
        else:
            unsigned = list_credential(snapshot, issuer=self.issuer, now=now, ttl=self.ttl)
            signed: dict[str, Any] = issue_credential(
                unsigned, self.key, cryptosuite=_SUITE_FOR_KEY[self.key.alg],
                verification_method=self.verification_method, now=now, loader=self.loader)
            body = json.dumps(signed, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            media_type = _BITSTRING_MEDIA_TYPE
        return PublishedList(body, media_type, now + self.ttl)
