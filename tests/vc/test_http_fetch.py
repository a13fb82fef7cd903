"""vc.http_fetch.read_limited: the one bounded read behind every outgoing fetch."""

from __future__ import annotations

import time

import httpx
import pytest

from vc.http_fetch import ResponseTooLarge, is_local_host, read_limited


def _client(body: bytes, headers: dict[str, str] | None = None) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, content=body,
                                                                                    headers=headers)))


def test_a_body_within_the_limit_is_read_whole() -> None:
    with _client(b"x" * 100).stream("GET", "https://a.example/") as response:
        assert read_limited(response, max_bytes=100) == b"x" * 100


def test_a_body_past_the_limit_is_refused() -> None:
    with _client(b"x" * 101).stream("GET", "https://a.example/") as response, pytest.raises(ResponseTooLarge):
        read_limited(response, max_bytes=100)


def test_a_declared_length_past_the_limit_is_refused_before_reading() -> None:
    # the body is empty: only the declared length can make it refused
    client = httpx.Client(transport=httpx.MockTransport(
        lambda request: httpx.Response(200, headers={"content-length": "5000"}, stream=httpx.ByteStream(b""))))
    with client.stream("GET", "https://a.example/") as response, pytest.raises(ResponseTooLarge):
        read_limited(response, max_bytes=100)


def test_a_passed_deadline_is_a_read_timeout() -> None:
    with _client(b"x" * 10).stream("GET", "https://a.example/") as response, pytest.raises(httpx.ReadTimeout):
        read_limited(response, max_bytes=100, deadline=time.monotonic() - 1)


@pytest.mark.parametrize("host", ["localhost", "api.localhost", "127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.1.1",
                                  "[::1]", "fe80::1", "0.0.0.0", "100.64.0.1"])
def test_local_hosts(host: str) -> None:
    assert is_local_host(host)


@pytest.mark.parametrize("host", ["city.example.jp", "93.184.216.34", "[2001:4860:4860::8888]", "localhost.example"])
def test_public_hosts(host: str) -> None:
    assert not is_local_host(host)
