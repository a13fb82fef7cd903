"""Issuer workspace: a folder with the config, the encrypted signing keys and the registry, so an
institution issues catalog credentials without flags, rotates keys and retires them safely.

>>> ws = Workspace.init(".jitsuin", name="Example City", did_web="city.example.jp", passphrase="...")
>>> issued = ws.issue("BirthCertificate", claims)            # the type's default format (dc+sd-jwt)
>>> issued.credential_id, issued.format
('urn:uuid:...', 'dc+sd-jwt')
"""

from .config import CONFIG_FILE, KeyEntry, KeyState, WorkspaceConfig
from .formats import FORMATS, CredentialFormat, SignRequest, format_names, get_format, present_paths
from .holder import Holder, HolderInput, resolve_holder
from .issuance import IssuedCredential, Issuer, IssueRequest, check_issuer_kinds, idempotency_key
from .signing_ledger import SignatureRecord, SigningLedger
from .workspace import (
    DEFAULT_WORKSPACE,
    DID_KEY_STATUS_BASE,
    PASSPHRASE_ENV,
    WORKSPACE_ENV,
    Workspace,
    default_workspace_path,
)

__all__ = [
    "CONFIG_FILE",
    "DEFAULT_WORKSPACE",
    "DID_KEY_STATUS_BASE",
    "FORMATS",
    "PASSPHRASE_ENV",
    "WORKSPACE_ENV",
    "CredentialFormat",
    "Holder",
    "HolderInput",
    "IssueRequest",
    "IssuedCredential",
    "Issuer",
    "KeyEntry",
    "KeyState",
    "SignRequest",
    "SignatureRecord",
    "SigningLedger",
    "Workspace",
    "WorkspaceConfig",
    "check_issuer_kinds",
    "default_workspace_path",
    "format_names",
    "get_format",
    "idempotency_key",
    "present_paths",
    "resolve_holder",
]
