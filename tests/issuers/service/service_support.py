"""Test support: the real issuer service on 127.0.0.1 (uvicorn in a thread), a did:web workspace behind it, and
a relying party that resolves the issuer's did.json and fetches its status lists from that server over HTTP."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx

from issuers.service import BackgroundServer, ServiceSettings, bind_socket, create_app, new_staff_token
from issuers.workspace import Workspace
from vc.did import DidResolver
from vc.formats import verify
from vc.keys import KeyPair
from vc.results import VerificationResult
from vc.status import StatusChecker, StatusListFetcher


class Clock:
    """A clock tests can move forward (expiry without sleeping)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(timezone.utc) + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@dataclass
class Issuer:
    """A running issuer service and what tests need to talk to it and check its output."""

    url: str
    authority: str
    token: str
    workspace: Workspace
    clock: Clock
    http: httpx.Client
    ed25519: KeyPair  # the did:key issuer keys of the /suites routes
    p256: KeyPair

    @property
    def staff(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def resolver(self) -> DidResolver:
        return DidResolver(allow_http_for=[self.authority])

    def checker(self) -> StatusChecker:
        """A fresh checker (no cached lists), fetching from the service over HTTP."""
        return StatusChecker(fetcher=StatusListFetcher(allow_http_for=[self.authority]), resolver=self.resolver(),
                             loader=self.workspace.loader)

    def verify(self, credential: dict[str, Any] | str, *, status: bool = True) -> VerificationResult:
        """Verify as a relying party: did:web resolved and status lists fetched from the service."""
        return verify(credential, resolver=self.resolver(), loader=self.workspace.loader, now=self.clock(),
                      status=self.checker() if status else False)

    def sample(self, type_name: str = "ResidentRecord") -> dict[str, Any]:
        return copy.deepcopy(dict(self.workspace.certificate_type(type_name).sample))

    def offer(self, **body: Any) -> dict[str, Any]:
        """Create an offer through the staff endpoint (defaults: ResidentRecord sample, a PIN)."""
        body.setdefault("type", "ResidentRecord")
        body.setdefault("claims", self.sample(body["type"]))
        response = self.http.post("/offers", json=body, headers=self.staff)
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]


@contextmanager
def running_issuer(folder: Path) -> Iterator[Issuer]:
    """A did:web workspace in ``folder`` and its issuer service, listening on a free port of 127.0.0.1."""
    sock = bind_socket("127.0.0.1")
    port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    workspace = Workspace.init(folder / "ws", name="Example City", did_web=f"127.0.0.1:{port}", unencrypted=True,
                               status_base_url=url)
    token, digest = new_staff_token()
    clock = Clock()
    ed25519, p256 = KeyPair.generate("Ed25519"), KeyPair.generate("P-256")
    app = create_app(workspace, staff_tokens=[digest], settings=ServiceSettings(public_url=url, clock=clock),
                     did_key_issuers=[ed25519, p256])
    try:
        with BackgroundServer(app, sock=sock), httpx.Client(base_url=url, timeout=30.0) as http:
            yield Issuer(url, f"127.0.0.1:{port}", token, workspace, clock, http, ed25519, p256)
    finally:
        app.state.jitsuin.close()
        workspace.close()
