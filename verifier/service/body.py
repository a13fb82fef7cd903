"""Request bodies read with limits: JSON through ``vc.input.load_json`` (size, depth, duplicate
keys) and ``application/x-www-form-urlencoded`` forms (the OpenID4VP ``direct_post`` response),
parsed without extra dependencies."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request

from vc.errors import InputTooLargeError, MalformedError
from vc.input import load_json

__all__ = ["read_body", "read_form", "read_json_object"]


async def read_body(request: Request, *, max_bytes: int) -> bytes:
    """The raw body, refusing more than ``max_bytes`` (streamed: a huge body is never held whole)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise InputTooLargeError(f"the request body is larger than {max_bytes} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise InputTooLargeError(f"the request body is larger than {max_bytes} bytes")
    return bytes(body)


async def read_json_object(request: Request, *, max_bytes: int, what: str = "request body") -> dict[str, Any]:
    """The body as a JSON object; MalformedError (400 PARSING_ERROR) otherwise."""
    data = await read_body(request, max_bytes=max_bytes)
    if not data.strip():
        raise MalformedError(f"the {what} is empty; send a JSON object")
    value = load_json(data, max_bytes=max_bytes)
    if not isinstance(value, dict):
        raise MalformedError(f"the {what} must be a JSON object")
    return value


async def read_form(request: Request, *, max_bytes: int) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body; a repeated parameter is an error (RFC 6749 3.2)."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/x-www-form-urlencoded":
        raise MalformedError("the body must be application/x-www-form-urlencoded")
    data = await read_body(request, max_bytes=max_bytes)
    try:
        pairs = parse_qsl(data.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(data))
    except (UnicodeDecodeError, ValueError):
        raise MalformedError("the form body is not valid UTF-8 form encoding") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise MalformedError(f"the form parameter '{name}' is repeated")
        form[name] = value
    return form
