"""Status lists at the URLs the registry wrote into credentials (``<status base>/status/3.json``, ``4.jwt``).

Public; ``Cache-Control: public, max-age=<ttl>`` so caches and verifiers refetch no more often than the lists
may change. The router's path prefix is the path of the registry's base URL, so the service can serve the
lists at exactly the URLs credentials point at.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from ..context import ServiceContext, service_context

__all__ = ["status_router"]

_NAME = re.compile(r"[0-9]{1,12}\.(?:json|jwt)")


def status_router(prefix: str) -> APIRouter:
    """The status list routes under ``prefix`` (e.g. ``/status``; empty for the root)."""
    router = APIRouter(tags=["Status lists"])

    @router.get(prefix + "/{name}", summary="A status list credential (.json) or Status List Token (.jwt)",
                responses={200: {"content": {"application/vc+ld+json": {}, "application/statuslist+jwt": {}}}})
    async def status_list(name: str, ctx: ServiceContext = Depends(service_context)) -> Response:
        info = await ctx.run(ctx.publisher.find, name) if _NAME.fullmatch(name) else None
        if info is None:
            raise HTTPException(404, detail="no status list is published under this name")
        published = await ctx.run(ctx.publisher.get, info)
        max_age = int(ctx.publisher.ttl.total_seconds())
        return Response(published.body, media_type=published.media_type,
                        headers={"Cache-Control": f"public, max-age={max_age}"})

    return router
