"""One error tree for jitsuin, each class with a stable string ``code``.

    VcError                               base; ``code`` is stable, ``message`` says what to do
    ├── InputError                        unusable input (CLI exit 2)
    │   ├── MalformedError                MALFORMED: not JSON, not an object, bad base64url ...
    │   ├── InputTooLargeError            INPUT_TOO_LARGE: size or nesting depth over the limit
    │   ├── ContextNotAllowedError        CONTEXT_NOT_ALLOWED: a JSON-LD context that is not bundled/registered
    │   ├── ContextIntegrityError         CONTEXT_INTEGRITY: a bundled context whose bytes changed
    │   ├── UndefinedTermError            UNDEFINED_TERM: a property that does not expand to an IRI
    │   ├── ProtectedTermError            PROTECTED_TERM_REDEFINITION
    │   ├── JsonLdError                   JSONLD_ERROR: any other JSON-LD processing failure
    │   ├── CanonicalizationLimitError    CANONICALIZATION_LIMIT: RDFC-1.0 work limit reached
    │   ├── DataModelError                DATA_MODEL (and subclasses with their own codes)
    │   │       JOSE formats add: JWT_VC_CLAIM_FORBIDDEN, UNKNOWN_PROPERTY, VCT_MISSING
    │   ├── CatalogError                  CATALOG: a certificate type file or its claims (see class codes)
    │   └── BatchError                    BATCH_ERROR: a batch input file (see class codes)
    ├── KeyMaterialError                 KEY_ERROR
    │   ├── UnsupportedKeyTypeError       UNSUPPORTED_KEY_TYPE
    │   ├── InvalidKeyError               INVALID_KEY
    │   ├── PassphraseRequiredError       PASSPHRASE_REQUIRED: an encrypted key file read without one
    │   └── WrongPassphraseError          WRONG_PASSPHRASE
    ├── DidError
    │   ├── InvalidDidError               INVALID_DID
    │   ├── DidMethodNotSupportedError    DID_METHOD_NOT_SUPPORTED
    │   ├── DidResolutionError            DID_RESOLUTION_FAILED
    │   └── VerificationMethodNotFoundError VERIFICATION_METHOD_NOT_FOUND
    ├── ProofError
    │   ├── ProofMissingError             PROOF_MISSING
    │   ├── MalformedProofError           MALFORMED_PROOF
    │   ├── UnknownCryptosuiteError       UNKNOWN_CRYPTOSUITE
    │   ├── InvalidSignatureError         INVALID_SIGNATURE
    │   ├── KeyPurposeMismatchError       KEY_PURPOSE_MISMATCH
    │   ├── IssuerMismatchError           ISSUER_MISMATCH
    │   ├── KeyTypeMismatchError          KEY_TYPE_MISMATCH
    │   ├── ChallengeMismatchError        CHALLENGE_MISMATCH
    │   ├── DomainMismatchError           DOMAIN_MISMATCH
    │   ├── ProofExpiredError             PROOF_EXPIRED
    │   └── HolderMismatchError           HOLDER_MISMATCH
    ├── ValidityError
    │   ├── ExpiredError                  EXPIRED
    │   └── NotYetValidError              NOT_YET_VALID
    ├── JoseError                         JOSE/SD-JWT failures (see class codes)
    │       JWS: MALFORMED_JWS, JWS_TOO_LARGE, ALG_NONE, ALG_SYMMETRIC (HS*), ALG_NOT_ALLOWED,
    │            ALG_KEY_MISMATCH, CRIT_UNSUPPORTED, TYP_MISMATCH, CTY_MISMATCH, INVALID_SIGNATURE,
    │            INVALID_CLAIM (a JWT claim of the wrong type)
    │       keys: KID_MISSING, KID_NOT_DID_URL, KID_NOT_FOUND, ISSUER_KEY_NOT_FOUND,
    │            ISSUER_METADATA_UNAVAILABLE / _INVALID / _MISMATCH (/.well-known/jwt-vc-issuer)
    │       presentations: AUD_MISMATCH, NONCE_MISMATCH, NONCE_REUSED, STALE_IAT, IAT_IN_FUTURE,
    │            IAT_MISSING, CREDENTIAL_NOT_SECURED, MALFORMED_ENVELOPE, ENVELOPE_MEDIA_TYPE,
    │            ENVELOPE_FORMAT_UNSUPPORTED
    │       SD-JWT: MALFORMED_SD_JWT, SD_JWT_TOO_LARGE, DISCLOSURES_TOO_LARGE, MALFORMED_DISCLOSURE,
    │            SD_ALG_UNSUPPORTED, DISCLOSURE_DUPLICATE, DIGEST_DUPLICATE, DISCLOSURE_NOT_REFERENCED,
    │            DISCLOSURE_RESERVED_NAME, DISCLOSURE_OVERWRITES_CLAIM, DISCLOSURE_WRONG_SHAPE,
    │            CLAIM_NOT_DISCLOSABLE, KB_JWT_MISSING, KB_JWT_PRESENT, HOLDER_KEY_MISSING,
    │            HOLDER_KEY_MISMATCH (KB-JWT not signed by cnf), SD_HASH_MISMATCH
    ├── StatusError                       status list failures (see class codes)
    ├── RegistryError                     issuance registry failures (see class codes)
    │   ├── CredentialNotFoundError       CREDENTIAL_NOT_FOUND
    │   └── StatusTransitionError         CREDENTIAL_REVOKED / NOT_SUSPENDED / ALREADY_SUSPENDED ...
    ├── PolicyError                       a verifier's policy refuses a credential (see class codes)
    │       trust: UNTRUSTED_ISSUER, ISSUER_NOT_TRUSTED_FOR_TYPE, TRUST_ENTRY_EXPIRED,
    │            TRUST_ENTRY_NOT_YET_VALID, TRUST_LIST_INVALID, TRUST_LIST_UNTRUSTED_PUBLISHER,
    │            TRUST_LIST_EXPIRED
    │       policy: FORMAT_NOT_ACCEPTED, ALG_NOT_ACCEPTED, CREDENTIAL_TOO_OLD, STATUS_REQUIRED,
    │            STATUS_CHECKER_MISSING, SCHEMA_VIOLATION, SCHEMA_UNAVAILABLE, SCHEMA_REQUIRED,
    │            SCHEMA_TYPE_UNSUPPORTED, POLICY_INVALID
    │       holder: HOLDER_BINDING_REQUIRED, SUBJECT_NOT_HOLDER, SUBJECT_NOT_LINKED, LINK_INVALID,
    │            LINK_NOT_HOLDERS, LINK_PERSON_MISMATCH, LINK_PERSON_UNDETERMINED,
    │            LINK_RELATIONSHIP_NOT_ACCEPTED, LINK_SCOPE_MISMATCH, LINK_BASIS_NOT_ACCEPTED
    │       procedures: PROCEDURE_INVALID, PROCEDURE_NOT_FOUND, PROCEDURE_CREDENTIAL_MISSING
    ├── AuditError                        the verifier's audit log (AUDIT_UNAVAILABLE, AUDIT_SCHEMA)
    ├── PresentationRequestError          OpenID4VP requests and responses (see class codes)
    │       request: REQUEST_NOT_FOUND, REQUEST_EXPIRED, REQUEST_URI_ALREADY_FETCHED, INVALID_DCQL,
    │            CLIENT_ID_PREFIX_UNSUPPORTED, REQUEST_SIGNING_KEY_MISSING, PROCEDURE_NOT_FOUND
    │       response: STATE_MISMATCH, RESPONSE_REPLAYED, INVALID_VP_TOKEN, WALLET_ERROR,
    │            CREDENTIAL_MISSING, CREDENTIAL_FORMAT_MISMATCH, CREDENTIAL_TYPE_MISMATCH,
    │            CLAIM_MISSING, TOO_MANY_PRESENTATIONS, HOLDER_BINDING_MISSING, RESULT_TOKEN_INVALID
    ├── Oid4vciError                      a wallet's OpenID4VCI exchange with an issuer failed (see class codes)
    │       OFFER_INVALID, METADATA_INVALID, HTTP_ERROR, TX_CODE_REQUIRED, TOKEN_REFUSED,
    │       CREDENTIAL_REFUSED, RESPONSE_INVALID (``detail["error"]``: the issuer's OAuth error code)
    ├── WalletError                       a holder's wallet: its store, receipt and presentation (see class codes)
    │       store: WALLET_CORRUPT, WALLET_NOT_FOUND, WALLET_EXISTS, WALLET_RECORD_NOT_FOUND
    │       receipt: CREDENTIAL_REJECTED, METADATA_MISMATCH
    │       presentation: REQUEST_INVALID, REQUEST_SIGNATURE_INVALID, REQUEST_UNSATISFIABLE,
    │            APPROVAL_REQUIRED, CREDENTIAL_CHOICE_INVALID, RESPONSE_FAILED
    ├── WorkspaceError                    an issuer workspace, its keys or an issuance (see class codes)
    │       WORKSPACE_NOT_FOUND, WORKSPACE_EXISTS, WORKSPACE_CONFIG_INVALID, KEY_NOT_FOUND,
    │       KEY_ROTATION_UNSUPPORTED, KEY_STILL_IN_USE, KEY_ACTIVE, FORMAT_UNSUPPORTED,
    │       FORMAT_KEY_MISMATCH, TYPE_NOT_ALLOWED, HOLDER_KEY_REQUIRED
    │       STATUS_ISSUER_MISMATCH (--key --status: the credential's issuer is not the workspace's)
    │       OFFER_INVALID (an OpenID4VCI offer's formats, PIN or subject)
    └── UsageError                        USAGE: the caller misused the API (a bug, not bad input)

Verification functions never raise these for a bad credential; they return a result whose failed
checks carry the code. Issuance raises them.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "BatchError",
    "CanonicalizationLimitError",
    "CatalogError",
    "ChallengeMismatchError",
    "ContextIntegrityError",
    "ContextNotAllowedError",
    "CredentialNotFoundError",
    "DataModelError",
    "DidError",
    "DidMethodNotSupportedError",
    "DidResolutionError",
    "DomainMismatchError",
    "ExpiredError",
    "HolderMismatchError",
    "InputError",
    "InputTooLargeError",
    "InvalidDidError",
    "InvalidKeyError",
    "InvalidSignatureError",
    "IssuerMismatchError",
    "JoseError",
    "JsonLdError",
    "KeyMaterialError",
    "KeyPurposeMismatchError",
    "KeyTypeMismatchError",
    "MalformedError",
    "MalformedProofError",
    "NotYetValidError",
    "Oid4vciError",
    "PassphraseRequiredError",
    "PolicyError",
    "PresentationRequestError",
    "ProofError",
    "ProofExpiredError",
    "ProofMissingError",
    "ProtectedTermError",
    "RegistryError",
    "StatusError",
    "StatusTransitionError",
    "UndefinedTermError",
    "UnknownCryptosuiteError",
    "UnsupportedKeyTypeError",
    "UsageError",
    "ValidityError",
    "VcError",
    "VerificationMethodNotFoundError",
    "WalletError",
    "WorkspaceError",
    "WrongPassphraseError",
]


class VcError(Exception):
    """Base of every jitsuin error; ``code`` is stable and safe to match on."""

    code: ClassVar[str] = "VC_ERROR"

    def __init__(self, message: str, *, code: str | None = None, **detail: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            # a sub-code within the class's family (e.g. a JOSE failure); still stable
            self.code = code  # type: ignore[misc]
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """The error as JSON-ready data (code, message, detail)."""
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.detail:
            out["detail"] = {k: v for k, v in self.detail.items() if _jsonable(v)}
        return out


def _jsonable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool, type(None), list, dict))


# --- unusable input -------------------------------------------------------------------------


class InputError(VcError):
    """The input cannot be processed at all (CLI exit code 2)."""

    code = "INPUT_ERROR"


class MalformedError(InputError):
    code = "MALFORMED"


class InputTooLargeError(InputError):
    code = "INPUT_TOO_LARGE"


class ContextNotAllowedError(InputError):
    code = "CONTEXT_NOT_ALLOWED"


class ContextIntegrityError(InputError):
    code = "CONTEXT_INTEGRITY"


class UndefinedTermError(InputError):
    code = "UNDEFINED_TERM"


class ProtectedTermError(InputError):
    code = "PROTECTED_TERM_REDEFINITION"


class JsonLdError(InputError):
    code = "JSONLD_ERROR"


class CanonicalizationLimitError(InputError):
    code = "CANONICALIZATION_LIMIT"


class DataModelError(InputError):
    """The document breaks a VC Data Model rule; ``code`` names the rule (e.g. ``INVALID_ISSUER``)."""

    code = "DATA_MODEL"


class CatalogError(InputError):
    """A certificate type file or the claims given for a type are unusable; ``code`` names which.

    Codes: ``TYPE_UNKNOWN`` (no such type in the catalog), ``TYPE_INVALID`` (the type file breaks a rule),
    ``FORBIDDEN_CLAIM`` (a My Number, 住民票コード or 基礎年金番号 field), ``MISSING_LABEL`` (a claim or name
    without both ja and en text), ``UNDEFINED_TERM`` (a claim with no JSON-LD term), ``CLAIMS_INVALID``
    (claims that do not fit the type; ``detail["errors"]`` lists each field path, never a value).
    """

    code = "CATALOG"


class BatchError(InputError):
    """A batch input file is unusable as a whole (``BATCH_INPUT_INVALID``) or has bad rows
    (``BATCH_ROWS_INVALID``; ``detail["rows"]`` lists each line, field path and rule, never a value)."""

    code = "BATCH_ERROR"


# --- keys -----------------------------------------------------------------------------------


class KeyMaterialError(VcError):
    code = "KEY_ERROR"


class UnsupportedKeyTypeError(KeyMaterialError):
    code = "UNSUPPORTED_KEY_TYPE"


class InvalidKeyError(KeyMaterialError):
    code = "INVALID_KEY"


class PassphraseRequiredError(KeyMaterialError):
    code = "PASSPHRASE_REQUIRED"


class WrongPassphraseError(KeyMaterialError):
    code = "WRONG_PASSPHRASE"


# --- DIDs -----------------------------------------------------------------------------------


class DidError(VcError):
    code = "DID_ERROR"


class InvalidDidError(DidError):
    code = "INVALID_DID"


class DidMethodNotSupportedError(DidError):
    code = "DID_METHOD_NOT_SUPPORTED"


class DidResolutionError(DidError):
    code = "DID_RESOLUTION_FAILED"


class VerificationMethodNotFoundError(DidError):
    code = "VERIFICATION_METHOD_NOT_FOUND"


# --- proofs ---------------------------------------------------------------------------------


class ProofError(VcError):
    code = "PROOF_ERROR"


class ProofMissingError(ProofError):
    code = "PROOF_MISSING"


class MalformedProofError(ProofError):
    code = "MALFORMED_PROOF"


class UnknownCryptosuiteError(ProofError):
    code = "UNKNOWN_CRYPTOSUITE"


class InvalidSignatureError(ProofError):
    code = "INVALID_SIGNATURE"


class KeyPurposeMismatchError(ProofError):
    code = "KEY_PURPOSE_MISMATCH"


class IssuerMismatchError(ProofError):
    code = "ISSUER_MISMATCH"


class KeyTypeMismatchError(ProofError):
    code = "KEY_TYPE_MISMATCH"


class ChallengeMismatchError(ProofError):
    code = "CHALLENGE_MISMATCH"


class DomainMismatchError(ProofError):
    code = "DOMAIN_MISMATCH"


class ProofExpiredError(ProofError):
    code = "PROOF_EXPIRED"


class HolderMismatchError(ProofError):
    """A presentation's proof is by a verification method whose controller is not the ``holder``."""

    code = "HOLDER_MISMATCH"


# --- validity period ------------------------------------------------------------------------


class ValidityError(VcError):
    code = "VALIDITY_ERROR"


class ExpiredError(ValidityError):
    code = "EXPIRED"


class NotYetValidError(ValidityError):
    code = "NOT_YET_VALID"


# --- formats and status (families with sub-codes) -------------------------------------------


class JoseError(VcError):
    """A JWS / SD-JWT / KB-JWT failure; ``code`` names which (e.g. ``ALG_NOT_ALLOWED``)."""

    code = "JOSE_ERROR"


class StatusError(VcError):
    """A status list failure; ``code`` names which (e.g. ``STATUS_UNAVAILABLE``)."""

    code = "STATUS_ERROR"


class UsageError(VcError):
    """The API was called wrongly: a programming error, not bad input."""

    code = "USAGE"


# --- issuance registry ----------------------------------------------------------------------


class RegistryError(VcError):
    """An issuance-registry failure; ``code`` names which (e.g. ``IDEMPOTENCY_CONFLICT``)."""

    code = "REGISTRY_ERROR"


class CredentialNotFoundError(RegistryError):
    code = "CREDENTIAL_NOT_FOUND"


class StatusTransitionError(RegistryError):
    """A status change the rules forbid (revocation is final; reinstate only from suspension)."""

    code = "STATUS_TRANSITION_NOT_ALLOWED"


# --- presentation requests (OpenID4VP) -------------------------------------------------------


class PresentationRequestError(VcError):
    """An OpenID4VP authorization request or response failure; ``code`` names which
    (e.g. ``RESPONSE_REPLAYED``, ``CREDENTIAL_MISSING``); see the tree above for the list."""

    code = "PRESENTATION_REQUEST"


# --- issuer workspace -----------------------------------------------------------------------


class WorkspaceError(VcError):
    """An issuer workspace, its keys or an issuance through it; ``code`` names which (e.g.
    ``WORKSPACE_NOT_FOUND``, ``KEY_STILL_IN_USE``); see the tree above for the list."""

    code = "WORKSPACE_ERROR"


# --- verifier -------------------------------------------------------------------------------


class PolicyError(VcError):
    """A verifier's policy refuses a credential or presentation, or a policy, trust list or procedure file
    is unusable; ``code`` names which (e.g. ``UNTRUSTED_ISSUER``, ``SCHEMA_VIOLATION``, ``PROCEDURE_INVALID``)."""

    code = "POLICY_ERROR"


class AuditError(VcError):
    """The verifier's audit log failed; ``code`` names which (``AUDIT_UNAVAILABLE``, ``AUDIT_SCHEMA``)."""

    code = "AUDIT_ERROR"


# --- credential issuance protocol (wallet side) ----------------------------------------------


class Oid4vciError(VcError):
    """A wallet's OpenID4VCI exchange failed; ``code`` names the step (``TOKEN_REFUSED``, ``CREDENTIAL_REFUSED``
    ...) and ``detail["error"]`` carries the issuer's OAuth error code (``invalid_grant``, ``invalid_proof`` ...)."""

    code = "OID4VCI_ERROR"


# --- the holder's wallet ----------------------------------------------------------------------


class WalletError(VcError):
    """A holder's wallet refused or failed; ``code`` names which: the store (``WALLET_CORRUPT``,
    ``WALLET_NOT_FOUND``, ``WALLET_EXISTS``, ``WALLET_RECORD_NOT_FOUND``), a received credential
    (``CREDENTIAL_REJECTED``: it did not verify; ``METADATA_MISMATCH``: it is not what the issuer's metadata
    describes), or a presentation request (``REQUEST_INVALID``, ``REQUEST_SIGNATURE_INVALID``,
    ``REQUEST_UNSATISFIABLE``, ``APPROVAL_REQUIRED``: it would disclose a claim the holder did not approve,
    ``CREDENTIAL_CHOICE_INVALID``: the chosen credential does not answer that query,
    ``RESPONSE_FAILED``: the verifier did not accept the response). A wrong passphrase is
    :class:`WrongPassphraseError`."""

    code = "WALLET_ERROR"
