"""Presentation requests with OpenID for Verifiable Presentations 1.0 and DCQL.

A procedure's DCQL query becomes an authorization request (``response_type=vp_token``,
``response_mode=direct_post``, fresh ``nonce`` and ``state``), stored in a ``RequestStore`` and
shown as an ``openid4vp://`` link and QR code; the wallet fetches the request object from
``request_uri`` once and posts ``vp_token`` + ``state`` to ``response_uri`` once.

Client identifier prefixes: ``redirect_uri:`` (unsigned; the client_id is the response URI) and
``decentralized_identifier:`` (request objects signed with the verifier's DID key, ``kid`` the
DID URL). The full client_id is the audience presentations must name.

Where the verifier's name and the purpose travel (OpenID4VP 1.0 leaves both to profiles; this is
jitsuin's):

- name: ``client_metadata.client_name`` with RFC 7591 language tags ``client_name#ja`` and
  ``client_name#en``;
- purpose: ``dcql_query.credential_sets[].purpose`` (Japanese) and ``purpose#en``, where DCQL
  drafts 22-24 defined ``purpose``; DCQL tells wallets to ignore properties they do not know.
  A query without credential sets gets one required set of all its credentials, which asks for
  the same. Signed (``decentralized_identifier``) requests protect both with the verifier's key.

>>> from verifier.requests import OpenId4VpVerifier, RequestStore, VerifierIdentity
"""

from .authorization_request import (
    DEFAULT_REQUEST_TTL,
    REQUEST_OBJECT_TYP,
    STATIC_AUDIENCE,
    WALLET_SCHEME,
    AuthorizationRequest,
    client_metadata,
    deep_link,
    new_authorization_request,
    request_object,
)
from .client_id import CLIENT_ID_PREFIXES, ClientIdPrefix, VerifierIdentity, split_client_id
from .dcql import (
    DCQL_FORMATS,
    accepted_query_ids,
    claim_query,
    credential_query,
    dcql_query,
    missing_requirements,
    project_claims,
    select_claims,
    validate_dcql,
    with_purpose,
)
from .openid4vp import CreatedRequest, OpenId4VpVerifier, OutcomeHook
from .presentation_check import PresentationCheck, PresentedCredential, VpTokenCheck, check_presentation, check_vp_token
from .qr import qr_svg, qr_text
from .response import AcceptedCredential, ResponseOutcome, evaluate_vp_token, parse_vp_token
from .store import RequestStore, StoredRequest

__all__ = [
    "AcceptedCredential",
    "AuthorizationRequest",
    "CLIENT_ID_PREFIXES",
    "ClientIdPrefix",
    "CreatedRequest",
    "DCQL_FORMATS",
    "DEFAULT_REQUEST_TTL",
    "OpenId4VpVerifier",
    "OutcomeHook",
    "PresentationCheck",
    "PresentedCredential",
    "REQUEST_OBJECT_TYP",
    "RequestStore",
    "ResponseOutcome",
    "STATIC_AUDIENCE",
    "StoredRequest",
    "VerifierIdentity",
    "VpTokenCheck",
    "WALLET_SCHEME",
    "accepted_query_ids",
    "check_presentation",
    "check_vp_token",
    "claim_query",
    "client_metadata",
    "credential_query",
    "dcql_query",
    "deep_link",
    "evaluate_vp_token",
    "missing_requirements",
    "new_authorization_request",
    "parse_vp_token",
    "project_claims",
    "qr_svg",
    "qr_text",
    "request_object",
    "select_claims",
    "split_client_id",
    "validate_dcql",
    "with_purpose",
]
