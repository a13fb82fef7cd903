"""P-384 and P-521 key types for the VC-JOSE-COSE fixtures (ES384/ES512), registered only while a
test needs them: vc.keys ships Ed25519 and P-256, and its own tests check that P-384 is absent."""

from __future__ import annotations

import pytest

from tests.support.key_types import P384, P521, registered


@pytest.fixture
def extra_curves():
    with registered(P384(), P521()):
        yield
