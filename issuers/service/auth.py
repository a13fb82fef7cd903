"""Staff authentication: bearer tokens, kept only as SHA-256 digests at rest.

Tokens, digests and the staff token file are :mod:`vc.staff_tokens` (shared with the verifier service);
this module adds the FastAPI dependency that refuses a call without a valid token.

>>> token, digest = new_staff_token()     # hand `token` to the staff member once; store `digest`
>>> StaffAuth([digest]).check(f"Bearer {token}")
True
"""

from __future__ import annotations

import os

from fastapi import Request
from starlette.exceptions import HTTPException

from vc.staff_tokens import (
    MIN_TOKEN_LENGTH,
    StaffTokens,
    add_staff_token,
    hash_staff_token,
    new_staff_token,
)
from vc.staff_tokens import read_staff_digests as _read_digests

__all__ = [
    "MIN_TOKEN_LENGTH",
    "StaffAuth",
    "add_staff_token",
    "hash_staff_token",
    "new_staff_token",
    "read_staff_digests",
]


class StaffAuth(StaffTokens):
    """The digests of the staff tokens that may call staff endpoints (issue, status, offers).

    Entries are ``sha256:<hex>`` digests or, for development, tokens (hashed here, never kept).
    With no entries every staff call is refused.
    """

    __slots__ = ()

    def check(self, authorization: str | None) -> bool:
        """True when ``authorization`` is ``Bearer <token>`` for a configured token."""
        return self.check_header(authorization)

    def __call__(self, request: Request) -> None:
        """FastAPI dependency: 401 with ``WWW-Authenticate: Bearer`` unless the staff token is valid."""
        if not self.check_header(request.headers.get("authorization")):
            raise HTTPException(
                401,
                detail="this endpoint needs a staff bearer token (Authorization: Bearer <token>)",
                headers={"WWW-Authenticate": 'Bearer realm="jitsuin-issuer"'},
            )


def read_staff_digests(path: str | os.PathLike[str]) -> list[str]:
    """The digests in a staff token file (one ``sha256:<hex>`` per line, ``#`` comments); [] when missing."""
    try:
        return _read_digests(path)
    except FileNotFoundError:
        return []
