"""ecdsa-rdfc-2019 (W3C vc-di-ecdsa section 3.2): ECDSA over RDFC-1.0 canonical N-Quads.

P-256 keys hash with SHA-256 and P-384 keys with SHA-384 (vc-di-ecdsa 3.2.4); the signature is IEEE P1363
``r || s`` over the hash data (ECDSA hashes it once more with the same function, as WebCrypto does).
ECDSA signatures are randomized, so two proofs over the same document differ.
"""

from __future__ import annotations

from typing import ClassVar

from vc.errors import KeyTypeMismatchError
from vc.proofs.suite import RdfcCryptosuite, register_cryptosuite

__all__ = ["EcdsaRdfc2019"]


class EcdsaRdfc2019(RdfcCryptosuite):
    """The ``ecdsa-rdfc-2019`` cryptosuite of a ``DataIntegrityProof`` (P-256; P-384 once vc.keys has it)."""

    name = "ecdsa-rdfc-2019"
    key_algs = frozenset({"P-256", "P-384"})
    _hashes: ClassVar[dict[str, str]] = {"P-256": "sha256", "P-384": "sha384"}

    def hash_algorithm(self, alg: str) -> str:
        try:
            return self._hashes[alg]
        except KeyError:
            raise KeyTypeMismatchError(f"{self.name} signs with P-256 or P-384 keys, not {alg}") from None


register_cryptosuite(EcdsaRdfc2019())
