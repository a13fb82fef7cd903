"""Staff authentication: bearer tokens kept only as SHA-256 digests at rest, and a cookie session
for the staff pages.

Tokens, digests and the staff token file are :mod:`vc.staff_tokens` (shared with the issuer service);
this module adds the FastAPI dependencies:

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

import os
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from vc.errors import UsageError
from vc.staff_tokens import MIN_TOKEN_LENGTH, add_staff_token, hash_staff_token, new_staff_token
from vc.staff_tokens import StaffTokens as StaffAuth
from vc.staff_tokens import read_staff_digests as _read_digests

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

SESSION_COOKIE = "jitsuin_verifier_staff"
_REALM = 'Bearer realm="jitsuin-verifier"'


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
        return _read_digests(path)
    except FileNotFoundError:
        raise UsageError(f"no staff token file {path}; make one with `jitsuin serve verifier-token "
                         f"--staff-token-file {path}`") from None
