"""examples/rental_application: the company's form, its decision rule, and a whole application."""

from __future__ import annotations

from fastapi.testclient import TestClient

from examples.rental_application import COMPANY, create_app, screen
from examples.rental_application.__main__ import main
from vc.results import CheckResult
from verifier import Policy, TrustList
from verifier.requests import AcceptedCredential, ResponseOutcome, VerifierIdentity

VCT = "https://w3id.org/jitsuin/vct/{}/v1"


def _outcome(income: dict, residence: dict) -> ResponseOutcome:
    return ResponseOutcome("r1", None, (CheckResult.ok("query:income"),), (
        AcceptedCredential("income", "dc+sd-jwt", "did:web:city.example.lg.jp", (VCT.format("ResidentTaxCertificate"),),
                           income),
        AcceptedCredential("residence", "dc+sd-jwt", "did:web:city.example.lg.jp", (VCT.format("ResidentRecord"),),
                           residence)))


def test_the_decision_needs_both_facts() -> None:
    assert screen(_outcome({"incomeBelow3000000": False}, {"municipalityCode": "131016"})).accepted
    assert not screen(_outcome({"incomeBelow3000000": True}, {"municipalityCode": "131016"})).accepted
    assert not screen(_outcome({"incomeBelow3000000": False}, {"municipalityCode": "271004"})).accepted  # Osaka
    assert not screen(_outcome({}, {"municipalityCode": "131016"})).accepted  # no answer is not "above"


def test_the_form_page_and_a_pending_application() -> None:
    app = create_app(VerifierIdentity("https://rental.example.co.jp", name=dict(COMPANY)), Policy(trust_list=TrustList()))
    client = TestClient(app)
    page = client.get("/")
    assert page.status_code == 200 and "入居申込" in page.text and 'action="/applications"' in page.text
    applied = client.post("/applications")
    assert applied.status_code == 201 and "<svg" in applied.text and "openid4vp://" in applied.text
    rid = next(name for name in client.cookies if name.startswith("rental_")).removeprefix("rental_")
    result = client.get(f"/applications/{rid}", headers={"Accept": "application/json"})
    assert result.status_code == 200 and result.json()["status"] == "pending"
    assert client.get("/applications/unknown").status_code == 404
    client.cookies.clear()
    assert client.get(f"/applications/{rid}").status_code == 400  # no token, no result


def test_a_resident_applies_and_is_accepted(capsys) -> None:
    assert main() == 0
    out = capsys.readouterr().out
    assert "sends from Certificate of resident tax and income: fiscalYear, incomeBelow3000000, municipalityCode" in out
    assert "sends from Certificate of residence: municipalityCode" in out
    assert "income of at least 3,000,000 yen: True (the amount was not disclosed)" in out
    assert "4368000" not in out
    assert out.rstrip().endswith("application accepted")
