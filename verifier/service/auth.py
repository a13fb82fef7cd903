"""Staff authentication: bearer tokens kept only as SHA-256 digests at rest, and a cookie session
for the staff pages.

A staff token is 32 random bytes (base64url, 43 characters): high entropy, so an unsalted SHA-256
is a safe verifier (there is no dictionary to try). The service keeps ``sha256:<hex>`` strings; a
presented token is hashed and compared with every stored digest by ``hmac.compare_digest``.

- API calls (``POST /requests``, ``GET /procedures``) send ``Authorization: Bearer <token>``.
- The staff pages (``/staff``) post the token once to a login form; it comes back as a cookie that
  is ``HttpOnly`` (no script reads it), ``SameSite=Strict`` (no other site's page sends it),
  scoped to the staff pages, ``Secure`` when the service is reached over https, and without an
  expiry (it ends with the browser session).

>>> token, digest = new_staff_token()     # hand `token` to the staff member once; store `digest`
>>> StaffAuth([digest]).check_token(token)
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
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from vc.errors import UsageError

__all__ = [
    "MIN_TOKEN_LENGTH",
    "SESSION_COOKIE",
    "StaffAuth",
    "StaffLoginRequired",
    "add_staff_token",
    "hash_staff_token",
    "new_staff_token",
    "read_staff_digests",
    "require_staff_session",
    "require_staff_token",
    "same_origin",
]

DIGEST_PREFIX = "sha256:"
MIN_TOKEN_LENGTH = 32  # characters: a token must not be guessable (and so needs no salt)
SESSION_COOKIE = "jitsuin_verifier_staff"
_REALM = 'Bearer realm="jitsuin-verifier"'


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
class StaffAuth:
    """The digests of the staff tokens that may create requests and use the staff pages.

    Entries are ``sha256:<hex>`` digests or, for development, tokens (hashed here, never kept).
    With no entries every staff call is refused.
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
        """True when ``authorization`` is ``Bearer <token>`` for a configured token."""
        scheme, _, token = (authorization or "").partition(" ")
        return scheme.lower() == "bearer" and self.check_token(token.strip() or None)


class StaffLoginRequired(Exception):
    """A staff page was asked for without a valid session: answered 401 with the login form."""

    def __init__(self, *, invalid: bool = False) -> None:
        super().__init__("a staff session is needed")
        self.invalid = invalid


def _auth(request: Request) -> StaffAuth:
    return request.app.state.verifier.staff


_BEARER = HTTPBearer(auto_error=False, scheme_name="staffToken",
                     description="A staff token (`jitsuin serve verifier-token`)")


def require_staff_token(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_BEARER)) -> None:
    """FastAPI dependency for the API: 401 with ``WWW-Authenticate: Bearer`` unless a staff token is sent."""
    if credentials is None or not _auth(request).check_token(credentials.credentials):
        raise HTTPException(
            401,
            detail="this endpoint needs a staff bearer token (Authorization: Bearer <token>; "
                   "`jitsuin serve verifier-token` makes one)",
            headers={"WWW-Authenticate": _REALM},
        )


def require_staff_session(request: Request) -> None:
    """FastAPI dependency for the staff pages: the session cookie (or a staff bearer token), and for a
    state-changing request with the cookie, a same-origin request."""
    auth = _auth(request)
    if auth.check_header(request.headers.get("authorization")):
        return  # a bearer header is never sent by a browser on its own: no cross-site request risk
    if not auth.check_token(request.cookies.get(SESSION_COOKIE)):
        raise StaffLoginRequired()
    if request.method not in ("GET", "HEAD") and not same_origin(request):
        raise HTTPException(403, detail="a staff page form must be posted from this service's own pages")


def same_origin(request: Request) -> bool:
    """False when the browser says the request comes from another site (``Sec-Fetch-Site`` or ``Origin``);
    defence in depth next to the ``SameSite=Strict`` cookie."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    allowed = {_origin(str(request.base_url)), _origin(request.app.state.verifier.settings.identity.base_url)}
    return origin.rstrip("/").lower() in allowed


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def read_staff_digests(path: str | os.PathLike[str]) -> list[str]:
    """The digests in a staff token file (one ``sha256:<hex>`` per line, ``#`` comments).

    A missing file is a UsageError: a mistyped path must not start a service nobody can log in to."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise UsageError(f"no staff token file {path}; make one with `jitsuin serve verifier-token "
                         f"--staff-token-file {path}`") from None
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
    """Make a staff token, append its digest (and a label comment) to the file (created with mode 0600);
    the token, to be shown once."""
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
