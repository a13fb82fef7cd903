"""The issuance registry: status bookkeeping for issued credentials (no claim values, no personal data).

``open_registry("registry.db")`` (SQLite) or ``open_registry("postgresql://...")`` gives a
``StatusRegistry``: ``register`` allocates random status-list indexes (``register_many``: a chunk in one
transaction), ``revoke`` / ``suspend`` / ``reinstate`` change status with a reason code, ``snapshot``
feeds publishing (``publish``).
"""

from __future__ import annotations

import os
from typing import Any

from .model import (
    ACTIVE,
    CREDENTIAL_STATES,
    LIST_PURPOSES,
    REASON_CODES,
    REVOKED,
    SUSPENDED,
    ListSnapshot,
    Registration,
    RegistrationRequest,
    StatusEntry,
    StatusListInfo,
    idempotency_digest,
)
from .postgres import PostgresRegistry
from .publish import (
    PublishedFile,
    credential_status_entries,
    list_credential,
    list_token_payload,
    publish_lists,
    purposes_for_format,
    token_status_claim,
)
from .registry import DEFAULT_PURPOSES, StatusRegistry
from .sqlite import SqliteRegistry

__all__ = [
    "ACTIVE",
    "CREDENTIAL_STATES",
    "DEFAULT_PURPOSES",
    "LIST_PURPOSES",
    "ListSnapshot",
    "PostgresRegistry",
    "PublishedFile",
    "REASON_CODES",
    "REVOKED",
    "Registration",
    "RegistrationRequest",
    "SUSPENDED",
    "SqliteRegistry",
    "StatusEntry",
    "StatusListInfo",
    "StatusRegistry",
    "credential_status_entries",
    "idempotency_digest",
    "list_credential",
    "list_token_payload",
    "open_registry",
    "publish_lists",
    "purposes_for_format",
    "token_status_claim",
]


def open_registry(location: str | os.PathLike[str], **options: Any) -> StatusRegistry:
    """A registry for a ``postgresql://`` / ``postgres://`` URL, else a SQLite file path (or ``sqlite:///path``).

    Options go to the backend (``base_url``, ``list_size``, ``rng``; SQLite ``synchronous``).
    """
    text = os.fspath(location)
    if text.startswith(("postgresql://", "postgres://")):
        return PostgresRegistry(text, **options)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///"):]
    return SqliteRegistry(text, **options)
