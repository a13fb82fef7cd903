"""Fixtures for the OpenID4VP tests: a live verifier service, a clock, issuers and a wallet
(``tests/verifier/oid4vp_support.py``, loaded by path: the test tree has no packages)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def _support():  # type: ignore[no-untyped-def]
    name = "jitsuin_tests_oid4vp_support"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parent.parent / "oid4vp_support.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


support = _support()
clock, hospital, city, wallet, serve = support.clock, support.hospital, support.city, support.wallet, support.serve
