"""The holder's wallet: receive, hold, consent, present, and remember what was disclosed to whom.

- :mod:`~vc.holder.store`: one SQLite file, every record sealed (Argon2id + XSalsa20-Poly1305).
- :mod:`~vc.holder.receive` (with :mod:`~vc.holder.oid4vci_client`): OpenID4VCI offers -> checked,
  stored credentials with the issuer's display data.
- :mod:`~vc.holder.dcql`, :mod:`~vc.holder.consent`: which credentials answer a DCQL query, and
  exactly which claims a presentation would disclose (optional claims off until approved).
- :mod:`~vc.holder.oid4vp_client`: OpenID4VP 1.0 requests (signed request objects verified),
  ``vp_token`` to ``response_uri`` (direct_post).
- :mod:`~vc.holder.history`: the disclosure history, exportable as JSON.
- :mod:`~vc.holder.status`: the issuer's status list asked, the answer noted ("status last checked").

>>> store = WalletStore.open_or_create("wallet.db", passphrase)
>>> stored = receive_credential(store, offer_link, tx_code="493027")
>>> with Oid4vpClient() as client:
...     request = client.open_request(request_link)
...     plan = plan_presentation(match_dcql(request.dcql_query, store.credentials()))
...     entry = present(store, client, request, plan)
"""

from .claims import credential_document, disclosed_paths, format_claim_path
from .consent import (
    ALWAYS,
    OPTIONAL,
    REQUIRED,
    ClaimDisclosure,
    CredentialDisclosure,
    PresentationPlan,
    build_vp_token,
    choose_credentials,
    plan_presentation,
)
from .dcql import CredentialCandidate, CredentialSetMatch, QueryMatch, RequestMatch, check_dcql, match_dcql
from .history import PRESENTED, REFUSED, REJECTED, DisclosedCredential, DisclosureHistory, HistoryEntry
from .oid4vci_client import (
    PRE_AUTHORIZED_GRANT,
    PROOF_TYP,
    CredentialOffer,
    Oid4vciClient,
    ReceivedCredential,
    TokenResponse,
    make_key_proof,
    receive_offer,
    well_known_url,
)
from .oid4vp_client import Oid4vpClient, PresentationRequest, VerifierReply, decline, present
from .receive import receive_credential
from .status import check_status
from .subjects import SubjectSummary, credential_subject
from .records import ClaimLabel, StoredCredential, StoredKey, localized
from .store import WalletStore

__all__ = [
    "ALWAYS",
    "ClaimDisclosure",
    "ClaimLabel",
    "CredentialCandidate",
    "CredentialDisclosure",
    "CredentialOffer",
    "CredentialSetMatch",
    "DisclosedCredential",
    "DisclosureHistory",
    "HistoryEntry",
    "OPTIONAL",
    "Oid4vciClient",
    "Oid4vpClient",
    "PRESENTED",
    "PRE_AUTHORIZED_GRANT",
    "PROOF_TYP",
    "PresentationPlan",
    "PresentationRequest",
    "QueryMatch",
    "REFUSED",
    "REJECTED",
    "REQUIRED",
    "ReceivedCredential",
    "RequestMatch",
    "StoredCredential",
    "StoredKey",
    "SubjectSummary",
    "TokenResponse",
    "VerifierReply",
    "WalletStore",
    "build_vp_token",
    "check_dcql",
    "check_status",
    "choose_credentials",
    "credential_document",
    "credential_subject",
    "decline",
    "disclosed_paths",
    "format_claim_path",
    "localized",
    "make_key_proof",
    "match_dcql",
    "plan_presentation",
    "present",
    "receive_credential",
    "receive_offer",
    "well_known_url",
]
