"""The request store: each single-use flag flips once, even with several workers on one file."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from tests.verifier import oid4vp_support as support
from vc.errors import PresentationRequestError
from verifier.requests import RequestStore, VerifierIdentity, credential_query, dcql_query, new_authorization_request

QUERY = dcql_query([credential_query("a", "ldp_vc", type_values=[["A"]])])


def _request():  # type: ignore[no-untyped-def]
    return new_authorization_request(VerifierIdentity("https://verifier.example.jp"), QUERY, now=support.T0)


def _outcome(fn):  # type: ignore[no-untyped-def]
    try:
        fn()
        return "ok"
    except PresentationRequestError as err:
        return err.code


def test_one_response_wins_across_workers(tmp_path) -> None:
    stores = [RequestStore(tmp_path / "requests.db") for _ in range(4)]
    request = _request()
    stores[0].add(request, result_token="t")
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: _outcome(lambda: stores[i % 4].consume(request.id, state=request.state,
                                                                                  now=support.T0)), range(16)))
    assert results.count("ok") == 1 and results.count("RESPONSE_REPLAYED") == 15
    with ThreadPoolExecutor(8) as pool:
        fetched = list(pool.map(lambda i: _outcome(lambda: stores[i % 4].mark_fetched(request.id, now=support.T0)), range(8)))
    assert fetched.count("ok") == 1 and fetched.count("REQUEST_URI_ALREADY_FETCHED") == 7
    for store in stores:
        store.close()


def test_state_expiry_and_purge() -> None:
    store = RequestStore()
    request = _request()
    store.add(request, result_token="secret")
    stored = store.get(request.id)
    assert stored is not None and stored.token_matches("secret") and not stored.token_matches("other")
    with pytest.raises(PresentationRequestError) as info:
        store.consume(request.id, state="another", now=support.T0)
    assert info.value.code == "STATE_MISMATCH"
    later = request.expires_at + timedelta(seconds=1)
    with pytest.raises(PresentationRequestError) as info:
        store.consume(request.id, state=request.state, now=later)
    assert info.value.code == "REQUEST_EXPIRED"
    assert store.purge(now=later, grace=timedelta(minutes=30)) == 0  # kept a while for the staff page
    assert store.purge(now=later + timedelta(minutes=31), grace=timedelta(minutes=30)) == 1
    assert store.get(request.id) is None
