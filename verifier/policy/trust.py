"""Trust lists: which issuers a verifier trusts for which credential types, and for how long.

An entry names its issuer by exact DID (``did``) or by the host of a ``did:web`` DID (``domain``:
``city.example.lg.jp`` for that host, ``*.lg.jp`` for any host below ``lg.jp``), lists the
credential types it covers (VCDM ``type`` names such as ``BirthCertificateCredential``, SD-JWT VC
``vct`` values, or ``*``) and may carry a validity period. A file (JSON or YAML) holds a list:

    name: 出生届の信頼リスト
    entries:
      - did: did:web:hospital.example.jp
        types: [BirthCertificateCredential]
        validUntil: 2027-03-31T23:59:59+09:00
        name: {ja: 例示病院, en: Example Hospital}
      - domain: "*.lg.jp"
        types: [ResidentRecordCredential, HouseholdCredential]

A ministry can sign a list as a ``TrustListCredential`` (``verifier.policy.trust_list_credential``).

>>> trust = TrustList.load("trust.yaml")
>>> trust.evaluate("did:web:hospital.example.jp", {"BirthCertificateCredential"}, now=now).passed
True
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from vc.errors import PolicyError
from vc.model import format_datetime
from vc.results import CheckResult

__all__ = ["ANY_TYPE", "TrustEntry", "TrustList", "did_web_host", "read_structured_file"]

#: a trust entry type that covers every credential type
ANY_TYPE = "*"


def did_web_host(did: str) -> str | None:
    """The host (with ``:port`` when given) of a ``did:web`` DID, lower-cased; None for other DIDs."""
    if not isinstance(did, str) or not did.startswith("did:web:"):
        return None
    first = did[len("did:web:"):].split("#", 1)[0].split("?", 1)[0].split(":", 1)[0]
    host = unquote(first).lower()
    return host or None


def _domain_matches(pattern: str, host: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])  # "*.lg.jp" covers "city.x.lg.jp", not "lg.jp" itself
    return host == pattern


@dataclass(frozen=True, slots=True)
class TrustEntry:
    """One trusted issuer (by ``did`` or did:web ``domain``) for ``types``, optionally within a period."""

    types: frozenset[str]
    did: str | None = None
    domain: str | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    name: Mapping[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "types", frozenset(self.types))
        if (self.did is None) == (self.domain is None):
            raise PolicyError("a trust entry names its issuer by exactly one of 'did' or 'domain'",
                              code="TRUST_LIST_INVALID")
        if self.did is not None and not (isinstance(self.did, str) and self.did.startswith("did:")):
            raise PolicyError("a trust entry's 'did' must be a DID (did:method:...)", code="TRUST_LIST_INVALID")
        if self.domain is not None:
            domain = self.domain.lower()
            bare = domain[2:] if domain.startswith("*.") else domain
            if not bare or bare.startswith(".") or any(c in bare for c in "*/#?@ \t"):
                raise PolicyError(f"trust entry domain {self.domain!r} is not a host name or '*.' + a host name",
                                  code="TRUST_LIST_INVALID")
            object.__setattr__(self, "domain", domain)
        if not self.types or any(not isinstance(t, str) or not t for t in self.types):
            raise PolicyError("a trust entry lists at least one credential type (or '*')", code="TRUST_LIST_INVALID")
        for when in (self.valid_from, self.valid_until):
            if when is not None and when.tzinfo is None:
                raise PolicyError("trust entry validFrom/validUntil need a time zone", code="TRUST_LIST_INVALID")
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise PolicyError("a trust entry's validUntil must be later than its validFrom", code="TRUST_LIST_INVALID")

    def matches_issuer(self, issuer: str) -> bool:
        """True when ``issuer`` is this entry's DID, or a did:web DID on this entry's domain."""
        if self.did is not None:
            return issuer == self.did
        host = did_web_host(issuer)
        return host is not None and self.domain is not None and _domain_matches(self.domain, host)

    def covers(self, types: Collection[str]) -> bool:
        """True when the entry covers one of ``types``."""
        return ANY_TYPE in self.types or bool(self.types.intersection(types))

    def active_at(self, now: datetime) -> bool:
        return (self.valid_from is None or now >= self.valid_from) and (self.valid_until is None or now <= self.valid_until)

    @property
    def subject(self) -> str:
        """How the entry names its issuer, for messages (a DID or ``did:web:<domain>``)."""
        return self.did if self.did is not None else f"did:web:{self.domain}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"did": self.did} if self.did is not None else {"domain": self.domain}
        out["types"] = sorted(self.types)
        if self.valid_from is not None:
            out["validFrom"] = format_datetime(self.valid_from)
        if self.valid_until is not None:
            out["validUntil"] = format_datetime(self.valid_until)
        if self.name:
            out["name"] = dict(self.name)
        return out


@dataclass(frozen=True, slots=True)
class TrustList:
    """Trusted issuers. ``publisher`` is the DID that signed the list, when it came from a signed credential.

    ``expires`` is the signed list's ``validUntil``; after it every check fails (TRUST_LIST_EXPIRED) until a
    fresh list is loaded. ``trust_any`` (``TrustList.any_issuer()``) trusts every issuer for every type: for conformance test
    suites only, never for a procedure.
    """

    entries: tuple[TrustEntry, ...] = ()
    name: str | None = None
    publisher: str | None = None
    expires: datetime | None = None  # the signed list's validUntil: after it, nothing is trusted
    trust_any: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", tuple(self.entries))

    @classmethod
    def any_issuer(cls) -> TrustList:
        """A list that trusts every issuer for every type (conformance testing only)."""
        return cls(name="any issuer", trust_any=True)

    def with_entries(self, entries: Iterable[TrustEntry]) -> TrustList:
        """A copy with ``entries`` added after the current ones."""
        return replace(self, entries=self.entries + tuple(entries))

    def evaluate(self, issuer: str | None, types: Collection[str], *, now: datetime) -> CheckResult:
        """The ``trust`` check for a credential from ``issuer`` with ``types`` (VCDM types and/or vct).

        Codes: UNTRUSTED_ISSUER (no entry names the issuer), TRUST_ENTRY_EXPIRED / TRUST_ENTRY_NOT_YET_VALID
        (entries name it but none is in force at ``now``), ISSUER_NOT_TRUSTED_FOR_TYPE (entries in force name it,
        for other types).
        """
        if self.trust_any:
            return CheckResult.ok("trust", "every issuer is trusted by this policy (conformance testing)")
        if self.expires is not None and now > self.expires:
            return CheckResult.fail("trust", "TRUST_LIST_EXPIRED",
                                    f"the trust list expired on {format_datetime(self.expires)}; load a fresh one")
        if not issuer:
            return CheckResult.fail("trust", "UNTRUSTED_ISSUER", "the credential names no issuer")
        named = [e for e in self.entries if e.matches_issuer(issuer)]
        if not named:
            return CheckResult.fail("trust", "UNTRUSTED_ISSUER",
                                    f"issuer {issuer} is not on the trust list; add it (by DID or did:web domain) "
                                    "if this verifier should accept it")
        active = [e for e in named if e.active_at(now)]
        if not active:
            if all(e.valid_until is not None and now > e.valid_until for e in named):
                return CheckResult.fail("trust", "TRUST_ENTRY_EXPIRED",
                                        f"trust in issuer {issuer} ended on "
                                        f"{format_datetime(max(e.valid_until for e in named if e.valid_until))}")
            return CheckResult.fail("trust", "TRUST_ENTRY_NOT_YET_VALID", f"trust in issuer {issuer} has not begun yet")
        for entry in active:
            if entry.covers(types):
                label = entry.name.get("ja") or entry.name.get("en") or entry.subject
                covered = sorted(entry.types.intersection(types)) or sorted(entry.types)
                return CheckResult.ok("trust", f"issuer trusted as {label} for {', '.join(covered)}")
        trusted_for = sorted({t for e in active for t in e.types})
        shown = ", ".join(sorted(t for t in types if t != "VerifiableCredential")) or "(no type)"
        return CheckResult.fail("trust", "ISSUER_NOT_TRUSTED_FOR_TYPE",
                                f"issuer {issuer} is trusted for {', '.join(trusted_for)}, not for {shown}")

    # --- files ------------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Any, *, publisher: str | None = None) -> TrustList:
        """A list from its file shape (``name``, ``entries``); PolicyError TRUST_LIST_INVALID naming each bad field."""
        try:
            model = _TrustListFile.model_validate(data)
        except ValidationError as exc:
            raise PolicyError("the trust list is invalid: " + _pydantic_problems(exc),
                              code="TRUST_LIST_INVALID") from None
        return cls(entries=tuple(e.to_entry() for e in model.entries), name=model.name, publisher=publisher)

    def to_dict(self) -> dict[str, Any]:
        """The file shape (JSON-ready)."""
        out: dict[str, Any] = {}
        if self.name is not None:
            out["name"] = self.name
        out["entries"] = [e.to_dict() for e in self.entries]
        return out

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        *,
        publishers: Collection[str] | None = None,
        resolver: Any = None,
        loader: Any = None,
        now: datetime | None = None,
    ) -> TrustList:
        """Read a trust list file (JSON or YAML). With ``publishers`` (DIDs or did:web domain patterns) the
        file must be a ``TrustListCredential`` signed by one of them; it is verified before use."""
        data = read_structured_file(path, what="trust list")
        if _looks_like_credential(data) or publishers is not None:
            from .trust_list_credential import verify_trust_list_credential

            if publishers is None:
                raise PolicyError(f"{os.fspath(path)} is a signed TrustListCredential; pass publishers= "
                                  "(who may sign trust lists) to use it", code="TRUST_LIST_UNTRUSTED_PUBLISHER")
            return verify_trust_list_credential(data, publishers=publishers, resolver=resolver, loader=loader, now=now)
        return cls.from_dict(data)


def _looks_like_credential(data: Any) -> bool:
    return isinstance(data, dict) and ("proof" in data or "credentialSubject" in data)


def read_structured_file(path: str | os.PathLike[str], *, what: str) -> Any:
    """A JSON or YAML file's content (by suffix: ``.yaml``/``.yml`` is YAML, anything else JSON)."""
    import yaml

    from vc.input import load_json

    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise PolicyError(f"cannot read the {what} file {p}: {exc.strerror}", code="POLICY_INVALID") from None
    if p.suffix.lower() in (".yaml", ".yml"):
        try:
            return yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            raise PolicyError(f"the {what} file {p} is not valid YAML: {exc}", code="POLICY_INVALID") from None
    return load_json(raw)


def _pydantic_problems(exc: ValidationError) -> str:
    # locations and messages only; pydantic's input values are never quoted
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in exc.errors(include_input=False)
    )


class _EntryFile(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    did: str | None = None
    domain: str | None = None
    types: list[str] = Field(min_length=1)
    valid_from: AwareDatetime | None = Field(default=None, alias="validFrom")
    valid_until: AwareDatetime | None = Field(default=None, alias="validUntil")
    name: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_issuer(self) -> _EntryFile:
        if (self.did is None) == (self.domain is None):
            raise ValueError("give exactly one of 'did' or 'domain'")
        return self

    def to_entry(self) -> TrustEntry:
        return TrustEntry(types=frozenset(self.types), did=self.did, domain=self.domain,
                          valid_from=self.valid_from, valid_until=self.valid_until, name=dict(self.name))


class _TrustListFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    entries: list[_EntryFile]
