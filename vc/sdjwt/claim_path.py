"""Claim paths: which claims are selectively disclosable, and which ones a holder discloses.

A path is a tuple of components as in SD-JWT VC (draft 18, section 5.6.1) and DCQL: a string
selects an object member, a non-negative integer an array element, ``None`` every element of an
array. The string form (used by the CLI, the certificate catalog and the VC-JOSE-COSE test
suite) writes members with dots and array positions in brackets::

    "credentialSubject.address.locality"   -> ("credentialSubject", "address", "locality")
    "nationalities[0]"                      -> ("nationalities", 0)
    "degrees[*].type" or "degrees[].type"   -> ("degrees", None, "type")

A member name containing ``.``, ``[`` or ``]`` needs the tuple form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Union

from vc.errors import UsageError

__all__ = ["ClaimPath", "PathLike", "format_path", "parse_path", "parse_paths"]

ClaimPath = tuple[Union[str, int, None], ...]
PathLike = Union[str, ClaimPath, list]

_SEGMENT = re.compile(r"([^.\[\]]+)((?:\[(?:\d+|\*|)\])*)")
_INDEX = re.compile(r"\[(\d+|\*|)\]")


def parse_path(path: PathLike) -> ClaimPath:
    """A claim path from its string or tuple/list form; UsageError when it is not one."""
    if isinstance(path, (tuple, list)):
        if not path:
            raise UsageError("a claim path must not be empty")
        for part in path:
            if isinstance(part, bool) or not (part is None or isinstance(part, (str, int))):
                raise UsageError("claim path components are member names, array indexes or None")
            if isinstance(part, int) and part < 0:
                raise UsageError("array indexes in a claim path must not be negative")
        return tuple(path)
    if not isinstance(path, str) or not path:
        raise UsageError("a claim path must be a non-empty string like 'credentialSubject.address.locality'")
    return _parse_string(path)


@lru_cache(maxsize=4096)
def _parse_string(path: str) -> ClaimPath:
    # catalogs reuse the same few paths for every credential they issue
    out: list[str | int | None] = []
    for segment in path.split("."):
        m = _SEGMENT.fullmatch(segment)
        if m is None:
            raise UsageError(f"cannot read claim path {path!r}; write members with dots and positions as [0] or [*]")
        out.append(m.group(1))
        out.extend(None if i in ("*", "") else int(i) for i in _INDEX.findall(m.group(2)))
    return tuple(out)


def parse_paths(paths: Iterable[PathLike]) -> list[ClaimPath]:
    """``parse_path`` for each of an iterable of paths; a bare string is one path, not its characters
    (a single tuple path must be inside a list: ``[("a", 0)]``)."""
    if isinstance(paths, str):
        paths = [paths]
    return [parse_path(p) for p in paths]


def format_path(path: ClaimPath) -> str:
    """The string form of a claim path (for messages and the CLI)."""
    out = ""
    for part in path:
        if part is None:
            out += "[*]"
        elif isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out
