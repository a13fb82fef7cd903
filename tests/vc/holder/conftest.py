"""Fixtures of the wallet tests: an empty wallet store and an issuer key (modules that need another
``store`` or ``issuer`` define their own)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.vc.holder.holder_support import new_store
from vc.holder import WalletStore
from vc.keys import KeyPair


@pytest.fixture
def store(tmp_path: Path) -> Iterator[WalletStore]:
    with new_store(tmp_path) as opened:
        yield opened


@pytest.fixture
def issuer() -> KeyPair:
    return KeyPair.generate()
