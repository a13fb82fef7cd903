import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from vc.encoding import encode_base58btc
from vc.errors import InvalidKeyError, UnsupportedKeyTypeError
from vc.keys import KeyPair, PublicKey


@pytest.mark.parametrize(("alg", "prefix", "jose"), [("Ed25519", "z6Mk", "EdDSA"), ("P-256", "zDn", "ES256")])
def test_multibase_and_jwk_round_trips(alg, prefix, jose):
    public = KeyPair.generate(alg).public
    assert public.jose_alg == jose
    multibase = public.to_multibase()
    assert multibase.startswith(prefix)
    assert PublicKey.from_multibase(multibase) == public
    jwk = public.to_jwk()
    assert jwk["kid"] == public.thumbprint()
    assert PublicKey.from_jwk(jwk) == public


def test_p256_raw_is_compressed_and_uncompressed_input_is_normalized():
    handle = ec.generate_private_key(ec.SECP256R1()).public_key()
    compressed = handle.public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
    uncompressed = handle.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    key = PublicKey("P-256", uncompressed)
    assert key.raw == compressed and len(key.raw) == 33
    assert key == PublicKey("P-256", compressed)
    assert key.to_jwk()["kty"] == "EC" and set(key.to_jwk()) == {"kty", "crv", "x", "y", "kid"}


def test_p256_point_not_on_curve():
    jwk = KeyPair.generate("P-256").public.to_jwk()
    # changing one character of y leaves (x, y) off the curve
    jwk["y"] = ("A" if jwk["y"][0] != "A" else "B") + jwk["y"][1:]
    with pytest.raises(InvalidKeyError):
        PublicKey.from_jwk(jwk)


@pytest.mark.parametrize(
    "jwk",
    [
        {"kty": "OKP", "crv": "Ed25519"},
        {"kty": "OKP", "crv": "Ed25519", "x": "AAAA"},
        {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo="},
        {"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"},
        "not an object",
    ],
)
def test_invalid_jwks(jwk):
    with pytest.raises(InvalidKeyError):
        PublicKey.from_jwk(jwk)


@pytest.mark.parametrize(
    "jwk",
    [{"kty": "OKP", "crv": "X25519", "x": "AAAA"}, {"kty": "EC", "crv": "secp256k1"}, {"kty": "RSA"}, {}],
)
def test_unsupported_jwks(jwk):
    with pytest.raises(UnsupportedKeyTypeError):
        PublicKey.from_jwk(jwk)


def test_from_jwk_ignores_private_members():
    pair = KeyPair.generate()
    assert PublicKey.from_jwk(pair.to_jwk(private=True)) == pair.public


@pytest.mark.parametrize(
    "value",
    [
        "",
        "6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "uAAAA",
        "z",
        "z0000",
        encode_base58btc(bytes.fromhex("ed01") + bytes(31)),  # Ed25519 prefix, 31-byte key
        encode_base58btc(bytes.fromhex("8024") + b"\x02" + bytes(31) + b"\x01"),  # P-256, x=1 not on curve
        encode_base58btc(bytes.fromhex("ed")),  # truncated varint
    ],
)
def test_invalid_multibase(value):
    with pytest.raises(InvalidKeyError):
        PublicKey.from_multibase(value)


def test_unsupported_multicodec():
    # secp256k1 did:key value from the did-key spec appendix
    with pytest.raises(UnsupportedKeyTypeError):
        PublicKey.from_multibase("zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme")


def test_private_multikey_is_not_a_public_key():
    with pytest.raises(InvalidKeyError):
        PublicKey.from_multibase(KeyPair.generate().to_private_multibase())


def test_ed25519_length_checked():
    with pytest.raises(InvalidKeyError):
        PublicKey("Ed25519", bytes(31))


def test_equality_and_hash():
    pair = KeyPair.from_seed(bytes(range(32)))
    again = KeyPair.from_seed(bytes(range(32)))
    assert pair.public == again.public and hash(pair.public) == hash(again.public)
    assert len({pair.public, again.public}) == 1


def test_multibase_is_derived_once_and_does_not_affect_equality():
    import pickle

    key = KeyPair.from_seed(bytes(range(32))).public
    fresh = PublicKey(key.alg, key.raw)
    assert key.to_multibase() is key.to_multibase()  # kept after the first call
    assert key == fresh and hash(key) == hash(fresh)  # whether or not it was computed yet
    assert fresh.to_multibase() == key.to_multibase() == encode_base58btc(key.to_multicodec())
    assert pickle.loads(pickle.dumps(key)).to_multibase() == key.to_multibase()
