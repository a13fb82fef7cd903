import json
from pathlib import Path

import pytest

from vc.encoding import b64url_decode, b64url_encode
from vc.errors import InvalidKeyError, UnsupportedKeyTypeError
from vc.keys import KeyPair, PublicKey

VECTORS = Path(__file__).resolve().parents[2] / "vectors"
ALGS = ["Ed25519", "P-256"]

# RFC 8037 Appendix A.1 (private key), A.4 (JWS "Example of Ed25519 signing" with that key)
RFC8037_JWK = {
    "kty": "OKP",
    "crv": "Ed25519",
    "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
    "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
}
RFC8037_SIGNING_INPUT = b"eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
RFC8037_SIGNATURE = "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"


@pytest.fixture(params=ALGS)
def pair(request):
    return KeyPair.generate(request.param)


def test_sign_verify_round_trip(pair):
    message = b"credential bytes"
    signature = pair.sign(message)
    assert len(signature) == 64
    assert pair.public.verify(signature, message)


def test_tampered_message_and_signature_fail(pair):
    signature = pair.sign(b"hello")
    assert not pair.public.verify(signature, b"hellO")
    assert not pair.public.verify(signature, b"")
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    assert not pair.public.verify(flipped, b"hello")
    assert not pair.public.verify(signature[:-1], b"hello")
    assert not pair.public.verify(signature + b"\x00", b"hello")
    assert not pair.public.verify(b"", b"hello")
    assert not pair.public.verify("not bytes", b"hello")  # type: ignore[arg-type]


def test_other_key_does_not_verify(pair):
    other = KeyPair.generate(pair.alg)
    assert not other.public.verify(pair.sign(b"m"), b"m")


def test_p256_zero_signature_is_invalid_not_an_error():
    assert not KeyPair.generate("P-256").public.verify(bytes(64), b"m")


def test_ed25519_is_deterministic_and_matches_rfc8037():
    pair = KeyPair.from_jwk(RFC8037_JWK)
    assert pair.public.to_jwk()["x"] == RFC8037_JWK["x"]
    signature = pair.sign(RFC8037_SIGNING_INPUT)
    assert b64url_encode(signature) == RFC8037_SIGNATURE
    assert pair.sign(RFC8037_SIGNING_INPUT) == signature
    assert PublicKey.from_jwk(RFC8037_JWK).verify(b64url_decode(RFC8037_SIGNATURE), RFC8037_SIGNING_INPUT)


def test_p256_signature_is_p1363_and_verifies_with_cryptography():
    pair = KeyPair.generate("P-256")
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    signature = pair.sign(b"m")
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    pair._handle.public_key().verify(der, b"m", ec.ECDSA(hashes.SHA256()))  # raises if wrong


def test_private_jwk_round_trip(pair):
    jwk = pair.to_jwk()
    assert "d" in jwk and jwk["kid"] == pair.public.thumbprint()
    assert KeyPair.from_jwk(jwk) == pair
    public = pair.to_jwk(private=False)
    assert "d" not in public and public == pair.public.to_jwk()


def test_private_multibase_round_trip(pair):
    assert KeyPair.from_multibase(pair.to_private_multibase()) == pair


def test_spec_key_pair_private_multikey():
    spec = json.loads((VECTORS / "did-key" / "digitalbazaar" / "vc-di-eddsa-keyPair.json").read_text())
    pair = KeyPair.from_multibase(spec["privateKeyMultibase"])
    assert pair.public.to_multibase() == spec["publicKeyMultibase"]
    assert pair.to_private_multibase() == spec["privateKeyMultibase"]


def test_from_seed_and_secret_lengths():
    assert KeyPair.from_seed(bytes(32)).public == KeyPair.from_seed(bytes(32)).public
    for alg in ALGS:
        with pytest.raises(InvalidKeyError):
            KeyPair.from_seed(bytes(31), alg)
    with pytest.raises(InvalidKeyError):  # scalar 0 is not a P-256 private key
        KeyPair.from_seed(bytes(32), "P-256")
    with pytest.raises(InvalidKeyError):  # scalar >= group order
        KeyPair.from_seed(b"\xff" * 32, "P-256")


def test_jwk_with_mismatched_public_part_is_refused():
    a, b = KeyPair.generate("P-256"), KeyPair.generate("P-256")
    forged = {**a.to_jwk(), "x": b.to_jwk()["x"], "y": b.to_jwk()["y"]}
    with pytest.raises(InvalidKeyError):
        KeyPair.from_jwk(forged)


def test_jwk_without_d_is_not_a_key_pair():
    with pytest.raises(InvalidKeyError):
        KeyPair.from_jwk(KeyPair.generate().to_jwk(private=False))


def test_public_multikey_is_not_a_private_key():
    with pytest.raises(InvalidKeyError):
        KeyPair.from_multibase(KeyPair.generate().public.to_multibase())


def test_constructor_checks_public_matches_secret():
    a, b = KeyPair.generate(), KeyPair.generate()
    with pytest.raises(InvalidKeyError):
        KeyPair(a.public, b.secret)


def test_repr_hides_secret(pair):
    text = repr(pair)
    assert pair.secret.hex() not in text and "secret" not in text
    assert pair.public.to_multibase() in text


def test_unknown_alg():
    with pytest.raises(UnsupportedKeyTypeError):
        KeyPair.generate("RSA")


def test_copy_and_pickle(pair):
    import copy
    import pickle

    assert copy.deepcopy(pair) is pair and copy.copy(pair.public) is pair.public
    restored = pickle.loads(pickle.dumps(pair))
    assert restored == pair and restored.public.verify(restored.sign(b"m"), b"m")
    assert pickle.loads(pickle.dumps(pair.public)) == pair.public
