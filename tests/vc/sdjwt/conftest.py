"""Shared loading of the SD-JWT vector folders (``specification.yml`` with the ``!sd`` YAML tag)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

VECTORS = Path(__file__).resolve().parents[2] / "vectors"


@dataclass(frozen=True)
class SD:
    """A value or key the YAML marks ``!sd`` (selectively disclosable)."""

    value: Any

    def __hash__(self) -> int:
        return hash(repr(self.value))


class _SdLoader(yaml.SafeLoader):
    pass


def _construct_sd(loader: yaml.SafeLoader, node: yaml.Node) -> SD:
    # as the reference implementation does: a tagged scalar is typed by its own plain/quoted form
    if isinstance(node, yaml.ScalarNode):
        if node.style in ('"', "'"):
            return SD(loader.construct_scalar(node))
        tag = loader.resolve(yaml.ScalarNode, node.value, (True, False))
        return SD(loader.construct_object(yaml.ScalarNode(tag, node.value, style=node.style)))
    if isinstance(node, yaml.MappingNode):
        return SD(loader.construct_mapping(node, deep=True))
    return SD(loader.construct_sequence(node, deep=True))


_SdLoader.add_constructor("!sd", _construct_sd)


def load_spec(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=_SdLoader)  # noqa: S506 - a SafeLoader subclass


def split_sd(value: Any, path: tuple = (), paths: list | None = None) -> tuple[Any, list[tuple]]:
    """Plain claims and the claim paths the ``!sd`` tags mark."""
    paths = [] if paths is None else paths
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            name = key.value if isinstance(key, SD) else key
            if isinstance(key, SD):
                paths.append(path + (name,))
            out[name] = split_sd(item, path + (name,), paths)[0]
        return out, paths
    if isinstance(value, list):
        items = []
        for i, item in enumerate(value):
            if isinstance(item, SD):
                paths.append(path + (i,))
                item = item.value
            items.append(split_sd(item, path + (i,), paths)[0])
        return items, paths
    if isinstance(value, SD):
        raise ValueError("!sd on a value outside an array")
    return value, paths


def disclose_paths(spec: Any, path: tuple = ()) -> list[tuple]:
    """The reference's ``holder_disclosed_claims`` tree as claim paths (True = disclose there)."""
    if spec is True:
        return [path]
    out: list[tuple] = []
    if isinstance(spec, dict):
        for key, item in spec.items():
            out += disclose_paths(item, path + (key,))
    elif isinstance(spec, list):
        for i, item in enumerate(spec):
            out += disclose_paths(item, path + (i,))
    return out


@pytest.fixture(scope="session")
def sd_vectors() -> Path:
    return VECTORS


@pytest.fixture(scope="session")
def sd_spec():
    """Helpers as a namespace: load_spec, split_sd, disclose_paths."""

    class Helpers:
        load = staticmethod(load_spec)
        split = staticmethod(split_sd)
        disclose = staticmethod(disclose_paths)

    return Helpers
