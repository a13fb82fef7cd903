"""The issuer's staff authentication: a missing token file means no staff yet; the dependency answers 401."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.exceptions import HTTPException

from issuers.service.auth import StaffAuth, add_staff_token, read_staff_digests


class _Request:
    def __init__(self, authorization: str | None) -> None:
        self.headers = {"authorization": authorization} if authorization else {}


def test_a_missing_token_file_is_no_staff_yet(tmp_path: Path) -> None:
    assert read_staff_digests(tmp_path / "missing") == []


def test_the_dependency_refuses_without_a_configured_token(tmp_path: Path) -> None:
    token = add_staff_token(tmp_path / "staff_tokens")
    auth = StaffAuth(read_staff_digests(tmp_path / "staff_tokens"))
    assert auth.check(f"Bearer {token}") and not auth.check(token)
    auth(_Request(f"Bearer {token}"))  # type: ignore[arg-type]
    with pytest.raises(HTTPException) as refused:
        auth(_Request("Bearer " + "x" * 43))  # type: ignore[arg-type]
    assert refused.value.status_code == 401 and refused.value.headers["WWW-Authenticate"].startswith("Bearer")
