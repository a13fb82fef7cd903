"""The staff pages over HTTP: pick a procedure, show its QR code, and after the wallet answers,
the pre-filled form with each field's source; the audit log gets the verdict, never a claim value."""

from __future__ import annotations

import re

import pytest

from tests.verifier import oid4vp_support as support
from verifier import open_audit_log


@pytest.fixture
def staff_server(serve, hospital, city, tmp_path):  # type: ignore[no-untyped-def]
    audit = open_audit_log(tmp_path / "audit.db")
    procedure = support.moving_in_procedure()
    server = serve(policy=support.trust_policy(hospital, city), procedures={procedure.id: procedure}, audit=audit)
    yield server, audit
    audit.close()


def _start(http):  # type: ignore[no-untyped-def]
    assert support.staff_login(http).status_code == 303
    home = http.get("/staff")
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    assert "転入届" in home.text and "Moving-in notification" in home.text and "みどり市役所" in home.text
    action = re.search(r'<form method="post" action="([^"]+)"', home.text).group(1)
    answer = http.post(action, data={"procedure": "moving-in"}, follow_redirects=False)
    assert answer.status_code == 303
    location = answer.headers["location"]
    path, _, fragment = location.partition("#token=")
    assert fragment and "token" not in path  # the token stays in the fragment, out of server logs
    return path, fragment


def test_staff_page_shows_the_qr_code_and_then_the_filled_form(staff_server, wallet, hospital, city) -> None:
    server, audit = staff_server
    with server.client() as http:
        page_path, token = _start(http)
        page = http.get(page_path)
        assert page.status_code == 200
        assert '<svg role="img"' in page.text and "<title>OpenID4VP</title>" in page.text
        assert "転入届の記入のため" in page.text and "To fill in the moving-in notification" in page.text
        link = re.search(r'<a href="(openid4vp://[^"]+)"', page.text).group(1).replace("&amp;", "&")
        request_id = page_path.rsplit("/", 1)[1]
        form_path = f"{page_path}/form"
        auth = {"Authorization": f"Bearer {token}"}
        assert http.get(form_path, headers=auth).status_code == 202  # nothing yet
        assert http.get(form_path).status_code == 403  # the token is needed

        params = wallet.open(link, http)
        birth = hospital.sd_jwt_vc(support.BIRTH_VCT, {"child": {"name": "山田花子", "birthDate": "2026-03-30"},
                                                        "birthWeightGrams": 3012},
                                   holder=wallet.key, sd=[["child"], ["child", "name"], ["child", "birthDate"],
                                                          ["birthWeightGrams"]])
        resident = city.di_credential("ResidentRecordCredential", {"id": wallet.did, "name": "山田陽子",
                                                                    "address": "みどり市中央1-2-3", "phone": "090-0000-0000"})
        token_ = {"birth": [wallet.present_sd_jwt(birth, params, "birth", extra=[["birthWeightGrams"]])],
                  "resident": [wallet.present_di([resident], params)]}
        answer = wallet.respond(params, token_, http)
        assert answer.status_code == 200, answer.text

        result = http.get(f"/requests/{request_id}/result", headers=auth).json()
        assert result["status"] == "complete"
        form = result["outcome"]["form"]
        assert form["complete"] is True
        fields = {f["id"]: f for f in form["fields"]}
        assert fields["child_name"]["value"] == "山田花子"
        assert fields["child_name"]["source"]["issuer"] == hospital.did
        assert fields["new_address"]["value"] == "みどり市中央1-2-3"

        fragment = http.get(form_path, headers=auth)
        assert fragment.status_code == 200
        assert 'data-verified="true"' in fragment.text
        assert "子の氏名" in fragment.text and "山田花子" in fragment.text and "Child&#x27;s name" in fragment.text
        assert "BirthCertificateCredential" in fragment.text
        for never in ("3012", "090-0000-0000"):
            assert never not in fragment.text and never not in str(result)

    rows = audit.records(request_id=request_id)
    assert len(rows) == 1 and rows[0].verified is True and rows[0].procedure == "moving-in"
    assert set(rows[0].issuers) == {hospital.did, city.did}
    stored = str(rows[0].to_dict())
    assert "山田" not in stored and "みどり市" not in stored


def test_refused_response_shows_the_codes_not_a_form(staff_server, wallet, hospital) -> None:
    server, audit = staff_server
    with server.client() as http:
        page_path, token = _start(http)
        link = re.search(r'<a href="(openid4vp://[^"]+)"', http.get(page_path).text).group(1).replace("&amp;", "&")
        params = wallet.open(link, http)
        birth = hospital.sd_jwt_vc(support.BIRTH_VCT, {"child": {"name": "山田花子", "birthDate": "2026-03-30"}},
                                   holder=wallet.key, sd=[["child", "name"], ["child", "birthDate"]])
        answer = wallet.respond(params, {"birth": [wallet.present_sd_jwt(birth, params, "birth")]}, http)
        assert answer.status_code == 400 and answer.json()["errorCode"] == "CREDENTIAL_MISSING"
        fragment = http.get(f"{page_path}/form", headers={"Authorization": f"Bearer {token}"})
        assert 'data-verified="false"' in fragment.text and "CREDENTIAL_MISSING" in fragment.text
        assert "山田花子" not in fragment.text
    rows = audit.records()
    assert rows[-1].verified is False and "CREDENTIAL_MISSING" in rows[-1].codes


def test_procedures_are_listed_and_requestable_by_api(staff_server) -> None:
    server, _ = staff_server
    with server.client() as http:
        listed = http.get("/procedures", headers=support.STAFF).json()
        assert listed == [{"id": "moving-in", "name": {"ja": "転入届", "en": "Moving-in notification"},
                           "purpose": {"ja": "転入届の記入のため", "en": "To fill in the moving-in notification"}}]
        created = http.post("/requests", json={"procedure": "moving-in"}, headers=support.STAFF)
        assert created.status_code == 201 and created.json()["procedure"] == "moving-in"
        unknown = http.post("/requests", json={"procedure": "nope"}, headers=support.STAFF)
        assert unknown.status_code == 404 and unknown.json()["errorCode"] == "PROCEDURE_NOT_FOUND"
