"""verify_credential / verify_presentation: every format, and each policy check with its own code."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from vc.credentials import issue_credential
from vc.errors import PolicyError
from vc.jose import issue_vc_jwt, issue_vp_jwt
from vc.status import (
    BitstringStatusList,
    StatusChecker,
    StatusListFetcher,
    StatusResult,
    bitstring_status_entry,
    bitstring_status_list_credential,
)
from verifier import Policy, TrustList, VerifierResult, verify_credential, verify_presentation

NOW = datetime(2025, 6, 2, 1, 0, tzinfo=timezone.utc)
AUDIENCE = "redirect_uri:https://city.example.lg.jp/verifier/response"
NONCE = "n-4c9f2a"
RESIDENT = {"familyName": "山田", "givenName": "花子", "birthDate": "1988-04-01",
            "address": {"fullAddress": "東京都千代田区霞が関二丁目1-2"}, "municipalityCode": "131016"}
VCT_RESIDENT = "https://w3id.org/jitsuin/vct/ResidentRecord/v1"
ALIASES = {VCT_RESIDENT: "ResidentRecordCredential"}


def _codes(result: VerifierResult) -> tuple[str, ...]:
    return result.codes


# --- single credentials --------------------------------------------------------------------


def test_data_integrity_credential(world) -> None:
    cred = world.di("city", "ResidentRecordCredential", RESIDENT, credential_id="urn:uuid:1b6e0f5c-3b1a-4c55-8f0e-1")
    result = verify_credential(cred, policy=world.policy(), now=NOW)
    assert result.verified and result.kind == "credential"
    vc = result.credentials[0]
    assert (vc.format, vc.issuer, vc.types) == ("ldp_vc", world.did("city"), ("ResidentRecordCredential",))
    assert vc.claims["givenName"] == "花子" and "id" not in vc.claims
    assert vc.credential_id == "urn:uuid:1b6e0f5c-3b1a-4c55-8f0e-1" and vc.subject_id == world.holder_did
    assert [c.check for c in vc.checks] == ["format", "algorithm", "trust"]
    assert vc.result.verified and vc.result.format == "ldp_vc"


def test_tampered_credential_reports_the_core_code_and_no_claims(world) -> None:
    cred = copy.deepcopy(world.di("city", "ResidentRecordCredential", RESIDENT))
    cred["credentialSubject"]["givenName"] = "偽子"
    result = verify_credential(cred, policy=world.policy(), now=NOW)
    assert not result.verified and "INVALID_SIGNATURE" in result.codes
    assert result.credentials[0].claims == {}
    assert "trust" not in [c.check for c in result.credentials[0].checks]


def test_sd_jwt_vc_credential_with_type_alias(world) -> None:
    sd = world.sd("city", "ResidentRecord", RESIDENT)
    result = verify_credential(sd, policy=world.policy(type_aliases=ALIASES), now=NOW)
    assert result.verified, result.codes
    vc = result.credentials[0]
    assert vc.types == (VCT_RESIDENT,) and vc.format == "dc+sd-jwt"
    assert vc.claims == RESIDENT  # no iss / vct / cnf / iat among the claims
    unaliased = verify_credential(sd, policy=world.policy(), now=NOW)
    assert unaliased.codes == ("ISSUER_NOT_TRUSTED_FOR_TYPE",)


def test_vc_jwt_credential(world) -> None:
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/jitsuin/v1"],
           "type": ["VerifiableCredential", "ResidentRecordCredential"], "issuer": world.did("city"),
           "validFrom": "2025-06-01T00:00:00Z", "credentialSubject": {"id": world.holder_did, **RESIDENT}}
    token = issue_vc_jwt(doc, world.keys["city"], kid=world.vm("city"), now=NOW, loader=world.loader)
    result = verify_credential(token, policy=world.policy(), now=NOW)
    assert result.verified, result.codes
    assert result.credentials[0].format == "vc+jwt"
    refused = verify_credential(token, policy=world.policy(formats={"ldp_vc", "dc+sd-jwt"}), now=NOW)
    assert refused.codes == ("FORMAT_NOT_ACCEPTED",)


def test_algorithm_not_accepted(world) -> None:
    cred = world.di("city", "ResidentRecordCredential", RESIDENT)
    result = verify_credential(cred, policy=world.policy(cryptosuites={"ecdsa-rdfc-2019"}), now=NOW)
    assert result.codes == ("ALG_NOT_ACCEPTED",)
    sd = world.sd("city", "ResidentRecord", RESIDENT)
    result = verify_credential(sd, policy=world.policy(type_aliases=ALIASES, algs={"ES256"}), now=NOW)
    assert result.codes == ("ALG_NOT_ACCEPTED",)


def test_credential_too_old(world) -> None:
    cred = world.di("city", "ResidentRecordCredential", RESIDENT, valid_from=NOW - timedelta(days=100))
    assert verify_credential(cred, policy=world.policy(max_credential_age=timedelta(days=120)), now=NOW).verified
    result = verify_credential(cred, policy=world.policy(max_credential_age=timedelta(days=90)), now=NOW)
    assert result.codes == ("CREDENTIAL_TOO_OLD",)
    sd = world.sd("city", "ResidentRecord", RESIDENT, issued=NOW - timedelta(days=100))
    result = verify_credential(sd, policy=world.policy(type_aliases=ALIASES, max_credential_age=timedelta(days=90)),
                               now=NOW)
    assert result.codes == ("CREDENTIAL_TOO_OLD",)


def test_malformed_input_is_a_result_not_an_exception(world) -> None:
    for bad in ("not a credential", b"\xff\xfe", 42, "{not json"):
        result = verify_credential(bad, policy=world.policy(), now=NOW)
        assert not result.verified and result.credentials == () and result.codes in (("MALFORMED",),)


def test_presentation_given_to_verify_credential(world) -> None:
    vp = world.vp([world.di("city", "ResidentRecordCredential", RESIDENT)])
    assert verify_credential(vp, policy=world.policy(), now=NOW).codes == ("FORMAT_NOT_ACCEPTED",)


def test_policy_rejects_unknown_formats_and_missing_trust_list() -> None:
    with pytest.raises(PolicyError) as info:
        Policy(trust_list=TrustList(), formats={"mso_mdoc"})
    assert info.value.code == "POLICY_INVALID"
    with pytest.raises(PolicyError):
        Policy(trust_list=None)  # type: ignore[arg-type]


# --- status ---------------------------------------------------------------------------------


class _FakeChecker:
    """Answers fixed StatusResults (the real checker is exercised in test_status_with_a_real_status_list)."""

    def __init__(self, code: str | None, reason: str | None = None) -> None:
        self.code, self.reason, self.calls = code, reason, 0

    def _result(self, purpose: str) -> tuple[StatusResult, ...]:
        self.calls += 1
        return (StatusResult(purpose, "https://city.example.lg.jp/status/1", 7, self.code, "status read",
                             reason=self.reason),)

    def check_credential(self, credential, *, now=None):
        return self._result("revocation")

    def check_token(self, payload, *, now=None):
        return self._result("token")


def _with_status(world) -> dict:
    entry = bitstring_status_entry(status_list_credential="https://city.example.lg.jp/status/1", index=7,
                                   purpose="revocation")
    return world.di("city", "ResidentRecordCredential", RESIDENT, extra={"credentialStatus": entry})


def test_status_codes_and_policy(world) -> None:
    cred = _with_status(world)
    policy = world.policy(check_status=True)
    assert verify_credential(cred, policy=policy, now=NOW, status_checker=_FakeChecker(None)).verified
    assert verify_credential(cred, policy=policy, now=NOW, status_checker=_FakeChecker("REVOKED")).codes == ("REVOKED",)
    unavailable = _FakeChecker("STATUS_UNAVAILABLE", "STATUS_FETCH_TIMEOUT")
    assert verify_credential(cred, policy=policy, now=NOW, status_checker=unavailable).codes == ("STATUS_UNAVAILABLE",)
    lenient = verify_credential(cred, policy=world.policy(check_status=True, status_unavailable_fails=False), now=NOW,
                                status_checker=unavailable)
    assert lenient.verified
    status = next(c for c in lenient.credentials[0].checks if c.check == "status")
    assert status.code == "STATUS_UNAVAILABLE" and "accepted by this policy" in status.message
    assert verify_credential(cred, policy=policy, now=NOW).codes == ("STATUS_CHECKER_MISSING",)
    assert verify_credential(cred, policy=world.policy(check_status=True, status_checker=_FakeChecker(None)),
                             now=NOW).verified


def test_status_required(world) -> None:
    cred = world.di("city", "ResidentRecordCredential", RESIDENT)
    checker = _FakeChecker(None)
    result = verify_credential(cred, policy=world.policy(check_status=True, require_status=True), now=NOW,
                               status_checker=checker)
    assert result.codes == ("STATUS_REQUIRED",) and checker.calls == 0


def test_status_not_checked_for_a_credential_that_did_not_verify(world) -> None:
    cred = _with_status(world)
    cred["credentialSubject"]["givenName"] = "偽子"
    checker = _FakeChecker(None)
    verify_credential(cred, policy=world.policy(check_status=True), now=NOW, status_checker=checker)
    assert checker.calls == 0


def test_status_of_an_sd_jwt_goes_to_the_token_checker(world) -> None:
    sd = world.sd("city", "ResidentRecord", RESIDENT,
                  status={"status_list": {"idx": 3, "uri": "https://city.example.lg.jp/statuslists/1"}})
    checker = _FakeChecker("SUSPENDED")
    result = verify_credential(sd, policy=world.policy(type_aliases=ALIASES, check_status=True), now=NOW,
                               status_checker=checker)
    assert result.codes == ("SUSPENDED",) and checker.calls == 1


def test_status_with_a_real_status_list(world) -> None:
    """A signed BitstringStatusListCredential served over a mock transport, read by vc.status.StatusChecker."""
    url = "https://city.example.lg.jp/status/1"
    unsigned = bitstring_status_list_credential(
        url=url, issuer=world.did("city"), purpose="revocation",
        status_list=BitstringStatusList.from_statuses({7: 1}), valid_from=NOW - timedelta(days=1))
    signed = issue_credential(unsigned, world.keys["city"], verification_method=world.vm("city"),
                              now=NOW - timedelta(days=1), loader=world.loader)
    body = json.dumps(signed).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=httpx.ByteStream(body), headers={"Content-Type": "application/vc+ld+json"})

    checker = StatusChecker(fetcher=StatusListFetcher(client=httpx.Client(transport=httpx.MockTransport(handler))),
                            resolver=world.resolver, loader=world.loader)
    policy = world.policy(check_status=True, status_checker=checker)
    revoked = _with_status(world)  # index 7
    assert verify_credential(revoked, policy=policy, now=NOW).codes == ("REVOKED",)
    fine = world.di("city", "ResidentRecordCredential", RESIDENT, extra={"credentialStatus": bitstring_status_entry(
        status_list_credential=url, index=8, purpose="revocation")})
    assert verify_credential(fine, policy=policy, now=NOW).verified


# --- presentations --------------------------------------------------------------------------


def test_sd_jwt_presentation_with_key_binding(world) -> None:
    vp = world.present(world.sd("city", "ResidentRecord", RESIDENT), disclose=["familyName", "givenName"])
    result = verify_presentation(vp, policy=world.policy(type_aliases=ALIASES), audience=AUDIENCE, nonce=NONCE, now=NOW)
    assert result.verified, result.codes
    assert result.credentials[0].claims == {"familyName": "山田", "givenName": "花子"}
    wrong = verify_presentation(vp, policy=world.policy(type_aliases=ALIASES), audience="redirect_uri:https://evil",
                                nonce=NONCE, now=NOW)
    assert "AUD_MISMATCH" in wrong.codes


def test_sd_jwt_without_key_binding_when_binding_is_required(world) -> None:
    bare = world.sd("city", "ResidentRecord", RESIDENT)
    result = verify_presentation(bare, policy=world.policy(type_aliases=ALIASES), now=NOW)
    assert not result.verified and result.codes == ("KB_JWT_MISSING",)
    lax = world.policy(type_aliases=ALIASES, holder_binding_required=False, subject_must_be_holder=False)
    assert verify_presentation(bare, policy=lax, now=NOW).verified


def test_without_any_holder_proof_the_subject_cannot_be_compared(world) -> None:
    bare = world.sd("city", "ResidentRecord", RESIDENT)
    result = verify_presentation(bare, policy=world.policy(type_aliases=ALIASES, holder_binding_required=False), now=NOW)
    assert result.codes == ("SUBJECT_NOT_HOLDER",)


def test_data_integrity_presentation(world) -> None:
    vp = world.vp([world.di("city", "ResidentRecordCredential", RESIDENT)])
    result = verify_presentation(vp, policy=world.policy(), audience=AUDIENCE, nonce=NONCE, now=NOW)
    assert result.verified, result.codes
    assert result.holder == world.holder_did
    assert [c.check for c in result.checks][-2:] == ["format", "algorithm"]
    replay = verify_presentation(vp, policy=world.policy(), audience=AUDIENCE, nonce="another", now=NOW)
    assert "CHALLENGE_MISMATCH" in replay.codes
    refused = verify_presentation(vp, policy=world.policy(formats={"ldp_vc", "dc+sd-jwt"}), audience=AUDIENCE,
                                  nonce=NONCE, now=NOW)
    assert refused.codes == ("FORMAT_NOT_ACCEPTED",)


def test_someone_elses_credential_in_my_presentation(world) -> None:
    theirs = world.di("city", "ResidentRecordCredential", RESIDENT, subject_id="did:example:someone-else")
    result = verify_presentation(world.vp([theirs]), policy=world.policy(), audience=AUDIENCE, nonce=NONCE, now=NOW)
    assert set(result.codes) == {"HOLDER_BINDING_REQUIRED", "SUBJECT_NOT_LINKED"}


def test_vp_jwt(world) -> None:
    # the examples context (bundled in vc): enveloped credentials of a vp+jwt are checked with vc's own loader
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
           "type": ["VerifiableCredential", "ResidentRecordCredential"], "issuer": world.did("city"),
           "validFrom": "2025-06-01T00:00:00Z", "credentialSubject": {"id": world.holder_did, **RESIDENT}}
    token = issue_vc_jwt(doc, world.keys["city"], kid=world.vm("city"), now=NOW, loader=world.loader)
    vp = issue_vp_jwt([token], world.holder, aud=AUDIENCE, nonce=NONCE, now=NOW)
    result = verify_presentation(vp, policy=world.policy(), audience=AUDIENCE, nonce=NONCE, now=NOW)
    assert result.verified, result.codes
    assert result.holder == world.holder_did and result.credentials[0].format == "vc+jwt"


def test_vp_token_object_and_lists(world) -> None:
    sd = world.present(world.sd("city", "ResidentRecord", RESIDENT))
    vp = world.vp([world.di("city", "ResidentRecordCredential", RESIDENT)])
    result = verify_presentation({"resident_sd": [sd], "resident_ldp": [vp]}, policy=world.policy(type_aliases=ALIASES),
                                 audience=AUDIENCE, nonce=NONCE, now=NOW)
    assert result.verified, result.codes
    assert [c.query_id for c in result.credentials] == ["resident_sd", "resident_ldp"]
    assert verify_presentation([sd, vp], policy=world.policy(type_aliases=ALIASES), audience=AUDIENCE, nonce=NONCE,
                               now=NOW).verified
    single = verify_presentation({"resident_sd": sd}, policy=world.policy(type_aliases=ALIASES), audience=AUDIENCE,
                                 nonce=NONCE, now=NOW)
    assert single.verified and single.credentials[0].query_id == "resident_sd"
    as_text = verify_presentation(json.dumps({"resident_sd": [sd]}), policy=world.policy(type_aliases=ALIASES),
                                  audience=AUDIENCE, nonce=NONCE, now=NOW)
    assert as_text.verified and as_text.credentials[0].query_id == "resident_sd"


def test_empty_and_malformed_presentations(world) -> None:
    empty = verify_presentation([], policy=world.policy(), now=NOW)
    assert not empty.verified and empty.codes == ("NO_CREDENTIALS",)
    bad = verify_presentation({"q": ["not a presentation"]}, policy=world.policy(), now=NOW)
    assert not bad.verified and bad.codes == ("MALFORMED", "NO_CREDENTIALS")


def test_replayed_nonce_is_reported(world) -> None:
    vp = world.present(world.sd("city", "ResidentRecord", RESIDENT))
    seen: set[str] = set()

    def seen_nonces(nonce: str) -> bool:
        used = nonce in seen
        seen.add(nonce)
        return used

    policy = world.policy(type_aliases=ALIASES)
    assert verify_presentation(vp, policy=policy, audience=AUDIENCE, nonce=NONCE, now=NOW, seen_nonces=seen_nonces).verified
    again = verify_presentation(vp, policy=policy, audience=AUDIENCE, nonce=NONCE, now=NOW, seen_nonces=seen_nonces)
    assert "NONCE_REUSED" in again.codes


def test_result_to_dict_without_claims(world) -> None:
    vp = world.present(world.sd("city", "ResidentRecord", RESIDENT))
    result = verify_presentation(vp, policy=world.policy(type_aliases=ALIASES), audience=AUDIENCE, nonce=NONCE, now=NOW)
    with_claims = json.dumps(result.to_dict(), ensure_ascii=False)
    without = json.dumps(result.to_dict(claims=False), ensure_ascii=False)
    assert "花子" in with_claims and "花子" not in without and "霞が関" not in without
