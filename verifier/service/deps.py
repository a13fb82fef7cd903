"""FastAPI dependencies: the service context that ``create_app`` put on ``app.state``."""

from __future__ import annotations

from fastapi import Request

from .settings import VerifierContext

__all__ = ["context"]


def context(request: Request) -> VerifierContext:
    """The ``VerifierContext`` of the app serving ``request`` (tests may override this dependency)."""
    return request.app.state.verifier
