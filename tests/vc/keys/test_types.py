import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from vc.errors import UnsupportedKeyTypeError
from vc.keys import KEY_TYPES, KeyPair, PublicKey, key_type, register_key_type
from vc.keys import types


def test_registry_names():
    assert {"Ed25519", "P-256"} <= set(KEY_TYPES)
    assert key_type("P-256").jose_alg == "ES256"
    with pytest.raises(UnsupportedKeyTypeError):
        key_type("P-384")


def test_adding_a_curve_is_one_class():
    class P384(types._NistCurve):
        name = "P-384"
        jose_alg = "ES384"
        jwk_crv = "P-384"
        curve = ec.SECP384R1
        hash_algorithm = hashes.SHA384
        multicodec_public = 0x1201
        multicodec_private = 0x1307
        secret_size = 48

    register_key_type(P384())
    try:
        pair = KeyPair.generate("P-384")
        assert len(pair.public.raw) == 49
        assert pair.public.verify(pair.sign(b"m"), b"m")
        assert PublicKey.from_multibase(pair.public.to_multibase()) == pair.public
        assert PublicKey.from_jwk(pair.public.to_jwk()) == pair.public
        assert pair.public.to_multibase().startswith("z82L")
    finally:
        del KEY_TYPES["P-384"]
        del types._BY_JWK[("EC", "P-384")]
        del types._BY_CODEC[0x1201], types._BY_CODEC[0x1307]
