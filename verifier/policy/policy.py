"""The verifier's policy: which formats, algorithms and issuers it accepts and what else it requires.

A ``Policy`` is a frozen value; ``replace``/``with_trust``/``for_procedure`` return changed copies.
The services it needs (DID resolver, JSON-LD loader, JOSE key lookup, status checker) ride along but
take no part in equality.

>>> policy = Policy(trust_list=TrustList.load("trust.yaml"), max_credential_age=timedelta(days=90))
>>> verifier.verify_credential(credential, policy=policy).verified
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from vc.errors import PolicyError

from .schema import SchemaSet
from .trust import TrustEntry, TrustList

if TYPE_CHECKING:
    from verifier.procedures import Procedure

__all__ = [
    "ALL_FORMATS",
    "DEFAULT_ALGS",
    "DEFAULT_CRYPTOSUITES",
    "DEFAULT_FORMATS",
    "Policy",
]

#: credential formats (as ``vc`` verifiers report them) and presentation formats this verifier knows
ALL_FORMATS = frozenset({
    "ldp_vc", "vc+jwt", "jwt_vc_json", "dc+sd-jwt", "vc+sd-jwt",  # credentials
    "ldp_vp", "vp+jwt",  # presentations (a dc+sd-jwt with a KB-JWT is its own presentation)
})
DEFAULT_FORMATS = frozenset({"ldp_vc", "vc+jwt", "dc+sd-jwt", "vc+sd-jwt", "ldp_vp", "vp+jwt"})
#: JOSE algorithms (credentials, presentations, KB-JWTs)
DEFAULT_ALGS = frozenset({"EdDSA", "ES256"})
#: Data Integrity cryptosuites (or legacy proof types) for credentials and presentations
DEFAULT_CRYPTOSUITES = frozenset({"eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019"})


@dataclass(frozen=True, slots=True)
class Policy:
    """What a verifier accepts.

    - ``trust_list``: trusted issuers per credential type (UNTRUSTED_ISSUER, ISSUER_NOT_TRUSTED_FOR_TYPE ...)
    - ``formats``: accepted credential and presentation formats (FORMAT_NOT_ACCEPTED)
    - ``algs`` / ``cryptosuites``: accepted JOSE algorithms and Data Integrity cryptosuites (ALG_NOT_ACCEPTED)
    - ``check_status``: check status entries with the status checker (STATUS_CHECKER_MISSING without one);
      ``require_status``: a credential without one fails (STATUS_REQUIRED); ``status_unavailable_fails``:
      whether a list that cannot be had fails (else the check passes, keeping the code STATUS_UNAVAILABLE)
    - ``max_credential_age``: ``validFrom``/``iat`` at most this long ago (CREDENTIAL_TOO_OLD)
    - ``clock_skew``: tolerance for every time comparison
    - ``holder_binding_required``: every presented credential must be bound to the presenter
      (HOLDER_BINDING_REQUIRED); ``subject_must_be_holder``: a credential about another person needs a
      Household/Representation link (``verifier.policy.links``)
    - ``validate_schema`` / ``require_schema`` / ``schemas``: ``credentialSchema`` validation
    - ``type_aliases``: SD-JWT ``vct`` -> type name, so trust entries and procedures can use one name
    - ``kb_max_age``: how old a Key Binding JWT may be
    """

    trust_list: TrustList
    formats: frozenset[str] = DEFAULT_FORMATS
    algs: frozenset[str] = DEFAULT_ALGS
    cryptosuites: frozenset[str] = DEFAULT_CRYPTOSUITES
    check_status: bool = True
    require_status: bool = False
    status_unavailable_fails: bool = True
    max_credential_age: timedelta | None = None
    clock_skew: timedelta = timedelta(minutes=5)
    holder_binding_required: bool = True
    subject_must_be_holder: bool = True
    validate_schema: bool = True
    require_schema: bool = False
    schemas: SchemaSet = field(default_factory=SchemaSet)
    type_aliases: Mapping[str, str] = field(default_factory=dict)
    kb_max_age: timedelta = timedelta(minutes=5)
    resolver: Any = field(default=None, compare=False, repr=False)
    loader: Any = field(default=None, compare=False, repr=False)
    key_lookup: Any = field(default=None, compare=False, repr=False)
    status_checker: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.trust_list, TrustList):
            raise PolicyError("Policy needs a TrustList (TrustList.any_issuer() trusts everyone, for test suites only)",
                              code="POLICY_INVALID")
        for name in ("formats", "algs", "cryptosuites"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        unknown = self.formats - ALL_FORMATS
        if unknown:
            raise PolicyError(f"unknown formats {', '.join(sorted(unknown))}; known: {', '.join(sorted(ALL_FORMATS))}",
                              code="POLICY_INVALID")
        if isinstance(self.schemas, Mapping):
            object.__setattr__(self, "schemas", SchemaSet(self.schemas))
        object.__setattr__(self, "type_aliases", MappingProxyType(dict(self.type_aliases)))
        for name in ("clock_skew", "kb_max_age"):
            if getattr(self, name) < timedelta(0):
                raise PolicyError(f"{name} must not be negative", code="POLICY_INVALID")

    def replace(self, **changes: Any) -> Policy:
        """A copy with ``changes`` (field names as keywords)."""
        return dataclasses.replace(self, **changes)

    def with_trust(self, entries: Iterable[TrustEntry]) -> Policy:
        """A copy that also trusts ``entries``."""
        return self.replace(trust_list=self.trust_list.with_entries(entries))

    def for_procedure(self, procedure: Procedure) -> Policy:
        """A copy with the procedure's trust entries and type aliases added."""
        return self.replace(
            trust_list=self.trust_list.with_entries(procedure.trust_entries),
            type_aliases={**self.type_aliases, **procedure.type_aliases},
        )

    def type_names(self, types: Collection[str]) -> frozenset[str]:
        """``types`` plus the names they alias (a vct's type name)."""
        return frozenset(types) | {self.type_aliases[t] for t in types if t in self.type_aliases}
