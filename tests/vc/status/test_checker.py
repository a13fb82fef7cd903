"""Verifier-side status checks against a real HTTP server on 127.0.0.1: every failure a named result."""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from vc.credentials import issue_credential
from vc.did import did_key
from vc.keys import KeyPair
from vc.results import CheckResult
from vc.status import (
    INVALID,
    SUSPENDED,
    BitstringStatusList,
    FileStatusListCache,
    StatusChecker,
    StatusListFetcher,
    TokenStatusList,
    bitstring_status_entry,
    bitstring_status_list_credential,
    encode_bitstring,
    sign_status_list_token,
    status_list_claim,
    status_list_token_payload,
)

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
ISSUER = "did:example:city"
GOOD_PROOF = {"type": "TestProof", "ok": True}


def fake_verifier(doc: dict[str, Any], at: datetime) -> list[CheckResult]:
    """Stands in for proof verification: passes only documents carrying GOOD_PROOF."""
    if doc.get("proof") == GOOD_PROOF:
        return [CheckResult.ok("proof")]
    return [CheckResult.fail("proof", "INVALID_SIGNATURE", "the proof does not verify")]


def list_credential(url: str, *, revoked: tuple[int, ...] = (), purpose: str | list[str] = "revocation",
                    issuer: str = ISSUER, proof: dict | None = GOOD_PROOF, ttl_ms: int | None = None,
                    valid_until: datetime | None = None, status_size: int = 1, **subject: Any) -> bytes:
    doc = bitstring_status_list_credential(
        url=url, issuer=issuer, purpose=purpose,
        status_list=BitstringStatusList.from_statuses({i: 1 for i in revoked}, status_size=status_size),
        valid_from=NOW - timedelta(days=1), valid_until=valid_until, ttl_ms=ttl_ms,
    )
    doc["credentialSubject"].update(subject)
    if proof is not None:
        doc["proof"] = proof
    return json.dumps(doc).encode()


def credential(url: str, index: int, purpose: str = "revocation", *, issuer: str = ISSUER, **entry: Any) -> dict:
    status = bitstring_status_entry(status_list_credential=url, index=index, purpose=purpose)
    status.update(entry)
    return {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "issuer": issuer, "credentialSubject": {"id": "did:example:holder"}, "credentialStatus": status}


@pytest.fixture
def checker_for(http_server):
    def make(**options: Any) -> StatusChecker:
        fetcher = StatusListFetcher(timeout=options.pop("timeout", 2.0), max_bytes=options.pop("max_bytes", 1 << 20),
                                    allow_http_for=[http_server.authority])
        options.setdefault("verify_list_credential", fake_verifier)
        return StatusChecker(fetcher=fetcher, **options)
    return make


def only(results: tuple) -> Any:
    assert len(results) == 1
    return results[0]


# --- reading the bit ----------------------------------------------------------------------------


def test_not_revoked_revoked_and_suspended(http_server, checker_for) -> None:
    rev = http_server.serve("/status/1", list_credential(http_server.url("/status/1"), revoked=(7,)))
    sus = http_server.serve("/status/2", list_credential(http_server.url("/status/2"), revoked=(9,),
                                                         purpose="suspension"))
    checker = checker_for()
    ok = only(checker.check_credential(credential(rev, 8), now=NOW))
    assert ok.passed and ok.code is None and ok.value == 0 and not ok.offline
    revoked = only(checker.check_credential(credential(rev, 7), now=NOW))
    assert (revoked.code, revoked.value, revoked.purpose) == ("REVOKED", 1, "revocation")
    suspended = only(checker.check_credential(credential(sus, 9, "suspension"), now=NOW))
    assert suspended.code == "SUSPENDED"
    assert checker.checks(credential(rev, 7), now=NOW) == [CheckResult("status", False, "REVOKED", revoked.message)]


def test_both_entries_of_one_credential_are_checked(http_server, checker_for) -> None:
    rev = http_server.serve("/r", list_credential(http_server.url("/r")))
    sus = http_server.serve("/s", list_credential(http_server.url("/s"), revoked=(3,), purpose="suspension"))
    cred = credential(rev, 3)
    cred["credentialStatus"] = [cred["credentialStatus"], bitstring_status_entry(
        status_list_credential=sus, index=3, purpose="suspension")]
    results = checker_for().check_credential(cred, now=NOW)
    assert [(r.purpose, r.code) for r in results] == [("revocation", None), ("suspension", "SUSPENDED")]


def test_no_credential_status_means_no_status_results(checker_for) -> None:
    cred = credential("https://x.example/1", 1)
    del cred["credentialStatus"]
    assert checker_for().check_credential(cred, now=NOW) == ()


def test_message_purpose_reports_the_status_message(http_server, checker_for) -> None:
    url = http_server.serve("/m", list_credential(http_server.url("/m"), purpose="message", status_size=2,
                                                  revoked=()))
    doc = json.loads(http_server.routes["/m"].body)
    doc["credentialSubject"]["encodedList"] = BitstringStatusList.from_statuses({5: 2}, status_size=2).encode()
    http_server.serve("/m", json.dumps(doc))
    messages = [{"status": hex(i), "message": m} for i, m in enumerate(["pending", "accepted", "rejected", "x"])]
    result = only(checker_for().check_credential(
        credential(url, 5, "message", statusSize=2, statusMessage=messages), now=NOW))
    assert result.passed and result.value == 2 and result.status_message == "rejected"


def test_index_past_the_end_is_out_of_range(http_server, checker_for) -> None:
    url = http_server.serve("/s", list_credential(http_server.url("/s")))
    result = only(checker_for().check_credential(credential(url, 131_072), now=NOW))
    assert result.code == "STATUS_INDEX_OUT_OF_RANGE"


# --- the list credential is checked -------------------------------------------------------------


@pytest.mark.parametrize(
    ("list_options", "entry_purpose", "reason"),
    [
        ({"proof": {"type": "TestProof", "ok": False}}, "revocation", "INVALID_SIGNATURE"),
        ({"proof": None}, "revocation", "INVALID_SIGNATURE"),
        ({"issuer": "did:example:someone-else"}, "revocation", "STATUS_ISSUER_MISMATCH"),
        ({"purpose": "suspension"}, "revocation", "STATUS_PURPOSE_MISMATCH"),
        ({"encodedList": encode_bitstring(bytes(1024))}, "revocation", "STATUS_LIST_TOO_SHORT"),
        ({"encodedList": "zNotBase64url"}, "revocation", "STATUS_LIST_MALFORMED"),
        ({"encodedList": "u" + base64.urlsafe_b64encode(b"plain").decode().rstrip("=")}, "revocation",
         "STATUS_LIST_MALFORMED"),
        ({"type": "SomethingElse"}, "revocation", "STATUS_LIST_WRONG_TYPE"),
        ({"ttl": -1}, "revocation", "STATUS_LIST_MALFORMED"),
    ],
    ids=["bad-proof", "no-proof", "other-issuer", "wrong-purpose", "too-short", "base58", "not-gzip",
         "not-a-status-list", "bad-ttl"],
)
def test_an_untrustworthy_list_is_status_list_invalid(http_server, checker_for, list_options: dict,
                                                     entry_purpose: str, reason: str) -> None:
    url = http_server.url("/s")
    http_server.serve("/s", list_credential(url, **list_options))
    result = only(checker_for().check_credential(credential(url, 1, entry_purpose), now=NOW))
    assert (result.code, result.reason) == ("STATUS_LIST_INVALID", reason)


def test_a_list_credential_that_is_not_a_status_list_credential(http_server, checker_for) -> None:
    url = http_server.url("/s")
    doc = json.loads(list_credential(url))
    doc["type"] = ["VerifiableCredential"]
    http_server.serve("/s", json.dumps(doc))
    result = only(checker_for().check_credential(credential(url, 1), now=NOW))
    assert (result.code, result.reason) == ("STATUS_LIST_INVALID", "STATUS_LIST_WRONG_TYPE")


def test_another_issuer_is_accepted_when_the_policy_allows(http_server, checker_for) -> None:
    url = http_server.serve("/s", list_credential(http_server.url("/s"), issuer="did:example:registry-office"))
    assert only(checker_for(require_same_issuer=False).check_credential(credential(url, 1), now=NOW)).passed


def test_gzip_bomb_in_the_encoded_list_is_refused(http_server, checker_for) -> None:
    comp = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = comp.compress(bytes(1 << 20)) + comp.flush(zlib.Z_FULL_FLUSH)
    bomb = "u" + base64.urlsafe_b64encode(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + block * 64).decode().rstrip("=")
    url = http_server.serve("/s", list_credential(http_server.url("/s"), encodedList=bomb))
    result = only(checker_for().check_credential(credential(url, 1), now=NOW))
    assert (result.code, result.reason) == ("STATUS_LIST_INVALID", "STATUS_LIST_TOO_LARGE")


def test_an_expired_list_is_unavailable(http_server, checker_for) -> None:
    url = http_server.serve("/s", list_credential(http_server.url("/s"), valid_until=NOW - timedelta(hours=1)))
    result = only(checker_for().check_credential(credential(url, 1), now=NOW))
    assert (result.code, result.reason) == ("STATUS_UNAVAILABLE", "STATUS_LIST_EXPIRED")


@pytest.mark.parametrize(
    ("entry_changes", "code"),
    [
        ({"statusListIndex": 5}, "STATUS_ENTRY_MALFORMED"),
        ({"statusListIndex": "-5"}, "STATUS_ENTRY_MALFORMED"),
        ({"statusListCredential": None}, "STATUS_ENTRY_MALFORMED"),
        ({"type": "StatusList2021Entry"}, "STATUS_TYPE_UNSUPPORTED"),
        ({"statusPurpose": "refresh"}, "STATUS_PURPOSE_UNSUPPORTED"),
        ({"statusSize": 2}, "STATUS_ENTRY_MALFORMED"),
        ({"statusSize": 0}, "STATUS_ENTRY_MALFORMED"),
    ],
    ids=["int-index", "negative-index", "no-url", "other-type", "refresh", "size-without-messages", "size-zero"],
)
def test_malformed_entries_are_named(checker_for, entry_changes: dict, code: str) -> None:
    cred = credential("https://x.example/s/1", 1)
    cred["credentialStatus"].update(entry_changes)
    assert only(checker_for().check_credential(cred, now=NOW)).code == code


# --- retrieval failures, each named ---------------------------------------------------------


def test_404(http_server, checker_for) -> None:
    result = only(checker_for().check_credential(credential(http_server.url("/missing"), 1), now=NOW))
    assert (result.code, result.reason) == ("STATUS_UNAVAILABLE", "STATUS_HTTP_ERROR")
    assert "404" in result.message


def test_html_page(http_server, checker_for) -> None:
    url = http_server.serve("/s", "<!doctype html><html><body>Login</body></html>", content_type="text/html")
    result = only(checker_for().check_credential(credential(url, 1), now=NOW))
    assert (result.code, result.reason) == ("STATUS_UNAVAILABLE", "STATUS_NOT_JSON")


def test_json_content_type_with_a_non_json_body(http_server, checker_for) -> None:
    url = http_server.serve("/s", "<html>oops</html>")
    result = only(checker_for().check_credential(credential(url, 1), now=NOW))
    assert (result.code, result.reason) == ("STATUS_UNAVAILABLE", "STATUS_NOT_JSON")


def test_redirect_loop(http_server, checker_for) -> None:
    http_server.redirect("/a", "/b")
    http_server.redirect("/b", "/a")
    result = only(checker_for().check_credential(credential(http_server.url("/a"), 1), now=NOW))
    assert (result.code, result.reason) == ("STATUS_UNAVAILABLE", "STATUS_REDIRECT_LOOP")


def test_too_many_redirects(http_server, checker_for) -> None:
    for n in range(6):
        http_server.redirect(f"/r{n}", f"/r{n + 1}")
    result = only(checker_for().check_credential(credential(http_server.url("/r0"), 1), now=NOW))
    assert (result.code, result.reason) == ("STATUS_UNAVAILABLE", "STATUS_TOO_MANY_REDIRECTS")


def test_a_redirect_to_the_list_is_followed(http_server, checker_for) -> None:
    url = http_server.url("/old")
    http_server.serve("/new", list_credential(url))  # the list keeps its id; only its location moved
    http_server.redirect("/old", "/new", status=301)
    assert only(checker_for().check_credential(credential(url, 1), now=NOW)).passed


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "streamed"])
def test_a_100_mb_body_is_refused_without_reading_it(http_server, checker_for, declare_length: bool) -> None:
    url = http_server.stream("/huge", 100 * 1024 * 1024, declare_length=declare_length)
    result = only(checker_for(max_bytes=1 << 20).check_credential(credential(url, 1), now=NOW))
    assert (result.code, result.reason) == ("STATUS_UNAVAILABLE", "STATUS_RESPONSE_TOO_LARGE")
    assert http_server.streamed["/huge"] < 20 * 1024 * 1024  # the client hung up long before 100 MB


def test_timeout(http_server, checker_for) -> None:
    url = http_server.serve("/slow", list_credential(http_server.url("/slow")), delay=1.5)
    result = only(checker_for(timeout=0.3).check_credential(credential(url, 1), now=NOW))
    assert (result.code, result.reason) == ("STATUS_UNAVAILABLE", "STATUS_FETCH_TIMEOUT")


def test_connection_refused(http_server, checker_for) -> None:
    url = http_server.url("/s")
    http_server.close()
    result = only(checker_for().check_credential(credential(url, 1), now=NOW))
    assert (result.code, result.reason) == ("STATUS_UNAVAILABLE", "STATUS_FETCH_FAILED")


@pytest.mark.parametrize("url", ["http://issuer.example/status/1", "https://127.0.0.1/status/1",
                                 "https://localhost/status/1", "https://[::1]/s", "file:///etc/passwd",
                                 "https://10.0.0.8/s", "https:///no-host", "https://[::1/broken"],
                         ids=["plain-http", "loopback-ip", "localhost", "ipv6-loopback", "file", "private-ip",
                              "no-host", "unparsable"])
def test_urls_that_are_refused_before_any_request(url: str) -> None:
    result = only(StatusChecker(verify_list_credential=fake_verifier).check_credential(credential(url, 1), now=NOW))
    assert (result.code, result.reason) == ("STATUS_UNAVAILABLE", "STATUS_URL_NOT_ALLOWED")


def test_gzip_content_encoding_is_decoded_within_the_limit(http_server, checker_for) -> None:
    url = http_server.url("/s")
    http_server.serve("/s", gzip.compress(list_credential(url, revoked=(4,))), headers={"Content-Encoding": "gzip"})
    assert only(checker_for().check_credential(credential(url, 4), now=NOW)).code == "REVOKED"
    http_server.serve("/bomb", gzip.compress(b"[" + b" " * (8 << 20) + b"]"), headers={"Content-Encoding": "gzip"})
    result = only(checker_for().check_credential(credential(http_server.url("/bomb"), 4), now=NOW))
    assert (result.code, result.reason) == ("STATUS_UNAVAILABLE", "STATUS_RESPONSE_TOO_LARGE")


# --- caching and offline ------------------------------------------------------------------------


def test_a_fresh_list_is_reused_until_its_ttl(http_server, checker_for) -> None:
    url = http_server.serve("/s", list_credential(http_server.url("/s"), ttl_ms=600_000))
    checker = checker_for()
    for _ in range(3):
        assert only(checker.check_credential(credential(url, 1), now=NOW)).passed
    assert http_server.hits["/s"] == 1
    checker.check_credential(credential(url, 1), now=NOW + timedelta(minutes=9))
    assert http_server.hits["/s"] == 1
    checker.check_credential(credential(url, 1), now=NOW + timedelta(minutes=11))
    assert http_server.hits["/s"] == 2


def test_default_ttl_is_five_minutes(http_server, checker_for) -> None:
    url = http_server.serve("/s", list_credential(http_server.url("/s")))
    checker = checker_for()
    checker.check_credential(credential(url, 1), now=NOW)
    checker.check_credential(credential(url, 1), now=NOW + timedelta(minutes=4))
    assert http_server.hits["/s"] == 1
    checker.check_credential(credential(url, 1), now=NOW + timedelta(minutes=6))
    assert http_server.hits["/s"] == 2


@pytest.mark.parametrize(("cache_control", "later", "refetched"),
                         [("max-age=60", 30, False), ("max-age=60", 90, True), ("no-store", 1, True)])
def test_http_cache_control_shortens_the_cache(http_server, checker_for, cache_control: str, later: int,
                                               refetched: bool) -> None:
    url = http_server.serve("/s", list_credential(http_server.url("/s"), ttl_ms=3_600_000),
                            headers={"Cache-Control": cache_control})
    checker = checker_for()
    checker.check_credential(credential(url, 1), now=NOW)
    checker.check_credential(credential(url, 1), now=NOW + timedelta(seconds=later))
    assert http_server.hits["/s"] == (2 if refetched else 1)


def test_valid_until_caps_the_cache(http_server, checker_for) -> None:
    url = http_server.serve("/s", list_credential(http_server.url("/s"), ttl_ms=3_600_000,
                                                  valid_until=NOW + timedelta(minutes=2)))
    checker = checker_for()
    checker.check_credential(credential(url, 1), now=NOW)
    checker.check_credential(credential(url, 1), now=NOW + timedelta(minutes=3))
    assert http_server.hits["/s"] == 2


def test_offline_mode_uses_the_last_good_copy_and_reports_its_age(http_server, checker_for, tmp_path: Path) -> None:
    url = http_server.serve("/s", list_credential(http_server.url("/s"), revoked=(2,)))
    online = checker_for(cache=FileStatusListCache(tmp_path))
    assert only(online.check_credential(credential(url, 1), now=NOW)).passed
    http_server.close()

    offline = checker_for(cache=FileStatusListCache(tmp_path), offline=True)
    later = NOW + timedelta(hours=3)
    ok = only(offline.check_credential(credential(url, 1), now=later))
    assert ok.passed and ok.offline and ok.stale and ok.age == timedelta(hours=3)
    assert "3 h" in ok.message
    assert only(offline.check_credential(credential(url, 2), now=later)).code == "REVOKED"

    strict = checker_for(cache=FileStatusListCache(tmp_path), offline=True, max_offline_age=timedelta(hours=1))
    too_old = only(strict.check_credential(credential(url, 1), now=later))
    assert (too_old.code, too_old.reason) == ("STATUS_UNAVAILABLE", "STATUS_OFFLINE_COPY_TOO_OLD")


def test_offline_without_a_copy_is_unavailable(checker_for, tmp_path: Path) -> None:
    result = only(checker_for(cache=FileStatusListCache(tmp_path), offline=True).check_credential(
        credential("https://issuer.example/s/1", 1), now=NOW))
    assert (result.code, result.reason) == ("STATUS_UNAVAILABLE", "STATUS_OFFLINE_NO_COPY")


def test_a_tampered_cache_file_is_not_trusted(http_server, checker_for, tmp_path: Path) -> None:
    url = http_server.serve("/s", list_credential(http_server.url("/s"), revoked=(2,)))
    checker_for(cache=FileStatusListCache(tmp_path)).check_credential(credential(url, 2), now=NOW)
    (path,) = tmp_path.glob("*.json")
    record = json.loads(path.read_text())
    doc = json.loads(base64.b64decode(record["body"]))
    doc["credentialSubject"]["encodedList"] = BitstringStatusList.empty().encode()  # "un-revoke" 2
    doc["proof"] = {"forged": True}
    record["body"] = base64.b64encode(json.dumps(doc).encode()).decode()
    path.write_text(json.dumps(record))
    result = only(checker_for(cache=FileStatusListCache(tmp_path), offline=True).check_credential(
        credential(url, 2), now=NOW))
    assert (result.code, result.reason) == ("STATUS_UNAVAILABLE", "STATUS_OFFLINE_NO_COPY")


def test_stale_if_error_falls_back_to_the_last_good_copy(http_server, checker_for) -> None:
    url = http_server.serve("/s", list_credential(http_server.url("/s")))
    checker = checker_for(stale_if_error=True)
    checker.check_credential(credential(url, 1), now=NOW)
    http_server.serve("/s", "oops", content_type="text/plain", status=500)
    result = only(checker.check_credential(credential(url, 1), now=NOW + timedelta(hours=1)))
    assert result.passed and result.stale and result.offline and "STATUS_HTTP_ERROR" in result.message
    strict = checker_for()
    failed = only(strict.check_credential(credential(url, 1), now=NOW))
    assert failed.reason == "STATUS_HTTP_ERROR"


# --- real proofs ----------------------------------------------------------------------------------


def test_real_data_integrity_proof_and_issuer_binding(http_server) -> None:
    key = KeyPair.generate()
    issuer = did_key(key.public)
    url = http_server.url("/s")
    unsigned = json.loads(list_credential(url, revoked=(11,), issuer=issuer, proof=None))
    signed = issue_credential(unsigned, key, cryptosuite="eddsa-rdfc-2022", now=NOW - timedelta(hours=1))
    http_server.serve("/s", json.dumps(signed))
    checker = StatusChecker(fetcher=StatusListFetcher(allow_http_for=[http_server.authority]))
    assert only(checker.check_credential(credential(url, 11, issuer=issuer), now=NOW)).code == "REVOKED"
    assert only(checker.check_credential(credential(url, 12, issuer=issuer), now=NOW)).passed

    signed["credentialSubject"]["encodedList"] = BitstringStatusList.empty().encode()  # tamper: un-revoke
    http_server.serve("/t", json.dumps(signed))
    tampered = only(checker.check_credential(credential(http_server.url("/t"), 11, issuer=issuer), now=NOW))
    assert tampered.code == "STATUS_LIST_INVALID" and tampered.reason == "INVALID_SIGNATURE"


# --- IETF Token Status List -----------------------------------------------------------------------


@pytest.fixture
def token_issuer():
    key = KeyPair.generate()
    did = did_key(key.public)
    return key, did, f"{did}#{did.removeprefix('did:key:')}"


def serve_token(http_server, path: str, key: KeyPair, did: str, kid: str, statuses: dict[int, int], **overrides):
    url = http_server.url(path)
    payload = status_list_token_payload(
        uri=url, status_list=TokenStatusList.from_statuses(statuses, entries=1024, bits=2),
        issued_at=NOW - timedelta(minutes=5), issuer=did, expires_at=NOW + timedelta(days=1), ttl=600)
    payload.update(overrides)
    http_server.serve(path, sign_status_list_token(payload, key, kid=kid), content_type="application/statuslist+jwt")
    return url


@pytest.mark.parametrize(("value", "code"), [(0, None), (INVALID, "REVOKED"), (SUSPENDED, "SUSPENDED"),
                                             (3, "STATUS_UNRECOGNIZED")])
def test_token_status_values(http_server, token_issuer, value: int, code: str | None) -> None:
    key, did, kid = token_issuer
    url = serve_token(http_server, "/t/1", key, did, kid, {5: value})
    checker = StatusChecker(fetcher=StatusListFetcher(allow_http_for=[http_server.authority]))
    result = only(checker.check_token({"iss": did, "status": status_list_claim(index=5, uri=url)}, now=NOW))
    assert (result.purpose, result.code, result.value) == ("token", code, value)


@pytest.mark.parametrize(
    ("overrides", "tamper", "reason"),
    [
        ({"sub": "https://elsewhere.example/1"}, False, "STATUS_LIST_INVALID"),
        ({}, True, "INVALID_SIGNATURE"),
        ({"iss": "did:example:other"}, False, "ISSUER_MISMATCH"),
    ],
    ids=["sub", "signature", "iss-not-key-controller"],
)
def test_bad_status_list_tokens_are_invalid(http_server, token_issuer, overrides: dict, tamper: bool,
                                            reason: str) -> None:
    key, did, kid = token_issuer
    url = serve_token(http_server, "/t/1", key, did, kid, {}, **overrides)
    if tamper:
        token = http_server.routes["/t/1"].body.decode()
        head, body, sig = token.split(".")
        http_server.serve("/t/1", f"{head}.{body}.{sig[:-4]}AAAA", content_type="application/statuslist+jwt")
    checker = StatusChecker(fetcher=StatusListFetcher(allow_http_for=[http_server.authority]))
    result = only(checker.check_token({"iss": did, "status": status_list_claim(index=1, uri=url)}, now=NOW))
    assert (result.code, result.reason) == ("STATUS_LIST_INVALID", reason)


def test_token_from_another_issuer_is_refused(http_server, token_issuer) -> None:
    key, did, kid = token_issuer
    url = serve_token(http_server, "/t/1", key, did, kid, {})
    checker = StatusChecker(fetcher=StatusListFetcher(allow_http_for=[http_server.authority]))
    result = only(checker.check_token({"iss": "did:example:someone", "status": status_list_claim(index=1, uri=url)},
                                      now=NOW))
    assert (result.code, result.reason) == ("STATUS_LIST_INVALID", "STATUS_ISSUER_MISMATCH")


def test_expired_token_is_unavailable_and_tokens_are_cached_by_ttl(http_server, token_issuer) -> None:
    key, did, kid = token_issuer
    url = serve_token(http_server, "/t/1", key, did, kid, {}, exp=int((NOW - timedelta(seconds=5)).timestamp()))
    checker = StatusChecker(fetcher=StatusListFetcher(allow_http_for=[http_server.authority]))
    result = only(checker.check_token({"status": status_list_claim(index=1, uri=url)}, now=NOW))
    assert (result.code, result.reason) == ("STATUS_UNAVAILABLE", "STATUS_LIST_EXPIRED")

    url = serve_token(http_server, "/t/2", key, did, kid, {})
    for minutes in (0, 9):
        checker.check_token({"status": status_list_claim(index=1, uri=url)}, now=NOW + timedelta(minutes=minutes))
    assert http_server.hits["/t/2"] == 1
    checker.check_token({"status": status_list_claim(index=1, uri=url)}, now=NOW + timedelta(minutes=11))
    assert http_server.hits["/t/2"] == 2


def test_token_endpoints_serving_html_or_json(http_server) -> None:
    checker = StatusChecker(fetcher=StatusListFetcher(allow_http_for=[http_server.authority]))
    html = http_server.serve("/t/html", "<html></html>", content_type="text/html")
    result = only(checker.check_token({"status": status_list_claim(index=1, uri=html)}, now=NOW))
    assert (result.code, result.reason) == ("STATUS_UNAVAILABLE", "STATUS_NOT_JSON")
    text = http_server.serve("/t/text", "not a jwt", content_type="text/plain")
    result = only(checker.check_token({"status": status_list_claim(index=1, uri=text)}, now=NOW))
    assert (result.code, result.reason) == ("STATUS_UNAVAILABLE", "STATUS_NOT_JSON")


def test_token_without_status_and_broken_status_claims() -> None:
    checker = StatusChecker()
    assert checker.check_token({"iss": "x"}, now=NOW) == ()
    broken = {"status": {"status_list": {"idx": "1"}}}
    assert only(checker.check_token(broken, now=NOW)).code == "STATUS_ENTRY_MALFORMED"
