"""Test support for workspace, batch and CLI tests: verify as a relying party that sees what the institution
publishes (its did.json, its status lists), and sample claims."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx

from issuers.workspace import Workspace
from vc.did import DidResolver
from vc.formats import verify
from vc.results import VerificationResult
from vc.status import StatusChecker, StatusListFetcher

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=timezone.utc)


def sample(ws: Workspace, type_name: str) -> dict[str, Any]:
    """The catalog sample claims of a type (a deep copy)."""
    return copy.deepcopy(dict(ws.certificate_type(type_name).sample))


def resolver_for(ws: Workspace) -> DidResolver:
    """A resolver answering the workspace's did:web document offline, as if fetched from its web server."""
    document = ws.did_document()
    return DidResolver(preloaded={ws.issuer_did: document} if document else {})


def status_checker(ws: Workspace, resolver: DidResolver, *, now: datetime = NOW) -> StatusChecker:
    """A status checker fetching the lists the workspace just published, over a mock HTTP transport."""
    files = {f.url: (f.path.read_bytes(), f.media_type) for f in ws.publish_status(now=now)}

    def serve(request: httpx.Request) -> httpx.Response:
        found = files.get(str(request.url))
        if found is None:
            return httpx.Response(404)
        # a stream, as from a socket: the fetcher reads the body in bounded chunks
        return httpx.Response(200, stream=httpx.ByteStream(found[0]), headers={"content-type": found[1]})

    fetcher = StatusListFetcher(client=httpx.Client(transport=httpx.MockTransport(serve)))
    return StatusChecker(fetcher=fetcher, resolver=resolver, loader=ws.loader)


def check(ws: Workspace, credential: dict[str, Any] | str, *, now: datetime = NOW + timedelta(minutes=1),
          status: bool = True, resolver: DidResolver | None = None) -> VerificationResult:
    """Verify as a relying party would: the published DID document, and the published status lists."""
    resolver = resolver or resolver_for(ws)
    checker: StatusChecker | bool = status_checker(ws, resolver, now=now) if status else False
    return verify(credential, resolver=resolver, loader=ws.loader, now=now, status=checker)


def failures(result: VerificationResult) -> list[tuple[str, str | None, str]]:
    """The failed checks, for assertion messages."""
    return [(c.check, c.code, c.message) for c in result.errors]
