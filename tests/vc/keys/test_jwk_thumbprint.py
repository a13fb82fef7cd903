import base64
import hashlib

import pytest

from vc.errors import InvalidKeyError
from vc.keys import KeyPair, PublicKey, jwk_thumbprint


def test_rfc8037_ed25519_thumbprint():
    # RFC 8037 Appendix A.3
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    assert jwk_thumbprint(jwk) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    public = PublicKey.from_jwk(jwk)
    assert public.thumbprint() == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    assert public.to_jwk()["kid"] == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_ec_thumbprint_uses_sorted_required_members_only():
    jwk = KeyPair.generate("P-256").public.to_jwk()
    extra = {**jwk, "use": "sig", "alg": "ES256"}
    expected_input = '{"crv":"P-256","kty":"EC","x":"%s","y":"%s"}' % (jwk["x"], jwk["y"])
    digest = hashlib.sha256(expected_input.encode()).digest()
    assert jwk_thumbprint(extra) == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@pytest.mark.parametrize("jwk", [{"kty": "EC", "crv": "P-256", "x": "a"}, {"kty": "oct"}, {}, []])
def test_missing_members(jwk):
    with pytest.raises(InvalidKeyError):
        jwk_thumbprint(jwk)
