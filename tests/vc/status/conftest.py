"""A real HTTP server on 127.0.0.1 (stdlib ``http.server`` in a thread) with scripted routes."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    stream_bytes: int = 0  # serve this many zero bytes in 64 KiB chunks instead of ``body``
    declare_length: bool = True  # send Content-Length for streamed bodies


class LocalServer:
    """Routes by path; counts requests per path and the bytes actually written for streamed bodies."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.streamed: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # http.server's naming
                path = self.path.split("?", 1)[0]
                server.hits[path] += 1
                route = server.routes.get(path, Route(404, b"not found", {"Content-Type": "text/plain"}))
                if route.delay:
                    time.sleep(route.delay)
                try:
                    self.send_response(route.status)
                    for name, value in route.headers.items():
                        self.send_header(name, value)
                    if route.stream_bytes:
                        if route.declare_length:
                            self.send_header("Content-Length", str(route.stream_bytes))
                        else:
                            self.send_header("Connection", "close")
                        self.end_headers()
                        chunk = bytes(64 * 1024)
                        sent = 0
                        while sent < route.stream_bytes:
                            self.wfile.write(chunk)
                            sent += len(chunk)
                            server.streamed[path] += len(chunk)
                        return
                    self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading: what a size limit should do

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that hung up (size limit, timeout) is expected here

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.authority = f"127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://{self.authority}{path}"

    def serve(self, path: str, body: bytes | str = b"", *, content_type: str = "application/json",
              **options: object) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = dict(options.pop("headers", {}) or {})  # type: ignore[arg-type]
        headers.setdefault("Content-Type", content_type)
        self.routes[path] = Route(body=data, headers=headers, **options)  # type: ignore[arg-type]
        return self.url(path)

    def stream(self, path: str, size: int, *, declare_length: bool = True) -> str:
        """Serve ``size`` zero bytes as JSON, in chunks, with or without Content-Length."""
        self.routes[path] = Route(headers={"Content-Type": "application/json"}, stream_bytes=size,
                                  declare_length=declare_length)
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        self.routes[path] = Route(status, b"", {"Location": to})
        return self.url(path)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    server = LocalServer()
    yield server
    server.close()
