"""The verifier's side of an OpenID4VP 1.0 exchange, end to end: create a request (stored, with a
link and QR code), serve its request object once, receive the ``direct_post`` response once,
and hand the outcome to the staff who started it.

>>> oid4vp = OpenId4VpVerifier(identity, store=RequestStore("requests.db"), policy=policy)
>>> created = oid4vp.create_request(procedure.dcql_query(), purpose=procedure.purpose)
>>> created.link, created.qr_svg()                    # shown to the resident
>>> oid4vp.request_object(created.request.id)          # GET request_uri (the wallet, once)
>>> outcome = oid4vp.receive_response(request_id, form) # POST response_uri (the wallet, once)
>>> oid4vp.result(request_id, token=created.result_token)  # the staff page polls this
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from vc.errors import PresentationRequestError
from vc.results import CheckResult

from .authorization_request import (
    DEFAULT_REQUEST_TTL,
    WALLET_SCHEME,
    AuthorizationRequest,
    deep_link,
    new_authorization_request,
    request_object,
)
from .client_id import VerifierIdentity
from .qr import qr_svg
from .response import ResponseOutcome, evaluate_vp_token, parse_vp_token
from .store import RequestStore, StoredRequest

__all__ = ["CreatedRequest", "OpenId4VpVerifier", "OutcomeHook"]

OutcomeHook = Callable[[AuthorizationRequest, ResponseOutcome], Mapping[str, Any] | None]
"""Called once per received response with the request and outcome; what it returns (e.g. the
filled form) is stored with the outcome for the staff page. The service uses it for procedures
and the audit log."""


@dataclass(frozen=True)
class CreatedRequest:
    """A new request and what to show: the wallet link (and its QR code). ``result_token`` is the
    secret that unlocks the outcome; give it only to the staff page that created the request."""

    request: AuthorizationRequest
    link: str
    result_token: str

    def qr_svg(self) -> str:
        return qr_svg(self.link, title="OpenID4VP")


class OpenId4VpVerifier:
    """Requests and responses for one verifier identity over a shared ``RequestStore``.

    ``policy`` (a ``verifier.policy.Policy``) judges the presentations, with the procedure's trust
    entries added for a request made for one of ``procedures`` (id -> ``Procedure``); without a
    policy only the core ``vc`` checks run (no trust list: for tests and tools, not for a service).
    """

    def __init__(
        self,
        identity: VerifierIdentity,
        *,
        store: RequestStore | None = None,
        policy: Any = None,
        procedures: Mapping[str, Any] | None = None,
        ttl: timedelta = DEFAULT_REQUEST_TTL,
        by_reference: bool = True,
        scheme: str = WALLET_SCHEME,
        on_outcome: OutcomeHook | None = None,
        vp_formats: Mapping[str, Any] | None = None,
    ) -> None:
        self.identity = identity
        self.store = store or RequestStore()
        self.policy = policy
        self.procedures = dict(procedures or {})
        self.ttl = ttl
        self.by_reference = by_reference
        self.scheme = scheme
        self.on_outcome = on_outcome
        self.vp_formats = vp_formats

    def create_request(
        self,
        dcql_query: Mapping[str, Any],
        *,
        purpose: Mapping[str, str] | str | None = None,
        procedure_id: str | None = None,
        by_reference: bool | None = None,
        now: datetime | None = None,
    ) -> CreatedRequest:
        """Store a new request for ``dcql_query`` and return its link; ``INVALID_DCQL`` for a bad query."""
        request = new_authorization_request(
            self.identity, dcql_query, purpose=purpose, procedure_id=procedure_id, ttl=self.ttl,
            vp_formats=self.vp_formats, now=now,
        )
        token = secrets.token_urlsafe(32)
        self.store.add(request, result_token=token)
        by_ref = self.by_reference if by_reference is None else by_reference
        return CreatedRequest(request, deep_link(request, self.identity, by_reference=by_ref, scheme=self.scheme), token)

    def request_object(self, request_id: str, *, wallet_nonce: str | None = None, now: datetime | None = None) -> str:
        """The request object JWT for the request_uri; served once (``REQUEST_URI_ALREADY_FETCHED``)."""
        now = now or datetime.now(timezone.utc)
        request = self.store.mark_fetched(request_id, now=now)
        return request_object(request, self.identity, wallet_nonce=wallet_nonce, now=now)

    def receive_response(self, request_id: str, form: Mapping[str, Any], *, now: datetime | None = None) -> ResponseOutcome:
        """Handle a ``direct_post`` body (``vp_token`` + ``state``, or ``error``) for ``request_id``.

        Raises PresentationRequestError for a response that cannot belong to the request
        (``REQUEST_NOT_FOUND``, ``STATE_MISMATCH``, ``REQUEST_EXPIRED``, ``RESPONSE_REPLAYED``,
        ``INVALID_VP_TOKEN``); otherwise returns the outcome (also stored for the staff page),
        whose failed checks name what was wrong with the presentations.
        """
        now = now or datetime.now(timezone.utc)
        request = self.store.consume(request_id, state=form.get("state"), now=now)
        if form.get("error"):
            # the wallet declined or failed; the description is the wallet's text, kept out of the record
            outcome = ResponseOutcome(request.id, request.procedure_id, (
                CheckResult.fail("wallet", "WALLET_ERROR", f"the wallet answered with error {str(form['error'])[:64]!r}"),))
        else:
            try:
                vp_token = parse_vp_token(form.get("vp_token"))
            except PresentationRequestError as err:
                self._finish(request, ResponseOutcome(request.id, request.procedure_id, (CheckResult.fail("vp_token", err),)))
                raise
            procedure = self.procedures.get(request.procedure_id) if request.procedure_id else None
            outcome = evaluate_vp_token(request, vp_token, policy=self.policy, procedure=procedure, now=now)
        self._finish(request, outcome)
        return outcome

    def _finish(self, request: AuthorizationRequest, outcome: ResponseOutcome) -> None:
        record = outcome.to_dict()
        if self.on_outcome is not None:
            extra = self.on_outcome(request, outcome)
            if extra:
                record.update(extra)
        self.store.save_outcome(request.id, record)

    def result(self, request_id: str, *, token: str | None, now: datetime | None = None) -> dict[str, Any]:
        """``{"status": "pending" | "fetched" | "complete" | "expired", ...}`` and, once complete, the
        stored outcome. The token given at creation is required (``RESULT_TOKEN_INVALID``)."""
        now = now or datetime.now(timezone.utc)
        stored = self.store.get(request_id)
        if stored is None:
            raise PresentationRequestError("no such presentation request", code="REQUEST_NOT_FOUND")
        if not stored.token_matches(token):
            raise PresentationRequestError("the result token does not match this request", code="RESULT_TOKEN_INVALID")
        return _status(stored, now)


def _status(stored: StoredRequest, now: datetime) -> dict[str, Any]:
    request = stored.request
    base: dict[str, Any] = {"request_id": request.id, "procedure_id": request.procedure_id,
                            "expires_at": request.expires_at.isoformat()}
    if stored.outcome is not None:
        return {**base, "status": "complete", "outcome": stored.outcome}
    if stored.responded_at is not None:
        return {**base, "status": "verifying"}
    if request.expired(now):
        return {**base, "status": "expired"}
    return {**base, "status": "fetched" if stored.fetched_at is not None else "pending"}
