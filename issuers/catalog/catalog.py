"""The catalog: every certificate type an issuer can use, builtin and the workspace's own, by name and version.

>>> catalog = Catalog.load([BUILTIN_TYPES_DIR, workspace / "types"])
>>> catalog.get("ResidentRecord").version
'1.0.0'
>>> catalog.add("MyPermit.yaml").compatibility      # checks the file, then makes the type available
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from vc.errors import CatalogError, VcError

from .certificate_type import CertificateType
from .context import register_catalog_contexts
from .credential import build_credential
from .loader import BUILTIN_PARTS_DIR, BUILTIN_TYPES_DIR, load_type_file
from .versions import Compatibility, compare_versions

__all__ = ["AddResult", "Catalog", "ROUND_TRIP_SEED"]

_TYPE_SUFFIXES = (".yaml", ".yml", ".json")
#: the fixed key used for the issue -> verify self-test of a type (a test key: nothing it signs leaves `check`)
ROUND_TRIP_SEED = b"jitsuin catalog round trip test!"
_ROUND_TRIP_TIME = datetime(2025, 4, 1, tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class AddResult:
    """What checking a type found: the type, its compatibility with the version before it (None for a first
    version), and whether a sample credential was issued and verified (False when vc.proofs is unavailable)."""

    type: CertificateType
    compatibility: Compatibility | None
    round_trip: bool


class Catalog:
    """Certificate types by id (``ResidentRecord``) or credential type (``ResidentRecordCredential``), each
    with one or more versions. ``get`` returns the latest version unless one is asked for."""

    def __init__(self, types: Iterable[CertificateType] = ()) -> None:
        self._types: dict[str, dict[str, CertificateType]] = {}
        self._lock = threading.Lock()
        for ctype in sorted(types, key=lambda t: (t.id, t.version_tuple)):
            self._insert(ctype)

    # -- loading --------------------------------------------------------------------------------

    @classmethod
    def load(cls, dirs: Sequence[str | Path] | None = None, *,
             parts_dirs: Sequence[str | Path] | None = None) -> Catalog:
        """The types of every file (``*.yaml``, ``*.yml``, ``*.json``) in ``dirs`` (default: the builtin types).

        Types from :data:`BUILTIN_TYPES_DIR` are builtin (their context is the bundled jitsuin context); a
        workspace directory's ``parts/`` subdirectory adds shared parts. A missing directory is skipped.
        """
        directories = [Path(d) for d in (dirs if dirs is not None else [BUILTIN_TYPES_DIR])]
        extra_parts = [d / "parts" for d in directories if (d / "parts").is_dir()]
        parts = [Path(p) for p in (parts_dirs if parts_dirs is not None else [BUILTIN_PARTS_DIR])] + extra_parts
        types: list[CertificateType] = []
        for directory in directories:
            builtin = _same_dir(directory, BUILTIN_TYPES_DIR)
            if builtin and parts_dirs is None:
                types.extend(_builtin_types())
                continue
            if not directory.is_dir():
                continue
            for path in sorted(directory.iterdir()):
                if path.is_file() and path.suffix.lower() in _TYPE_SUFFIXES:
                    types.append(load_type_file(path, builtin=builtin, parts_dirs=parts))
        return cls(types)

    # -- lookup ---------------------------------------------------------------------------------

    def get(self, name: str, version: str | None = None) -> CertificateType:
        """The type named ``name`` (id or credential type), latest version unless ``version``;
        CatalogError TYPE_UNKNOWN otherwise."""
        versions = self._versions_of(name)
        if not versions:
            known = ", ".join(sorted(self._types)) or "none"
            raise CatalogError(f"unknown certificate type {name!r}; the catalog has: {known}", code="TYPE_UNKNOWN",
                               type=name)
        if version is None:
            return versions[-1]
        for ctype in versions:
            if ctype.version == version:
                return ctype
        raise CatalogError(f"{name} has no version {version!r}; it has "
                           + ", ".join(t.version for t in versions), code="TYPE_UNKNOWN", type=name, version=version)

    def list(self) -> list[CertificateType]:
        """The latest version of every type, by id."""
        return [versions[max(versions, key=_version_key)] for _, versions in sorted(self._types.items())]

    def all(self) -> list[CertificateType]:
        """Every version of every type, by id then version."""
        return [t for name in sorted(self._types) for t in self.versions(name)]

    def versions(self, name: str) -> list[CertificateType]:
        """Every version of ``name``, oldest first (empty when unknown)."""
        return self._versions_of(name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self._versions_of(name))

    def __iter__(self) -> Iterator[CertificateType]:
        return iter(self.list())

    def __len__(self) -> int:
        return len(self._types)

    # -- adding ---------------------------------------------------------------------------------

    def check(self, source: str | Path | CertificateType, *, round_trip: bool = True,
              loader: Any = None) -> AddResult:
        """Check a type file (or loaded type) against this catalog without adding it.

        The file must load (schema valid, every claim with a term and ja/en labels, no forbidden field, sample
        valid); a new version of a known type must be compatible or take a new major version; and, unless
        ``round_trip=False``, a credential built from the sample must issue and verify (when vc.proofs exists).
        """
        ctype = source if isinstance(source, CertificateType) else load_type_file(
            source, parts_dirs=[BUILTIN_PARTS_DIR, *([Path(source).parent / "parts"]
                                                     if (Path(source).parent / "parts").is_dir() else [])])
        compatibility = self._check_against_catalog(ctype)
        done = _round_trip(ctype, self, loader) if round_trip else False
        return AddResult(type=ctype, compatibility=compatibility, round_trip=done)

    def add(self, source: str | Path | CertificateType, *, round_trip: bool = True, loader: Any = None
            ) -> AddResult:
        """``check`` the type, then make it available in this catalog (in memory; the CLI copies the file into
        the workspace so later runs load it)."""
        result = self.check(source, round_trip=round_trip, loader=loader)
        with self._lock:
            self._insert(result.type)
        return result

    # -- internals ------------------------------------------------------------------------------

    def _versions_of(self, name: str) -> list[CertificateType]:
        versions = self._types.get(name)
        if versions is None:
            versions = next((v for v in self._types.values()
                             if any(t.credential_type == name for t in v.values())), None)
        return sorted(versions.values(), key=lambda t: t.version_tuple) if versions else []

    def _check_against_catalog(self, ctype: CertificateType) -> Compatibility | None:
        existing = self._types.get(ctype.id, {})
        if ctype.version in existing:
            raise CatalogError(f"{ctype.id} version {ctype.version} is already in the catalog "
                               f"({existing[ctype.version].source}); give the new file a new version",
                               code="TYPE_INVALID", type=ctype.id, version=ctype.version)
        for other in self._types.values():
            for t in other.values():
                if t.id != ctype.id and t.credential_type == ctype.credential_type:
                    raise CatalogError(f"{ctype.id}: credential type {ctype.credential_type} is already used by "
                                       f"{t.id}; choose another credentialType", code="TYPE_INVALID", type=ctype.id)
        earlier = [t for t in existing.values() if t.version_tuple < ctype.version_tuple]
        if not earlier:
            return None
        previous = max(earlier, key=lambda t: t.version_tuple)
        compatibility = compare_versions(previous, ctype)
        if not compatibility.compatible and ctype.major == previous.major:
            raise CatalogError(
                f"{ctype.id} {ctype.version} breaks compatibility with {previous.version} ("
                + "; ".join(str(c) for c in compatibility.breaking[:5])
                + f"); a breaking change needs a new major version ({previous.major + 1}.0.0)",
                code="TYPE_INVALID", type=ctype.id, changes=[str(c) for c in compatibility.changes])
        return compatibility

    def _insert(self, ctype: CertificateType) -> None:
        self._check_against_catalog(ctype)
        self._types.setdefault(ctype.id, {})[ctype.version] = ctype


def _round_trip(ctype: CertificateType, catalog: Catalog, loader: Any) -> bool:
    """Build a credential from the sample, sign it, verify it; CatalogError TYPE_INVALID when that fails."""
    try:
        from vc.credentials import issue_credential, verify_credential
        from vc.did import did_key
        from vc.jsonld import DocumentLoader
        from vc.keys import KeyPair
    except ImportError:  # the core is built in parallel; without it the type is checked statically only
        return False
    key = KeyPair.from_seed(ROUND_TRIP_SEED)
    holder = KeyPair.from_seed(bytes(reversed(ROUND_TRIP_SEED)))
    extensions = [t for t in catalog.all() if not t.builtin and t.context_url != ctype.context_url]
    if not ctype.builtin:
        extensions.append(ctype)
    loader = register_catalog_contexts(loader if loader is not None else DocumentLoader(), extensions)
    try:
        credential = build_credential(ctype, ctype.sample, issuer=did_key(key.public), valid_from=_ROUND_TRIP_TIME,
                                      subject_id=did_key(holder.public))
        signed = issue_credential(credential, key, now=_ROUND_TRIP_TIME, loader=loader)
        result = verify_credential(signed, loader=loader, now=_ROUND_TRIP_TIME + timedelta(seconds=1))
    except VcError as exc:
        raise CatalogError(f"{ctype.id}: a credential built from the sample cannot be issued ({exc}); check the "
                           "terms and the sample", code="TYPE_INVALID", type=ctype.id) from exc
    if not result.verified:
        failed = ", ".join(f"{c.check}: {c.code} {c.message}" for c in result.errors)
        raise CatalogError(f"{ctype.id}: a credential built from the sample does not verify ({failed})",
                           code="TYPE_INVALID", type=ctype.id)
    return True


_builtin_cache: tuple[CertificateType, ...] | None = None
_builtin_lock = threading.Lock()


def _builtin_types() -> tuple[CertificateType, ...]:
    """The builtin types, loaded once per process (types are immutable, so catalogs can share them)."""
    global _builtin_cache
    if _builtin_cache is None:
        with _builtin_lock:
            if _builtin_cache is None:
                _builtin_cache = tuple(
                    load_type_file(path, builtin=True)
                    for path in sorted(BUILTIN_TYPES_DIR.iterdir())
                    if path.is_file() and path.suffix.lower() in _TYPE_SUFFIXES
                )
    return _builtin_cache


def _same_dir(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))
