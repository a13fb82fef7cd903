"""Keys: Ed25519 and P-256 public keys and key pairs, JWK and Multikey encodings, key files."""

from vc.keys.jwk import jwk_thumbprint
from vc.keys.key_pair import KeyPair
from vc.keys.keyfile import read_key_file, write_key_file
from vc.keys.public_key import PublicKey
from vc.keys.types import KEY_TYPES, KeyType, key_type, register_key_type

__all__ = [
    "KEY_TYPES",
    "KeyPair",
    "KeyType",
    "PublicKey",
    "jwk_thumbprint",
    "key_type",
    "read_key_file",
    "register_key_type",
    "write_key_file",
]
