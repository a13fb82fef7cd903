"""Build the issuer service: a FastAPI app over one workspace.

>>> app = create_app(Workspace.open(), staff_tokens=["sha256:..."], public_url="https://city.example.jp")
>>> serve(app, host="0.0.0.0", port=8443, certfile="cert.pem", keyfile="key.pem")
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from fastapi import FastAPI

from issuers.workspace import Workspace
from vc.keys import KeyPair, PublicKey

from .auth import StaffAuth
from .context import ServiceContext
from .grants import GrantStore
from .metadata import IssuerProfile, credential_configurations
from .problems import install_error_handlers
from .routers import credentials, oid4vci, well_known
from .routers.status_lists import status_router
from .settings import ServiceSettings
from .status_publisher import StatusPublisher
from .vcapi import Signer, VcApiIssuer

__all__ = ["GRANTS_DB", "create_app"]

GRANTS_DB = "workspace.db"  # the workspace's own SQLite file: one small table beside the signing ledger

_DESCRIPTION = """Issue Verifiable Credentials for Japanese public-service certificates.

* **VC-API** (staff bearer token): `POST /credentials/issue`, `POST /credentials/status`.
* **OpenID4VCI 1.0**: offers (`POST /offers`, staff), `POST /token` (pre-authorized code + tx_code),
  `POST /nonce`, `POST /credential` (`openid4vci-proof+jwt` key proofs).
* **Published**: `/.well-known/openid-credential-issuer`, `/.well-known/oauth-authorization-server`,
  `/.well-known/did.json`, `/.well-known/jwt-vc-issuer`, status lists.

Errors are RFC 9457 problem details (VC-API, staff) or OAuth error objects (OpenID4VCI wallet endpoints).
"""


def create_app(
    workspace: Workspace,
    *,
    staff_tokens: Iterable[str] = (),
    public_url: str | None = None,
    settings: ServiceSettings | None = None,
    grants: GrantStore | str | os.PathLike[str] | None = None,
    did_key_issuers: Iterable[KeyPair] | Mapping[str, KeyPair] = (),
    default_cryptosuite: str | None = None,
    passphrase: str | None = None,
) -> FastAPI:
    """The issuer service for ``workspace``.

    ``staff_tokens``: ``sha256:<hex>`` digests (see ``hash_staff_token``) or, in development, tokens.
    ``public_url``: the Credential Issuer Identifier and base of published URLs (default: the workspace's
    ``status_base_url``); ``settings`` overrides lifetimes, limits and the clock. ``grants``: the grant store
    or its SQLite path (default: the workspace's ``workspace.db``). ``did_key_issuers``: extra keys (one per
    key type) that sign as their own did:key, for cryptosuites the workspace key cannot sign and for the
    ``/suites/{cryptosuite}`` routes. The signing key is read now (``passphrase`` or ``$JITSUIN_PASSPHRASE``).
    """
    settings = settings or ServiceSettings(public_url=public_url or workspace.config.status_base_url)
    signer = workspace.issuer(passphrase=passphrase)  # reads (decrypts) the key once, now, for every route
    key, vm = signer.key, signer.verification_method
    profile = IssuerProfile(name=workspace.config.display_name(), key_alg=key.alg, jose_alg=key.public.jose_alg,
                            names=workspace.config.names)
    kinds = set(workspace.config.kinds)
    types = {t.id: t for t in workspace.catalog.list() if not kinds or kinds & set(t.issuer_kinds)}
    extra = did_key_issuers.values() if isinstance(did_key_issuers, Mapping) else did_key_issuers
    registry = workspace.registry
    vcapi = VcApiIssuer(
        workspace_signer=Signer(workspace.issuer_did, key, vm, with_status=True),
        registry=registry,
        loader=workspace.loader,
        default_cryptosuite=default_cryptosuite or profile.cryptosuite,
        did_key_issuers={k.alg: Signer.did_key(k) for k in extra},
    )
    publisher = StatusPublisher(registry, issuer=workspace.issuer_did, key=key, verification_method=vm,
                                loader=workspace.loader, ttl=settings.status_ttl, clock=settings.clock)
    store = grants if isinstance(grants, GrantStore) else GrantStore(grants or Path(workspace.path) / GRANTS_DB)
    ctx = ServiceContext(
        workspace=workspace,
        settings=settings,
        auth=StaffAuth(staff_tokens),
        grants=store,
        vcapi=vcapi,
        publisher=publisher,
        profile=profile,
        types=types,
        configurations=credential_configurations(types.values(), profile),
        jwks=_jwks(workspace),
    )
    app = FastAPI(title=f"jitsuin issuer: {workspace.config.display_name()}", description=_DESCRIPTION, version="1.0")
    app.state.jitsuin = ctx
    install_error_handlers(app)
    app.include_router(credentials.router)
    app.include_router(oid4vci.router)
    app.include_router(well_known.router)
    app.include_router(status_router(publisher.path_prefix))  # last: its prefix may be the root
    return app


def _jwks(workspace: Workspace) -> list[dict[str, str]]:
    """The public keys still in use, each with ``kid`` = its verification method (the JWS ``kid``)."""
    out = []
    for entry in workspace.config.keys:
        if entry.state in ("active", "verify-only"):
            jwk = PublicKey.from_multibase(entry.public).to_jwk()
            jwk["kid"] = workspace.verification_method(entry.kid)
            out.append(jwk)
    return out
