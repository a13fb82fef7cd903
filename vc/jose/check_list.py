"""An ordered list of named checks that turns coded errors into failed ``CheckResult``s.

Verification code runs each step through ``CheckList.run``; a ``VcError`` becomes a failed check
with its code, and later steps that need the failed step's value are skipped (reported once).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from vc.errors import VcError
from vc.results import CheckResult

__all__ = ["CheckList"]

T = TypeVar("T")


class CheckList:
    """Collects ``CheckResult``s in order; ``ok`` is False once any check failed."""

    def __init__(self) -> None:
        self.results: list[CheckResult] = []

    @property
    def ok(self) -> bool:
        return all(c.passed for c in self.results)

    def run(self, name: str, fn: Callable[[], T], message: str = "") -> T | None:
        """Run ``fn``; record ``name`` as passed (returning fn's value) or failed with the error's code."""
        try:
            value = fn()
        except VcError as err:
            self.results.append(CheckResult.fail(name, err))
            return None
        except RecursionError:
            self.results.append(CheckResult.fail(name, "MALFORMED", "the input is nested too deeply"))
            return None
        self.results.append(CheckResult.ok(name, message))
        return value

    def fail(self, name: str, code: str, message: str) -> None:
        self.results.append(CheckResult.fail(name, code, message))

    def add(self, result: CheckResult) -> None:
        self.results.append(result)

    def extend(self, results: Any) -> None:
        self.results.extend(results)

    def checks(self) -> tuple[CheckResult, ...]:
        return tuple(self.results)
