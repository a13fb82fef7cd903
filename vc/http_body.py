"""HTTP request bodies read with limits, for the issuer and verifier services, without a web framework:
the body streamed up to a size limit, a JSON object through :func:`vc.input.load_json` (size, depth,
duplicate keys), and ``application/x-www-form-urlencoded`` forms parsed strictly (a repeated parameter
is an error, RFC 6749 section 3.2), as OpenID4VCI token requests and OpenID4VP ``direct_post``
responses are.

The ``read_*`` functions take any request with ``headers`` and an async ``stream()`` of byte chunks
(a Starlette/FastAPI ``Request`` is one), so ``vc`` imports no web framework.

>>> parse_form(b"grant_type=x&code=1")
{'grant_type': 'x', 'code': '1'}
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, Protocol
from urllib.parse import parse_qsl

from vc.errors import InputTooLargeError, MalformedError
from vc.input import load_json

__all__ = ["FORM_MEDIA_TYPE", "StreamedRequest", "parse_form", "parse_json_object", "read_body", "read_form",
           "read_json_object"]

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"


class StreamedRequest(Protocol):
    """What is read of a request: its headers (case-insensitive names) and its body as chunks."""

    @property
    def headers(self) -> Mapping[str, str]: ...

    def stream(self) -> AsyncIterator[bytes]: ...


async def read_body(request: StreamedRequest, *, max_bytes: int) -> bytes:
    """The raw body, refusing more than ``max_bytes`` (InputTooLargeError): a ``Content-Length`` over
    the limit is refused before reading, and a huge body is never held whole."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise InputTooLargeError(f"the request body is larger than {max_bytes} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise InputTooLargeError(f"the request body is larger than {max_bytes} bytes")
    return bytes(body)


async def read_json_object(request: StreamedRequest, *, max_bytes: int, what: str = "request body") -> dict[str, Any]:
    """The body as a JSON object; MalformedError (400 PARSING_ERROR) otherwise."""
    return parse_json_object(await read_body(request, max_bytes=max_bytes), max_bytes=max_bytes, what=what)


async def read_form(request: StreamedRequest, *, max_bytes: int) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body; MalformedError for another media type (checked
    before the body is read), bad encoding or a repeated parameter."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != FORM_MEDIA_TYPE:
        raise MalformedError(f"the body must be {FORM_MEDIA_TYPE}")
    return parse_form(await read_body(request, max_bytes=max_bytes))


def parse_json_object(data: bytes, *, max_bytes: int, what: str = "request body") -> dict[str, Any]:
    """``data`` as a JSON object; MalformedError naming ``what`` when it is empty, not JSON or not an object."""
    if not data.strip():
        raise MalformedError(f"the {what} is empty; send a JSON object")
    value = load_json(data, max_bytes=max_bytes)
    if not isinstance(value, dict):
        raise MalformedError(f"the {what} must be a JSON object")
    return value


def parse_form(data: bytes) -> dict[str, str]:
    """A form body as a dict; MalformedError when it is not UTF-8 form encoding or repeats a parameter."""
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
