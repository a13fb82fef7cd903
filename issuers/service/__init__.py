"""The issuer service: a FastAPI app over one workspace (``jitsuin serve issuer``).

VC-API (``POST /credentials/issue``, ``/credentials/status``) for staff systems and the W3C test suites;
OpenID4VCI 1.0 (pre-authorized code with ``tx_code``, nonce and credential endpoints, offers as QR codes)
for wallets; the well-known documents and live status lists.

>>> token, digest = new_staff_token()
>>> app = create_app(Workspace.open(), staff_tokens=[digest], public_url="https://city.example.jp")
>>> serve(app, host="0.0.0.0", port=8443, certfile="cert.pem", keyfile="key.pem")
"""

from .app import GRANTS_DB, create_app
from .auth import StaffAuth, hash_staff_token, new_staff_token
from .context import ServiceContext
from .grants import GrantError, GrantStore, IssuedRecord, OfferRecord
from .key_proofs import PROOF_TYP, HolderKey, KeyProof, verify_key_proof
from .metadata import (
    OID4VCI_FORMATS,
    PRE_AUTHORIZED_GRANT,
    IssuerProfile,
    OfferFormat,
    authorization_server_metadata,
    configuration_id,
    credential_configurations,
    credential_issuer_metadata,
    split_configuration_id,
)
from .offers import OFFER_SCHEME, CreatedOffer, create_offer, offer_uri
from .problems import OAuthError, problem_for
from .server import BackgroundServer, bind_socket, serve
from .settings import ServiceSettings

__all__ = [
    "BackgroundServer",
    "CreatedOffer",
    "GRANTS_DB",
    "GrantError",
    "GrantStore",
    "HolderKey",
    "IssuedRecord",
    "IssuerProfile",
    "KeyProof",
    "OAuthError",
    "OFFER_SCHEME",
    "OID4VCI_FORMATS",
    "OfferFormat",
    "OfferRecord",
    "PRE_AUTHORIZED_GRANT",
    "PROOF_TYP",
    "ServiceContext",
    "ServiceSettings",
    "StaffAuth",
    "authorization_server_metadata",
    "bind_socket",
    "configuration_id",
    "create_app",
    "create_offer",
    "credential_configurations",
    "credential_issuer_metadata",
    "hash_staff_token",
    "new_staff_token",
    "offer_uri",
    "problem_for",
    "serve",
    "split_configuration_id",
    "verify_key_proof",
]
