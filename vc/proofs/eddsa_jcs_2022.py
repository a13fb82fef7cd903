"""eddsa-jcs-2022 (W3C vc-di-eddsa section 3.3): Ed25519 over RFC 8785 (JCS) canonical JSON, SHA-256.

Creating a proof copies the document's ``@context`` into the proof, and the proof configuration is the
proof without ``proofValue``. Verifying checks that the document's ``@context`` starts with the proof's
``@context`` (same values, same order) and hashes the document with the proof's ``@context``.
No JSON-LD processing happens here.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import rfc8785

from vc.encoding.jcs import canonical_json
from vc.errors import InvalidSignatureError, MalformedError
from vc.jsonld.loader import DocumentLoader
from vc.proofs.suite import Cryptosuite, register_cryptosuite

__all__ = ["EddsaJcs2022", "jcs"]


def jcs(value: Any) -> bytes:
    """RFC 8785 canonical JSON bytes; MalformedError for numbers JCS cannot represent."""
    try:
        return canonical_json(value)
    except rfc8785.CanonicalizationError as exc:
        raise MalformedError(f"the document cannot be canonicalized with JCS (RFC 8785): {exc}") from None


class EddsaJcs2022(Cryptosuite):
    """The ``eddsa-jcs-2022`` cryptosuite of a ``DataIntegrityProof``."""

    name = "eddsa-jcs-2022"
    key_algs = frozenset({"Ed25519"})
    uses_jsonld = False

    def proof_from_options(self, document: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        proof = dict(options)
        if "@context" in document:
            proof["@context"] = document["@context"]
        return proof

    def proof_config(self, document: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in options.items() if k not in self.signature_members}

    def canonize_config(self, proof_config: dict[str, Any], *, loader: DocumentLoader) -> bytes:
        return jcs(proof_config)

    def transform(
        self, document: dict[str, Any], proof_config: dict[str, Any], *, loader: DocumentLoader, signing: bool = False
    ) -> bytes:
        return jcs(document)

    def check_document_context(self, document: dict[str, Any]) -> None:
        # JCS needs no JSON-LD; the terms matter only when the document is JSON-LD at all
        if "@context" in document:
            super().check_document_context(document)

    def document_for_verification(self, document: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        if "@context" not in options:
            return document
        proof_context = options["@context"]
        doc_context = document.get("@context")
        expected = proof_context if isinstance(proof_context, list) else [proof_context]
        actual = doc_context if isinstance(doc_context, list) else [doc_context]
        if actual[: len(expected)] != expected:
            raise InvalidSignatureError(
                "the document's '@context' does not start with the proof's '@context': the contexts "
                "changed after signing"
            )
        return {**document, "@context": proof_context}

    def transform_cache_key(self, document: dict[str, Any], config: dict[str, Any]) -> Hashable:
        # the hashed document depends on the proof's @context
        return ("jcs", jcs(document.get("@context")))


register_cryptosuite(EddsaJcs2022())
