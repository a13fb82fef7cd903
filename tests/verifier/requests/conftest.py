"""Fixtures for the OpenID4VP tests: a live verifier service, a clock, issuers and a wallet
(``tests/verifier/oid4vp_support.py``, shared with the verifier service tests)."""

from tests.verifier.oid4vp_support import city, clock, hospital, serve, wallet

__all__ = ["city", "clock", "hospital", "serve", "wallet"]  # the fixtures, for pytest
