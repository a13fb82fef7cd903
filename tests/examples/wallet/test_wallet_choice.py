"""Two stored credentials answer the verifier's query: the resident picks the older one on the request page, the
page shows that credential's items, and the verifier receives the claims of the one picked (in headless Chromium,
with the browser and service fixtures of ``test_wallet_browser``)."""

from __future__ import annotations

from typing import Any

from tests.examples.wallet.test_wallet_browser import (  # noqa: F401 (pytest fixtures)
    PURPOSE,
    birth_query,
    browser,
    page,
    shot,
    stack,
)
from tests.examples.wallet.wallet_stack import HOSPITAL, Stack


def _receive(page: Any, stack: Stack, claims: dict[str, Any]) -> None:
    offer = stack.offer(claims=claims)
    page.goto(stack.wallet_url + "/receive")
    page.fill("#offer", offer["offer_uri"])
    page.click("button[type=submit]")
    page.fill("#tx_code", offer["tx_code"])
    page.click("button.primary")
    page.wait_for_selector(".notice.ok")


def test_the_resident_chooses_which_credential_answers(page: Any, stack: Stack) -> None:
    sample = dict(stack.workspace.certificate_type("BirthCertificate").sample)
    # the older certificate: another child (a girl, 佐藤), recorded without the birth weight
    older = {**sample, "child": {"familyName": "佐藤", "sex": 2},
             "mother": {"familyName": "佐藤", "givenName": "美咲"}}
    older.pop("birthWeightGrams")
    _receive(page, stack, older)
    _receive(page, stack, sample)
    page.goto(stack.wallet_url + "/")
    assert page.locator(".cards .card").count() == 2

    created = stack.request(birth_query(stack), PURPOSE)
    page.goto(created["link"])
    page.wait_for_selector("form #approve")
    choices = page.locator("fieldset.candidates label.candidate")
    assert choices.count() == 2
    newest, oldest = choices.nth(0), choices.nth(1)
    for choice in (newest, oldest):
        text = choice.inner_text()
        assert "出生証明書" in text and HOSPITAL in text and "発行日" in text and "本人" in text
    assert "子：山田" in newest.inner_text() and "子：佐藤" in oldest.inner_text()
    assert not page.locator("button.show-choice").is_visible()  # with JavaScript, a choice re-renders the page
    # the newest is chosen first, and its items (the optional weight among them) are listed
    assert newest.locator("input").is_checked() and not oldest.locator("input").is_checked()
    assert page.locator(".present-cred").get_attribute("data-credential") == newest.get_attribute("data-credential")
    assert page.locator('li.claim[data-path="birthWeightGrams"]').count() == 1
    shot(page, "13-consent-choice")

    # the resident picks the older one: the page is rendered again for it (it has no weight to offer)
    oldest_id = oldest.get_attribute("data-credential")
    oldest.locator("input").check()
    page.wait_for_selector(f'.present-cred[data-credential="{oldest_id}"]')
    assert page.locator(f'label.candidate[data-credential="{oldest_id}"] input').is_checked()
    assert page.locator('li.claim[data-path="birthWeightGrams"]').count() == 0
    assert page.locator('li.claim.required[data-path="mother"]').count() == 1
    shot(page, "14-consent-choice-older")
    page.click("#approve")
    page.wait_for_selector('[data-outcome="presented"]')

    # the verifier received the older certificate's claims
    result = stack.result(created)
    assert result["status"] == "complete" and result["outcome"]["verified"] is True, result
    claims = result["outcome"]["credentials"][0]["claims"]
    assert claims["mother"] == {"familyName": "佐藤", "givenName": "美咲"} and claims["child"]["sex"] == 2
