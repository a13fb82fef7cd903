"""The certificate catalog: Japanese public-service certificates as declarative, versioned credential types.

A type is one file in ``issuers/catalog/types/`` (or a workspace's types directory): claims schema (JSON Schema
2020-12), JSON-LD terms, ja/en labels, sensitivity (H/M/L, catalog.md), derived predicates, default validity
and format, issuer kinds, and a sample. Shared claim parts (GIF コアデータパーツ) live in ``parts/``.

>>> catalog = Catalog.load()
>>> ctype = catalog.get("ResidentRecord")
>>> credential = build_credential(ctype, claims, issuer=issuer_did, valid_from=now, subject_id=holder_did)
>>> sd_paths(ctype)[:2]
[('familyName',), ('givenName',)]

Term IRIs live under :data:`JITSUIN_VOCAB` (``https://w3id.org/jitsuin/vocab#``); the bundled context is
:data:`JITSUIN_CONTEXT_URL` (``https://w3id.org/jitsuin/v1``); see :mod:`issuers.catalog.context`.
"""

from .catalog import AddResult, Catalog
from .certificate_type import JITSUIN_VOCAB, Alignment, CertificateType, Sensitivity, TermDefinition
from .claim_paths import ClaimPath, format_path, parse_path
from .context import (
    JITSUIN_VOCAB_DOCUMENT_URL,
    build_context,
    build_vocabulary,
    extension_contexts,
    register_catalog_contexts,
)
from .credential import (
    JST,
    ClaimInfo,
    build_credential,
    credential_schema_document,
    derive_predicates,
    describe_claims,
    opt_in_paths,
    sd_paths,
)
from .durations import Duration, parse_duration
from .forbidden import forbidden_reason
from .formats import FORMATS, check_format
from .issuer_kinds import ISSUER_KINDS
from .loader import BUILTIN_PARTS_DIR, BUILTIN_TYPES_DIR, JITSUIN_CONTEXT_URL, load_type, load_type_file
from .predicates import PREDICATE_KINDS, Predicate
from .type_file import PartFile, TypeFile
from .validation import ClaimProblem, claim_problems, validate_claims
from .versions import Change, Compatibility, compare_versions

__all__ = [
    "AddResult",
    "Alignment",
    "BUILTIN_PARTS_DIR",
    "BUILTIN_TYPES_DIR",
    "Catalog",
    "CertificateType",
    "Change",
    "ClaimInfo",
    "ClaimPath",
    "ClaimProblem",
    "Compatibility",
    "Duration",
    "FORMATS",
    "ISSUER_KINDS",
    "JITSUIN_CONTEXT_URL",
    "JITSUIN_VOCAB",
    "JITSUIN_VOCAB_DOCUMENT_URL",
    "JST",
    "PREDICATE_KINDS",
    "PartFile",
    "Predicate",
    "Sensitivity",
    "TermDefinition",
    "TypeFile",
    "build_context",
    "build_credential",
    "build_vocabulary",
    "check_format",
    "claim_problems",
    "compare_versions",
    "credential_schema_document",
    "derive_predicates",
    "describe_claims",
    "extension_contexts",
    "forbidden_reason",
    "format_path",
    "load_type",
    "load_type_file",
    "opt_in_paths",
    "parse_duration",
    "parse_path",
    "register_catalog_contexts",
    "sd_paths",
    "validate_claims",
]
