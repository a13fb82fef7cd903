"""The public surface: each package's ``__all__`` is sorted, complete and importable; no private names."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import vc

PACKAGES = sorted(
    {"vc", "issuers", "verifier"}
    | {m.name for m in pkgutil.walk_packages(vc.__path__, "vc.") if m.ispkg and not m.name.endswith(".contexts")}
)


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_resolves(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    if exported is None:
        pytest.skip(f"{name} exports nothing yet")
    assert list(exported) == sorted(exported), f"{name}.__all__ is not sorted"
    assert len(set(exported)) == len(exported), f"{name}.__all__ has duplicates"
    for attr in exported:
        assert not attr.startswith("_"), f"{name} exports private {attr}"
        assert hasattr(module, attr), f"{name}.__all__ names missing {attr}"


def test_errors_have_unique_stable_codes() -> None:
    from vc import errors

    codes: dict[str, str] = {}
    for attr in errors.__all__:
        cls = getattr(errors, attr)
        assert issubclass(cls, errors.VcError)
        assert cls.code.isupper() or cls.code == "VC_ERROR", attr
        assert cls.code not in codes, f"{attr} reuses {cls.code} of {codes.get(cls.code)}"
        codes[cls.code] = attr


def test_dependencies_point_one_way() -> None:
    """vc imports neither issuers nor verifier nor cli nor a web framework; issuers and verifier never import
    each other."""
    import ast
    from pathlib import Path

    root = Path(vc.__file__).parent.parent
    forbidden = {"vc": {"issuers", "verifier", "cli", "examples", "fastapi", "starlette", "uvicorn"}, "issuers": {"verifier", "cli", "examples"},
                 "verifier": {"issuers", "cli", "examples"}}
    for package, banned in forbidden.items():
        for path in (root / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                for n in names:
                    assert n.split(".")[0] not in banned, f"{path.relative_to(root)} imports {n}"
