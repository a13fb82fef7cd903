"""Holder: choosing Disclosures by claim path, and the Key Binding JWT."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from vc.errors import JoseError, UsageError
from vc.jose import parse_compact
from vc.keys import KeyPair
from vc.sdjwt import disclosable_paths, issue_sd_jwt_vc, parse_disclosure, parse_sd_jwt, present_sd_jwt

NOW = datetime(2025, 4, 1, 9, 0, tzinfo=timezone.utc)
ISSUER = KeyPair.from_seed(b"i" * 32)
HOLDER = KeyPair.from_seed(b"h" * 32, alg="P-256")
CLAIMS = {
    "income": {"year": 2024, "total": 4_800_000, "breakdown": {"salary": 4_000_000, "bonus": 800_000}},
    "dependents": [{"relation": "child", "age": 3}, {"relation": "spouse", "age": 35}],
}
SD = ["income", "income.total", "income.breakdown", "income.breakdown.salary", "income.breakdown.bonus", "dependents[*]", "dependents[*].age"]
ISSUED = issue_sd_jwt_vc(CLAIMS, ISSUER, vct="urn:jp:income", sd=SD, holder_key=HOLDER.public, now=NOW)


def _shown(presentation: str) -> list:
    return sorted(
        (d.name if d.name is not None else repr(d.value)) for d in map(parse_disclosure, parse_sd_jwt(presentation).disclosures)
    )


def test_lists_what_can_be_disclosed() -> None:
    paths = disclosable_paths(ISSUED)
    assert ("income", "breakdown", "bonus") in paths and ("dependents", 1) in paths and ("dependents", 0, "age") in paths
    assert len(paths) == 9


def test_nested_claim_pulls_in_its_parents_only() -> None:
    shown = _shown(present_sd_jwt(ISSUED, disclose=["income.breakdown.bonus"]))
    assert shown == ["bonus", "breakdown", "income"]


def test_a_claim_brings_everything_below_it() -> None:
    assert _shown(present_sd_jwt(ISSUED, disclose=["income.breakdown"])) == ["bonus", "breakdown", "income", "salary"]


def test_array_elements_and_wildcards() -> None:
    one = present_sd_jwt(ISSUED, disclose=["dependents[0].relation"])
    assert len(parse_sd_jwt(one).disclosures) == 1  # the element; its age stays hidden
    all_ages = present_sd_jwt(ISSUED, disclose=["dependents[*].age"])
    assert len(parse_sd_jwt(all_ages).disclosures) == 4


def test_all_or_nothing() -> None:
    assert parse_sd_jwt(present_sd_jwt(ISSUED)).disclosures == parse_sd_jwt(ISSUED).disclosures
    assert present_sd_jwt(ISSUED, disclose=[]) == ISSUED.split("~")[0] + "~"


def test_unknown_path_is_refused() -> None:
    with pytest.raises(UsageError, match="income.net"):
        present_sd_jwt(ISSUED, disclose=["income.net"])


def test_kb_jwt_contents() -> None:
    p = present_sd_jwt(ISSUED, disclose=["income.year"], holder_key=HOLDER, aud="https://v.example", nonce="n1", now=NOW)
    kb = parse_compact(parse_sd_jwt(p).kb_jwt)
    assert kb.header == {"alg": "ES256", "typ": "kb+jwt"}
    assert set(kb.payload_json()) == {"nonce", "aud", "iat", "sd_hash"}
    assert kb.payload_json()["iat"] == int(NOW.timestamp())


def test_holder_key_must_be_the_cnf_key_and_input_must_be_an_issuance() -> None:
    with pytest.raises(JoseError) as err:
        present_sd_jwt(ISSUED, holder_key=KeyPair.generate("P-256"), aud="a", nonce="n")
    assert err.value.code == "HOLDER_KEY_MISMATCH"
    p = present_sd_jwt(ISSUED, holder_key=HOLDER, aud="a", nonce="n", now=NOW)
    with pytest.raises(JoseError) as err:
        present_sd_jwt(p)
    assert err.value.code == "KB_JWT_PRESENT"
    with pytest.raises(UsageError):
        present_sd_jwt(ISSUED, aud="a", nonce="n")
