"""The loopback check behind the serve commands' plain-HTTP warnings."""

from __future__ import annotations

import pytest

from cli.serve_options import is_loopback


@pytest.mark.parametrize("host, loopback", [("localhost", True), ("127.0.0.1", True), ("127.8.9.1", True),
                                            ("::1", True), ("0.0.0.0", False), ("192.0.2.1", False),
                                            ("example.jp", False)])
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
