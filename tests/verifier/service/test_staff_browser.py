"""The staff pages in headless Chromium (Debian's ``chromium``, driven by Playwright; the wallet tests'
browser set-up): log in with a staff token, choose 出生届, see the request's QR code and link; a wallet
(``vc.holder``, holding a birth certificate and a resident record from the real issuer service) answers,
and the page shows the pre-filled form with each field's source credential. A wrong token shows the login
form again with a message. Screenshots go to ``test-artifacts/verifier/``.

Without ``/usr/bin/chromium`` (``scripts/install-browser.sh``) the tests skip on a developer machine and
fail under CI (``CI`` set); ``JITSUIN_CHROMIUM`` points at another Chromium binary.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import nacl.pwhash.argon2id as argon2id
import pytest

from issuers.catalog import credential_schema_document
from tests.examples.wallet import test_wallet_browser
from tests.issuers.service.service_support import Issuer, running_issuer
from tests.verifier import oid4vp_support as support
from vc.holder import Oid4vpClient, WalletStore, match_dcql, plan_presentation, present, receive_credential
from verifier import Policy, SchemaSet, TrustEntry, TrustList
from verifier.procedures import builtin_procedure, builtin_procedures

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "verifier"
PROCEDURE = "birth-registration"
WRONG_TOKEN = "not-the-staff-token-but-long-enough-0123456789"

#: the wallet tests' headless Chromium (skips without it on a developer machine, fails under CI)
browser = test_wallet_browser.browser


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A counter terminal's screen (1280 wide)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def clock() -> support.Clock:
    """The verifier's clock at the real time: the issuer service dates its credentials now."""
    return support.Clock(datetime.now(timezone.utc))


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Issuer]:
    with running_issuer(tmp_path_factory.mktemp("issuer")) as running:
        yield running


@pytest.fixture
def verifier(serve: Any, issuer: Issuer) -> Any:
    """The verifier service with the shipped procedures (出生届 among them), trusting the issuer service's did:web."""
    birth, resident = (issuer.workspace.certificate_type(name) for name in ("BirthCertificate", "ResidentRecord"))
    types = frozenset({birth.credential_type, birth.vct, resident.credential_type, resident.vct})
    policy = Policy(trust_list=TrustList((TrustEntry(types=types, did=issuer.workspace.issuer_did),)),
                    resolver=issuer.resolver(), loader=issuer.workspace.loader, status_checker=issuer.checker(),
                    schemas=SchemaSet({resident.schema_url: credential_schema_document(resident)}))
    return serve(prefix="decentralized_identifier", policy=policy, procedures=builtin_procedures())


@pytest.fixture
def wallet_store(tmp_path: Path, issuer: Issuer) -> Iterator[WalletStore]:
    """A resident's wallet (`vc.holder`) with a birth certificate (SD-JWT VC) and their own resident record (Data
    Integrity), both received from the issuer service over OpenID4VCI."""
    with WalletStore.create(tmp_path / "wallet.db", "resident passphrase", opslimit=argon2id.OPSLIMIT_MIN,
                            memlimit=argon2id.MEMLIMIT_MIN) as store:
        for type_name, formats, claims in (("BirthCertificate", ["dc+sd-jwt"], issuer.sample("BirthCertificate")),
                                           ("ResidentRecord", ["ldp_vc"], resident_record(issuer))):
            offer = issuer.offer(type=type_name, formats=formats, claims=claims)
            receive_credential(store, offer["offer_uri"], tx_code=offer["tx_code"], require_https=False,
                               resolver=issuer.resolver(), loader=issuer.workspace.loader)
        yield store


def resident_record(issuer: Issuer) -> dict[str, Any]:
    """The mother's own resident record (the catalog's sample, in her husband's household)."""
    claims = issuer.sample("ResidentRecord")
    claims.update(isHouseholder=False, householderName={"familyName": "山田", "givenName": "太郎"},
                  relationshipToHouseholder="妻")
    return claims


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Any, base_url: str, token: str) -> None:
    page.goto(base_url + "/staff")
    page.fill("input[name=token]", token)
    page.click("form button[type=submit]")


def test_staff_logs_in_requests_and_sees_the_filled_form(page: Any, verifier: Any, issuer: Issuer,
                                                         wallet_store: WalletStore) -> None:
    # without a session the staff page is the login form
    answer = page.goto(verifier.base_url + "/staff")
    assert answer.status == 401
    assert page.locator("input[name=token][type=password]").count() == 1
    shot(page, "01-login")
    log_in(page, verifier.base_url, support.STAFF_TOKEN)

    # the procedures; 出生届 starts a request
    page.wait_for_selector("h2:has-text('手続き')")
    assert "みどり市役所" in page.inner_text("h1") and "Midori City Hall" in page.inner_text("h1")
    assert page.locator("li").count() == len(builtin_procedures())
    item = page.locator("li", has_text="出生届")
    assert item.count() == 1 and "Birth registration" in item.inner_text()
    assert "転校" in page.inner_text("ul") and "School transfer" in page.inner_text("ul")
    shot(page, "02-procedures")
    item.locator("button[type=submit]").click()

    # the QR code (an inline SVG) and the deep link
    page.wait_for_selector(".qr svg")
    assert page.url.split("#")[0].startswith(verifier.base_url + "/staff/requests/")
    assert "#token=" in page.url  # the result token stays in the fragment
    assert page.inner_text("h1").startswith("出生届") and "Birth registration" in page.inner_text("h1")
    assert "出生証明書" in page.inner_text(".purpose") and "birth certificate" in page.inner_text(".purpose")
    qr = page.locator(".qr svg")
    assert qr.get_attribute("role") == "img"
    box = qr.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200  # big enough to scan from a phone
    link = page.get_attribute(".link a", "href")
    assert link is not None and link.startswith("openid4vp://?") and "request_uri=" in link
    page.wait_for_selector("#status[data-status=pending]")  # the page's script polls the result
    shot(page, "03-request-qr")

    # the resident's wallet answers the request behind the link
    with Oid4vpClient(require_https=False) as client:
        request = client.open_request(link)
        assert request.verified and request.verifier_display_name("ja") == "みどり市役所"
        plan = plan_presentation(match_dcql(request.dcql_query, wallet_store.credentials()))
        present(wallet_store, client, request, plan)

    # the page notices and shows the pre-filled form: every field filled, each with its source credential
    page.wait_for_selector("#form table[data-verified=true]")
    assert page.locator("#status").get_attribute("data-status") == "complete"
    assert "受信しました" in page.inner_text("#status")
    shot(page, "04-filled-form")
    fields = builtin_procedure(PROCEDURE).fields
    rows = page.locator("#form tr[data-field]")
    assert rows.count() == len(fields)
    for spec in fields:
        row = page.locator(f'#form tr[data-field="{spec.id}"]')
        assert spec.label["ja"] in row.locator("th").inner_text() and spec.label["en"] in row.locator("th").inner_text()
        assert row.locator(".missing").count() == 0, spec.id  # nothing left empty
        source = row.locator(".source").inner_text()
        expected = "BirthCertificateCredential" if spec.sources[0].credential == "birth" else "ResidentRecordCredential"
        assert expected in source and issuer.workspace.issuer_did in source, (spec.id, source)
    birth, resident = issuer.sample("BirthCertificate"), resident_record(issuer)

    def value(field_id: str) -> str:
        return str(page.locator(f'#form tr[data-field="{field_id}"] td').first.inner_text())

    assert value("mother_family_name") == birth["mother"]["familyName"]
    assert value("notifier_given_name") == resident["givenName"]
    # structured claims read as a person reads them, not as JSON
    assert resident["address"]["fullAddress"] in value("address") and "{" not in value("address")
    assert "山田" in value("householder") and "太郎" in value("householder") and "{" not in value("householder")


def test_a_wrong_token_shows_the_login_form_again_with_a_message(page: Any, verifier: Any) -> None:
    log_in(page, verifier.base_url, WRONG_TOKEN)
    alert = page.locator("[role=alert]")
    alert.wait_for()
    assert "トークンが正しくありません" in alert.inner_text() and "The token is not valid" in alert.inner_text()
    assert page.locator("input[name=token]").count() == 1
    assert page.context.cookies() == []  # no session
    shot(page, "05-login-wrong-token")
    answer = page.goto(verifier.base_url + "/staff")
    assert answer.status == 401
