"""The staff-token dependency shared by the routers that change things (issue, status, offers)."""

from __future__ import annotations

from fastapi import Request

from ..context import service_context

__all__ = ["STAFF_RESPONSES", "require_staff"]

STAFF_RESPONSES = {401: {"description": "Missing or wrong staff bearer token (problem details)"}}


def require_staff(request: Request) -> None:
    """401 unless the request carries a configured staff bearer token."""
    service_context(request).auth(request)
