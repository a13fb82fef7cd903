"""Staff bearer tokens for the issuer and verifier services, kept only as SHA-256 digests at rest.

A staff token is 32 random bytes (base64url, 43 characters): high entropy, so an unsalted SHA-256 is a
safe verifier (there is no dictionary to try). A service keeps ``sha256:<hex>`` strings, in a staff
token file (one digest a line, ``#`` comments); a presented token is hashed and compared with every
stored digest by ``hmac.compare_digest``. Framework-free: each service answers a refusal its own way.

>>> token, digest = new_staff_token()     # hand `token` to the staff member once; store `digest`
>>> StaffTokens([digest]).check_header(f"Bearer {token}")
True
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from vc.errors import UsageError

__all__ = [
    "DIGEST_PREFIX",
    "MIN_TOKEN_LENGTH",
    "StaffTokens",
    "add_staff_token",
    "hash_staff_token",
    "new_staff_token",
    "read_staff_digests",
]

DIGEST_PREFIX = "sha256:"
MIN_TOKEN_LENGTH = 32  # characters: a token must not be guessable (and so needs no salt)


def hash_staff_token(token: str) -> str:
    """The ``sha256:<hex>`` digest stored for a staff token."""
    return DIGEST_PREFIX + hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_staff_token() -> tuple[str, str]:
    """A fresh staff token and its digest: show the token once, store only the digest."""
    token = secrets.token_urlsafe(32)
    return token, hash_staff_token(token)


def _digest(entry: str) -> str:
    if entry.startswith(DIGEST_PREFIX):
        hexpart = entry[len(DIGEST_PREFIX):]
        if len(hexpart) != 64 or any(c not in "0123456789abcdef" for c in hexpart):
            raise UsageError("a staff token digest is 'sha256:' followed by 64 lowercase hex digits")
        return entry
    if len(entry) < MIN_TOKEN_LENGTH:
        raise UsageError(f"a staff token must have at least {MIN_TOKEN_LENGTH} characters (use new_staff_token())")
    return hash_staff_token(entry)


@dataclass(frozen=True, slots=True)
class StaffTokens:
    """The digests of the staff tokens a service accepts.

    Entries are ``sha256:<hex>`` digests or, for development, tokens (hashed here, never kept).
    With no entries every token is refused.
    """

    digests: tuple[str, ...]

    def __init__(self, entries: Iterable[str] = ()) -> None:
        object.__setattr__(self, "digests", tuple(dict.fromkeys(_digest(x) for x in entries)))

    def check_token(self, token: str | None) -> bool:
        """True when ``token`` is one of the configured staff tokens."""
        if not token or not self.digests:
            return False
        presented = hash_staff_token(token.strip())
        found = False
        for digest in self.digests:  # no early exit: the time taken does not say which entry matched
            found |= hmac.compare_digest(presented, digest)
        return found

    def check_header(self, authorization: str | None) -> bool:
        """True when ``authorization`` (an HTTP ``Authorization`` value) is ``Bearer <token>`` for a configured token."""
        scheme, _, token = (authorization or "").partition(" ")
        return scheme.lower() == "bearer" and self.check_token(token.strip() or None)


def read_staff_digests(path: str | os.PathLike[str]) -> list[str]:
    """The digests in a staff token file (one ``sha256:<hex>`` per line, ``#`` comments); FileNotFoundError
    when it is missing (each service decides what that means)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        if not entry.startswith(DIGEST_PREFIX):  # a token in the clear must never sit in this file
            raise UsageError(f"{path} must hold only 'sha256:<hex>' digests of staff tokens, never the tokens")
        out.append(_digest(entry))
    return out


def add_staff_token(path: str | os.PathLike[str], *, label: str | None = None) -> str:
    """Make a staff token, append its digest (and a one-line label comment) to the file (created with
    mode 0600); the token, to be shown once."""
    if label is not None and any(c in label for c in "\r\n"):
        raise UsageError("a staff token label is one line")
    token, digest = new_staff_token()
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        comment = f"  # {label}" if label else ""
        handle.write(f"{digest}{comment}\n")
    return token
