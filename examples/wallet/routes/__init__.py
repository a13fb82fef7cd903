"""The wallet's pages, a router per group: credentials, receive, presentations, history."""

from fastapi import Request

from ..app import WalletContext

__all__ = ["wallet_context"]


def wallet_context(request: Request) -> WalletContext:
    """FastAPI dependency: the wallet of the app handling ``request``."""
    return request.app.state.wallet  # type: ignore[no-any-return]
