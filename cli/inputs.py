"""Reading files and standard input for the CLI, with the library's size and depth limits."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from vc.errors import InputError, InputTooLargeError, MalformedError
from vc.input import DEFAULT_MAX_BYTES, load_json

__all__ = ["read_bytes", "read_json_object", "read_passphrase"]


def read_bytes(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file, or standard input for ``-``, refusing more than ``max_bytes``."""
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"no such file: {path}")
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputTooLargeError(f"{path} is larger than {max_bytes} bytes")
    return data


def read_json_object(path: str, *, what: str = "document") -> dict[str, Any]:
    """Parse a JSON object from a file or ``-``; anything else is a MalformedError."""
    value = load_json(read_bytes(path))
    if not isinstance(value, dict):
        raise MalformedError(f"{what} must be a JSON object, got {type(value).__name__}")
    return value


def read_passphrase(env_var: str | None) -> str | None:
    """The passphrase from the named environment variable (else JITSUIN_PASSPHRASE), or None."""
    name = env_var or "JITSUIN_PASSPHRASE"
    value = os.environ.get(name)
    if env_var and value is None:
        raise InputError(f"environment variable {env_var} is not set; export the key passphrase there")
    return value
