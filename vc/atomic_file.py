"""Files replaced atomically: written to a temporary file beside the target, flushed to disk, then renamed
over it, so a reader (a web server publishing status lists, the next process reading a config or a
cache) sees the old file or the new one, never half of one.

>>> write_atomic(Path(folder) / "list.json", '{"a": 1}', mode=0o644)   # doctest: +SKIP
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], content: bytes | str, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``content`` (text as UTF-8) atomically. ``mode`` sets the permissions;
    without it the file stays private to its owner (0600, as ``tempfile`` creates it)."""
    target = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
