"""Reading batch input: CSV or JSON Lines rows into claims, with the line each row starts on.

CSV: a header row names claim paths with dots and array indexes (``address.postalCode``,
``members[0].familyName``); a cell is converted to the JSON type the type's schema declares for its
path (``integer``, ``number``, ``boolean``; ``object``/``array`` cells hold JSON). An empty cell is an
absent claim. A value that does not convert stays text, so the schema check reports the field as of the
wrong type (naming the field, never the value). Files may start with a UTF-8 BOM (Excel).

JSON Lines: one JSON object of claims per line; blank lines are skipped.

Two columns (members in JSONL) may be other than claims: the record key column (the institution's own
record number, which makes re-running idempotent) and the holder column (a DID, or a public JWK as
JSON). They are taken out of the claims unless the type also declares them as claims.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rfc8785

from issuers.catalog import CertificateType
from issuers.catalog.claim_paths import SchemaNode
from vc.errors import BatchError

__all__ = ["Row", "RowProblem", "read_rows", "source_format"]

_SEGMENT = re.compile(r"^([^\[\]]+)((?:\[[0-9]+\])*)$")
_INDEX = re.compile(r"\[([0-9]+)\]")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
_MAX_CELL = 64 * 1024
csv.field_size_limit(_MAX_CELL)


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A bad row: its line, the field (claim path or column; empty for the whole row), the rule, why."""

    line: int
    path: str
    rule: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "path": self.path, "rule": self.rule, "reason": self.reason}

    def __str__(self) -> str:
        where = f"'{self.path}' " if self.path else ""
        return f"line {self.line}: {where}{self.reason}"


@dataclass(frozen=True, slots=True)
class Row:
    """One input row: ``line`` it starts on, the claims, the record key (the key column, else a hash of
    the row's content), the holder (DID, JWK object or None) and problems found while reading."""

    line: int
    claims: dict[str, Any]
    record_key: str
    holder: str | dict[str, Any] | None = None
    problems: tuple[RowProblem, ...] = field(default=())


def source_format(path: Path) -> str:
    """``csv`` or ``jsonl`` from the file name; BatchError BATCH_INPUT_INVALID otherwise."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise BatchError(f"{path.name}: batch input must be a .csv or .jsonl file", code="BATCH_INPUT_INVALID")


def read_rows(path: Path, ctype: CertificateType, *, key_column: str | None = None,
              holder_column: str | None = None) -> Iterator[Row]:
    """The rows of ``path`` (CSV or JSONL by suffix) as claims for ``ctype``."""
    if not path.is_file():
        raise BatchError(f"no such batch input file: {path}", code="BATCH_INPUT_INVALID")
    reader = _read_csv if source_format(path) == "csv" else _read_jsonl
    return reader(path, ctype, key_column, holder_column)


# --- CSV --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Column:
    name: str
    data_path: tuple[str | int, ...]
    node: SchemaNode | None
    role: str  # "claim", "key", "holder"


def _read_csv(path: Path, ctype: CertificateType, key_column: str | None, holder_column: str | None
              ) -> Iterator[Row]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise BatchError(f"{path.name} is empty; the first row must name the claim columns",
                             code="BATCH_INPUT_INVALID") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise BatchError(f"{path.name}: the header row is not readable CSV ({_why(exc)})",
                             code="BATCH_INPUT_INVALID") from None
        columns = _columns(path, header, ctype, key_column, holder_column)
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                # the reader cannot go on past a broken record: report it as the file's problem
                raise BatchError(f"{path.name} line {start}: not readable CSV ({_why(exc)}); fix the file",
                                 code="BATCH_INPUT_INVALID", line=start) from None
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            yield _csv_row(line, cells, columns, key_column)


def _columns(path: Path, header: list[str], ctype: CertificateType, key_column: str | None,
             holder_column: str | None) -> list[_Column]:
    nodes = {node.path: node for node in ctype.claims}
    names = [h.strip() for h in header]
    seen: set[str] = set()
    out: list[_Column] = []
    for name in names:
        if not name:
            raise BatchError(f"{path.name}: the header has an empty column name", code="BATCH_INPUT_INVALID")
        if name in seen:
            raise BatchError(f"{path.name}: column {name!r} appears twice in the header", code="BATCH_INPUT_INVALID")
        seen.add(name)
        data_path = _parse_column(name)
        if data_path is None:
            raise BatchError(f"{path.name}: column {name!r} is not a claim path (use dots and [n], e.g. "
                             "address.postalCode or members[0].familyName)", code="BATCH_INPUT_INVALID")
        node = nodes.get(tuple(None if isinstance(p, int) else p for p in data_path))
        role = "key" if name == key_column else "holder" if name == holder_column else "claim"
        out.append(_Column(name, data_path, node, role))
    for option, value in (("--key-column", key_column), ("--holder-column", holder_column)):
        if value is not None and value not in seen:
            raise BatchError(f"{path.name} has no column {value!r} ({option})", code="BATCH_INPUT_INVALID")
    return out


def _parse_column(name: str) -> tuple[str | int, ...] | None:
    parts: list[str | int] = []
    for segment in name.split("."):
        match = _SEGMENT.match(segment)
        if match is None:
            return None
        parts.append(match.group(1))
        parts.extend(int(i) for i in _INDEX.findall(match.group(2)))
    return tuple(parts)


def _csv_row(line: int, cells: list[str], columns: list[_Column], key_column: str | None) -> Row:
    problems: list[RowProblem] = []
    if len(cells) > len(columns):
        problems.append(RowProblem(line, "", "columns", f"has {len(cells)} cells but the header names "
                                   f"{len(columns)} columns"))
    claims: dict[str, Any] = {}
    record_key: str | None = None
    holder: str | dict[str, Any] | None = None
    for column, cell in zip(columns, cells, strict=False):  # a short row: missing cells are empty
        if column.role == "key":
            record_key = cell.strip() or None
            if column.node is None:
                continue
        if column.role == "holder":
            holder = _holder(line, column.name, cell, problems)
            if column.node is None:
                continue
        if cell == "":
            continue
        _put(claims, column.data_path, _coerce(cell, column.node))
    return _finish(line, _compact_lists(claims), record_key, holder, key_column, problems)


def _coerce(cell: str, node: SchemaNode | None) -> Any:
    if node is None:
        return cell  # not a claim of the type: validation names the column
    types = node.json_types
    if not types or "string" in types:
        return cell
    text = cell.strip()
    if "integer" in types and _INTEGER.match(text):
        return int(text)
    if "number" in types and _NUMBER.match(text):
        number = float(text)
        return int(number) if number.is_integer() and _INTEGER.match(text) else number
    if "boolean" in types and text.lower() in _BOOLEANS:
        return _BOOLEANS[text.lower()]
    if types & {"object", "array"} and text[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            return cell
    return cell


def _put(claims: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    # arrays are built as {index: item} and compacted afterwards, so columns may come in any order
    target: dict[Any, Any] = claims
    for part in path[:-1]:
        target = target.setdefault(part, {})
        if not isinstance(target, dict):
            return  # a cell and a sub-column for one claim: the later one loses, validation reports the claim
    target[path[-1]] = value


def _compact_lists(value: Any) -> Any:
    if isinstance(value, dict):
        if value and all(isinstance(k, int) for k in value):
            return [_compact_lists(value[k]) for k in sorted(value)]
        return {k: _compact_lists(v) for k, v in value.items()}
    return value


# --- JSON Lines ---------------------------------------------------------------------------------------


def _read_jsonl(path: Path, ctype: CertificateType, key_column: str | None, holder_column: str | None
                ) -> Iterator[Row]:
    declared = {node.path[0] for node in ctype.claims}
    with path.open("rb") as handle:
        for line, raw in enumerate(handle, start=1):
            if line == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                value = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                yield Row(line, {}, f"line:{line}", None, (RowProblem(line, "", "json", "is not valid JSON"),))
                continue
            if not isinstance(value, dict):
                yield Row(line, {}, f"line:{line}", None, (RowProblem(line, "", "json", "is not a JSON object"),))
                continue
            problems: list[RowProblem] = []
            record_key = holder = None
            if key_column is not None and key_column in value:
                raw_key = value[key_column] if key_column in declared else value.pop(key_column)
                record_key = str(raw_key).strip() if isinstance(raw_key, (str, int)) and not isinstance(
                    raw_key, bool) else None
                if record_key is None:
                    problems.append(RowProblem(line, key_column, "key", "must be a string or an integer"))
            if holder_column is not None and holder_column in value:
                raw_holder = value[holder_column] if holder_column in declared else value.pop(holder_column)
                holder = raw_holder if isinstance(raw_holder, dict) else _holder(
                    line, holder_column, raw_holder if isinstance(raw_holder, str) else "", problems)
            yield _finish(line, value, record_key, holder, key_column, problems)


# --- shared -----------------------------------------------------------------------------------------


def _holder(line: int, column: str, cell: str, problems: list[RowProblem]) -> str | dict[str, Any] | None:
    text = cell.strip()
    if not text:
        return None
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, dict):
            return value
        problems.append(RowProblem(line, column, "holder", "is not a JSON object (a public JWK) or a DID"))
        return None
    if text.startswith("did:"):
        return text
    problems.append(RowProblem(line, column, "holder", "must be a DID or a public JWK as JSON"))
    return None


def _finish(line: int, claims: dict[str, Any], record_key: str | None, holder: str | dict[str, Any] | None,
            key_column: str | None, problems: list[RowProblem]) -> Row:
    if record_key is None:
        if key_column is not None:
            problems.append(RowProblem(line, key_column, "key", "is empty; every row needs its record key"))
            record_key = f"line:{line}"
        else:
            record_key = "sha256:" + _content_hash(claims, holder)
    return Row(line, claims, record_key, holder, tuple(problems))


def _content_hash(claims: Mapping[str, Any], holder: Any) -> str:
    # without a key column the row's content is its identity: the same row re-run is the same record
    try:
        canonical = rfc8785.dumps({"claims": claims, "holder": holder})
    except Exception:  # noqa: BLE001 - a value JCS cannot encode (e.g. a float NaN): fall back to JSON text
        canonical = json.dumps({"claims": claims, "holder": holder}, sort_keys=True, default=str).encode()
    return hashlib.sha256(canonical).hexdigest()


def _why(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return str(exc)
