"""What the ``jitsuin serve`` commands (issuer, verifier, wallet) share: the listening options and the
check that decides whether a plain-HTTP warning is due."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

__all__ = ["Host", "LogLevel", "Port", "is_loopback"]

Host = Annotated[str, typer.Option("--host", help="Address to listen on.")]
Port = Annotated[int, typer.Option("--port", help="Port to listen on.")]
LogLevel = Annotated[str, typer.Option("--log-level")]


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses: only this machine can reach the service."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
