"""jitsuin's core: W3C Verifiable Credentials, keys and DIDs, proofs, JOSE formats and status lists.

    >>> from vc import KeyPair, issue_credential, verify
    >>> key = KeyPair.generate("Ed25519")
    >>> signed = issue_credential(credential, key)          # doctest: +SKIP
    >>> verify(signed).verified                             # doctest: +SKIP
    True

The submodules hold the rest: ``vc.keys``, ``vc.did``, ``vc.jsonld``, ``vc.model``, ``vc.proofs``,
``vc.jose``, ``vc.sdjwt``, ``vc.status``, ``vc.errors``.
"""

from .credentials import issue_credential, verify_credential
from .did import DidResolver, default_resolver
from .errors import VcError
from .formats import detect_format, verify
from .jsonld import DocumentLoader, default_loader
from .keys import KeyPair, PublicKey
from .results import CheckResult, VerificationResult

__all__ = [
    "CheckResult",
    "DidResolver",
    "DocumentLoader",
    "KeyPair",
    "PublicKey",
    "VcError",
    "VerificationResult",
    "default_loader",
    "default_resolver",
    "detect_format",
    "issue_credential",
    "verify",
    "verify_credential",
]
