"""Building the service from plain settings (what ``jitsuin serve verifier`` takes), so that every
worker process of a multi-worker server builds the same app: the settings travel as JSON in the
environment variable ``JITSUIN_VERIFIER_CONFIG`` and ``app_from_environment`` is the uvicorn factory.

Workers share the request store (a SQLite file, ``db``) and the audit log (``audit_db``).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from vc.errors import UsageError

__all__ = ["CONFIG_ENV", "ServiceConfig", "app_from_environment", "build_app", "staff_digests"]

CONFIG_ENV = "JITSUIN_VERIFIER_CONFIG"


@dataclass(frozen=True)
class ServiceConfig:
    """The settings of ``jitsuin serve verifier``, JSON-ready.

    ``public_url``: where wallets reach the service; ``procedures``: a folder of procedure files
    (None: the shipped ones); ``trust_list`` / ``policy``: a trust list file or a whole policy file;
    ``db``: the request store file (None: in memory, one worker); ``audit_db``: the audit log
    file; ``did`` + ``key_file`` (+ ``kid``): sign requests as ``decentralized_identifier:<did>``;
    ``passphrase_env``: the variable holding the key file's passphrase; ``staff_token_file``: the file
    of staff token digests (``jitsuin serve verifier-token`` adds to it) and ``staff_token_digests``:
    more digests (both ``sha256:<hex>``; the tokens themselves are never configured).
    """

    public_url: str
    name: dict[str, str] = field(default_factory=lambda: {"ja": "検証者", "en": "Verifier"})
    procedures: str | None = None
    trust_list: str | None = None
    policy: str | None = None
    db: str | None = None
    audit_db: str | None = None
    did: str | None = None
    key_file: str | None = None
    kid: str | None = None
    passphrase_env: str | None = None
    request_ttl_seconds: int = 600
    any_issuer_for_vcapi: bool = False
    staff_token_file: str | None = None
    staff_token_digests: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ServiceConfig:
        return cls(**json.loads(text))


def _identity(config: ServiceConfig) -> Any:
    from verifier.requests import VerifierIdentity

    if config.did is None:
        return VerifierIdentity(config.public_url, name=dict(config.name))
    if config.key_file is None:
        raise UsageError("--did needs --key (the private key file of a verification method of that DID)")
    from vc.jose.vc_jwt import default_kid
    from vc.keys import KeyPair
    from vc.keys.keyfile import read_key_file

    passphrase = os.environ.get(config.passphrase_env) if config.passphrase_env else None
    key = read_key_file(config.key_file, passphrase=passphrase)
    if not isinstance(key, KeyPair):
        raise UsageError("--key must hold a private key")
    kid = config.kid or default_kid(key.public, config.did)
    return VerifierIdentity(config.public_url, name=dict(config.name), prefix="decentralized_identifier",
                            did=config.did, key=key, kid=kid)


def _procedures(config: ServiceConfig) -> dict[str, Any]:
    from verifier.procedures import Procedure, builtin_procedures

    if config.procedures is None:
        return builtin_procedures()
    folder = Path(config.procedures)
    out = {}
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json")):
        procedure = Procedure.load(path)
        out[procedure.id] = procedure
    if not out:
        raise UsageError(f"no procedure files (*.yaml, *.json) in {folder}")
    return out


def _policy(config: ServiceConfig) -> Any:
    from vc.credentials import default_status_checker
    from vc.did import default_resolver
    from vc.jsonld import default_loader
    from verifier.policy import Policy, TrustList, load_policy

    checker = default_status_checker(default_resolver(), default_loader())
    if config.policy is not None:
        policy = load_policy(config.policy)
        return policy if policy.status_checker is not None else policy.replace(status_checker=checker)
    trust = TrustList.load(config.trust_list) if config.trust_list else TrustList()
    return Policy(trust_list=trust, status_checker=checker)


def staff_digests(config: ServiceConfig) -> tuple[str, ...]:
    """The staff token digests of ``config``: its file's and its own; UsageError for a missing file or
    an entry that is not a ``sha256:<hex>`` digest."""
    from .auth import read_staff_digests

    digests = read_staff_digests(config.staff_token_file) if config.staff_token_file else []
    for entry in config.staff_token_digests:
        if not entry.startswith("sha256:"):
            raise UsageError("staff token digests are 'sha256:<hex>' strings, never the tokens themselves")
        digests.append(entry)
    return tuple(digests)


def build_app(config: ServiceConfig) -> FastAPI:
    """The app for ``config`` (each worker calls this)."""
    from verifier.audit import open_audit_log
    from verifier.policy import Policy, TrustList
    from verifier.requests import RequestStore

    from .app import create_app
    from .settings import ServiceSettings

    settings = ServiceSettings(_identity(config), request_ttl=timedelta(seconds=config.request_ttl_seconds),
                               staff_tokens=staff_digests(config))
    policy = _policy(config)
    vcapi_policy = policy.replace(trust_list=TrustList.any_issuer()) if config.any_issuer_for_vcapi else policy
    assert isinstance(vcapi_policy, Policy)
    return create_app(
        settings,
        store=RequestStore(config.db) if config.db else RequestStore(),
        policy=policy,
        vcapi_policy=vcapi_policy,
        procedures=_procedures(config),
        audit=open_audit_log(config.audit_db) if config.audit_db else None,
    )


def app_from_environment() -> FastAPI:
    """The uvicorn factory of a multi-worker server: ``ServiceConfig`` JSON from ``JITSUIN_VERIFIER_CONFIG``."""
    text = os.environ.get(CONFIG_ENV)
    if not text:
        raise UsageError(f"{CONFIG_ENV} is not set; start the service with `jitsuin serve verifier`")
    return build_app(ServiceConfig.from_json(text))
