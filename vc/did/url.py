"""DID and DID URL syntax (W3C DID Core 1.0, sections 3.1 and 3.2).

>>> parse_did_url("did:web:example.com?versionId=1#key-1")
DidUrl(did='did:web:example.com', path='', query='versionId=1', fragment='key-1')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from vc.errors import InvalidDidError

__all__ = ["DidUrl", "absolute_id", "parse_did", "parse_did_url"]

# did = "did:" method-name ":" method-specific-id ; idchar = ALPHA / DIGIT / "." / "-" / "_" / pct-encoded
_DID = re.compile(
    r"did:(?P<method>[a-z0-9]+):(?P<msid>(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*"
    r"(?::(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*)*)"
)
_MAX_LENGTH = 8192  # a did:jwk for a P-256 key is ~170 characters; refuse absurd input early


@dataclass(frozen=True)
class DidUrl:
    """A parsed DID URL: the DID plus optional path (with leading "/"), query and fragment (without "?"/"#")."""

    did: str
    path: str = ""
    query: str | None = None
    fragment: str | None = None

    @property
    def method(self) -> str:
        """The DID method name ("key", "jwk", "web", ...)."""
        return self.did.split(":", 2)[1]

    @property
    def method_specific_id(self) -> str:
        """Everything after ``did:<method>:``."""
        return self.did.split(":", 2)[2]

    def __str__(self) -> str:
        out = self.did + self.path
        if self.query is not None:
            out += "?" + self.query
        if self.fragment is not None:
            out += "#" + self.fragment
        return out


def parse_did_url(value: str) -> DidUrl:
    """Split a DID URL into DID, path, query and fragment; InvalidDidError if the DID part is not a DID."""
    if not isinstance(value, str) or len(value) > _MAX_LENGTH:
        raise InvalidDidError("a DID must be a string of reasonable length")
    return _parse(value)


@lru_cache(maxsize=2048)
def _parse(value: str) -> DidUrl:
    # verification parses the same few issuer and key URLs over and over; DidUrl is immutable
    rest, _, fragment = value.partition("#") if "#" in value else (value, "", None)
    rest, _, query = rest.partition("?") if "?" in rest else (rest, "", None)
    did, slash, path = rest.partition("/")
    match = _DID.fullmatch(did)
    if match is None or not match.group("msid") or match.group("msid").endswith(":"):
        raise InvalidDidError(
            "not a valid DID: expected 'did:<method>:<method-specific-id>' "
            "with lowercase method and characters A-Z a-z 0-9 . - _ : %XX"
        )
    return DidUrl(did=did, path=slash + path, query=query, fragment=fragment)


def parse_did(value: str) -> DidUrl:
    """Parse a plain DID (no path, query or fragment); InvalidDidError otherwise."""
    parsed = parse_did_url(value)
    if parsed.path or parsed.query is not None or parsed.fragment is not None:
        raise InvalidDidError("expected a DID without path, query or fragment")
    return parsed


def absolute_id(value: str, did: str) -> str:
    """Resolve a relative DID URL (``#key-1``, ``?x#y``, ``/p``) against ``did``; absolute ones pass through."""
    if value.startswith(("#", "?", "/")):
        return did + value
    return value
