"""The wallet app without a browser: each refusal is a clear page with its code, and nothing is sent that the
resident did not approve."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import nacl.pwhash.argon2id as argon2id
import pytest
from fastapi.testclient import TestClient

from examples.wallet import create_app
from tests.vc.holder.holder_support import PASSPHRASE, FakeVerifier, add_birth_certificate, birth_query, new_store
from vc.errors import WalletError, WrongPassphraseError
from vc.holder import REFUSED, DisclosureHistory
from vc.keys import KeyPair


@pytest.fixture
def fake() -> FakeVerifier:
    return FakeVerifier(KeyPair.generate())


@pytest.fixture
def wallet(tmp_path: Path, fake: FakeVerifier) -> Iterator[TestClient]:
    with new_store(tmp_path) as store:
        add_birth_certificate(store, KeyPair.generate())
    app = create_app(tmp_path / "wallet.db", PASSPHRASE, create=False, http=fake.http())
    with TestClient(app, follow_redirects=True) as client:
        yield client


def _token(page: str) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def _open(wallet: TestClient, fake: FakeVerifier) -> tuple[str, str]:
    page = wallet.get("/present", params={"link": fake.link()})
    assert page.status_code == 200
    return page.url.path, page.text


def test_the_consent_page_shows_who_why_and_what(wallet: TestClient, fake: FakeVerifier) -> None:
    fake.object = fake.sign(fake.params(dcql_query={**birth_query(), "credential_sets": [
        {"options": [["birth"]], "purpose": "出生届の受付のため", "purpose#en": "For the birth registration"}]}))
    _, page = _open(wallet, fake)
    assert "千代田区 戸籍住民課" in page and fake.did in page and "署名で確認済み" in page
    assert "出生届の受付のため" in page
    weight = re.search(r'<li class="claim optional is-sensitive" data-path="birthWeightGrams"[^>]*>(.*?)</li>',
                       page, re.S)
    assert weight and "checked" not in weight.group(1) and "要配慮" in weight.group(1)
    english = wallet.get(wallet.get("/present", params={"link": fake.link(), "lang": "en"}).url.path)
    assert "For the birth registration" in english.text and "Sensitive" in english.text


def test_a_request_whose_signature_fails_is_not_opened(wallet: TestClient, fake: FakeVerifier) -> None:
    fake.object = fake.sign(fake.params(), key=KeyPair.generate())
    page = wallet.get("/present", params={"link": fake.link()})
    assert page.status_code == 400
    assert 'data-code="REQUEST_SIGNATURE_INVALID"' in page.text and "署名を確認できなかった" in page.text


def test_approving_without_a_needed_optional_claim_sends_nothing(wallet: TestClient, fake: FakeVerifier) -> None:
    fake.object = fake.sign(fake.params(dcql_query=birth_query(extra={"claim_sets": [["sex", "weight"],
                                                                                     ["sex", "born"]]})))
    path, page = _open(wallet, fake)
    answer = wallet.post(path, data={"form_token": _token(page), "action": "approve"})
    assert answer.status_code == 409 and 'data-code="APPROVAL_REQUIRED"' in answer.text
    assert [r.method for r in fake.requests] == ["GET"]  # the request object only: nothing was posted
    chosen = wallet.post(path, data={"form_token": _token(page), "action": "approve",
                                     "opt:birth": '["birthDateTime"]'})
    assert chosen.status_code == 200 and 'data-outcome="presented"' in chosen.text
    assert fake.requests[-1].method == "POST"


def test_a_stale_form_is_refused(wallet: TestClient, fake: FakeVerifier) -> None:
    fake.object = fake.sign(fake.params())
    path, _ = _open(wallet, fake)
    answer = wallet.post(path, data={"form_token": "forged", "action": "approve"})
    assert answer.status_code == 400 and "USAGE" in answer.text
    assert [r.method for r in fake.requests] == ["GET"]


def test_an_unanswerable_request_can_only_be_declined_and_is_recorded(wallet: TestClient, fake: FakeVerifier,
                                                                      tmp_path: Path) -> None:
    query = {"credentials": [{"id": "tax", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://example.org/Tax"]}}]}
    fake.object = fake.sign(fake.params(dcql_query=query))
    path, page = _open(wallet, fake)
    assert 'data-code="REQUEST_UNSATISFIABLE"' in page and 'id="approve"' not in page
    declined = wallet.post(path, data={"form_token": _token(page), "action": "decline"})
    assert 'data-outcome="refused"' in declined.text
    assert b"error=access_denied" in fake.requests[-1].content
    entries = DisclosureHistory(wallet.app.state.wallet.store).entries()
    assert [e.outcome for e in entries] == [REFUSED]


def test_a_wrong_passphrase_or_a_damaged_file_does_not_start_the_app(tmp_path: Path) -> None:
    new_store(tmp_path).close()
    with pytest.raises(WrongPassphraseError):
        create_app(tmp_path / "wallet.db", "wrong")
    (tmp_path / "damaged.db").write_bytes(b"\x01" * 4096)
    with pytest.raises(WalletError) as caught:
        create_app(tmp_path / "damaged.db", PASSPHRASE, opslimit=argon2id.OPSLIMIT_MIN,
                   memlimit=argon2id.MEMLIMIT_MIN)
    assert caught.value.code == "WALLET_CORRUPT"
