"""Trust and policy: whom a verifier trusts for what, and what else it requires of a credential.

- ``trust``: ``TrustEntry`` / ``TrustList`` (files in JSON or YAML; did:web domain patterns)
- ``trust_list_credential``: a trust list signed as a ``TrustListCredential`` (Data Integrity)
- ``policy``: the frozen ``Policy``; ``files``: ``load_policy`` for a policy file
- ``schema``: ``credentialSchema`` validation from configured schemas
- ``identity`` / ``links``: holder and subject identity, household and proxy links
"""

from .files import load_policy
from .identity import JWK_THUMBPRINT_URI_PREFIX, PersonKey, cnf_identifiers, did_identifiers, key_identifiers, person_key
from .links import HOUSEHOLD, LINK_TYPES, REPRESENTATION, LinkCandidate, LinkRules, decide_link, link_kind
from .policy import ALL_FORMATS, DEFAULT_ALGS, DEFAULT_CRYPTOSUITES, DEFAULT_FORMATS, Policy
from .schema import SchemaSet
from .trust import ANY_TYPE, TrustEntry, TrustList, did_web_host
from .trust_list_credential import (
    TRUST_LIST_CONTEXT_URL,
    TRUST_LIST_CREDENTIAL_TYPE,
    register_trust_list_context,
    sign_trust_list,
    trust_list_credential,
    verify_trust_list_credential,
)

__all__ = [
    "ALL_FORMATS",
    "ANY_TYPE",
    "DEFAULT_ALGS",
    "DEFAULT_CRYPTOSUITES",
    "DEFAULT_FORMATS",
    "HOUSEHOLD",
    "JWK_THUMBPRINT_URI_PREFIX",
    "LINK_TYPES",
    "LinkCandidate",
    "LinkRules",
    "PersonKey",
    "Policy",
    "REPRESENTATION",
    "SchemaSet",
    "TRUST_LIST_CONTEXT_URL",
    "TRUST_LIST_CREDENTIAL_TYPE",
    "TrustEntry",
    "TrustList",
    "cnf_identifiers",
    "decide_link",
    "did_identifiers",
    "did_web_host",
    "key_identifiers",
    "link_kind",
    "load_policy",
    "person_key",
    "register_trust_list_context",
    "sign_trust_list",
    "trust_list_credential",
    "verify_trust_list_credential",
]
