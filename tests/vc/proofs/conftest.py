"""Fixtures for the Data Integrity proof tests: vector files (tests/vectors/), spec keys, an offline resolver."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vc.did import DidResolver
from vc.keys import KeyPair

VECTORS = Path(__file__).resolve().parents[2] / "vectors"


class Vectors:
    """Reads vector files under tests/vectors/."""

    root = VECTORS

    def json(self, relative: str) -> Any:
        return json.loads((self.root / relative).read_text(encoding="utf-8"))

    def text(self, relative: str) -> str:
        """Exact file content."""
        return (self.root / relative).read_text(encoding="utf-8")

    def value(self, relative: str) -> str:
        """A hex or base58 value file, surrounding whitespace removed."""
        return self.text(relative).strip()


@pytest.fixture(scope="session")
def vectors() -> Vectors:
    return Vectors()


@pytest.fixture(scope="session")
def resolver() -> DidResolver:
    """did:key and did:jwk offline; did:web is never reached in these tests."""
    return DidResolver()


@pytest.fixture(scope="session")
def spec_ed25519_key(vectors: Vectors) -> KeyPair:
    """The vc-di-eddsa spec key pair."""
    return KeyPair.from_multibase(vectors.json("vc-di-eddsa/keyPair.json")["privateKeyMultibase"])


@pytest.fixture(scope="session")
def spec_p256_key(vectors: Vectors) -> KeyPair:
    """The vc-di-ecdsa spec P-256 key pair."""
    return KeyPair.from_multibase(vectors.json("vc-di-ecdsa/p256KeyPair.json")["secretKeyMultibase"])
