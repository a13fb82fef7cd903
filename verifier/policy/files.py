"""A policy file (YAML or JSON) for the service and the CLI; paths in it are relative to the file.

    trustList: trust.yaml                   # a file, or inline {name, entries}
    trustListPublishers: [did:web:digital.example.go.jp]   # then trust.yaml must be a signed TrustListCredential
    formats: [ldp_vc, vc+jwt, dc+sd-jwt, ldp_vp, vp+jwt]
    algs: [EdDSA, ES256]
    cryptosuites: [eddsa-rdfc-2022, ecdsa-rdfc-2019]
    status: {check: true, required: false, unavailableFails: true}
    maxCredentialAgeDays: 90
    clockSkewSeconds: 300
    holderBindingRequired: true
    subjectMustBeHolder: true
    schemas: {validate: true, required: false, directory: schemas}   # or files: {<schema id>: file}
    contexts: {"https://w3id.org/jitsuin/v1": contexts/jitsuin-v1.jsonld}   # JSON-LD contexts to serve
    typeAliases: {"https://w3id.org/jitsuin/vct/Household/v1": HouseholdCredential}

>>> policy = load_policy("verifier-policy.yaml", status_checker=StatusChecker(resolver=resolver))
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vc.errors import PolicyError

from .policy import DEFAULT_ALGS, DEFAULT_CRYPTOSUITES, DEFAULT_FORMATS, Policy
from .schema import SchemaSet
from .trust import TrustList, _pydantic_problems, _TrustListFile, read_structured_file

__all__ = ["load_policy"]


class _StatusFile(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    check: bool = True
    required: bool = False
    unavailable_fails: bool = Field(default=True, alias="unavailableFails")


class _SchemasFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    validate_: bool = Field(default=True, alias="validate")
    required: bool = False
    directory: str | None = None
    files: dict[str, str] = Field(default_factory=dict)


class _PolicyFile(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    trust_list: str | _TrustListFile = Field(alias="trustList")
    trust_list_publishers: list[str] | None = Field(default=None, alias="trustListPublishers")
    formats: list[str] = Field(default_factory=lambda: sorted(DEFAULT_FORMATS))
    algs: list[str] = Field(default_factory=lambda: sorted(DEFAULT_ALGS))
    cryptosuites: list[str] = Field(default_factory=lambda: sorted(DEFAULT_CRYPTOSUITES))
    status: _StatusFile = Field(default_factory=_StatusFile)
    max_credential_age_days: int | None = Field(default=None, alias="maxCredentialAgeDays", ge=1)
    clock_skew_seconds: int = Field(default=300, alias="clockSkewSeconds", ge=0)
    holder_binding_required: bool = Field(default=True, alias="holderBindingRequired")
    subject_must_be_holder: bool = Field(default=True, alias="subjectMustBeHolder")
    schemas: _SchemasFile = Field(default_factory=_SchemasFile)
    contexts: dict[str, str] = Field(default_factory=dict)
    type_aliases: dict[str, str] = Field(default_factory=dict, alias="typeAliases")
    kb_max_age_seconds: int = Field(default=300, alias="kbMaxAgeSeconds", ge=1)


def load_policy(
    path: str | os.PathLike[str],
    *,
    resolver: Any = None,
    loader: Any = None,
    key_lookup: Any = None,
    status_checker: Any = None,
    now: datetime | None = None,
) -> Policy:
    """The ``Policy`` a policy file describes; PolicyError POLICY_INVALID / TRUST_LIST_* naming the problem.

    ``contexts`` are registered into ``loader`` (a new ``vc.jsonld.DocumentLoader`` when not given).
    """
    base = Path(path).parent
    data = read_structured_file(path, what="policy")
    try:
        model = _PolicyFile.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(f"{Path(path).name} is not a valid policy: " + _pydantic_problems(exc),
                          code="POLICY_INVALID") from None
    if model.contexts:
        from vc.jsonld import DocumentLoader

        loader = loader if loader is not None else DocumentLoader()
        for url, file in model.contexts.items():
            try:
                loader.register(url, (base / file).read_bytes())
            except OSError as exc:
                raise PolicyError(f"cannot read the context file {file}: {exc.strerror}", code="POLICY_INVALID") from None
    if isinstance(model.trust_list, str):
        trust = TrustList.load(base / model.trust_list, publishers=model.trust_list_publishers, resolver=resolver,
                               loader=loader, now=now)
    else:
        if model.trust_list_publishers is not None:
            raise PolicyError("trustListPublishers needs trustList to be a file holding a signed TrustListCredential",
                              code="POLICY_INVALID")
        trust = TrustList(entries=tuple(e.to_entry() for e in model.trust_list.entries), name=model.trust_list.name)
    schemas = SchemaSet.from_directory(base / model.schemas.directory) if model.schemas.directory else SchemaSet()
    if model.schemas.files:
        extra = {}
        for schema_id, file in model.schemas.files.items():
            try:
                extra[schema_id] = json.loads((base / file).read_bytes())
            except (OSError, ValueError) as exc:
                raise PolicyError(f"cannot read the schema file {file}: {exc}", code="POLICY_INVALID") from None
        schemas = schemas.merged(extra)
    return Policy(
        trust_list=trust,
        formats=frozenset(model.formats),
        algs=frozenset(model.algs),
        cryptosuites=frozenset(model.cryptosuites),
        check_status=model.status.check,
        require_status=model.status.required,
        status_unavailable_fails=model.status.unavailable_fails,
        max_credential_age=timedelta(days=model.max_credential_age_days) if model.max_credential_age_days else None,
        clock_skew=timedelta(seconds=model.clock_skew_seconds),
        holder_binding_required=model.holder_binding_required,
        subject_must_be_holder=model.subject_must_be_holder,
        validate_schema=model.schemas.validate_,
        require_schema=model.schemas.required,
        schemas=schemas,
        type_aliases=model.type_aliases,
        kb_max_age=timedelta(seconds=model.kb_max_age_seconds),
        resolver=resolver,
        loader=loader,
        key_lookup=key_lookup,
        status_checker=status_checker,
    )
