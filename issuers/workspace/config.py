"""The workspace config file, ``jitsuin.toml``: who the issuer is, where its registry lives, its keys.

Read with stdlib ``tomllib`` into pydantic models (the file is edited by people: it is an edge);
written with :mod:`issuers.workspace.toml_writer`, atomically. Example::

    version = 1
    name = "Example City"                       # or by language: {ja = "千代田区", en = "Chiyoda City"}
    issuer_did = "did:web:city.example.jp"
    did_web = "city.example.jp"
    db_url = "registry.db"
    status_base_url = "https://city.example.jp"
    kinds = ["municipality"]

    [[keys]]
    kid = "key-1"
    file = "keys/key-1.jwk"
    alg = "Ed25519"
    public = "z6Mk..."
    state = "active"
    encrypted = true
    created = "2025-04-01T00:00:00Z"
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from vc.atomic_file import write_atomic
from vc.errors import WorkspaceError

from .toml_writer import dumps

__all__ = ["CONFIG_FILE", "KeyEntry", "KeyState", "WorkspaceConfig", "name_problem", "read_config", "write_config"]

CONFIG_FILE = "jitsuin.toml"
CONFIG_VERSION = 1

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")  # BCP 47, the shapes a name needs

#: ``active`` signs; ``verify-only`` stays in the DID document so earlier credentials verify;
#: ``retired`` is gone from the DID document (kept here so its kid is never handed out again)
KeyState = Literal["active", "verify-only", "retired"]


class KeyEntry(BaseModel):
    """One signing key of the workspace. ``kid`` is the DID URL fragment for did:web (``key-1``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kid: str = Field(pattern=r"^key-[1-9][0-9]*$")
    file: str
    alg: Literal["Ed25519", "P-256"]
    public: str  # multibase public key: the DID document is built without the passphrase
    state: KeyState
    encrypted: bool
    created: str
    retired: str | None = None

    @property
    def number(self) -> int:
        return int(self.kid.removeprefix("key-"))


class WorkspaceConfig(BaseModel):
    """The whole config; ``db_url`` is a path relative to the workspace or a ``postgresql://`` URL.

    ``name`` is the institution's name: one string (no language given), or a table of names by BCP 47 language
    tag (``{ja = "千代田区", en = "Chiyoda City"}``), which the issuer metadata publishes with their ``locale``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = CONFIG_VERSION
    name: str | dict[str, str]
    issuer_did: str
    did_web: str | None = None
    db_url: str = "registry.db"
    status_base_url: str
    kinds: list[str] = Field(default_factory=list)
    default_format: str | None = None
    created: str
    keys: list[KeyEntry] = Field(default_factory=list)

    @field_validator("version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value != CONFIG_VERSION:
            raise ValueError(f"config version {value} is not supported by this jitsuin (expects {CONFIG_VERSION})")
        return value

    @field_validator("name")
    @classmethod
    def _names(cls, value: str | dict[str, str]) -> str | dict[str, str]:
        problem = name_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("status_base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("status_base_url must be an http(s) URL")
        return value.rstrip("/")

    @property
    def names(self) -> dict[str, str]:
        """The name by language tag; empty when the name is one string with no language."""
        return {} if isinstance(self.name, str) else dict(self.name)

    def display_name(self, lang: str = "ja") -> str:
        """The name in ``lang``, else in Japanese, else the first given."""
        if isinstance(self.name, str):
            return self.name
        return self.name.get(lang) or self.name.get("ja") or next(iter(self.name.values()))

    def active_key(self) -> KeyEntry:
        """The one key that signs now."""
        for key in self.keys:
            if key.state == "active":
                return key
        raise WorkspaceError(f"{CONFIG_FILE} names no active key; run `jitsuin key rotate` to add one",
                             code="WORKSPACE_CONFIG_INVALID")

    def key(self, kid: str) -> KeyEntry:
        """The key entry ``kid`` (``key-2``, or a DID URL ending in ``#key-2``)."""
        fragment = kid.rsplit("#", 1)[-1]
        for key in self.keys:
            if key.kid == fragment:
                return key
        known = ", ".join(k.kid for k in self.keys) or "none"
        raise WorkspaceError(f"the workspace has no key {fragment!r} (keys: {known})", code="KEY_NOT_FOUND",
                             kid=fragment)


def name_problem(value: object) -> str | None:
    """What is wrong with an institution's name (one string, or names by language tag); None when it is fine."""
    if isinstance(value, str):
        texts, tags = [value], []
    elif isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        texts, tags = list(value.values()), list(value)
    else:
        return "name must be a string, or names by language tag ({ja = ..., en = ...})"
    if not texts or any(not text.strip() or len(text) > 200 for text in texts):
        return "name must be 1 to 200 characters (in each language)"
    if any(not _LANGUAGE_TAG.match(tag) for tag in tags):
        return "name's keys must be language tags (ja, en, ...)"
    return None


def read_config(folder: Path) -> WorkspaceConfig:
    """Load ``folder/jitsuin.toml``; WorkspaceError WORKSPACE_NOT_FOUND / WORKSPACE_CONFIG_INVALID."""
    path = folder / CONFIG_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise WorkspaceError(
            f"no jitsuin workspace at {folder} ({CONFIG_FILE} is missing); run `jitsuin init` or set "
            "JITSUIN_WORKSPACE", code="WORKSPACE_NOT_FOUND", path=str(folder)) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
        return WorkspaceConfig.model_validate(data)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WorkspaceError(f"{path} is not valid TOML: {exc}", code="WORKSPACE_CONFIG_INVALID") from None
    except ValidationError as exc:
        raise invalid_config(exc, where=str(path)) from None


def invalid_config(exc: ValidationError, *, where: str) -> WorkspaceError:
    """WORKSPACE_CONFIG_INVALID naming each bad field (at most five) of ``where``."""
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5])
    return WorkspaceError(f"{where} is not a valid workspace config ({problems})", code="WORKSPACE_CONFIG_INVALID")


def write_config(folder: Path, config: WorkspaceConfig) -> None:
    """Write ``folder/jitsuin.toml`` atomically (a reader never sees half a file)."""
    data = config.model_dump(mode="json")
    text = dumps(data, header="jitsuin issuer workspace. Keys live in keys/; the registry in db_url.\n"
                              "Edit with care: `jitsuin key rotate|retire` maintain [[keys]].")
    write_atomic(folder / CONFIG_FILE, text)
