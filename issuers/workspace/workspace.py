"""An issuer workspace: one folder holding everything an institution needs to issue, so commands need no flags.

::

    .jitsuin/
      jitsuin.toml          config (name, issuer DID, registry location, status URL base, keys)
      keys/key-1.jwk        signing keys, encrypted (JWE, PBES2) with $JITSUIN_PASSPHRASE
      registry.db           the issuance registry (SQLite; or db_url = "postgresql://...")
      workspace.db          which key signed which credential, until when (key retirement)
      types/                the institution's own certificate types (added to the builtin catalog)
      published/            files to serve: .well-known/did.json (did:web), status/ lists

>>> ws = Workspace.init(".jitsuin", name="Example City", did_web="city.example.jp", passphrase="...")
>>> issued = ws.issue("ResidentRecord", claims, holder=holder_jwk)
>>> ws.rotate_key()                      # key-2 signs from now on; key-1 stays in did.json, verify-only
>>> ws.retire_key("key-1")               # refused until the last credential key-1 signed has expired

Key rotation needs did:web: the DID stays, its document lists the keys. A did:key *is* its key, so
rotating would change the issuer; that is refused with a pointer to did:web.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from issuers.catalog import BUILTIN_TYPES_DIR, Catalog, CertificateType, register_catalog_contexts
from issuers.registry import PublishedFile, StatusRegistry, open_registry, publish_lists
from vc.atomic_file import write_atomic
from vc.credentials import issue_credential
from vc.did import did_key, did_web, did_web_document, did_web_url
from vc.errors import CredentialNotFoundError, PassphraseRequiredError, UsageError, WorkspaceError
from vc.jsonld import DocumentLoader
from vc.keys import KeyPair, PublicKey
from vc.keys.keyfile import read_key_file, write_key_file
from vc.model import format_datetime
from vc.status import sign_status_list_token

from .config import CONFIG_FILE, KeyEntry, WorkspaceConfig, invalid_config, name_problem, read_config, write_config
from .holder import HolderInput
from .issuance import IssuedCredential, Issuer
from .signing_ledger import SignatureRecord, SigningLedger

__all__ = [
    "DEFAULT_WORKSPACE",
    "DID_KEY_STATUS_BASE",
    "PASSPHRASE_ENV",
    "WORKSPACE_ENV",
    "Workspace",
    "default_workspace_path",
]

log = logging.getLogger("jitsuin.workspace")

WORKSPACE_ENV = "JITSUIN_WORKSPACE"
PASSPHRASE_ENV = "JITSUIN_PASSPHRASE"
DB_URL_ENV = "JITSUIN_DB_URL"
DEFAULT_WORKSPACE = ".jitsuin"
#: where a did:key workspace's status lists point until the institution sets ``status_base_url``
#: (the issuer service on this machine serves them there)
DID_KEY_STATUS_BASE = "http://localhost:8000"
_ALGS = ("Ed25519", "P-256")
_STATUS_FORMAT = {"Ed25519": "eddsa-rdfc-2022", "P-256": "ecdsa-rdfc-2019"}


def default_workspace_path() -> Path:
    """``$JITSUIN_WORKSPACE``, else ``./.jitsuin``."""
    return Path(os.environ.get(WORKSPACE_ENV) or DEFAULT_WORKSPACE)


class Workspace:
    """An opened workspace. Create with ``Workspace.init``, open with ``Workspace.open``."""

    def __init__(self, path: Path, config: WorkspaceConfig) -> None:
        self.path = path
        self.config = config
        self._registry: StatusRegistry | None = None
        self._ledger: SigningLedger | None = None
        self._catalog: Catalog | None = None
        self._loader: DocumentLoader | None = None
        self._issuer: Issuer | None = None

    # --- creating and opening -------------------------------------------------------------------

    @classmethod
    def init(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        name: str | Mapping[str, str],
        did_web: str | None = None,
        db_url: str | None = None,
        passphrase: str | None = None,
        alg: str = "Ed25519",
        unencrypted: bool = False,
        status_base_url: str | None = None,
        kinds: Sequence[str] = (),
        default_format: str | None = None,
        now: datetime | None = None,
    ) -> Workspace:
        """Create the folder, an encrypted signing key, the registry and the config; returns it opened.

        The key is encrypted with ``passphrase`` (else ``$JITSUIN_PASSPHRASE``); ``unencrypted=True``
        writes it in the clear (demos and tests only). The issuer is ``did:web:<did_web>`` when given,
        else the key's did:key. ``name`` is one string or names by language tag (``{"ja": ..., "en": ...}``).
        Status lists are published under ``status_base_url`` (default: the
        did:web origin and path; a did:key workspace gets ``http://localhost:8000`` until it sets one).
        """
        folder = Path(path) if path is not None else default_workspace_path()
        if (folder / CONFIG_FILE).exists():
            raise WorkspaceError(f"{folder} already holds a jitsuin workspace; open it, or choose another --dir",
                                 code="WORKSPACE_EXISTS", path=str(folder))
        if alg not in _ALGS:
            raise UsageError(f"alg must be one of {', '.join(_ALGS)}")
        name = name if isinstance(name, str) else dict(name)
        problem = name_problem(name)
        if problem:
            raise WorkspaceError(f"cannot create the workspace: {problem}", code="WORKSPACE_CONFIG_INVALID")
        passphrase = _passphrase(passphrase)
        if passphrase is None and not unencrypted:
            raise PassphraseRequiredError(
                f"the workspace signing key is stored encrypted: set {PASSPHRASE_ENV} (or pass a passphrase); "
                "an unencrypted key is for demos and tests only (--unencrypted)")
        if default_format is not None:
            from .formats import get_format

            get_format(default_format).check_key(alg)
        if db_url is not None and not db_url:
            raise UsageError("db_url must be a path or a postgresql:// URL")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "keys").mkdir(mode=0o700, exist_ok=True)
        (folder / "types").mkdir(exist_ok=True)
        (folder / "published").mkdir(exist_ok=True)
        created = format_datetime(now or datetime.now(timezone.utc))
        key = KeyPair.generate(alg)
        entry = KeyEntry(kid="key-1", file="keys/key-1.jwk", alg=alg, public=key.public.to_multibase(),
                         state="active", encrypted=passphrase is not None, created=created)
        write_key_file(folder / entry.file, key, passphrase=passphrase, overwrite=True)
        issuer_did = _did_web_of(did_web) if did_web else did_key(key.public)
        try:
            config = WorkspaceConfig(
                name=name, issuer_did=issuer_did, did_web=did_web, db_url=db_url or "registry.db",
                status_base_url=status_base_url or _default_status_base(issuer_did), kinds=list(kinds),
                default_format=default_format, created=created, keys=[entry])
        except ValidationError as exc:
            (folder / entry.file).unlink(missing_ok=True)
            raise invalid_config(exc, where="the new workspace's settings") from None
        workspace = cls(folder, config)
        # create and migrate both databases now: a bad --db fails at init, not at the first issuance
        workspace.registry.schema_version()
        workspace.ledger.count()
        write_config(folder, config)
        workspace.write_did_document()
        log.info("workspace created at %s for %s", folder, issuer_did)
        return workspace

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Workspace:
        """Open the workspace at ``path`` (default ``$JITSUIN_WORKSPACE`` or ``./.jitsuin``)."""
        folder = Path(path) if path is not None else default_workspace_path()
        return cls(folder, read_config(folder))

    def close(self) -> None:
        """Close the registry and ledger connections."""
        if self._registry is not None:
            self._registry.close()
            self._registry = None
        if self._ledger is not None:
            self._ledger.close()
            self._ledger = None
        self._issuer = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- what the workspace holds ---------------------------------------------------------------

    @property
    def issuer_did(self) -> str:
        return self.config.issuer_did

    @property
    def is_did_web(self) -> bool:
        return self.config.issuer_did.startswith("did:web:")

    @property
    def types_dir(self) -> Path:
        """The institution's own certificate type files (loaded with the builtin ones)."""
        return self.path / "types"

    @property
    def published_dir(self) -> Path:
        """Files to put on the web server: the did:web document, status lists."""
        return self.path / "published"

    @property
    def registry_location(self) -> str:
        """The registry URL or SQLite path (``$JITSUIN_DB_URL`` overrides the config)."""
        url = os.environ.get(DB_URL_ENV) or self.config.db_url
        if url.startswith(("postgresql://", "postgres://", "sqlite:///")) or Path(url).is_absolute():
            return url
        return str(self.path / url)

    @property
    def status_list_base(self) -> str:
        """The URL prefix of the status lists: ``<status_base_url>/status`` (list n at ``.../status/n.json``)."""
        return f"{self.config.status_base_url}/status"

    @property
    def registry(self) -> StatusRegistry:
        """The issuance registry (opened on first use)."""
        if self._registry is None:
            self._registry = open_registry(self.registry_location, base_url=self.status_list_base)
        return self._registry

    @property
    def ledger(self) -> SigningLedger:
        """Which key signed which credential (``workspace.db``)."""
        if self._ledger is None:
            self._ledger = SigningLedger(self.path / "workspace.db")
        return self._ledger

    @property
    def catalog(self) -> Catalog:
        """The builtin certificate types plus the workspace's own (``types/``)."""
        if self._catalog is None:
            self._catalog = Catalog.load([BUILTIN_TYPES_DIR, self.types_dir])
        return self._catalog

    @property
    def loader(self) -> DocumentLoader:
        """A JSON-LD loader with the bundled contexts, the jitsuin context and the workspace types' contexts."""
        if self._loader is None:
            self._loader = register_catalog_contexts(DocumentLoader(), self.catalog)
        return self._loader

    def certificate_type(self, name: str) -> CertificateType:
        """The catalog type ``name`` (id or credential type); CatalogError TYPE_UNKNOWN otherwise."""
        return self.catalog.get(name)

    # --- keys -------------------------------------------------------------------------------------

    def verification_method(self, kid: str | None = None) -> str:
        """The DID URL of key ``kid`` (default: the active key)."""
        entry = self.config.key(kid) if kid else self.config.active_key()
        if self.is_did_web:
            return f"{self.issuer_did}#{entry.kid}"
        return f"{self.issuer_did}#{entry.public}"

    def signing_key(self, *, passphrase: str | None = None) -> tuple[KeyPair, str]:
        """The active key pair and its verification method id (reads ``$JITSUIN_PASSPHRASE`` by default)."""
        entry = self.config.active_key()
        return self._read_key(entry, passphrase), self.verification_method(entry.kid)

    def _read_key(self, entry: KeyEntry, passphrase: str | None) -> KeyPair:
        passphrase = _passphrase(passphrase)
        try:
            key = read_key_file(self.path / entry.file, passphrase=passphrase if entry.encrypted else None)
        except PassphraseRequiredError:
            raise PassphraseRequiredError(
                f"the workspace key {entry.kid} is encrypted: set {PASSPHRASE_ENV} to its passphrase") from None
        if not isinstance(key, KeyPair) or key.public.to_multibase() != entry.public:
            raise WorkspaceError(f"{entry.file} does not hold the private key of {entry.kid} named in {CONFIG_FILE}",
                                 code="WORKSPACE_CONFIG_INVALID", kid=entry.kid)
        return key

    def did_document(self) -> dict[str, Any] | None:
        """The did:web document with every key still in use (active and verify-only); None for did:key.

        Every listed key is an ``assertionMethod`` (credentials it signed verify); only the active key
        is also ``authentication``.
        """
        if not self.is_did_web:
            return None
        listed = [k for k in self.config.keys if k.state in ("active", "verify-only")]
        document = did_web_document(self.issuer_did, [PublicKey.from_multibase(k.public) for k in listed],
                                    key_ids=[k.kid for k in listed], relationships=("assertionMethod",))
        document["authentication"] = [f"{self.issuer_did}#{k.kid}" for k in listed if k.state == "active"]
        return document

    def write_did_document(self) -> Path | None:
        """Write the did:web document under ``published/`` at the path it is served from."""
        document = self.did_document()
        if document is None:
            return None
        target = self.published_dir / urlsplit(did_web_url(self.issuer_did)).path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        # a web server serves it: world-readable, and never half-written
        write_atomic(target, json.dumps(document, ensure_ascii=False, indent=2) + "\n", mode=0o644)
        return target

    def rotate_key(self, *, passphrase: str | None = None, alg: str | None = None,
                   now: datetime | None = None) -> KeyEntry:
        """Add a new key and make it the signing key; the old one stays in the DID document, verify-only.

        did:web only (WorkspaceError KEY_ROTATION_UNSUPPORTED for did:key). The new key is encrypted
        with the same passphrase as the current one, which must decrypt it.
        """
        if not self.is_did_web:
            raise WorkspaceError(
                "this workspace's issuer is a did:key, which is its key: a new key would be a new issuer, and "
                "verifiers would no longer recognise it. Use a did:web workspace (`jitsuin init --did-web "
                "DOMAIN`) to rotate keys", code="KEY_ROTATION_UNSUPPORTED")
        current = self.config.active_key()
        self._read_key(current, passphrase)  # proves the passphrase, which the new key file gets too
        new_alg = alg or current.alg
        if new_alg not in _ALGS:
            raise UsageError(f"alg must be one of {', '.join(_ALGS)}")
        if self.config.default_format:
            from .formats import get_format

            get_format(self.config.default_format).check_key(new_alg)
        number = max(k.number for k in self.config.keys) + 1  # a retired kid is never handed out again
        key = KeyPair.generate(new_alg)
        entry = KeyEntry(kid=f"key-{number}", file=f"keys/key-{number}.jwk", alg=new_alg,
                         public=key.public.to_multibase(), state="active", encrypted=current.encrypted,
                         created=format_datetime(now or datetime.now(timezone.utc)))
        write_key_file(self.path / entry.file, key, passphrase=_passphrase(passphrase) if current.encrypted else None)
        keys = [k.model_copy(update={"state": "verify-only"}) if k.kid == current.kid else k for k in self.config.keys]
        self._save(self.config.model_copy(update={"keys": [*keys, entry]}))
        log.info("rotated signing key: %s active, %s verify-only", entry.kid, current.kid)
        return entry

    def retire_key(self, kid: str, *, now: datetime | None = None, force: bool = False) -> KeyEntry:
        """Remove a verify-only key from the DID document and delete its private key file.

        Refused (WorkspaceError KEY_STILL_IN_USE, naming the date) while a credential it signed is still
        valid and not revoked; ``force=True`` retires anyway (a compromised key), and those credentials
        stop verifying. The active key cannot be retired (KEY_ACTIVE): rotate first.
        """
        entry = self.config.key(kid)
        if entry.state == "retired":
            return entry
        if entry.state == "active":
            raise WorkspaceError(f"{entry.kid} is the signing key; run `jitsuin key rotate` first, then retire it",
                                 code="KEY_ACTIVE", kid=entry.kid)
        moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
        if not force:
            self._check_unused(entry.kid, moment)
        retired = entry.model_copy(update={"state": "retired", "retired": format_datetime(moment)})
        keys = [retired if k.kid == entry.kid else k for k in self.config.keys]
        self._save(self.config.model_copy(update={"keys": keys}))
        (self.path / entry.file).unlink(missing_ok=True)  # a retired key must never sign again
        log.info("retired key %s%s", entry.kid, " (forced)" if force else "")
        return retired

    def _check_unused(self, kid: str, now: datetime) -> None:
        for credential_id, valid_until in self.ledger.latest_first(kid):
            if self._revoked(credential_id):
                continue  # a revoked credential need not verify any more
            if valid_until is None:
                raise WorkspaceError(
                    f"{kid} signed credentials that never expire (no validUntil); revoke them before retiring "
                    "the key, or retire it with --force if it is compromised", code="KEY_STILL_IN_USE", kid=kid)
            if valid_until > now:
                raise WorkspaceError(
                    f"{kid} signed credentials that are valid until {format_datetime(valid_until)}; retire it "
                    "after that date (earlier, those credentials would stop verifying), or revoke them first",
                    code="KEY_STILL_IN_USE", kid=kid, until=format_datetime(valid_until))
            return  # the latest-expiring live credential has expired: so have all others

    def _revoked(self, credential_id: str) -> bool:
        try:
            return self.registry.get(credential_id).status == "revoked"
        except CredentialNotFoundError:
            return False

    def _save(self, config: WorkspaceConfig) -> None:
        write_config(self.path, config)
        self.config = config
        self._issuer = None
        self.write_did_document()

    # --- issuing ----------------------------------------------------------------------------------

    def issuer(self, *, passphrase: str | None = None) -> Issuer:
        """The signer for this process (key read once; ``$JITSUIN_PASSPHRASE`` by default)."""
        if self._issuer is None:
            key, vm = self.signing_key(passphrase=passphrase)
            self._issuer = Issuer(issuer_did=self.issuer_did, key=key, kid=self.config.active_key().kid,
                                  verification_method=vm, loader=self.loader, registry=self.registry,
                                  kinds=self.config.kinds, default_format=self.config.default_format)
        return self._issuer

    def issue(
        self,
        type_name: str,
        claims: dict[str, Any],
        *,
        format: str | None = None,
        holder: HolderInput = None,
        status: bool = True,
        record_key: str | None = None,
        valid_until: datetime | None = None,
        now: datetime | None = None,
        passphrase: str | None = None,
    ) -> IssuedCredential:
        """Validate ``claims`` against the catalog type, add status from the registry, sign in the type's
        default format (or ``format``), record who signed it; the signed credential.

        ``record_key`` (the institution's record number) makes re-issuing idempotent: the same id and
        status entries come back. It names the credential, so a corrected record is a new credential: revoke
        the old one and issue with a new record key. CatalogError names every bad field (never a value).
        """
        ctype = self.certificate_type(type_name)
        issued = self.issuer(passphrase=passphrase).issue(
            ctype, claims, format=format, holder=holder, status=status, record_key=record_key,
            valid_until=valid_until, now=now)
        self.record([issued])
        return issued

    def record(self, issued: Sequence[IssuedCredential]) -> None:
        """Record which key signed these credentials (before they are handed out)."""
        self.ledger.record(
            SignatureRecord(credential_id=i.credential_id, kid=i.kid, credential_type=i.type, format=i.format,
                            valid_until=i.valid_until, signed_at=datetime.now(timezone.utc), record_hash=i.record_hash)
            for i in issued)

    # --- publishing -------------------------------------------------------------------------------

    def publish_status(self, *, out_dir: str | os.PathLike[str] | None = None, now: datetime | None = None,
                       passphrase: str | None = None) -> list[PublishedFile]:
        """Sign every status list and write it as a static file (default ``published/status/``)."""
        key, vm = self.signing_key(passphrase=passphrase)
        suite = _STATUS_FORMAT[key.alg]
        return publish_lists(
            self.registry, out_dir=out_dir or self.published_dir / "status", issuer=self.issuer_did,
            sign_credential=lambda c: issue_credential(c, key, cryptosuite=suite, verification_method=vm,
                                                       now=now, loader=self.loader),
            sign_token=lambda p: sign_status_list_token(p, key, kid=vm), now=now)


def _did_web_of(domain_or_did: str) -> str:
    """``city.example.jp`` -> ``did:web:city.example.jp`` (a did:web is kept)."""
    return did_web(domain_or_did)


def _default_status_base(issuer_did: str) -> str:
    if issuer_did.startswith("did:web:"):
        url = did_web_url(issuer_did)
        return url.removesuffix("/.well-known/did.json").removesuffix("/did.json")
    return DID_KEY_STATUS_BASE


def _passphrase(value: str | None) -> str | None:
    return value if value is not None else os.environ.get(PASSPHRASE_ENV) or None
