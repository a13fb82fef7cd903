"""Compact JWS: round trips and every refusal with its own code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from vc.errors import JoseError
from vc.jose.jws import (
    DEFAULT_ALGS,
    check_header,
    get_algorithm,
    parse_compact,
    sign_compact,
    verify_compact,
)
from vc.keys import KeyPair

ED = KeyPair.from_seed(bytes(range(32)))
P256 = KeyPair.generate("P-256")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _token(header: dict, payload: dict, signature: bytes = b"\x00" * 64) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}.{_b64(signature)}"


def _code(fn) -> str:
    with pytest.raises(JoseError) as err:
        fn()
    return err.value.code


@pytest.mark.parametrize("key", [ED, P256], ids=["EdDSA", "ES256"])
def test_round_trip_and_header_order(key: KeyPair) -> None:
    token = sign_compact({"sub": "x", "名前": "太郎"}, key, header={"typ": "JWT", "kid": "k1"})
    jws = verify_compact(token, key.public, typ=("JWT",))
    assert list(jws.header) == ["alg", "typ", "kid"]
    assert jws.header["alg"] == key.public.jose_alg
    assert jws.payload_json() == {"sub": "x", "名前": "太郎"}


def test_ed25519_signature_is_deterministic_and_tamper_evident() -> None:
    token = sign_compact({"a": 1}, ED)
    assert token == sign_compact({"a": 1}, ED)
    h, p, s = token.split(".")
    tampered = f"{h}.{_b64(json.dumps({'a': 2}).encode())}.{s}"
    assert _code(lambda: verify_compact(tampered, ED.public)) == "INVALID_SIGNATURE"


def test_alg_none_is_refused() -> None:
    token = _token({"alg": "none"}, {"sub": "x"}, b"")
    assert _code(lambda: verify_compact(token, ED.public)) == "ALG_NONE"
    assert _code(lambda: get_algorithm("None")) == "ALG_NONE"


def test_hs256_with_the_public_key_as_secret_is_refused() -> None:
    """Key confusion: a MAC keyed with the issuer's public key must never verify."""
    secret = json.dumps(ED.public.to_jwk()).encode()
    header, payload = _b64(b'{"alg":"HS256"}'), _b64(b'{"sub":"forged"}')
    mac = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    token = f"{header}.{payload}.{_b64(mac)}"
    assert _code(lambda: verify_compact(token, ED.public)) == "ALG_SYMMETRIC"
    assert "HS256" not in DEFAULT_ALGS


def test_alg_must_fit_the_key_type() -> None:
    token = sign_compact({"a": 1}, ED)
    h, p, s = token.split(".")
    relabelled = _b64(b'{"alg":"ES256"}') + f".{p}.{s}"
    assert _code(lambda: verify_compact(relabelled, ED.public)) == "ALG_KEY_MISMATCH"
    assert _code(lambda: verify_compact(token, P256.public)) == "ALG_KEY_MISMATCH"
    assert _code(lambda: sign_compact({"a": 1}, ED, alg="ES256")) == "ALG_KEY_MISMATCH"


def test_allow_list_is_the_callers() -> None:
    token = sign_compact({"a": 1}, P256)
    assert _code(lambda: verify_compact(token, P256.public, algs={"EdDSA"})) == "ALG_NOT_ALLOWED"
    assert _code(lambda: check_header({"alg": "RS256"})) == "ALG_NOT_ALLOWED"


def test_crit() -> None:
    assert _code(lambda: check_header({"alg": "EdDSA", "crit": ["exp"], "exp": 1})) == "CRIT_UNSUPPORTED"
    assert check_header({"alg": "EdDSA", "crit": ["exp"], "exp": 1}, understood={"exp"}).name == "EdDSA"
    for bad in ([], "exp", ["exp", "exp"], ["alg"], ["missing"]):
        header = {"alg": "EdDSA", "crit": bad, "exp": 1}
        assert _code(lambda: check_header(header, understood={"exp", "missing", "alg"})) == "MALFORMED_JWS"
    assert _code(lambda: check_header({"alg": "EdDSA", "b64": False})) == "CRIT_UNSUPPORTED"


def test_typ_compares_as_a_media_type() -> None:
    assert check_header({"alg": "EdDSA", "typ": "application/VC+JWT"}, typ=("vc+jwt",))
    assert _code(lambda: check_header({"alg": "EdDSA", "typ": "JWT"}, typ=("vc+jwt",))) == "TYP_MISMATCH"
    assert _code(lambda: check_header({"alg": "EdDSA"}, typ=("vc+jwt",))) == "TYP_MISMATCH"
    assert _code(lambda: check_header({"alg": "EdDSA", "typ": 5})) == "MALFORMED_JWS"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda h, p, s: f"{h}.{p}",  # two parts
        lambda h, p, s: f"{h}.{p}.{s}.x",  # four parts
        lambda h, p, s: f"{h}=.{p}.{s}",  # padding
        lambda h, p, s: f"{h}.{p}.{s[:-1]}*",  # a character outside base64url
        lambda h, p, s: _b64(b"[1]") + f".{p}.{s}",  # header not an object
        lambda h, p, s: _b64(b'{"alg":"EdDSA","alg":"none"}') + f".{p}.{s}",  # duplicate member
        lambda h, p, s: _b64(b'{"alg":NaN}') + f".{p}.{s}",  # not JSON
        lambda h, p, s: _b64(b"\xff\xfe") + f".{p}.{s}",  # not UTF-8
    ],
)
def test_malformed_segments(mangle) -> None:
    h, p, s = sign_compact({"a": 1}, ED).split(".")
    assert _code(lambda: verify_compact(mangle(h, p, s), ED.public)) == "MALFORMED_JWS"


def test_non_canonical_base64url_is_malformed() -> None:
    # a 64-byte signature is 86 characters whose last 4 bits are unused: setting one gives a second
    # spelling of the same bytes, which the strict decoder refuses
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    h, p, s = sign_compact({"a": 1}, ED).split(".")
    assert alphabet.index(s[-1]) % 16 == 0
    odd = s[:-1] + alphabet[alphabet.index(s[-1]) + 1]
    assert _code(lambda: parse_compact(f"{h}.{p}.{odd}")) == "MALFORMED_JWS"


def test_payload_must_be_an_object_and_size_is_bounded() -> None:
    token = sign_compact(b"[1,2]", ED)
    assert _code(lambda: verify_compact(token, ED.public).payload_json()) == "MALFORMED_JWS"
    assert _code(lambda: parse_compact("a" * 1_000_001)) == "JWS_TOO_LARGE"
    deep = sign_compact(("[" * 50_000 + "]" * 50_000).encode(), ED)
    assert _code(lambda: parse_compact(deep).payload_json()) == "MALFORMED_JWS"
