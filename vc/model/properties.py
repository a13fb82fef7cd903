"""Rules for the properties credentials and presentations share (VCDM 2.0 sections 4.3-4.13).

Each check raises :class:`~vc.errors.DataModelError` whose ``code`` names the rule and whose
``property`` detail is the path of the offending property (``verifiableCredential[0].issuer``).
Messages name properties, never their values: values can be personal data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import DataModelError
from .urls import is_url
from .version import CREDENTIALS_V1_CONTEXT, CREDENTIALS_V2_CONTEXT, DataModelVersion, data_model_version

__all__ = [
    "RESOURCE_RULES",
    "ResourceRule",
    "at",
    "check_context",
    "check_id",
    "check_language_values",
    "check_resources",
    "check_types",
    "check_url_or_object",
    "fail",
    "objects",
]


def at(path: str, key: str | int) -> str:
    """The path of a member (``a.b``) or an array item (``a[0]``) below ``path``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def fail(code: str, prop: str, problem: str) -> DataModelError:
    """A DataModelError about ``prop``: ``problem`` says what is wrong and what to do."""
    return DataModelError(f"{prop} {problem}", code=code, property=prop)


def objects(value: Any, prop: str, code: str, what: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(path, object)`` for a value that must be one object or a non-empty array of objects."""
    if isinstance(value, dict):
        yield prop, value
        return
    if not isinstance(value, list) or not value:
        raise fail(code, prop, f"must be {what}: one JSON object or a non-empty array of objects")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise fail(code, at(prop, i), f"must be {what} as a JSON object, not a bare value")
        yield at(prop, i), item


_BASE_CONTEXTS: dict[str, DataModelVersion] = {CREDENTIALS_V2_CONTEXT: "2.0", CREDENTIALS_V1_CONTEXT: "1.1"}


def check_context(doc: dict[str, Any], path: str) -> DataModelVersion:
    """``@context``: the base context first, then URLs and/or context objects (section 4.3)."""
    version = data_model_version(doc, path=path)
    contexts = doc["@context"]
    prop = at(path, "@context")
    if isinstance(contexts, str):
        return version
    if not isinstance(contexts, list):
        raise fail("INVALID_CONTEXT", prop, "must be an array of context URLs and/or objects")
    for i, entry in enumerate(contexts[1:], start=1):
        if isinstance(entry, dict):
            continue
        if not is_url(entry):
            raise fail("INVALID_CONTEXT", at(prop, i), "must be a context URL or a context object")
        if entry in _BASE_CONTEXTS and _BASE_CONTEXTS[entry] != version:
            raise fail("INVALID_CONTEXT", at(prop, i), "mixes the VCDM 1.1 and 2.0 base contexts; use one")
    return version


def check_types(doc: dict[str, Any], path: str, required: str) -> list[str]:
    """``type``: a string or an array of strings that includes ``required`` (section 4.5)."""
    prop = at(path, "type")
    if "type" not in doc:
        raise fail("MISSING_TYPE", prop, f"is missing; it must include {required!r}")
    types = _type_values(doc["type"])
    if types is None:
        raise fail("INVALID_TYPE", prop, "must be a string or a non-empty array of non-empty strings")
    if required not in types:
        raise fail("INVALID_TYPE", prop, f"must include {required!r}")
    return types


def check_id(doc: dict[str, Any], path: str, code: str = "INVALID_ID") -> None:
    """An optional ``id`` must be one URL (section 4.4)."""
    if "id" in doc and not is_url(doc["id"]):
        raise fail(code, at(path, "id"), "must be a single URL (with a scheme, e.g. https:, did: or urn:)")


def check_url_or_object(value: Any, prop: str, code: str) -> None:
    """``issuer`` / ``holder``: a URL, or an object whose ``id`` is a URL (sections 4.7, 4.13)."""
    if isinstance(value, dict):
        if "id" not in value:
            raise fail(code, prop, "is an object without id; give it an id that is a URL")
        if not is_url(value["id"]):
            raise fail(code, at(prop, "id"), "must be a single URL (with a scheme, e.g. did: or https:)")
        check_language_values(value, prop)
        return
    if not is_url(value):
        raise fail(code, prop, "must be a URL (with a scheme, e.g. did: or https:) or an object with such an id")


_LANGUAGE_KEYS = frozenset({"@value", "@language", "@direction"})
_DIRECTIONS = frozenset({"ltr", "rtl"})
_LANGUAGE_PROPERTIES = {"name": "INVALID_NAME", "description": "INVALID_DESCRIPTION"}


def check_language_values(doc: dict[str, Any], path: str) -> None:
    """``name`` / ``description``: strings or language value objects (section 4.6, 11.1)."""
    for key, code in _LANGUAGE_PROPERTIES.items():
        if key not in doc:
            continue
        value = doc[key]
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            prop = at(at(path, key), i) if isinstance(value, list) else at(path, key)
            if isinstance(item, str):
                continue
            if not isinstance(item, dict) or not isinstance(item.get("@value"), str):
                raise fail(code, prop, "must be a string or an object with a string @value")
            extra = set(item) - _LANGUAGE_KEYS
            if extra:
                raise fail(
                    code, prop, "is a language value object, which may hold only @value, @language and @direction"
                )
            if "@language" in item and not (isinstance(item["@language"], str) and item["@language"]):
                raise fail(code, at(prop, "@language"), "must be a language tag such as 'ja' or 'en'")
            if "@direction" in item and item["@direction"] not in _DIRECTIONS:
                raise fail(code, at(prop, "@direction"), "must be 'ltr' or 'rtl'")


@dataclass(frozen=True, slots=True)
class ResourceRule:
    """How a related-resource property is shaped: objects with a ``type``, maybe a required ``id``."""

    code: str
    what: str
    id_required: bool = False


# VCDM 2.0: 4.10 status, 4.11 data schemas, 5.6 refreshing, 5.5 terms of use, 5.7 evidence;
# proof shape from VC Data Integrity 1.0 section 2.1 (type is required).
RESOURCE_RULES: dict[str, ResourceRule] = {
    "credentialStatus": ResourceRule("INVALID_STATUS", "a status entry"),
    "credentialSchema": ResourceRule("INVALID_SCHEMA", "a schema reference", id_required=True),
    "evidence": ResourceRule("INVALID_EVIDENCE", "an evidence entry"),
    "refreshService": ResourceRule("INVALID_REFRESH_SERVICE", "a refresh service"),
    "termsOfUse": ResourceRule("INVALID_TERMS_OF_USE", "a terms-of-use entry"),
    "proof": ResourceRule("INVALID_PROOF", "a proof"),
}


def check_resources(doc: dict[str, Any], path: str, names: tuple[str, ...]) -> None:
    """Each present property in ``names``: object(s) with a valid ``type`` and, if present or required, a URL ``id``."""
    for name in names:
        if name not in doc:
            continue
        rule = RESOURCE_RULES[name]
        for prop, item in objects(doc[name], at(path, name), rule.code, rule.what):
            if "type" not in item:
                raise fail(rule.code, at(prop, "type"), f"is missing; {rule.what} must state its type")
            if _type_values(item["type"]) is None:
                raise fail(rule.code, at(prop, "type"), "must be a string or a non-empty array of non-empty strings")
            if rule.id_required and "id" not in item:
                raise fail(rule.code, at(prop, "id"), f"is missing; {rule.what} must have an id that is a URL")
            if "id" in item and not is_url(item["id"]):
                raise fail(rule.code, at(prop, "id"), "must be a single URL (with a scheme, e.g. https: or did:)")


def _type_values(value: Any) -> list[str] | None:
    """The type names, or None unless ``value`` is a string or a non-empty array of non-empty strings."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
        return None
    return values
