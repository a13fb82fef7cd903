"""The verifier side of jitsuin: trust and policy, procedures that pre-fill forms, household and proxy links,
an audit log, and one verification API over every format.

    >>> from verifier import Policy, TrustList, verify_presentation
    >>> from verifier.procedures import builtin_procedure
    >>> policy = Policy(trust_list=TrustList.load("trust.yaml"), status_checker=checker)
    >>> procedure = builtin_procedure("birth-registration")
    >>> result = verify_presentation(vp_token, policy=policy, procedure=procedure, audience=client_id, nonce=nonce)
    >>> form = procedure.fill_form(result)

``verifier`` never imports ``issuers``: type metadata comes from the credential itself (``credentialSchema``,
its JSON-LD context) and from files the verifier is configured with.
"""

from .audit import AuditLog, AuditRecord, SqliteAuditLog, open_audit_log
from .policy import Policy, SchemaSet, TrustEntry, TrustList, load_policy
from .procedures import FilledForm, Procedure, builtin_procedure, builtin_procedures, load_procedure
from .results import VerifiedCredential, VerifierResult
from .verification import verify_credential, verify_presentation

__all__ = [
    "AuditLog",
    "AuditRecord",
    "FilledForm",
    "Policy",
    "Procedure",
    "SchemaSet",
    "SqliteAuditLog",
    "TrustEntry",
    "TrustList",
    "VerifiedCredential",
    "VerifierResult",
    "builtin_procedure",
    "builtin_procedures",
    "load_policy",
    "load_procedure",
    "open_audit_log",
    "verify_credential",
    "verify_presentation",
]
