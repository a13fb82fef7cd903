"""The pre-filled form: each field's value from a verified claim, and the credential it came from.

A form is filled only from a result that verified, and only from counted credentials that verified; a
field whose sources gave nothing stays empty (``value`` None) for the resident or staff to complete.
``value`` is the claim as disclosed (JSON types kept); ``texts`` is how a person reads it, in Japanese and
English (``text`` is the Japanese), by the field's ``display`` renderer: dates in JST, names joined, ISO 5218
sex as 男/女 (male/female), yen with separators, a working schedule as 週5日 9:00〜17:30 ...

>>> form = procedure.fill_form(result)
>>> form.to_dict()["fields"][0]
{'id': 'child_sex', 'label': {...}, 'value': 2, 'text': '女', 'source': {'credential': 'birth', ...}}
>>> print(form.render_table())
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta, timezone
from typing import TYPE_CHECKING, Any

from vc.errors import VcError
from vc.model import parse_datetime

if TYPE_CHECKING:
    from verifier.results import VerifiedCredential, VerifierResult

    from .model import FieldSource, Procedure

__all__ = ["DISPLAYS", "FORM_LANGUAGES", "FieldOrigin", "FilledField", "FilledForm", "fill_form"]

_JST = timezone(timedelta(hours=9), "JST")
#: the languages every filled field's text is rendered in (the first is ``FilledField.text``)
FORM_LANGUAGES = ("ja", "en")


@dataclass(frozen=True, slots=True)
class FieldOrigin:
    """The verified credential a field's value came from."""

    requirement: str
    credential_type: str
    issuer: str | None
    format: str
    path: str
    credential_id: str | None = None
    query_id: str | None = None
    credential_index: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"credential": self.requirement, "type": self.credential_type, "issuer": self.issuer,
                               "format": self.format, "path": self.path}
        if self.credential_id is not None:
            out["credentialId"] = self.credential_id
        if self.query_id is not None:
            out["queryId"] = self.query_id
        return out


@dataclass(frozen=True, slots=True)
class FilledField:
    id: str
    label: Mapping[str, str]
    value: Any
    text: str
    origin: FieldOrigin | None
    required: bool = False
    texts: Mapping[str, str] = field(default_factory=dict)  # by language; ``text`` is the Japanese

    @property
    def filled(self) -> bool:
        return self.origin is not None

    def text_in(self, lang: str) -> str:
        """The value as a person reads it in ``lang`` (``text`` when not rendered in that language)."""
        return self.texts.get(lang, self.text)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": dict(self.label), "value": self.value, "text": self.text,
                "texts": dict(self.texts), "required": self.required,
                "source": self.origin.to_dict() if self.origin else None}


@dataclass(frozen=True, slots=True)
class FilledForm:
    """The form of a procedure with the values a verified presentation gave."""

    procedure: str
    title: Mapping[str, str]
    fields: tuple[FilledField, ...]
    verified: bool

    @property
    def missing(self) -> tuple[str, ...]:
        """Required fields left empty."""
        return tuple(f.id for f in self.fields if f.required and not f.filled)

    @property
    def complete(self) -> bool:
        return self.verified and not self.missing

    def field(self, field_id: str) -> FilledField | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {"procedure": self.procedure, "title": dict(self.title), "verified": self.verified,
                "complete": self.complete, "missing": list(self.missing), "fields": [f.to_dict() for f in self.fields]}

    def render_table(self, *, lang: str = "ja") -> str:
        """A plain-text table (label, value, source) for the CLI; ``lang`` picks the label language."""
        head = {"ja": ("項目", "内容", "出典"), "en": ("Field", "Value", "Source")}.get(lang, ("Field", "Value", "Source"))
        rows = [head]
        for f in self.fields:
            source = ""
            if f.origin is not None:
                source = f"{f.origin.credential_type} ({f.origin.issuer or '?'})"
            mark = "*" if f.required and not f.filled else ""
            rows.append((f.label.get(lang) or f.label.get("en") or f.id, f.text_in(lang) + mark, source))
        widths = [max(_width(r[i]) for r in rows) for i in range(3)]
        lines = [self.title.get(lang) or self.title.get("en") or self.procedure]
        if not self.verified:
            lines.append("(not verified: no field is filled)" if lang != "ja" else "（検証に失敗したため未記入）")
        rule = "-+-".join("-" * w for w in widths)
        for i, row in enumerate(rows):
            lines.append(" | ".join(_pad(cell, w) for cell, w in zip(row, widths)).rstrip())
            if i == 0:
                lines.append(rule)
        if self.missing:
            lines.append(("* 必須項目が未記入です" if lang == "ja" else "* required, not filled"))
        return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


# --- filling ----------------------------------------------------------------------------------


def fill_form(procedure: Procedure, result: VerifierResult) -> FilledForm:
    """The form of ``procedure`` filled from ``result`` (empty, ``verified`` False, when it did not verify)."""
    ok = result.verified
    fields = []
    for spec in procedure.fields:
        value, origin = (None, None)
        if ok:
            value, origin = _first_value(procedure, result, spec.sources)
        texts = {lang: _render(spec.display, value, lang) for lang in FORM_LANGUAGES} if origin else {}
        fields.append(FilledField(spec.id, spec.label, value, texts.get(FORM_LANGUAGES[0], ""), origin,
                                  spec.required, texts))
    return FilledForm(procedure.id, procedure.form_title, tuple(fields), ok)


def _first_value(procedure: Procedure, result: VerifierResult,
                 sources: tuple[FieldSource, ...]) -> tuple[Any, FieldOrigin | None]:
    for source in sources:
        cred = result.credential(source.credential)
        if cred is None or not cred.verified or cred.requirement != source.credential:
            continue
        value = _resolve(cred.claims, source.path, source.where)
        if value is None or value == []:
            continue
        req = procedure.requirement(source.credential)
        return value, _origin(cred, source, req.type if req else (cred.types[0] if cred.types else "?"))
    return None, None


def _origin(cred: VerifiedCredential, source: FieldSource, type_name: str) -> FieldOrigin:
    return FieldOrigin(requirement=source.credential, credential_type=type_name, issuer=cred.issuer,
                       format=cred.format, path=source.path_text, credential_id=cred.credential_id,
                       query_id=cred.query_id, credential_index=cred.index)


def _resolve(value: Any, path: tuple[Any, ...], where: Mapping[str, Any]) -> Any:
    """The claim at ``path``; at the first wildcard (None) a list, filtered by ``where``."""
    for i, step in enumerate(path):
        if step is None:
            if not isinstance(value, list):
                return None
            items = [v for v in value if all(isinstance(v, Mapping) and v.get(k) == w for k, w in where.items())]
            rest = path[i + 1:]
            found = [_resolve(v, rest, {}) for v in items]
            return [v for v in found if v is not None]
        if isinstance(step, int):
            value = value[step] if isinstance(value, list) and -len(value) <= step < len(value) else None
        else:
            value = value.get(step) if isinstance(value, Mapping) else None
        if value is None:
            return None
    return value


# --- display renderers (registry) ------------------------------------------------------------
# each renderer takes the value and a language (ja, en); personal data (names, addresses) stays as disclosed

Renderer = Callable[[Any, str], str]


def _list_separator(lang: str) -> str:
    return "、" if lang == "ja" else ", "


def _text(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return ("はい" if value else "いいえ") if lang == "ja" else ("yes" if value else "no")
    if isinstance(value, list):
        return _list_separator(lang).join(_text(v, lang) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _each(fn: Renderer) -> Renderer:
    return lambda v, lang: _list_separator(lang).join(fn(x, lang) for x in v) if isinstance(v, list) else fn(v, lang)


def _date(value: Any, lang: str) -> str:
    if isinstance(value, str) and len(value) > 10:
        try:
            return parse_datetime(value).astimezone(_JST).date().isoformat()
        except VcError:
            return value
    return str(value)


def _datetime(value: Any, lang: str) -> str:
    try:
        return parse_datetime(value).astimezone(_JST).strftime("%Y-%m-%d %H:%M")
    except VcError:
        return str(value)


def _full_name(value: Any, lang: str) -> str:
    if isinstance(value, Mapping):
        return " ".join(str(value[k]) for k in ("familyName", "givenName") if value.get(k)) or _text(value, lang)
    return str(value)


def _address(value: Any, lang: str) -> str:
    if isinstance(value, Mapping):
        if value.get("fullAddress"):
            return str(value["fullAddress"])
        parts = [value.get(k) for k in ("prefecture", "cityAndCounty", "streetAddress", "cityBlock")]
        text = "".join(str(p) for p in parts if p)
        if value.get("buildingNameEtc"):
            text += " " + str(value["buildingNameEtc"])
        return text or _text(value, lang)
    return str(value)


_SEX = {"ja": {0: "不明", 1: "男", 2: "女", 9: "適用不能"},
        "en": {0: "unknown", 1: "male", 2: "female", 9: "not applicable"}}


def _sex(value: Any, lang: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return _SEX.get(lang, _SEX["en"]).get(value, str(value))
    return str(value)


def _yen(value: Any, lang: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}円" if lang == "ja" else f"¥{value:,}"
    return str(value)


def _member(value: Any, lang: str) -> str:
    if isinstance(value, Mapping):
        name = _full_name(value, lang)
        extra = [str(value[k]) for k in ("relationshipToHouseholder", "birthDate") if value.get(k)]
        if not extra:
            return name
        return f"{name}（{'・'.join(extra)}）" if lang == "ja" else f"{name} ({', '.join(extra)})"
    return str(value)


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _clock(value: Any) -> tuple[str, int] | None:
    """``"09:00"`` / ``"09:00:00"`` -> (``"9:00"``, minutes since midnight); None for anything else."""
    if not isinstance(value, str):
        return None
    parts = value.split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts) or not (
            0 <= int(parts[0]) < 24 and 0 <= int(parts[1]) < 60):
        return None
    hours, minutes = int(parts[0]), int(parts[1])
    return f"{hours}:{minutes:02d}", hours * 60 + minutes


def _fixed_schedule(fixed: Mapping[str, Any], lang: str) -> str | None:
    days = fixed.get("daysPerWeek")
    start, end = _clock(fixed.get("startTime")), _clock(fixed.get("endTime"))
    if not isinstance(days, (int, float)) or isinstance(days, bool) or start is None or end is None:
        return None
    rest = fixed.get("breakMinutes")
    rest = rest if isinstance(rest, int) and not isinstance(rest, bool) else 0
    span = (end[1] - start[1]) % (24 * 60) or 24 * 60  # past midnight: a night shift
    weekly = max(span - rest, 0) * days / 60
    if lang == "ja":
        extra = ([f"休憩{rest}分"] if rest else []) + [f"週{_number(weekly)}時間"]
        return f"週{_number(days)}日 {start[0]}〜{end[0]}（{'、'.join(extra)}）"
    extra = ([f"{rest} min break"] if rest else []) + [f"{_number(weekly)} h a week"]
    return f"{_number(days)} days a week, {start[0]}–{end[0]} ({'; '.join(extra)})"


def _variable_schedule(variable: Mapping[str, Any], lang: str) -> str | None:
    days, hours = variable.get("monthlyDays"), variable.get("monthlyHours")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (days, hours)):
        return None
    if lang == "ja":
        return f"月{_number(days)}日・月{_number(hours)}時間"
    return f"{_number(days)} days and {_number(hours)} h a month"


def _schedule(value: Any, lang: str) -> str:
    """A working schedule (catalog.md 2.6 ``schedule``): fixed hours per week, or days and hours per month."""
    if isinstance(value, Mapping):
        if isinstance(value.get("fixed"), Mapping):
            text = _fixed_schedule(value["fixed"], lang)
        elif isinstance(value.get("variable"), Mapping):
            text = _variable_schedule(value["variable"], lang)
        else:
            text = None
        if text is not None:
            return text
    return _text(value, lang)


#: display name -> renderer (procedure files name these in ``display``)
DISPLAYS: Mapping[str, Renderer] = {
    "text": _text,
    "date": _each(_date),
    "datetime": _each(_datetime),
    "full_name": _each(_full_name),
    "address": _each(_address),
    "sex": _each(_sex),
    "yen": _each(_yen),
    "member": _each(_member),
    "schedule": _each(_schedule),
}


def _render(display: str, value: Any, lang: str) -> str:
    return DISPLAYS[display](value, lang)
