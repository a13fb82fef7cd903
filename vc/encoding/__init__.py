"""Byte encodings used by VCs: base64url (JOSE), multibase (base58btc/base64url), multicodec varints."""

from vc.encoding.base64url import b64url_decode, b64url_encode
from vc.encoding.multibase import (
    decode_base58btc,
    decode_multibase,
    encode_base58,
    encode_base58btc,
    encode_base64url_multibase,
)
from vc.encoding.multicodec import add_prefix, split_prefix

__all__ = [
    "add_prefix",
    "b64url_decode",
    "b64url_encode",
    "decode_base58btc",
    "decode_multibase",
    "encode_base58",
    "encode_base58btc",
    "encode_base64url_multibase",
    "split_prefix",
]
