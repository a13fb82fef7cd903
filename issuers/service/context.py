"""What every route of one issuer service shares: the workspace, settings, stores, signers and metadata."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from issuers.catalog import CertificateType
from issuers.workspace import IssuedCredential, Workspace

from .auth import StaffAuth
from .grants import GrantStore
from .metadata import IssuerProfile
from .settings import ServiceSettings
from .status_publisher import StatusPublisher
from .vcapi import VcApiIssuer

__all__ = ["ServiceContext", "service_context"]


@dataclass(eq=False)
class ServiceContext:
    """The state of one service instance (``app.state.jitsuin``)."""

    workspace: Workspace
    settings: ServiceSettings
    auth: StaffAuth
    grants: GrantStore
    vcapi: VcApiIssuer
    publisher: StatusPublisher
    profile: IssuerProfile
    types: Mapping[str, CertificateType]  # the types this issuer may issue, by id
    configurations: Mapping[str, dict[str, Any]]  # credential_configurations_supported
    jwks: list[dict[str, Any]]  # the issuer's public keys, kid = verification method id
    _issue_lock: threading.Lock = field(default_factory=threading.Lock)

    def issue(self, type_id: str, claims: dict[str, Any], **options: Any) -> IssuedCredential:
        """``Workspace.issue`` one at a time (the workspace's lazy state is not shared across threads)."""
        with self._issue_lock:
            return self.workspace.issue(type_id, claims, now=self.settings.now(), **options)

    async def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run blocking work (signing, database) off the event loop."""
        return await run_in_threadpool(fn, *args, **kwargs)

    def close(self) -> None:
        """Close the grant store (the workspace belongs to the caller)."""
        self.grants.close()


def service_context(request: Request) -> ServiceContext:
    """FastAPI dependency: the service context of the app handling ``request``."""
    return request.app.state.jitsuin  # type: ignore[no-any-return]
