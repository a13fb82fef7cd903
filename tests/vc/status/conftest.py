"""A real HTTP server on 127.0.0.1 with scripted routes (``tests/support/static_server.py``) for the fetch tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.static_server import StaticServer


@pytest.fixture
def http_server() -> Iterator[StaticServer]:
    with StaticServer() as server:
        yield server
