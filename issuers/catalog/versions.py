"""Compare two versions of a certificate type: a compatible extension, or a breaking change.

Compatible means both directions keep working: every credential of the old version is valid under the new
schema, and a verifier built for the old version still understands a new credential (ignoring claims it does
not know). So a new version that only adds optional claims is compatible. Breaking:

- a claim removed, or retyped (its JSON type, format, JSON-LD term IRI or ordered-ness changed);
- a claim made required that was optional, or optional that was required;
- an enumeration narrowed (old values refused) or widened (old verifiers meet unknown codes);
- a constraint added where the old version had none (e.g. a new ``enum``).

Label, description, sensitivity and display changes are listed but do not break compatibility.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from vc.errors import UsageError

from .certificate_type import CertificateType
from .claim_paths import SchemaNode, format_path

__all__ = ["Change", "Compatibility", "compare_versions"]


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two versions: ``kind`` (``claim_added``, ``claim_removed``, ``claim_retyped``,
    ``now_required``, ``now_optional``, ``enum_narrowed``, ``enum_widened``, ``sensitivity_changed``,
    ``label_changed`` ...), the claim path (text form, empty for the type itself), and whether it breaks."""

    kind: str
    path: str
    breaking: bool
    detail: str = ""

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{'BREAKING ' if self.breaking else ''}{self.kind}{where}" + (f": {self.detail}" if self.detail else "")


@dataclass(frozen=True, slots=True)
class Compatibility:
    """The verdict: ``compatible`` is true when no change breaks; ``changes`` lists every change found."""

    compatible: bool
    changes: tuple[Change, ...] = field(default=())

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.breaking)


def compare_versions(old: CertificateType, new: CertificateType) -> Compatibility:
    """Compare ``new`` against ``old`` (two versions of one type; UsageError for two different types)."""
    if old.id != new.id:
        raise UsageError(f"cannot compare versions of two different types ({old.id} and {new.id})")
    changes = list(_type_changes(old, new))
    old_nodes = {n.path: n for n in old.claims}
    new_nodes = {n.path: n for n in new.claims}
    for path, node in old_nodes.items():
        text = format_path(path)
        if path not in new_nodes:
            if _parent_present(path, new_nodes) or len(path) == 1:
                changes.append(Change("claim_removed", text, True, "old credentials carry it; verifiers rely on it"))
            continue
        changes.extend(_claim_changes(text, node, new_nodes[path], old, new))
    for path, node in new_nodes.items():
        if path not in old_nodes:
            text = format_path(path)
            if node.required and _parent_present(path, old_nodes):
                changes.append(Change("claim_added", text, True, "added as required: old credentials lack it"))
            elif _parent_present(path, old_nodes) or len(path) == 1:
                changes.append(Change("claim_added", text, False, "optional"))
    for path in sorted(set(old.sensitivity) | set(new.sensitivity), key=format_path):
        before, after = old.sensitivity.get(path), new.sensitivity.get(path)
        if before != after and path in new_nodes:
            changes.append(Change("sensitivity_changed", format_path(path), False, f"{before} -> {after}"))
    return Compatibility(compatible=not any(c.breaking for c in changes), changes=tuple(changes))


def _parent_present(path: tuple, nodes: dict) -> bool:
    parent = path[:-1]
    while parent and parent[-1] is None:
        parent = parent[:-1]
    return not parent or parent in nodes


def _type_changes(old: CertificateType, new: CertificateType) -> Iterator[Change]:
    if new.version_tuple <= old.version_tuple:
        yield Change("version_not_newer", "", True, f"{new.version} is not later than {old.version}")
    if old.credential_type != new.credential_type:
        yield Change("credential_type_changed", "", True, f"{old.credential_type} -> {new.credential_type}")
    if dict(old.name) != dict(new.name) or dict(old.description) != dict(new.description):
        yield Change("label_changed", "", False, "type name or description")
    removed_kinds = set(old.issuer_kinds) - set(new.issuer_kinds)
    if removed_kinds:
        yield Change("issuer_kinds_changed", "", False, "no longer: " + ", ".join(sorted(removed_kinds)))


def _claim_changes(text: str, before: SchemaNode, after: SchemaNode, old: CertificateType,
                   new: CertificateType) -> Iterator[Change]:
    if before.json_types != after.json_types:
        yield Change("claim_retyped", text, True, f"type {_types(before)} -> {_types(after)}")
    if before.format != after.format:
        yield Change("claim_retyped", text, True, f"format {before.format} -> {after.format}")
    if before.ordered != after.ordered:
        yield Change("claim_retyped", text, True, "ordered list changed")
    old_term, new_term = old.terms.get(before.name), new.terms.get(after.name)
    if old_term is not None and new_term is not None and old_term.iri != new_term.iri:
        yield Change("claim_retyped", text, True, f"term {old_term.iri} -> {new_term.iri}")
    if not before.required and after.required:
        yield Change("now_required", text, True, "old credentials may lack it")
    if before.required and not after.required:
        yield Change("now_optional", text, True, "old verifiers expect it")
    old_enum, new_enum = before.enum, after.enum
    if old_enum is None and new_enum is not None:
        yield Change("enum_added", text, True, "values that were allowed are now refused")
    elif old_enum is not None and new_enum is None:
        yield Change("enum_removed", text, True, "old verifiers meet values they do not know")
    elif old_enum is not None and new_enum is not None:
        if set(map(repr, old_enum)) - set(map(repr, new_enum)):
            yield Change("enum_narrowed", text, True, "values that were allowed are now refused")
        if set(map(repr, new_enum)) - set(map(repr, old_enum)):
            yield Change("enum_widened", text, True, "old verifiers meet codes they do not know")
    old_label, new_label = old.label(before.path, "ja"), new.label(after.path, "ja")
    if old_label != new_label or old.label(before.path, "en") != new.label(after.path, "en"):
        yield Change("label_changed", text, False)


def _types(node: SchemaNode) -> str:
    return "/".join(sorted(node.json_types)) or "any"
