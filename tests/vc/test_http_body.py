"""Request bodies read with limits (any request with ``headers`` and an async ``stream()``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping

import pytest

from vc.errors import InputTooLargeError, MalformedError
from vc.http_body import parse_form, read_body, read_form, read_json_object


class _Request:
    def __init__(self, body: bytes, headers: Mapping[str, str] | None = None, *, chunk: int = 4) -> None:
        self.headers = dict(headers or {})
        self.body = body
        self.chunk = chunk
        self.read = 0

    async def stream(self) -> AsyncIterator[bytes]:
        for i in range(0, len(self.body), self.chunk):
            self.read += self.chunk
            yield self.body[i:i + self.chunk]


def _run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_json_object() -> None:
    assert _run(read_json_object(_Request(b'{"a": [1]}'), max_bytes=100)) == {"a": [1]}


@pytest.mark.parametrize("body, fragment", [(b"  ", "is empty"), (b"[1]", "must be a JSON object"),
                                            (b"{nope", "not valid JSON"), (b'{"a":1,"a":2}', "duplicate")])
def test_json_refusals(body: bytes, fragment: str) -> None:
    with pytest.raises(MalformedError, match=fragment):
        _run(read_json_object(_Request(body), max_bytes=100, what="credential"))


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    request = _Request(b"x" * 50, {"content-length": "50"})
    with pytest.raises(InputTooLargeError):
        _run(read_body(request, max_bytes=10))
    assert request.read == 0


def test_an_undeclared_body_stops_at_the_limit() -> None:
    request = _Request(b"x" * 1000)
    with pytest.raises(InputTooLargeError):
        _run(read_body(request, max_bytes=10))
    assert request.read <= 16


def test_form() -> None:
    request = _Request(b"grant_type=a&tx_code=", {"content-type": "application/x-www-form-urlencoded; charset=UTF-8"})
    assert _run(read_form(request, max_bytes=100)) == {"grant_type": "a", "tx_code": ""}


def test_form_media_type_is_checked_before_the_body() -> None:
    request = _Request(b"x" * 1000, {"content-type": "application/json"})
    with pytest.raises(MalformedError, match="x-www-form-urlencoded"):
        _run(read_form(request, max_bytes=10))
    assert request.read == 0


@pytest.mark.parametrize("body, fragment", [(b"a=1&a=2", "repeated"), (b"\xff=1", "UTF-8"), (b"a=1&&b", "UTF-8")])
def test_form_refusals(body: bytes, fragment: str) -> None:
    with pytest.raises(MalformedError, match=fragment):
        parse_form(body)
