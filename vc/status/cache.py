"""Where a verifier keeps the last good copy of each status list (raw bytes, verified again on load).

``MemoryStatusListCache`` lives as long as the process; ``FileStatusListCache`` survives restarts,
so an offline verifier can still answer from yesterday's list and say how old it is. Only bodies
whose proof verified are stored; a file copy is re-verified when loaded, so a tampered cache
file is never trusted.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from vc.atomic_file import write_atomic

__all__ = ["CachedList", "FileStatusListCache", "MemoryStatusListCache", "StatusListCache"]


@dataclass(frozen=True, slots=True)
class CachedList:
    """A verified status list body and when it was fetched / stops being fresh."""

    url: str
    kind: str  # "bitstring" | "token"
    body: bytes
    fetched_at: datetime
    expires_at: datetime


class StatusListCache(Protocol):
    """Storage for last good copies, keyed by URL."""

    def get(self, url: str) -> CachedList | None: ...

    def put(self, entry: CachedList) -> None: ...


class MemoryStatusListCache:
    """In-process copies, the oldest dropped past ``max_entries``."""

    def __init__(self, *, max_entries: int = 1024) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, CachedList] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str) -> CachedList | None:
        with self._lock:
            return self._entries.get(url)

    def put(self, entry: CachedList) -> None:
        with self._lock:
            self._entries[entry.url] = entry
            self._entries.move_to_end(entry.url)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


class FileStatusListCache:
    """One JSON file per URL in ``directory`` (written atomically: temp file, fsync, rename)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def _path(self, url: str) -> Path:
        return self.directory / (hashlib.sha256(url.encode("utf-8")).hexdigest() + ".json")

    def get(self, url: str) -> CachedList | None:
        try:
            record = json.loads(self._path(url).read_text(encoding="utf-8"))
            if record.get("url") != url:
                return None
            return CachedList(
                url=url,
                kind=record["kind"],
                body=base64.b64decode(record["body"], validate=True),
                fetched_at=datetime.fromisoformat(record["fetched_at"]),
                expires_at=datetime.fromisoformat(record["expires_at"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # no copy, or an unreadable one: both mean "no last good copy"

    def put(self, entry: CachedList) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        record = {
            "url": entry.url,
            "kind": entry.kind,
            "fetched_at": entry.fetched_at.isoformat(),
            "expires_at": entry.expires_at.isoformat(),
            "body": base64.b64encode(entry.body).decode("ascii"),
        }
        write_atomic(self._path(entry.url), json.dumps(record))
