"""Fixtures: one running issuer service per test module, and a clock reset after every test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from tests.issuers.service.service_support import Issuer, running_issuer


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Issuer]:
    """One service per test module (starting one takes a fraction of a second)."""
    with running_issuer(tmp_path_factory.mktemp("issuer")) as running:
        yield running


@pytest.fixture(autouse=True)
def _reset_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts at the real time, whatever an earlier test did to the clock."""
    yield
    if "issuer" in request.fixturenames:
        request.getfixturevalue("issuer").clock.offset = timedelta(0)
