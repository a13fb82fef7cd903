"""A real HTTP server on 127.0.0.1 (stdlib ``http.server`` in a thread) serving scripted routes, for the
did:web, status list and issuer metadata tests.

Each route is a fixed answer (status, headers, body) with the special behaviours fetchers must survive as
options: a ``delay`` before answering, a body sent without ``Content-Length``, a large body streamed in
chunks, a redirect. Requests are counted per path (query strings ignored) in ``hits``.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Route", "StaticServer"]

_CHUNK = bytes(64 * 1024)


@dataclass
class Route:
    """A scripted answer."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    stream_bytes: int = 0  # serve this many zero bytes in 64 KiB chunks instead of ``body``
    declare_length: bool = True  # send Content-Length (else the connection's end marks the body's)


_NOT_FOUND = Route(404, b"not found", {"Content-Type": "text/plain"})


class StaticServer:
    """``serve(path, body)`` then GET it; ``hits`` counts requests per path, ``streamed`` the bytes written
    for streamed bodies. Use as a context manager (or ``close()``); ``reset()`` forgets routes and counts."""

    def __init__(self, *, content_type: str = "application/json") -> None:
        self.content_type = content_type  # the default of ``serve``
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.streamed: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                path = self.path.split("?", 1)[0]
                server.hits[path] += 1
                route = server.routes.get(path, _NOT_FOUND)
                if route.delay:
                    time.sleep(route.delay)
                try:
                    self._answer(path, route)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading: what a size limit should do

            def _answer(self, path: str, route: Route) -> None:
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                size = route.stream_bytes or len(route.body)
                if route.declare_length:
                    self.send_header("Content-Length", str(size))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if not route.stream_bytes:
                    self.wfile.write(route.body)
                    return
                sent = 0
                while sent < route.stream_bytes:
                    self.wfile.write(_CHUNK)
                    sent += len(_CHUNK)
                    server.streamed[path] += len(_CHUNK)

            def log_message(self, *args: Any) -> None:
                pass  # keep test output clean

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that hung up (size limit, timeout) is expected here

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.authority = f"127.0.0.1:{self.port}"
        self.base_url = f"http://{self.authority}"
        self.did_web = f"did:web:127.0.0.1%3A{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base_url + path

    def serve(self, path: str, body: Any = b"", *, status: int = 200, content_type: str | None = None,
              headers: dict[str, str] | None = None, delay: float = 0.0, declare_length: bool = True) -> str:
        """Answer GET ``path`` with ``body`` (bytes; text as UTF-8; anything else as JSON); its URL.
        ``content_type`` defaults to the server's; an empty one sends no ``Content-Type``."""
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        data = body.encode("utf-8") if isinstance(body, str) else body
        sent_headers = dict(headers or {})
        content_type = self.content_type if content_type is None else content_type
        if content_type:
            sent_headers.setdefault("Content-Type", content_type)
        self.routes[path] = Route(status, data, sent_headers, delay=delay, declare_length=declare_length)
        return self.url(path)

    def stream(self, path: str, size: int, *, declare_length: bool = True) -> str:
        """Serve ``size`` zero bytes as JSON, in chunks, with or without Content-Length; its URL."""
        self.routes[path] = Route(headers={"Content-Type": "application/json"}, stream_bytes=size,
                                  declare_length=declare_length)
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        """Answer ``path`` with a redirect to ``to``; its URL."""
        self.routes[path] = Route(status, b"", {"Location": to})
        return self.url(path)

    def reset(self) -> None:
        """Forget every route and count (a server shared by several tests)."""
        self.routes.clear()
        self.hits.clear()
        self.streamed.clear()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> StaticServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
