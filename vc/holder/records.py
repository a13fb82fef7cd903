"""What a wallet keeps: a credential with the metadata to show and present it, and a holder key.

Values, not behaviour: frozen dataclasses that round-trip through JSON (``to_record`` /
``from_record``) so the store can seal them. Claim paths are tuples as in DCQL and SD-JWT VC
(``None`` = every array element).

>>> stored.display_name("ja"), stored.issuer_display_name("ja")
('出生証明書', '霞が関中央病院')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from vc.keys import KeyPair
from vc.sdjwt.claim_path import ClaimPath

__all__ = ["ClaimLabel", "StoredCredential", "StoredKey", "localized"]

SENSITIVE = "H"  # catalog.md sensitivity: H claims need the holder's opt-in each time
# labels for registered JWT claims an SD-JWT VC may carry about the holder (issuers rarely describe them)
STANDARD_LABELS: Mapping[ClaimPath, Mapping[str, str]] = {
    ("sub",): {"ja": "保有者の識別子（この証明書の鍵）", "en": "Holder identifier (this credential's key)"},
}


def localized(texts: Mapping[str, str], lang: str, *, fallback: str = "") -> str:
    """The text for ``lang`` (``ja``, ``en``; ``ja-JP`` matches ``ja``), else Japanese, else any."""
    if not texts:
        return fallback
    if lang in texts:
        return texts[lang]
    base = lang.split("-")[0]
    for key, value in texts.items():
        if key.split("-")[0] == base:
            return value
    return texts.get("ja") or next(iter(texts.values()), fallback) or fallback


def _path_of(value: Any) -> ClaimPath:
    return tuple(p if p is None or isinstance(p, (str, int)) else str(p) for p in value)


@dataclass(frozen=True, slots=True)
class ClaimLabel:
    """One claim as the issuer describes it: its path, labels per locale, whether the issuer always
    includes it (``mandatory``) and its sensitivity (``H`` marks a claim the holder opts in to)."""

    path: ClaimPath
    labels: Mapping[str, str] = field(default_factory=dict)
    mandatory: bool = False
    sensitivity: str | None = None

    @property
    def sensitive(self) -> bool:
        return self.sensitivity == SENSITIVE

    def label(self, lang: str) -> str:
        return localized(self.labels, lang)

    def to_record(self) -> dict[str, Any]:
        return {"path": list(self.path), "labels": dict(self.labels), "mandatory": self.mandatory,
                "sensitivity": self.sensitivity}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> ClaimLabel:
        return cls(_path_of(record["path"]), dict(record.get("labels") or {}), bool(record.get("mandatory")),
                   record.get("sensitivity"))


@dataclass(frozen=True, slots=True)
class StoredCredential:
    """A credential in the wallet and what the wallet knows about it.

    ``format`` is the OpenID4VCI / DCQL name (``dc+sd-jwt``, ``jwt_vc_json``, ``ldp_vc``); ``credential``
    the secured credential as received (a compact string, or a JSON object for ``ldp_vc``). ``types``
    are the ``vct`` (SD-JWT VC) or the ``type`` terms; ``type_iris`` the expanded types (what DCQL
    ``type_values`` name). ``name``/``description``/``issuer_name`` are display texts per locale from the
    issuer's metadata; ``claims`` its claim descriptions. ``key_id`` names the holder key it is bound to.
    """

    id: str
    format: str
    credential: dict[str, Any] | str = field(repr=False)
    issuer: str | None
    types: tuple[str, ...]
    received_at: datetime
    type_iris: tuple[str, ...] = ()
    name: Mapping[str, str] = field(default_factory=dict)
    description: Mapping[str, str] = field(default_factory=dict)
    issuer_name: Mapping[str, str] = field(default_factory=dict)
    credential_issuer: str | None = None
    configuration_id: str | None = None
    claims: tuple[ClaimLabel, ...] = ()
    key_id: str | None = None
    valid_until: datetime | None = None
    status: str | None = None  # "valid", "revoked", "suspended", "unknown" after a status check
    status_checked_at: datetime | None = None

    def display_name(self, lang: str = "ja") -> str:
        """The certificate's name (e.g. 出生証明書), else its type."""
        return localized(self.name, lang, fallback=self.types[-1] if self.types else self.format)

    def issuer_display_name(self, lang: str = "ja") -> str:
        """The issuer's display name, else its identifier."""
        return localized(self.issuer_name, lang, fallback=self.issuer or self.credential_issuer or "")

    def label_for(self, path: Sequence[str | int | None]) -> ClaimLabel | None:
        """The issuer's description of the claim at ``path`` (``None`` in a label matches any index)."""
        path = tuple(path)
        for claim in self.claims:
            if len(claim.path) == len(path) and all(
                    a == b or (a is None and isinstance(b, int)) or (b is None and isinstance(a, int))
                    for a, b in zip(claim.path, path)):
                return claim
        return None

    def display_rank(self, path: Sequence[str | int | None]) -> tuple[int, ...]:
        """A sort key putting claims in the issuer's display order (its claims list is ordered)."""
        order = {tuple(c.path): i for i, c in enumerate(self.claims)}
        path = tuple(path)
        return tuple(order.get(path[:i], len(order)) for i in range(1, len(path) + 1))

    def claim_label_text(self, path: Sequence[str | int | None], lang: str = "ja", *, separator: str = " › ") -> str:
        """A readable name for the claim at ``path``: the labels along it (``母の氏名 › 氏``); a step
        without a label shows its member name, an array position its number."""
        path = tuple(path)
        parts: list[str] = []
        for i in range(1, len(path) + 1):
            step = path[i - 1]
            if isinstance(step, int) or step is None:
                parts.append(f"#{step + 1}" if isinstance(step, int) else "*")
                continue
            label = self.label_for(path[:i])
            standard = STANDARD_LABELS.get(path[:i]) if self.format == "dc+sd-jwt" else None
            parts.append(label.label(lang) if label and label.labels
                         else localized(standard, lang) if standard else str(step))
        if len(parts) > 1 and self.format != "dc+sd-jwt" and path[:1] == ("credentialSubject",):
            parts = parts[1:]  # every W3C claim sits in credentialSubject: the step says nothing
        return separator.join(parts)

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "format": self.format,
            "credential": self.credential,
            "issuer": self.issuer,
            "types": list(self.types),
            "type_iris": list(self.type_iris),
            "received_at": self.received_at.isoformat(),
            "name": dict(self.name),
            "description": dict(self.description),
            "issuer_name": dict(self.issuer_name),
            "credential_issuer": self.credential_issuer,
            "configuration_id": self.configuration_id,
            "claims": [c.to_record() for c in self.claims],
            "key_id": self.key_id,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "status": self.status,
            "status_checked_at": self.status_checked_at.isoformat() if self.status_checked_at else None,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> StoredCredential:
        def when(name: str) -> datetime | None:
            value = record.get(name)
            return datetime.fromisoformat(value) if isinstance(value, str) else None

        received = when("received_at")
        assert received is not None
        return cls(
            id=record["id"],
            format=record["format"],
            credential=record["credential"],
            issuer=record.get("issuer"),
            types=tuple(record.get("types") or ()),
            type_iris=tuple(record.get("type_iris") or ()),
            received_at=received,
            name=dict(record.get("name") or {}),
            description=dict(record.get("description") or {}),
            issuer_name=dict(record.get("issuer_name") or {}),
            credential_issuer=record.get("credential_issuer"),
            configuration_id=record.get("configuration_id"),
            claims=tuple(ClaimLabel.from_record(c) for c in record.get("claims") or ()),
            key_id=record.get("key_id"),
            valid_until=when("valid_until"),
            status=record.get("status"),
            status_checked_at=when("status_checked_at"),
        )


@dataclass(frozen=True, slots=True)
class StoredKey:
    """A holder key: its id (the RFC 7638 thumbprint of the public key) and when it was made."""

    id: str
    key: KeyPair = field(repr=False)
    created_at: datetime
    label: str | None = None

    def to_record(self) -> dict[str, Any]:
        return {"id": self.id, "jwk": self.key.to_jwk(private=True), "created_at": self.created_at.isoformat(),
                "label": self.label}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> StoredKey:
        return cls(record["id"], KeyPair.from_jwk(dict(record["jwk"])), datetime.fromisoformat(record["created_at"]),
                   record.get("label"))
