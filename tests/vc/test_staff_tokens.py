"""Staff tokens at rest: only digests are stored, entries and files are checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from vc.errors import UsageError
from vc.staff_tokens import StaffTokens, add_staff_token, hash_staff_token, new_staff_token, read_staff_digests

WRONG = "wrong-token-wrong-token-wrong-token-0000"


def test_tokens_are_stored_only_as_digests(tmp_path: Path) -> None:
    path = tmp_path / "staff" / "tokens"
    token = add_staff_token(path, label="窓口 3")
    stored = path.read_text(encoding="utf-8")
    assert token not in stored and stored.startswith("sha256:") and "窓口 3" in stored
    assert path.stat().st_mode & 0o077 == 0
    digests = read_staff_digests(path)
    assert digests == [hash_staff_token(token)]
    tokens = StaffTokens(digests)
    assert tokens.check_token(token) and not tokens.check_token(token[:-1]) and not tokens.check_token(None)
    assert tokens.check_header(f"Bearer {token}") and tokens.check_header(f"bearer  {token}")
    assert not tokens.check_header(token) and not tokens.check_header(f"Bearer {WRONG}")
    assert not tokens.check_header(None) and not StaffTokens().check_token(token)


def test_token_files_and_entries_are_checked(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_staff_digests(tmp_path / "missing")
    token, digest = new_staff_token()
    clear = tmp_path / "clear"
    clear.write_text(f"# a comment\n{digest}  # counter 1\n{token}\n", encoding="utf-8")
    with pytest.raises(UsageError, match="never the tokens"):
        read_staff_digests(clear)
    with pytest.raises(UsageError, match="at least 32"):
        StaffTokens(["short"])
    with pytest.raises(UsageError, match="64 lowercase hex"):
        StaffTokens(["sha256:abc"])
    with pytest.raises(UsageError, match="one line"):
        add_staff_token(tmp_path / "t", label="a\nsha256:" + "0" * 64)
    assert StaffTokens([token, digest]).digests == (digest,)  # development: a token, hashed at once
