"""A small TOML writer for the workspace config (reading is stdlib ``tomllib``).

Writes what the config holds and nothing more: top-level strings, integers, booleans, lists of strings
and inline tables of strings (``name = {ja = "千代田区", en = "Chiyoda City"}``), then arrays of tables
(``[[keys]]``) whose values are of those kinds. ``None`` values are
left out (TOML has no null). Anything else is a UsageError, so a config field of a new kind cannot be
written wrongly by accident.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from vc.errors import UsageError

__all__ = ["dumps"]


def dumps(data: Mapping[str, Any], *, header: str | None = None) -> str:
    """The TOML text of ``data``; ``header`` becomes leading ``#`` comment lines."""
    lines: list[str] = [f"# {line}".rstrip() for line in header.splitlines()] if header else []
    tables: list[tuple[str, list[Mapping[str, Any]]]] = []
    for name, value in data.items():
        if value is None:
            continue
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            tables.append((name, value))
            continue
        lines.append(f"{_key(name)} = {_value(value, name)}")
    for name, rows in tables:
        for row in rows:
            lines.append("")
            lines.append(f"[[{_key(name)}]]")
            for key, value in row.items():
                if value is not None:
                    lines.append(f"{_key(key)} = {_value(value, f'{name}.{key}')}")
    return "\n".join(lines) + "\n"


def _key(name: str) -> str:
    if name and all(c.isascii() and (c.isalnum() or c in "-_") for c in name):
        return name
    return _string(name)


def _value(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "[" + ", ".join(_string(v) for v in value) + "]"
    if isinstance(value, Mapping) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return "{" + ", ".join(f"{_key(k)} = {_string(v)}" for k, v in value.items()) + "}"
    raise UsageError(f"the workspace config cannot hold a {type(value).__name__} at {where!r}")


def _string(text: str) -> str:
    # a JSON string is a valid TOML basic string once non-ASCII stays literal (TOML is UTF-8) and
    # control characters are escaped, which json.dumps does; \u007f needs escaping in TOML too
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
