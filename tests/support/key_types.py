"""P-384 and P-521 key types for tests: vc.keys ships Ed25519 and P-256, and adding a NIST curve is one class.

``registered(...)`` adds key types for the duration of a ``with`` block and takes them out again, so tests
that check P-384 is absent keep passing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from vc.keys import KEY_TYPES, register_key_type, types

__all__ = ["P384", "P521", "registered"]


class P384(types._NistCurve):
    name = "P-384"
    jose_alg = "ES384"
    jwk_crv = "P-384"
    curve = ec.SECP384R1
    hash_algorithm = hashes.SHA384
    multicodec_public = 0x1201
    multicodec_private = 0x1307
    secret_size = 48


class P521(types._NistCurve):
    name = "P-521"
    jose_alg = "ES512"
    jwk_crv = "P-521"
    curve = ec.SECP521R1
    hash_algorithm = hashes.SHA512
    multicodec_public = 0x1202
    multicodec_private = 0x1308
    secret_size = 66


@contextlib.contextmanager
def registered(*key_types: types.KeyType) -> Iterator[None]:
    """Register the ``key_types`` not yet known while the block runs; unregister them after."""
    added = [kt for kt in key_types if kt.name not in KEY_TYPES]
    for kt in added:
        register_key_type(kt)
    try:
        yield
    finally:
        for kt in added:
            del KEY_TYPES[kt.name]
            del types._BY_JWK[(kt.jwk_kty, kt.jwk_crv)]
            del types._BY_CODEC[kt.multicodec_public], types._BY_CODEC[kt.multicodec_private]
