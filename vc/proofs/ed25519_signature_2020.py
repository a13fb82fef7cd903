"""Ed25519Signature2020 (w3c-ccg di-eddsa-2020 / ed25519-signature-2020): the legacy Ed25519 proof type.

Same steps as eddsa-rdfc-2022 (RDFC-1.0, SHA-256 of the proof configuration then of the document), but the
proof ``type`` is ``Ed25519Signature2020`` with no ``cryptosuite``, and the document must use the
``https://w3id.org/security/suites/ed25519-2020/v1`` context, which defines the proof's terms.
"""

from __future__ import annotations

from vc.proofs.suite import RdfcCryptosuite, register_cryptosuite

__all__ = ["ED25519_2020_CONTEXT", "Ed25519Signature2020"]

ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"


class Ed25519Signature2020(RdfcCryptosuite):
    """The ``Ed25519Signature2020`` proof type (verify and create, for verifiers that need it)."""

    name = "Ed25519Signature2020"
    proof_type = "Ed25519Signature2020"
    key_algs = frozenset({"Ed25519"})
    required_contexts = frozenset({ED25519_2020_CONTEXT})
    # jsonld-signatures drops every signature member before canonicalizing the proof options
    signature_members = ("proofValue", "jws", "signatureValue")


register_cryptosuite(Ed25519Signature2020())
