"""Spec vectors through the fast path: the canonical documents and proof configurations of vc-di-eddsa
(eddsa-rdfc-2022, its employment credential, Ed25519Signature2020) and vc-di-ecdsa reproduce byte for byte,
without falling back to pyld."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from vc.canon import canonicalize, canonize, fast_quads
from vc.jsonld import DocumentLoader

VECTORS = Path(__file__).parents[2] / "vectors"
EDDSA = VECTORS / "vc-di-eddsa"
ECDSA = VECTORS / "vc-di-ecdsa" / "ecdsa-rdfc-2019-p256"

# (folder, file suffix) of each vector set with canonical forms
SETS = [
    (EDDSA / "eddsa-rdfc-2022", "DataInt"),
    (EDDSA / "eddsa-rdfc-2022" / "employ", "DataInt"),
    (EDDSA / "Ed25519Signature2020", "EdSig"),
]


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _unsecured(signed: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in signed.items() if k != "proof"}


def _proof_config(signed: dict[str, Any]) -> dict[str, Any]:
    config = {k: v for k, v in signed["proof"].items() if k != "proofValue"}
    return {**config, "@context": signed["@context"]}


@pytest.fixture(scope="module")
def loader() -> DocumentLoader:
    return DocumentLoader()


@pytest.mark.parametrize(("folder", "suffix"), SETS, ids=lambda v: v.name if isinstance(v, Path) else v)
@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
def test_eddsa_canonical_forms(folder: Path, suffix: str, safe: bool, loader: DocumentLoader) -> None:
    signed = json.loads(_read(folder / f"signed{suffix}.json"))
    document = _unsecured(signed)
    config = json.loads(_read(folder / f"proofConfig{suffix}.json"))
    expected_doc = _read(folder / f"canonDoc{suffix}.txt")
    expected_config = _read(folder / f"proofCanon{suffix}.txt")
    # the fast path alone (it raises Unsupported rather than fall back)
    assert canonicalize(fast_quads(document, loader=loader, safe=safe)) == expected_doc
    assert canonicalize(fast_quads(config, loader=loader, safe=safe)) == expected_config
    assert canonize(document, loader=loader, safe=safe) == expected_doc
    # and the hashes the signature covers
    assert hashlib.sha256(expected_doc.encode()).hexdigest() == _read(folder / f"docHash{suffix}.txt").strip()


@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
def test_ecdsa_proof_configuration(safe: bool, loader: DocumentLoader) -> None:
    signed = json.loads(_read(ECDSA / "employ" / "signedECDSAP256.json"))
    canonical = canonicalize(fast_quads(_proof_config(signed), loader=loader, safe=safe))
    assert canonical == _read(ECDSA / "employ" / "proofCanonECDSAP256.txt")
    assert hashlib.sha256(canonical.encode()).hexdigest() == _read(ECDSA / "employ" / "proofHashECDSAP256.txt").strip()
    # the document hash is the second half of the combined hash
    document_hash = hashlib.sha256(canonize(_unsecured(signed), loader=loader, safe=safe).encode()).hexdigest()
    assert _read(ECDSA / "employ" / "combinedHashECDSAP256.txt").strip().endswith(document_hash)
