"""``create_app``: the verifier service as one FastAPI app of routers per resource (VC-API,
OpenID4VP, staff pages), one error handler, OpenAPI at ``/openapi.json`` (docs at ``/docs``).

Creating requests and the staff pages need a staff token (``ServiceSettings.staff_tokens``,
``verifier.service.auth``); what wallets and the VC-API test suites call stays public."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from fastapi import FastAPI

from verifier.requests import AuthorizationRequest, OpenId4VpVerifier, OutcomeHook, RequestStore, ResponseOutcome

from . import oid4vp, staff, vcapi
from .problems import install_error_handlers
from .auth import StaffAuth
from .settings import ServiceSettings, VerifierContext

__all__ = ["create_app"]

log = logging.getLogger("jitsuin.verifier")


def _outcome_hook(procedures: Mapping[str, Any], audit: Any, settings: ServiceSettings) -> OutcomeHook:
    """What happens with each received response: the procedure fills its form from the accepted
    (filtered) claims, the audit log records the verdict (never the claim values)."""

    def hook(request: AuthorizationRequest, outcome: ResponseOutcome) -> dict[str, Any] | None:
        extra: dict[str, Any] = {}
        procedure = procedures.get(request.procedure_id) if request.procedure_id else None
        if procedure is not None and outcome.verified:
            from .procedure_forms import fill_procedure_form

            extra["form"] = fill_procedure_form(procedure, outcome)
        if audit is not None:
            from .procedure_forms import audit_outcome

            audit_outcome(audit, request, outcome, procedure, now=settings.now())
        return extra

    return hook


def create_app(
    settings: ServiceSettings,
    *,
    store: RequestStore | None = None,
    policy: Any = None,
    vcapi_policy: Any = None,
    procedures: Mapping[str, Any] | None = None,
    audit: Any = None,
    title: str = "jitsuin verifier",
) -> FastAPI:
    """The verifier service app.

    ``store``: the shared request store (default: in memory, one process); ``policy``: the
    ``verifier.policy.Policy`` OpenID4VP responses are judged by; ``vcapi_policy``: the policy of
    the VC-API verify endpoints (None: the core checks, no trust list); ``procedures``: id ->
    ``verifier.procedures.Procedure``; ``audit``: a ``verifier.audit.AuditLog``.
    """
    store = store or RequestStore()
    procedures = dict(procedures or {})
    engine = OpenId4VpVerifier(
        settings.identity,
        store=store,
        policy=policy,
        procedures=procedures,
        ttl=settings.request_ttl,
        by_reference=settings.by_reference,
        scheme=settings.wallet_scheme,
        on_outcome=_outcome_hook(procedures, audit, settings),
    )
    app = FastAPI(
        title=title,
        version="0.1.0",
        summary="VC-API verification, OpenID4VP 1.0 presentation requests with DCQL, and staff pages",
    )
    app.state.verifier = VerifierContext(
        settings=settings, store=store, oid4vp=engine, policy=policy, vcapi_policy=vcapi_policy,
        procedures=procedures, audit=audit, staff=StaffAuth(settings.staff_tokens),
    )
    if not settings.staff_tokens:
        log.warning("no staff tokens configured: creating requests and the staff pages are refused to everyone")
    install_error_handlers(app)
    staff.install_login_handler(app)
    app.include_router(vcapi.router)
    app.include_router(oid4vp.router)
    app.include_router(staff.login_router)
    app.include_router(staff.router)
    store.purge(now=settings.now(), grace=timedelta(minutes=30))
    return app
