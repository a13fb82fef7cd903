"""Cryptosuites: the transformation, hashing and signing steps of a Data Integrity proof, and their registry.

A cryptosuite follows the "Create Proof" / "Verify Proof" algorithms of its spec (vc-di-eddsa section 3,
vc-di-ecdsa section 3, and the legacy Ed25519Signature2020 of w3c-ccg/di-eddsa-2020):

1. proof configuration: the proof options without ``proofValue``, plus ``@context`` as the suite says;
2. transformation: the canonical bytes of the unsecured document (RDFC-1.0 N-Quads or RFC 8785 JCS);
3. hashing: ``H(canonical proof configuration) || H(canonical document)``;
4. serialization / verification: sign or verify the hash data with the verification method's key.

Suites register by the name a proof names them with: the ``cryptosuite`` value of a ``DataIntegrityProof``,
or the ``type`` of a legacy proof such as ``Ed25519Signature2020``.

    >>> suite = get_cryptosuite("eddsa-rdfc-2022")
    >>> suite.proof_type, sorted(suite.key_algs)
    ('DataIntegrityProof', ['Ed25519'])
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Hashable, Iterable, MutableMapping
from datetime import datetime
from typing import Any, ClassVar

from vc.canon import canonize
from vc.canon.templates import canonize_varying
from vc.encoding.multibase import decode_multibase, encode_base58btc
from vc.errors import (
    DataModelError,
    InvalidSignatureError,
    MalformedError,
    MalformedProofError,
    UnknownCryptosuiteError,
)
from vc.jsonld.loader import DocumentLoader
from vc.keys import KeyPair, PublicKey
from vc.model.datetimes import parse_datetime

__all__ = [
    "CRYPTOSUITES",
    "Cryptosuite",
    "DATA_INTEGRITY_CONTEXTS",
    "DATA_INTEGRITY_PROOF",
    "RdfcCryptosuite",
    "decode_proof_value",
    "get_cryptosuite",
    "parse_proof_datetime",
    "register_cryptosuite",
    "suite_for_proof",
]

DATA_INTEGRITY_PROOF = "DataIntegrityProof"

# contexts that define DataIntegrityProof, cryptosuite, proofValue ... (vc-data-integrity section 2.4)
DATA_INTEGRITY_CONTEXTS = frozenset(
    {
        "https://www.w3.org/ns/credentials/v2",
        "https://w3id.org/security/data-integrity/v2",
        "https://w3id.org/security/data-integrity/v1",
    }
)

def parse_proof_datetime(value: object, member: str) -> datetime:
    """A proof's ``created``/``expires`` as an aware UTC datetime; MalformedProofError unless it is an
    XML Schema dateTimeStamp (a date-time with a time zone)."""
    try:
        return parse_datetime(value, what=f"proof '{member}'")
    except DataModelError as exc:
        raise MalformedProofError(exc.message, member=member) from None


def decode_proof_value(value: object) -> bytes:
    """The bytes of a base58btc multibase ``proofValue`` (``z...``); MalformedProofError otherwise."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise MalformedProofError("'proofValue' must be a base58btc multibase string starting with 'z'")
    try:
        return decode_multibase(value)
    except MalformedError as exc:
        raise MalformedProofError(f"'proofValue' is not valid base58btc: {exc.message}") from None


def _context_urls(context: object) -> list[object]:
    if isinstance(context, list):
        return context
    return [] if context is None else [context]


class Cryptosuite(ABC):
    """One cryptosuite: proof configuration, transformation, hashing and signature steps.

    ``create_proof`` and ``verify_proof`` run the spec algorithms; the step methods are public so that
    tests and tools can compare each intermediate value with the spec's test vectors.
    """

    name: ClassVar[str]  # "eddsa-rdfc-2022"; a legacy suite is named by its proof type
    proof_type: ClassVar[str] = DATA_INTEGRITY_PROOF
    key_algs: ClassVar[frozenset[str]]  # key types (vc.keys) this suite signs with
    uses_jsonld: ClassVar[bool] = True  # True when the transformation is JSON-LD canonicalization
    # any one of these must be in the document's @context for the proof's terms to be defined
    required_contexts: ClassVar[frozenset[str]] = DATA_INTEGRITY_CONTEXTS
    # members of a proof that carry the signature and so are never part of the proof configuration
    signature_members: ClassVar[tuple[str, ...]] = ("proofValue",)

    # -- steps ---------------------------------------------------------------------------------

    @abstractmethod
    def proof_config(self, document: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        """The proof configuration object for ``options`` (a proof without its signature value)."""

    @abstractmethod
    def canonize_config(self, proof_config: dict[str, Any], *, loader: DocumentLoader) -> bytes:
        """The canonical bytes of a proof configuration."""

    @abstractmethod
    def transform(
        self, document: dict[str, Any], proof_config: dict[str, Any], *, loader: DocumentLoader, signing: bool = False
    ) -> bytes:
        """The canonical bytes of the unsecured ``document`` (the spec's transformation step).

        ``signing``: the bytes are about to be signed, so limits other implementations apply hold too.
        """

    def hash_algorithm(self, alg: str) -> str:
        """The hashlib name of the hash used with a key of type ``alg`` (SHA-256 unless a suite says)."""
        return "sha256"

    def hash(self, transformed: bytes, canonical_config: bytes, *, alg: str = "Ed25519") -> bytes:
        """Hash data: ``H(canonical proof config) || H(transformed document)``."""
        name = self.hash_algorithm(alg)
        new = _HASHES.get(name) or (lambda data: hashlib.new(name, data))  # the named constructors are faster
        return new(canonical_config).digest() + new(transformed).digest()

    def serialize_proof(self, hash_data: bytes, key: KeyPair) -> bytes:
        """The signature bytes over ``hash_data`` (Ed25519 64 bytes; ECDSA P1363 ``r || s``)."""
        return key.sign(hash_data)

    def verify_signature(self, hash_data: bytes, signature: bytes, public: PublicKey) -> bool:
        """True if ``signature`` over ``hash_data`` verifies with ``public``; never raises."""
        return public.verify(signature, hash_data)

    # -- checks --------------------------------------------------------------------------------

    def check_config(self, proof_config: dict[str, Any]) -> None:
        """The proof configuration checks of the spec: type, cryptosuite, ``created`` (MalformedProofError)."""
        if proof_config.get("type") != self.proof_type:
            raise MalformedProofError(f"proof 'type' must be {self.proof_type!r} for {self.name}")
        if self.proof_type == DATA_INTEGRITY_PROOF and proof_config.get("cryptosuite") != self.name:
            raise MalformedProofError(f"proof 'cryptosuite' must be {self.name!r}")
        if "created" in proof_config:
            parse_proof_datetime(proof_config["created"], "created")

    def check_document_context(self, document: dict[str, Any]) -> None:
        """MalformedProofError when the document's ``@context`` does not define this suite's proof terms."""
        if not self.required_contexts:
            return
        if not self.required_contexts.intersection(
            c for c in _context_urls(document.get("@context")) if isinstance(c, str)
        ):
            raise MalformedProofError(
                f"a {self.name} proof needs one of these contexts in the document's '@context': "
                + ", ".join(sorted(self.required_contexts)),
            )

    def missing_context(self, document: dict[str, Any]) -> str | None:
        """The context URL to append so the document defines this suite's terms, or None if it already does."""
        try:
            self.check_document_context(document)
        except MalformedProofError:
            return _preferred_context(self.required_contexts)
        return None

    # -- algorithms ----------------------------------------------------------------------------

    def create_proof(
        self, document: dict[str, Any], options: dict[str, Any], key: KeyPair, *, loader: DocumentLoader
    ) -> dict[str, Any]:
        """Spec "Create Proof": the proof (options plus ``proofValue``) over the unsecured ``document``."""
        proof = self.proof_from_options(document, options)
        config = self.proof_config(document, proof)
        self.check_config(config)
        transformed = self.transform(document, config, loader=loader, signing=True)
        hash_data = self.hash(transformed, self.canonize_config(config, loader=loader), alg=key.alg)
        proof["proofValue"] = encode_base58btc(self.serialize_proof(hash_data, key))
        return proof

    def proof_from_options(self, document: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        """The proof object before signing (a copy of the options; JCS suites add ``@context``)."""
        return dict(options)

    def verify_proof(
        self,
        document: dict[str, Any],
        proof: dict[str, Any],
        public: PublicKey,
        *,
        loader: DocumentLoader,
        cache: MutableMapping[Hashable, bytes] | None = None,
        cache_key: Hashable = None,
    ) -> None:
        """Spec "Verify Proof" for one ``proof`` over the unsecured ``document``.

        Raises InvalidSignatureError when the signature does not verify, MalformedProofError for a
        malformed proof or a document whose ``@context`` lacks the suite's terms, and JSON-LD errors
        (ContextNotAllowedError, UndefinedTermError ...) from canonicalization. ``cache`` keeps the transformed
        document across the proofs of one set (keyed by ``cache_key``, which names the document).
        """
        signature = decode_proof_value(proof.get("proofValue"))
        options = {k: v for k, v in proof.items() if k not in self.signature_members}
        hashed = self.document_for_verification(document, options)
        config = self.proof_config(hashed, options)
        self.check_config(config)
        transformed = self._transform_cached(hashed, config, loader=loader, cache=cache, cache_key=cache_key)
        # after the transformation, so an unknown or undefined context reports itself first
        self.check_document_context(document)
        hash_data = self.hash(transformed, self.canonize_config(config, loader=loader), alg=public.alg)
        if not self.verify_signature(hash_data, signature, public):
            raise InvalidSignatureError(
                f"the {self.name} signature does not verify: the document or the proof changed after "
                "signing, or the verification method holds another key"
            )

    def document_for_verification(self, document: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        """The unsecured document as the suite hashes it (JCS suites apply the proof's ``@context``)."""
        return document

    def transform_cache_key(self, document: dict[str, Any], config: dict[str, Any]) -> Hashable:
        """What, besides the document, the transformation depends on (one value per canonicalization)."""
        return type(self).transform

    def _transform_cached(
        self,
        document: dict[str, Any],
        config: dict[str, Any],
        *,
        loader: DocumentLoader,
        cache: MutableMapping[Hashable, bytes] | None,
        cache_key: Hashable,
    ) -> bytes:
        if cache is None:
            return self.transform(document, config, loader=loader)
        key = (cache_key, self.transform_cache_key(document, config))
        found = cache.get(key)
        if found is None:
            found = cache[key] = self.transform(document, config, loader=loader)
        return found


def _preferred_context(urls: frozenset[str]) -> str:
    # data-integrity/v2 is what vc-js appends to VCDM 1.1 credentials; legacy suites have one context
    return "https://w3id.org/security/data-integrity/v2" if urls == DATA_INTEGRITY_CONTEXTS else min(urls)


_VARYING_OPTIONS = ("created", "expires", "challenge", "nonce", "domain")
# rdf-canonize's default maxWorkFactor (jsonld.js, vc-js): Hash N-Degree Quads at most once per look-alike blank node
_SIGNING_WORK_FACTOR = 1


class RdfcCryptosuite(Cryptosuite):
    """A suite that canonicalizes with RDFC-1.0 and gives the proof configuration the document's ``@context``.

    Used by eddsa-rdfc-2022, ecdsa-rdfc-2019 and Ed25519Signature2020.
    """

    def proof_config(self, document: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        config = {k: v for k, v in options.items() if k not in self.signature_members and k != "@context"}
        if "@context" in document:
            config["@context"] = document["@context"]
        return config

    def canonize_config(self, proof_config: dict[str, Any], *, loader: DocumentLoader) -> bytes:
        # the members that change from one proof to the next are filled into a cached template
        return canonize_varying(proof_config, _VARYING_OPTIONS, loader=loader, safe=True).encode("utf-8")

    def transform(
        self, document: dict[str, Any], proof_config: dict[str, Any], *, loader: DocumentLoader, signing: bool = False
    ) -> bytes:
        # what we sign must canonicalize within rdf-canonize's default bound, or vc-js could not verify it;
        # verification keeps only the poison guard, so documents others signed within their bounds verify
        factor = _SIGNING_WORK_FACTOR if signing else None
        return canonize(document, loader=loader, safe=True, max_work_factor=factor).encode("utf-8")

    def transform_cache_key(self, document: dict[str, Any], config: dict[str, Any]) -> Hashable:
        return "rdfc-1.0"  # every RDFC suite transforms a given document to the same bytes


_HASHES = {"sha256": hashlib.sha256, "sha384": hashlib.sha384}

CRYPTOSUITES: dict[str, Cryptosuite] = {}


def register_cryptosuite(suite: Cryptosuite) -> Cryptosuite:
    """Add ``suite`` to the registry under its name (a later registration replaces an earlier one)."""
    CRYPTOSUITES[suite.name] = suite
    return suite


def get_cryptosuite(name: str, *, allowed: Iterable[str] | None = None) -> Cryptosuite:
    """The registered suite called ``name``; UnknownCryptosuiteError if unknown or not in ``allowed``."""
    suite = CRYPTOSUITES.get(name) if isinstance(name, str) else None
    if suite is None:
        raise UnknownCryptosuiteError(
            f"cryptosuite is not supported; use one of {', '.join(sorted(CRYPTOSUITES))}",
            cryptosuite=str(name)[:100],
        )
    if allowed is not None and name not in set(allowed):
        raise UnknownCryptosuiteError(
            f"cryptosuite {name} is not accepted by this verifier's policy", cryptosuite=name
        )
    return suite


def suite_for_proof(proof: dict[str, Any], *, allowed: Iterable[str] | None = None) -> Cryptosuite:
    """The suite a proof names: its ``cryptosuite`` for a DataIntegrityProof, else its ``type``."""
    proof_type = proof.get("type")
    if proof_type == DATA_INTEGRITY_PROOF:
        name = proof.get("cryptosuite")
        if not isinstance(name, str):
            raise MalformedProofError("a DataIntegrityProof needs a 'cryptosuite' string")
        suite = get_cryptosuite(name, allowed=allowed)
    else:
        suite = get_cryptosuite(proof_type, allowed=allowed)  # type: ignore[arg-type]
    if suite.proof_type != proof_type:
        raise UnknownCryptosuiteError(
            f"proof type {str(proof_type)[:100]!r} is not used with cryptosuite {suite.name}",
            cryptosuite=suite.name,
        )
    return suite
