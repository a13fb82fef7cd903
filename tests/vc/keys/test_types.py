import pytest

from tests.support.key_types import P384, registered
from vc.errors import UnsupportedKeyTypeError
from vc.keys import KEY_TYPES, KeyPair, PublicKey, key_type


def test_registry_names():
    assert {"Ed25519", "P-256"} <= set(KEY_TYPES)
    assert key_type("P-256").jose_alg == "ES256"
    with pytest.raises(UnsupportedKeyTypeError):
        key_type("P-384")


def test_adding_a_curve_is_one_class():
    # tests.support.key_types.P384 is the whole of it: one _NistCurve subclass naming curve, hash and codecs
    with registered(P384()):
        pair = KeyPair.generate("P-384")
        assert len(pair.public.raw) == 49
        assert pair.public.verify(pair.sign(b"m"), b"m")
        assert PublicKey.from_multibase(pair.public.to_multibase()) == pair.public
        assert PublicKey.from_jwk(pair.public.to_jwk()) == pair.public
        assert pair.public.to_multibase().startswith("z82L")
    assert "P-384" not in KEY_TYPES
