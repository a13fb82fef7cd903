"""The rental company's web app: one form, one presentation request, one decision.

It embeds ``verifier`` as a library: ``OpenId4VpVerifier`` makes the request (a DCQL query built with
``verifier.requests``) and judges the wallet's answer against the company's ``Policy`` (whom it trusts for
which certificate). It asks for the municipality's derived claim ``incomeBelow3000000`` rather than the income, and
for the municipality code rather than the address: the company learns the two facts it needs and nothing more.

Routes: ``GET /`` the form; ``POST /applications`` a request (HTML with the wallet link and QR code, or JSON);
``GET /requests/{id}`` and ``POST /responses/{id}`` for the wallet (OpenID4VP, direct_post);
``GET /applications/{id}`` the decision (the applicant's cookie or ``Authorization: Bearer <result_token>``).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from vc.errors import PresentationRequestError
from verifier import Policy
from verifier.requests import (
    AuthorizationRequest,
    OpenId4VpVerifier,
    RequestStore,
    ResponseOutcome,
    VerifierIdentity,
    credential_query,
    dcql_query,
    with_purpose,
)

__all__ = ["COMPANY", "PURPOSE", "Screening", "create_app", "rental_query", "screen"]

COMPANY = {"ja": "みらい不動産株式会社", "en": "Mirai Real Estate Co., Ltd."}
PURPOSE = {"ja": "賃貸住宅の入居審査のため、年収300万円以上であることと、東京都に住民登録があることを確認します。",
           "en": "To screen a rental application: an income of at least 3,000,000 yen and residence in Tokyo."}
TOKYO_CODE = "13"  # JIS X 0401 prefecture code: the first two digits of a municipality code
_VCT = "https://w3id.org/jitsuin/vct/{}/v1"


def rental_query() -> dict[str, Any]:
    """The DCQL query: the tax certificate's income predicate and the resident record's municipality code."""
    return with_purpose(dcql_query([
        credential_query("income", "dc+sd-jwt", vct_values=[_VCT.format("ResidentTaxCertificate")],
                         claims=[["incomeBelow3000000"], ["fiscalYear"]]),
        credential_query("residence", "dc+sd-jwt", vct_values=[_VCT.format("ResidentRecord")],
                         claims=[["municipalityCode"]]),
    ]), PURPOSE)


@dataclass(frozen=True)
class Screening:
    """The company's decision from the verified facts."""

    income_at_least_3m: bool
    resident_of_tokyo: bool
    fiscal_year: int | None

    @property
    def accepted(self) -> bool:
        return self.income_at_least_3m and self.resident_of_tokyo


def screen(outcome: ResponseOutcome) -> Screening:
    """Decide from a verified outcome (claims the request did not ask for are not in it)."""
    income = outcome.credential("income")
    residence = outcome.credential("residence")
    below = income.claims.get("incomeBelow3000000") if income else None
    code = residence.claims.get("municipalityCode") if residence else None
    return Screening(income_at_least_3m=below is False, resident_of_tokyo=isinstance(code, str)
                     and code.startswith(TOKYO_CODE), fiscal_year=income.claims.get("fiscalYear") if income else None)


def create_app(identity: VerifierIdentity, policy: Policy, *, store: RequestStore | None = None,
               scheme: str = "openid4vp://") -> FastAPI:
    """The company's app; ``identity.base_url`` is where wallets reach it, ``policy`` whom it trusts."""

    def on_outcome(request: AuthorizationRequest, outcome: ResponseOutcome) -> Mapping[str, Any]:
        return {"screening": asdict(screen(outcome))} if outcome.verified else {}

    oid4vp = OpenId4VpVerifier(identity, store=store or RequestStore(), policy=policy, on_outcome=on_outcome,
                               scheme=scheme)
    app = FastAPI(title=f"{COMPANY['en']}: rental application (jitsuin example)")

    @app.get("/", response_class=HTMLResponse)
    def form() -> str:
        return _page(f"<h1>{COMPANY['ja']} 入居申込 / Rental application</h1><p>{PURPOSE['ja']}<br>{PURPOSE['en']}</p>"
                     '<form method="post" action="/applications"><button>ウォレットで申し込む / Apply with your wallet'
                     "</button></form>")

    @app.post("/applications")
    def apply(request: Request) -> Response:
        created = oid4vp.create_request(rental_query(), purpose=PURPOSE)
        rid = created.request.id
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"id": rid, "link": created.link, "result_token": created.result_token,
                                 "result_url": f"{identity.base_url}/applications/{rid}"}, status_code=201)
        page = _page(f"<p>ウォレットで読み取ってください / Open with your wallet:</p>{created.qr_svg()}"
                     f'<p><a href="{html.escape(created.link)}">{html.escape(created.link[:60])}…</a></p>'
                     f'<p><a href="/applications/{rid}">結果を見る / See the result</a></p>')
        response = HTMLResponse(page, status_code=201)
        response.set_cookie(f"rental_{rid}", created.result_token, httponly=True, samesite="strict")
        return response

    @app.get("/requests/{rid}")
    def request_object(rid: str) -> Response:
        try:
            return Response(oid4vp.request_object(rid), media_type="application/oauth-authz-req+jwt")
        except PresentationRequestError as err:
            return _error(err)

    @app.post("/responses/{rid}")
    async def response(rid: str, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
        try:
            outcome = oid4vp.receive_response(rid, form)
        except PresentationRequestError as err:
            return _error(err)
        if outcome.verified:
            return JSONResponse({})
        return JSONResponse({"error": "invalid_request", "errorCode": outcome.codes[0] if outcome.codes else None,
                             "codes": list(outcome.codes)}, status_code=400)

    @app.get("/applications/{rid}")
    def decision(rid: str, request: Request) -> Response:
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        try:
            result = oid4vp.result(rid, token=bearer or request.cookies.get(f"rental_{rid}"))
        except PresentationRequestError as err:
            return _error(err)
        if "text/html" not in request.headers.get("accept", ""):
            return JSONResponse(result)
        screening = (result.get("outcome") or {}).get("screening")
        if screening is None:
            return HTMLResponse(_page(f"<p>{html.escape(result['status'])}</p>"))
        verdict = "受付 / accepted" if Screening(**screening).accepted else "条件を満たしません / not eligible"
        return HTMLResponse(_page(f"<p>年収300万円以上: {screening['income_at_least_3m']}<br>"
                                  f"東京都に住民登録: {screening['resident_of_tokyo']}</p><h2>{verdict}</h2>"))

    return app


def _error(err: PresentationRequestError) -> JSONResponse:
    return JSONResponse({"error": "invalid_request", "errorCode": err.code, "error_description": err.message},
                        status_code=404 if err.code == "REQUEST_NOT_FOUND" else 400)


def _page(body: str) -> str:
    return (f'<!doctype html><html lang="ja"><meta charset="utf-8"><title>{COMPANY["ja"]}</title>'
            f"<body>{body}</body></html>")
