"""Data Integrity proofs: cryptosuites (eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019,
Ed25519Signature2020), adding proofs (sets and chains) and verifying them.

    >>> from vc.proofs import add_proof, verify_proofs
"""

from vc.proofs import ecdsa_rdfc_2019, ed25519_signature_2020, eddsa_jcs_2022, eddsa_rdfc_2022  # noqa: F401 - registers
from vc.proofs.data_integrity import add_proof, verify_proofs
from vc.proofs.ecdsa_rdfc_2019 import EcdsaRdfc2019
from vc.proofs.ed25519_signature_2020 import ED25519_2020_CONTEXT, Ed25519Signature2020
from vc.proofs.eddsa_jcs_2022 import EddsaJcs2022
from vc.proofs.eddsa_rdfc_2022 import EddsaRdfc2022
from vc.proofs.suite import (
    CRYPTOSUITES,
    Cryptosuite,
    RdfcCryptosuite,
    get_cryptosuite,
    register_cryptosuite,
    suite_for_proof,
)

__all__ = [
    "CRYPTOSUITES",
    "Cryptosuite",
    "ED25519_2020_CONTEXT",
    "EcdsaRdfc2019",
    "Ed25519Signature2020",
    "EddsaJcs2022",
    "EddsaRdfc2022",
    "RdfcCryptosuite",
    "add_proof",
    "get_cryptosuite",
    "register_cryptosuite",
    "suite_for_proof",
    "verify_proofs",
]
