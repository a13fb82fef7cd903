"""JSON as JOSE needs it: strict parsing of untrusted segments, compact UTF-8 output.

Parsing refuses duplicate member names (RFC 7515 section 5.2 allows rejecting them, and two
parsers that keep different duplicates would see different claims), NaN/Infinity, and nesting
deep enough to exhaust the stack.
"""

from __future__ import annotations

import json
from typing import Any

from vc.errors import JoseError

__all__ = ["compact_dumps", "strict_loads"]


# built once: json.dumps/json.loads with non-default options construct a new encoder/decoder per call
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def compact_dumps(value: Any) -> str:
    """JSON without insignificant whitespace, non-ASCII kept as UTF-8 (smaller Japanese claims)."""
    return _ENCODER.encode(value)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate member name {key!r}")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constant)


def strict_loads(data: bytes | str, *, code: str = "MALFORMED_JWS", what: str = "JSON") -> Any:
    """Parse ``data`` strictly; any failure is ``JoseError(code=code)`` naming ``what``."""
    try:
        text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
        return _DECODER.decode(text)
    except UnicodeDecodeError:
        raise JoseError(f"{what} is not UTF-8", code=code) from None
    except RecursionError:
        raise JoseError(f"{what} is nested too deeply", code=code) from None
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        # the message names a member name at most, never a claim value
        reason = str(exc) if str(exc).startswith("duplicate member") else "not valid JSON"
        raise JoseError(f"{what} is {reason}" if reason == "not valid JSON" else f"{what}: {reason}", code=code) from None
