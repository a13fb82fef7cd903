"""The wallet app in headless Chromium (Debian's ``chromium``, driven by Playwright), against the real issuer
and verifier services: receive a BirthCertificate with an offer link and its PIN, answer a verifier's request
with an optional claim left off and see the verifier accept it, decline a request, turn an optional claim on,
and find each in the history. Screenshots of every page go to ``test-artifacts/wallet/``.

Without ``/usr/bin/chromium`` (``scripts/install-browser.sh`` installs it) the tests skip on a developer
machine and fail under CI (``CI`` set). ``JITSUIN_CHROMIUM`` points at another Chromium binary.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.examples.wallet.wallet_stack import HOSPITAL, PASSPHRASE, VERIFIER_NAME, Stack, wallet_stack
from vc.holder import DisclosureHistory, WalletStore

CHROMIUM = Path(os.environ.get("JITSUIN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "wallet"
PURPOSE = {"ja": "出生届の受付のため（子の性別・出生日時・母の氏名を確認します）",
           "en": "To accept the birth registration (child's sex, time of birth, mother's name)"}


def _unavailable(reason: str) -> None:
    message = f"{reason}; run scripts/install-browser.sh (Debian chromium) and pip install -e '.[dev]'"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A phone-sized page (390x844, like a current iPhone)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    with wallet_stack(tmp_path) as running:
        yield running


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def birth_query(stack: Stack) -> dict[str, Any]:
    """Sex, time of birth and mother's name required; the birth weight (an H claim) optional."""
    claims = [{"id": "sex", "path": ["child", "sex"]}, {"id": "born", "path": ["birthDateTime"]},
              {"id": "mother", "path": ["mother"]}, {"id": "weight", "path": ["birthWeightGrams"]}]
    return {"credentials": [{"id": "birth", "format": "dc+sd-jwt", "meta": {"vct_values": [stack.vct()]},
                             "claims": claims, "claim_sets": [["sex", "born", "mother", "weight"],
                                                              ["sex", "born", "mother"]]}]}


def receive(page: Any, stack: Stack, *, screenshots: bool = False) -> None:
    offer = stack.offer()
    page.goto(stack.wallet_url + "/receive")
    page.fill("#offer", offer["offer_uri"])
    if screenshots:
        shot(page, "02-receive-link")
    page.click("button[type=submit]")
    page.wait_for_selector("#tx_code")
    assert page.inner_text(".card .card-issuer") == HOSPITAL
    assert page.inner_text(".card .card-name") == "出生証明書"
    if screenshots:
        shot(page, "03-receive-pin")
    page.fill("#tx_code", offer["tx_code"])
    page.click("button.primary")
    page.wait_for_selector(".notice.ok")


def test_receive_present_decline_and_history(page: Any, stack: Stack) -> None:
    # my credentials: empty
    page.goto(stack.wallet_url + "/")
    assert page.locator(".cards li").count() == 0
    shot(page, "01-credentials-empty")

    # receive: the offer link, then the PIN
    receive(page, stack, screenshots=True)
    assert "証明書を受け取りました" in page.inner_text(".notice.ok")
    detail = page.inner_text("table.claims")
    assert "母の氏名 › 氏" in detail and "山田" in detail and "体重（グラム）" in detail
    assert page.locator("table.claims .badge.sensitive").count() >= 1  # H claims are marked
    shot(page, "04-credential")
    page.goto(stack.wallet_url + "/")
    card = page.locator(".cards .card")
    assert card.count() == 1
    assert card.locator(".card-issuer").inner_text() == HOSPITAL
    assert card.locator(".card-name").inner_text() == "出生証明書"
    shot(page, "05-credentials")

    # a verifier's request, opened from its link (which points at the wallet)
    created = stack.request(birth_query(stack), PURPOSE)
    page.goto(created["link"])
    page.wait_for_selector("form #approve")
    assert page.inner_text(".verifier-name") == VERIFIER_NAME["ja"]
    assert stack.verifier_did in page.inner_text(".who")
    assert page.locator(".badge.verified").count() == 1
    assert page.inner_text(".purpose-text") == PURPOSE["ja"]
    weight = page.locator('li.claim[data-path="birthWeightGrams"]')
    assert weight.locator("input[type=checkbox]").is_checked() is False  # optional: off by default
    assert weight.locator(".badge.sensitive").count() == 1
    for path in ("child.sex", "birthDateTime", "mother"):
        row = page.locator(f'li.claim.required[data-path="{path}"]')
        assert row.count() == 1 and row.get_attribute("data-selected") == "yes"
    shot(page, "06-consent")
    page.click("#approve")
    page.wait_for_selector('[data-outcome="presented"]')
    shot(page, "07-presented")

    # the verifier accepted it, without the optional claim
    result = stack.result(created)
    assert result["status"] == "complete" and result["outcome"]["verified"] is True, result
    claims = result["outcome"]["credentials"][0]["claims"]
    assert claims["child"]["sex"] == 1 and claims["mother"]["familyName"] == "山田"
    assert "birthWeightGrams" not in claims

    # a second request: declined
    declined = stack.request(birth_query(stack), PURPOSE)
    page.goto(declined["link"])
    page.click("#decline")
    page.wait_for_selector('[data-outcome="refused"]')
    outcome = stack.result(declined)["outcome"]
    assert outcome["verified"] is False and "WALLET_ERROR" in outcome["codes"]

    # a third: the optional claim turned on by the resident
    shared = stack.request(birth_query(stack), PURPOSE)
    page.goto(shared["link"])
    page.check('li.claim[data-path="birthWeightGrams"] input[type=checkbox]')
    page.click("#approve")
    page.wait_for_selector('[data-outcome="presented"]')
    assert stack.result(shared)["outcome"]["credentials"][0]["claims"]["birthWeightGrams"] == 3120

    # the history: newest first, claims by label, no values
    page.goto(stack.wallet_url + "/history")
    entries = page.locator("li.entry")
    assert entries.count() == 3
    assert [entries.nth(i).get_attribute("data-outcome") for i in range(3)] == ["presented", "refused", "presented"]
    first_presented = entries.nth(2)
    assert VERIFIER_NAME["ja"] in first_presented.inner_text()
    assert PURPOSE["ja"] in first_presented.inner_text()
    chips = first_presented.locator(".chips li").all_inner_texts()
    assert "子 › 男女の別" in chips and not any("体重" in c for c in chips)
    assert any("体重" in c for c in entries.nth(0).locator(".chips li").all_inner_texts())
    assert "山田" not in page.inner_text("main")  # paths and labels only, never values
    shot(page, "08-history")

    # the same record in the library, after the app: paths, not values
    with WalletStore.open(stack.store_path, PASSPHRASE) as store:
        exported = DisclosureHistory(store).export_json()
    assert '"child.sex"' in exported and "山田" not in exported

    # English
    page.goto(stack.wallet_url + "/?lang=en")
    assert page.inner_text(".card-name-en") == "Certificate of birth"
    shot(page, "09-credentials-en")
    page.goto(stack.wallet_url + "/history")  # the choice is remembered
    assert page.inner_text("h1") == "Disclosure history"
    shot(page, "10-history-en")


def test_wrong_pin_and_a_bad_request_link_show_clear_messages(page: Any, stack: Stack) -> None:
    offer = stack.offer()
    page.goto(stack.wallet_url + "/receive")
    page.fill("#offer", offer["offer_uri"])
    page.click("button[type=submit]")
    page.fill("#tx_code", "000000" if offer["tx_code"] != "000000" else "111111")
    page.click("button.primary")
    alert = page.locator(".notice.error")
    assert alert.get_attribute("data-code") == "TOKEN_REFUSED"
    assert "暗証番号（PIN）が違う" in alert.inner_text()
    shot(page, "11-error-wrong-pin")
    page.goto(stack.wallet_url + "/")
    assert page.locator(".cards li").count() == 0  # nothing stored

    page.goto(stack.wallet_url + "/present")
    page.fill("#link", "openid4vp://?client_id=x509_san_dns%3Aevil.example&request_uri=https%3A%2F%2Fevil.example%2Fr")
    page.click("button[type=submit]")
    assert page.locator(".notice.error").get_attribute("data-code") == "REQUEST_INVALID"
    assert re.search("提示の依頼として読み取れません", page.inner_text("main"))
    assert "client identifier prefix" in page.inner_text(".detail")  # refused before fetching anything
    shot(page, "12-error-bad-request")
