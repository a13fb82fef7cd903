"""Credential status: W3C Bitstring Status List and IETF Token Status List, issuer and verifier sides.

- ``bitstring``: the W3C list, its ``encodedList``, ``BitstringStatusListEntry`` and the unsigned
  ``BitstringStatusListCredential``.
- ``token_status_list``: the IETF list, the ``status.status_list`` claim and the Status List Token.
- ``checker``: fetch (``fetch``), verify, cache (``cache``) and read a credential's status.
"""

from .bitstring import (
    BSL_CONTEXT,
    DEFAULT_TTL_MS,
    MAX_DECODED_BYTES,
    MIN_ENTRIES,
    STATUS_PURPOSES,
    BitstringStatusList,
    bitstring_status_entry,
    bitstring_status_list_credential,
    decode_bitstring,
    encode_bitstring,
)
from .cache import CachedList, FileStatusListCache, MemoryStatusListCache, StatusListCache
from .checker import ListCredentialVerifier, StatusChecker, StatusResult, TokenVerifier
from .fetch import FetchedList, StatusListFetcher
from .token_status_list import (
    INVALID,
    STATUS_LIST_TOKEN_MEDIA_TYPE,
    STATUS_LIST_TOKEN_TYP,
    SUSPENDED,
    VALID,
    TokenStatusList,
    read_status_list_token,
    referenced_token_status,
    sign_status_list_token,
    status_list_claim,
    status_list_token_header,
    status_list_token_payload,
    verify_status_list_token,
)

__all__ = [
    "BSL_CONTEXT",
    "BitstringStatusList",
    "CachedList",
    "DEFAULT_TTL_MS",
    "FetchedList",
    "FileStatusListCache",
    "INVALID",
    "ListCredentialVerifier",
    "MAX_DECODED_BYTES",
    "MIN_ENTRIES",
    "MemoryStatusListCache",
    "STATUS_LIST_TOKEN_MEDIA_TYPE",
    "STATUS_LIST_TOKEN_TYP",
    "STATUS_PURPOSES",
    "SUSPENDED",
    "StatusChecker",
    "StatusListCache",
    "StatusListFetcher",
    "StatusResult",
    "TokenStatusList",
    "TokenVerifier",
    "VALID",
    "bitstring_status_entry",
    "bitstring_status_list_credential",
    "decode_bitstring",
    "encode_bitstring",
    "read_status_list_token",
    "referenced_token_status",
    "sign_status_list_token",
    "status_list_claim",
    "status_list_token_header",
    "status_list_token_payload",
    "verify_status_list_token",
]
