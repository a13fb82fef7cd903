"""Staff authentication over HTTP: creating requests and the staff pages need a staff token (bearer
for the API, a login form and an HttpOnly cookie for the pages); what wallets and the VC-API test
suites call stays public."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.verifier import oid4vp_support as support
from vc.errors import UsageError
from verifier.requests import credential_query, dcql_query
from verifier.service import ServiceSettings, create_app
from verifier.service.auth import SESSION_COOKIE, StaffAuth, add_staff_token, hash_staff_token, read_staff_digests

QUERY = dcql_query([credential_query("birth", "dc+sd-jwt", vct_values=[support.BIRTH_VCT], claims=[["child", "name"]])])
WRONG = "wrong-token-but-long-enough-0123456789abcdef"


@pytest.fixture
def server(serve):  # type: ignore[no-untyped-def]
    procedure = support.moving_in_procedure()
    return serve(procedures={procedure.id: procedure})


# --- the API -------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"Authorization": f"Bearer {WRONG}"}, {"Authorization": "Bearer"},
                                     {"Authorization": f"Basic {support.STAFF_TOKEN}"}],
                         ids=["missing", "wrong", "empty", "not-bearer"])
def test_creating_a_request_needs_the_staff_token(server, headers) -> None:
    with server.client() as http:
        for method, path, body in (("post", "/requests", {"dcql_query": QUERY}), ("get", "/procedures", None)):
            answer = http.request(method, path, json=body, headers=headers)
            assert answer.status_code == 401, (path, answer.text)
            assert answer.headers["www-authenticate"].startswith("Bearer")
            assert answer.headers["content-type"].startswith("application/problem+json")
        assert http.post("/requests", json={"dcql_query": QUERY}, headers=support.STAFF).status_code == 201
        assert http.get("/procedures", headers=support.STAFF).status_code == 200


def test_without_configured_tokens_everyone_is_refused(serve) -> None:
    with serve(staff_tokens=()).client() as http:
        assert http.post("/requests", json={"dcql_query": QUERY}, headers=support.STAFF).status_code == 401
        assert support.staff_login(http).status_code == 401


def test_public_endpoints_stay_public(server, wallet, hospital) -> None:
    with server.client() as staff:
        created = staff.post("/requests", json={"dcql_query": QUERY}, headers=support.STAFF).json()
    with server.client() as http:  # the wallet, a VC-API client: no staff token anywhere
        spec = http.get("/openapi.json")
        assert spec.status_code == 200
        assert spec.json()["paths"]["/requests"]["post"]["security"] == [{"staffToken": []}]
        assert http.post("/challenges").status_code in (200, 201)
        credential = hospital.di_credential("ResidentRecordCredential", {"id": wallet.did, "name": "山田陽子"})
        assert http.post("/credentials/verify", json={"verifiableCredential": credential}).status_code == 200
        vp = wallet.present_di([credential], {"nonce": "c-1", "client_id": "verifier.example.jp"})
        verified = http.post("/presentations/verify", json={"verifiablePresentation": vp,
                                                            "options": {"challenge": "c-1", "domain": "verifier.example.jp"}})
        assert verified.status_code == 200, verified.text
        params = wallet.open(created["link"], http)  # the request_uri
        birth = hospital.sd_jwt_vc(support.BIRTH_VCT, {"child": {"name": "山田花子"}}, holder=wallet.key,
                                   sd=[["child"], ["child", "name"]])
        answer = wallet.respond(params, {"birth": [wallet.present_sd_jwt(birth, params, "birth")]}, http)
        assert answer.status_code == 200, answer.text  # the direct_post response
        result = http.get(f"/requests/{created['id']}/result",
                          headers={"Authorization": f"Bearer {created['result_token']}"})
        assert result.status_code == 200 and result.json()["status"] == "complete"


# --- the staff pages -----------------------------------------------------------------------------


def test_staff_pages_answer_401_with_the_login_form(server) -> None:
    with server.client() as http:
        for method, path in (("get", "/staff"), ("post", "/staff/requests"), ("get", "/staff/requests/x"),
                             ("get", "/staff/requests/x/form")):
            answer = http.request(method, path, data={"procedure": "moving-in"} if method == "post" else None)
            assert answer.status_code == 401, path
            assert answer.headers["content-type"].startswith("text/html")
            assert 'name="token"' in answer.text and 'action="/staff/login"' in answer.text
        # the login form brings the staff back to the page they asked for
        assert 'name="next" value="/staff/requests/x"' in http.get("/staff/requests/x").text
        # a staff page is not reachable with the cookie of a wrong token
        http.cookies.set(SESSION_COOKIE, WRONG)
        assert http.get("/staff").status_code == 401


def test_login_with_a_wrong_token_sets_no_cookie(server) -> None:
    with server.client() as http:
        answer = support.staff_login(http, WRONG)
        assert answer.status_code == 401 and "set-cookie" not in answer.headers
        assert "トークンが正しくありません" in answer.text
        assert http.get("/staff").status_code == 401


def test_login_sets_an_httponly_strict_cookie_scoped_to_the_staff_pages(server) -> None:
    with server.client() as http:
        answer = support.staff_login(http)
        assert answer.status_code == 303 and answer.headers["location"] == "/staff"
        cookie = answer.headers["set-cookie"]
        attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
        assert {"httponly", "path"} <= attributes and "samesite=strict" in cookie.lower()
        assert "path=/staff" in cookie.lower() and "max-age" not in attributes and "expires" not in attributes
        assert "secure" not in attributes  # plain http on 127.0.0.1: a Secure cookie would never come back
        assert http.get("/staff").status_code == 200
        # the page's own form starts a request with the session
        created = http.post("/staff/requests", data={"procedure": "moving-in"}, follow_redirects=False)
        assert created.status_code == 303 and "#token=" in created.headers["location"]
        assert http.get(created.headers["location"].split("#")[0]).status_code == 200
        # logging out ends the session
        out = http.post("/staff/logout", follow_redirects=False)
        assert out.status_code == 303 and SESSION_COOKIE in out.headers["set-cookie"]
        assert http.get("/staff").status_code == 401


def test_cookie_is_secure_when_the_service_is_reached_over_https(clock) -> None:
    from verifier.requests import VerifierIdentity

    def factory(base_url: str):  # type: ignore[no-untyped-def]
        identity = VerifierIdentity("https://verifier.example.lg.jp")
        return create_app(ServiceSettings(identity, clock=clock, staff_tokens=(hash_staff_token(support.STAFF_TOKEN),)))

    server = support.LiveServer(factory)
    try:
        with server.client() as http:
            answer = support.staff_login(http)
        assert answer.status_code == 303
        assert "secure" in {part.strip().lower() for part in answer.headers["set-cookie"].split(";")}
    finally:
        server.stop()


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                                     {"Origin": "null"}], ids=["origin", "sec-fetch-site", "null-origin"])
def test_cross_site_posts_are_refused_even_with_the_cookie(server, headers) -> None:
    with server.client() as http:
        assert support.staff_login(http).status_code == 303
        refused = http.post("/staff/requests", data={"procedure": "moving-in"}, headers=headers, follow_redirects=False)
        assert refused.status_code == 403
        login = http.post("/staff/login", data={"token": support.STAFF_TOKEN}, headers=headers, follow_redirects=False)
        assert login.status_code == 403
        same = http.post("/staff/requests", data={"procedure": "moving-in"}, follow_redirects=False,
                         headers={"Origin": server.base_url, "Sec-Fetch-Site": "same-origin"})
        assert same.status_code == 303


@pytest.mark.parametrize("target, expected", [
    ("/staff/requests/abc", "/staff/requests/abc"),
    ("//evil.example/staff", "/staff"),
    ("https://evil.example/staff", "/staff"),
    ("/staff//evil.example", "/staff"),
    ("/staffing", "/staff"),
    ("/requests", "/staff"),
])
def test_login_redirects_only_to_staff_pages(server, target, expected) -> None:
    with server.client() as http:
        answer = http.post("/staff/login", data={"token": support.STAFF_TOKEN, "next": target}, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == expected


# --- tokens at rest ------------------------------------------------------------------------------


def test_the_verifier_refuses_a_missing_token_file(tmp_path: Path) -> None:
    # the shared checks of tokens and token files are tests/vc/test_staff_tokens.py
    with pytest.raises(UsageError, match="no staff token file"):
        read_staff_digests(tmp_path / "missing")
    path = tmp_path / "tokens"
    token = add_staff_token(path, label="窓口 3")
    assert StaffAuth(read_staff_digests(path)).check_token(token)
