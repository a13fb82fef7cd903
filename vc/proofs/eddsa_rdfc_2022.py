"""eddsa-rdfc-2022 (W3C vc-di-eddsa section 3.2): Ed25519 over RDFC-1.0 canonical N-Quads, SHA-256.

The proof configuration gets the document's ``@context``; hash data is
``SHA-256(canonical proof config) || SHA-256(canonical document)``; ``proofValue`` is base58btc.
"""

from __future__ import annotations

from vc.proofs.suite import RdfcCryptosuite, register_cryptosuite

__all__ = ["EddsaRdfc2022"]


class EddsaRdfc2022(RdfcCryptosuite):
    """The ``eddsa-rdfc-2022`` cryptosuite of a ``DataIntegrityProof``."""

    name = "eddsa-rdfc-2022"
    key_algs = frozenset({"Ed25519"})


register_cryptosuite(EddsaRdfc2022())
