"""Claim paths, and the walk over a type's JSON Schema that finds every claim it declares.

A claim path is a tuple of property names, with ``None`` standing for "each element of an array":
``("members", None, "familyName")``. Its text form is ``members[].familyName``; type files use the text form
for sensitivity and labels.

The walk follows local ``$ref`` (``#/$defs/...``) and the ``allOf`` / ``anyOf`` / ``oneOf`` / ``if-then-else``
branches, taking the union of the properties they declare: the catalog needs every name a credential may carry
(to give each a JSON-LD term and a label), not the exact set one instance may use.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from vc.errors import CatalogError

__all__ = ["ClaimPath", "SchemaNode", "format_path", "parse_path", "resolve_ref", "walk_claims"]

ClaimPath = tuple[str | None, ...]

_BRANCH_LISTS = ("allOf", "anyOf", "oneOf")
_BRANCH_SINGLE = ("if", "then", "else")
_MAX_DEPTH = 32


def format_path(path: ClaimPath) -> str:
    """``("members", None, "familyName")`` -> ``"members[].familyName"``."""
    out = ""
    for part in path:
        if part is None:
            out += "[]"
        else:
            out += f".{part}" if out else part
    return out


def parse_path(text: str) -> ClaimPath:
    """``"members[].familyName"`` -> ``("members", None, "familyName")``; ValueError for a malformed path."""
    parts: list[str | None] = []
    for segment in text.split("."):
        name, _, rest = segment.partition("[]")
        if not name or (rest and rest.strip("[]")):
            raise ValueError(f"malformed claim path {text!r}")
        parts.append(name)
        parts.extend(None for _ in range(segment.count("[]")))
    return tuple(parts)


@dataclass(frozen=True)
class SchemaNode:
    """One claim found by the walk: its path and the schema objects (all branches) that describe it."""

    path: ClaimPath
    schemas: tuple[Mapping[str, Any], ...]
    required: bool  # required wherever its parent object is present

    @property
    def name(self) -> str:
        """The property name (the last named part of the path)."""
        return next(p for p in reversed(self.path) if p is not None)

    @property
    def json_types(self) -> frozenset[str]:
        """The JSON Schema ``type`` values declared for it (empty when unconstrained)."""
        types: set[str] = set()
        for schema in self.schemas:
            declared = schema.get("type")
            if isinstance(declared, str):
                types.add(declared)
            elif isinstance(declared, list):
                types.update(t for t in declared if isinstance(t, str))
        return frozenset(types)

    @property
    def format(self) -> str | None:
        """The first ``format`` any branch declares."""
        return next((s["format"] for s in self.schemas if isinstance(s.get("format"), str)), None)

    @property
    def enum(self) -> tuple[Any, ...] | None:
        """The allowed values when a branch declares ``enum`` (or ``const``)."""
        for schema in self.schemas:
            if isinstance(schema.get("enum"), list):
                return tuple(schema["enum"])
            if "const" in schema:
                return (schema["const"],)
        return None

    @property
    def ordered(self) -> bool:
        """True for an array whose order means something (``x-ordered: true``): a JSON-LD ``@list``."""
        return any(s.get("x-ordered") is True for s in self.schemas)


def walk_claims(schema: Mapping[str, Any]) -> list[SchemaNode]:
    """Every claim the schema declares, parents before children, in declaration order.

    ``schema`` is the claims schema of a type (the ``credentialSubject`` object), with its ``$defs``.
    """
    out: list[SchemaNode] = []
    _walk(schema, schema, (), out, 0)
    return out


def _walk(root: Mapping[str, Any], node: Mapping[str, Any], prefix: ClaimPath, out: list[SchemaNode],
          depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise CatalogError(f"the schema nests deeper than {_MAX_DEPTH} levels at {format_path(prefix)!r} "
                           "(a recursive $ref?); flatten it", code="TYPE_INVALID", path=format_path(prefix))
    branches = list(_branches(root, node))
    required = _required(root, node)
    children: dict[str, list[Mapping[str, Any]]] = {}
    for branch in branches:
        properties = branch.get("properties")
        if isinstance(properties, Mapping):
            for name, sub in properties.items():
                if isinstance(sub, Mapping):
                    children.setdefault(name, []).append(sub)
    for name, subs in children.items():
        path = (*prefix, name)
        expanded = tuple(b for sub in subs for b in _branches(root, sub))
        out.append(SchemaNode(path=path, schemas=expanded, required=name in required))
        _walk_value(root, subs, path, out, depth + 1)


def _walk_value(root: Mapping[str, Any], subs: list[Mapping[str, Any]], path: ClaimPath,
                out: list[SchemaNode], depth: int) -> None:
    merged = {"allOf": list(subs)}
    if any(b.get("properties") for b in _branches(root, merged)):
        _walk(root, merged, path, out, depth)
    items = [b["items"] for b in _branches(root, merged) if isinstance(b.get("items"), Mapping)]
    if items:
        _walk_items(root, items, (*path, None), out, depth + 1)


def _walk_items(root: Mapping[str, Any], items: list[Mapping[str, Any]], path: ClaimPath,
                out: list[SchemaNode], depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise CatalogError(f"the schema nests deeper than {_MAX_DEPTH} levels at {format_path(path)!r}",
                           code="TYPE_INVALID", path=format_path(path))
    _walk_value(root, items, path, out, depth)


def _branches(root: Mapping[str, Any], node: Mapping[str, Any], seen: frozenset[str] = frozenset()
              ) -> Iterator[Mapping[str, Any]]:
    yield node
    ref = node.get("$ref")
    if isinstance(ref, str):
        if ref in seen:
            return  # a recursive reference: its properties were already yielded higher up
        yield from _branches(root, resolve_ref(root, ref), seen | {ref})
    for key in _BRANCH_LISTS:
        for sub in node.get(key) or ():
            if isinstance(sub, Mapping):
                yield from _branches(root, sub, seen)
    for key in _BRANCH_SINGLE:
        sub = node.get(key)
        if isinstance(sub, Mapping):
            yield from _branches(root, sub, seen)


def _required(root: Mapping[str, Any], node: Mapping[str, Any], seen: frozenset[str] = frozenset()) -> set[str]:
    """Names required unconditionally: from the node, its ``$ref`` and its ``allOf`` (not anyOf/oneOf/if)."""
    names = {n for n in node.get("required") or () if isinstance(n, str)}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref not in seen:
        names |= _required(root, resolve_ref(root, ref), seen | {ref})
    for sub in node.get("allOf") or ():
        if isinstance(sub, Mapping):
            names |= _required(root, sub, seen)
    return names


def resolve_ref(root: Mapping[str, Any], ref: str) -> Mapping[str, Any]:
    """The schema object a local ``$ref`` (``#/$defs/Name`` or another JSON pointer) points to."""
    if not ref.startswith("#"):
        raise CatalogError(f"the schema refers to {ref!r}; only local references (#/$defs/...) are allowed, so "
                           "a type file is complete on its own (shared parts come in through 'parts')",
                           code="TYPE_INVALID", ref=ref)
    target: Any = root
    for token in ref[1:].split("/")[1:] if ref != "#" else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, Mapping) or token not in target:
            raise CatalogError(f"the schema reference {ref!r} points to nothing; define it under $defs",
                               code="TYPE_INVALID", ref=ref)
        target = target[token]
    if not isinstance(target, Mapping):
        raise CatalogError(f"the schema reference {ref!r} does not point to a schema object",
                           code="TYPE_INVALID", ref=ref)
    return target
