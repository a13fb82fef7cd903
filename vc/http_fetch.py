"""What every outgoing fetch shares (did:web, status lists, issuer metadata, the wallet's exchanges).

- :func:`read_limited`: a ``Content-Length`` over the limit is refused before reading, the body is streamed
  and dropped past ``max_bytes``, and an optional deadline bounds the whole read against slow-drip servers;
  callers turn :class:`ResponseTooLarge` (and httpx's ``ReadTimeout``) into their own errors.
- :func:`is_local_host`: a document names the URLs a verifier fetches, so an attacker must not make it probe
  its own network; names that resolve to private addresses are not caught here (that needs a resolving
  transport).

>>> with client.stream("GET", url) as response:                          # doctest: +SKIP
...     body = read_limited(response, max_bytes=1 << 20, deadline=time.monotonic() + 5)
"""

from __future__ import annotations

import ipaddress
import time

import httpx

__all__ = ["ResponseTooLarge", "is_local_host", "read_limited"]


class ResponseTooLarge(Exception):
    """The response declares or sends more than the limit (internal signal; callers name it)."""


def read_limited(response: httpx.Response, *, max_bytes: int, deadline: float | None = None,
                 raw: bool = False) -> bytes:
    """The body of a streamed ``response``, at most ``max_bytes``.

    ``raw``: the bytes as sent (no Content-Encoding decoding; the caller inflates with its own bound).
    ``deadline`` (``time.monotonic()`` value): past it, httpx ``ReadTimeout``.
    """
    declared = response.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise ResponseTooLarge
    body = bytearray()
    for chunk in response.iter_raw() if raw else response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise ResponseTooLarge  # stop reading; leaving the stream's block closes it
        if deadline is not None and time.monotonic() > deadline:
            raise httpx.ReadTimeout("deadline exceeded")
    return bytes(body)


def is_local_host(host: str) -> bool:
    """True for ``localhost`` names and IP addresses that are not global (loopback, private, link-local ...)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False
