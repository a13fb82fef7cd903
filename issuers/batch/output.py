"""Where batch credentials go, written so that a reader never sees half a credential and a re-run can
tell which credentials are already out.

- ``DirectoryOutput``: one file per credential, named by its id (``urn:uuid:X`` -> ``X.json`` /
  ``X.jwt`` / ``X.sd-jwt``), each written to a temporary file and renamed.
- ``JsonlOutput``: one JSON line per credential (``id``, ``format``, ``line``, ``record_key``,
  ``credential``). Lines are appended to a hidden ``.NAME.partial`` file (fsync per chunk) that is
  renamed to ``NAME`` when the run completes; an interrupted run leaves the partial file, and the next
  run drops its cut-off last line and continues it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["BatchOutput", "DirectoryOutput", "JsonlOutput", "OutputItem", "credential_file_name"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_TMP_PREFIX = ".jitsuin-"


@dataclass(frozen=True, slots=True)
class OutputItem:
    """One signed credential ready to write (``text`` is the file content for directory output)."""

    credential_id: str
    format: str
    suffix: str
    line: int
    record_key: str
    credential: dict[str, Any] | str


def credential_file_name(credential_id: str, suffix: str) -> str:
    """The file name for a credential id: ``urn:uuid:`` dropped, other unsafe characters as ``_``."""
    return _UNSAFE.sub("_", credential_id.removeprefix("urn:uuid:")) + suffix


class BatchOutput(ABC):
    """A destination that knows which credential ids it already holds."""

    @abstractmethod
    def holds(self, credential_id: str, suffix: str) -> bool:
        """True when the credential was written by an earlier (maybe interrupted) run."""

    @abstractmethod
    def write(self, items: Sequence[OutputItem]) -> None:
        """Write a chunk of credentials; each is complete on disk when this returns."""

    @abstractmethod
    def finish(self) -> None:
        """Complete the output (after the last chunk of a run that was not interrupted)."""

    def close(self) -> None:  # noqa: B027 - optional hook: only outputs holding files override it
        """Release files without completing (an interrupted run)."""

    @property
    @abstractmethod
    def location(self) -> Path: ...


class DirectoryOutput(BatchOutput):
    """One file per credential in ``directory``."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        for leftover in self.directory.glob(_TMP_PREFIX + "*"):  # a killed run's half-written file
            leftover.unlink(missing_ok=True)
        self._names = set(os.listdir(self.directory))

    @property
    def location(self) -> Path:
        return self.directory

    def holds(self, credential_id: str, suffix: str) -> bool:
        return credential_file_name(credential_id, suffix) in self._names

    def write(self, items: Sequence[OutputItem]) -> None:
        for item in items:
            name = credential_file_name(item.credential_id, item.suffix)
            text = item.credential + "\n" if isinstance(item.credential, str) else \
                json.dumps(item.credential, ensure_ascii=False, indent=2) + "\n"
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=_TMP_PREFIX, suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.chmod(tmp, 0o600)  # credentials hold personal data
                os.replace(tmp, self.directory / name)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            self._names.add(name)

    def finish(self) -> None:
        fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(fd)  # the renames themselves survive a power loss too
        finally:
            os.close(fd)


class JsonlOutput(BatchOutput):
    """JSON Lines in ``path``, built in a hidden partial file and renamed at the end."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.partial = self.path.with_name(f".{self.path.name}.partial")
        if not self.partial.exists() and self.path.exists():
            shutil.copyfile(self.path, self.partial)  # new rows append to a completed earlier run
        self._ids: set[str] = set()
        if self.partial.exists():
            self._recover()
        # credentials hold personal data: readable by the institution's account only
        fd = os.open(self.partial, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self._handle = os.fdopen(fd, "a", encoding="utf-8")

    @property
    def location(self) -> Path:
        return self.path

    def _recover(self) -> None:
        data = self.partial.read_bytes()
        end = data.rfind(b"\n") + 1
        if end < len(data):  # the line a killed run was writing: drop it
            with self.partial.open("r+b") as handle:
                handle.truncate(end)
        for raw in data[:end].splitlines():
            try:
                entry = json.loads(raw)
            except ValueError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                self._ids.add(entry["id"])

    def holds(self, credential_id: str, suffix: str) -> bool:
        return credential_id in self._ids

    def write(self, items: Sequence[OutputItem]) -> None:
        lines = "".join(
            json.dumps({"id": i.credential_id, "format": i.format, "line": i.line, "record_key": i.record_key,
                        "credential": i.credential}, ensure_ascii=False, separators=(",", ":")) + "\n"
            for i in items)
        self._handle.write(lines)
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._ids.update(i.credential_id for i in items)

    def finish(self) -> None:
        self._handle.close()
        os.replace(self.partial, self.path)

    def close(self) -> None:
        if not self._handle.closed:
            self._handle.close()
