"""Run a service with uvicorn: in the foreground (``serve``), or in a thread for tests and demos
(``BackgroundServer``), over HTTPS when given a certificate and key (PEM files).

>>> sock = bind_socket("127.0.0.1")              # port chosen now, so the app can know its own URL
>>> app = create_app(ws, public_url=f"http://127.0.0.1:{sock.getsockname()[1]}")
>>> with BackgroundServer(app, sock=sock) as server:
...     httpx.get(server.url + "/.well-known/openid-credential-issuer")
"""

from __future__ import annotations

import os
import socket
import threading
import time
from typing import Any

import uvicorn

from vc.errors import UsageError

__all__ = ["BackgroundServer", "bind_socket", "serve"]


def bind_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening-ready TCP socket bound to ``host:port`` (``port=0``: a free port, read it back with
    ``getsockname()``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def _config(app: Any, *, host: str, port: int, certfile: str | os.PathLike[str] | None,
            keyfile: str | os.PathLike[str] | None, log_level: str, access_log: bool = False) -> uvicorn.Config:
    if (certfile is None) != (keyfile is None):
        raise UsageError("HTTPS needs both a certificate file and its key file")
    return uvicorn.Config(
        app, host=host, port=port, log_level=log_level,
        # off by default: a credential_offer_uri path is a bearer secret (it carries the offer's code)
        access_log=access_log,
        ssl_certfile=os.fspath(certfile) if certfile else None,
        ssl_keyfile=os.fspath(keyfile) if keyfile else None,
        server_header=False,  # do not advertise the server software
        proxy_headers=False,  # URLs come from public_url, never from request headers
    )


def serve(app: Any, *, host: str = "127.0.0.1", port: int = 8000, certfile: str | os.PathLike[str] | None = None,
          keyfile: str | os.PathLike[str] | None = None, log_level: str = "info", access_log: bool = False) -> None:
    """Serve ``app`` until interrupted (HTTPS with ``certfile`` + ``keyfile``). ``access_log`` logs every
    request path, offer references included: turn it on only where logs are as protected as the workspace."""
    uvicorn.Server(_config(app, host=host, port=port, certfile=certfile, keyfile=keyfile, log_level=log_level,
                           access_log=access_log)).run()


class BackgroundServer:
    """``app`` served by uvicorn in a daemon thread on an already-bound socket; a context manager."""

    def __init__(self, app: Any, *, sock: socket.socket, certfile: str | os.PathLike[str] | None = None,
                 keyfile: str | os.PathLike[str] | None = None, log_level: str = "warning",
                 startup_timeout: float = 15.0) -> None:
        host, port = sock.getsockname()[:2]
        self.sock = sock
        self.scheme = "https" if certfile else "http"
        self.url = f"{self.scheme}://{host if ':' not in host else f'[{host}]'}:{port}"
        self._server = uvicorn.Server(_config(app, host=host, port=port, certfile=certfile, keyfile=keyfile,
                                              log_level=log_level))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True,
                                        name=f"uvicorn {self.url}")
        self._timeout = startup_timeout

    def start(self) -> BackgroundServer:
        """Start serving; returns once the server accepts connections (UsageError if it does not start)."""
        self._thread.start()
        deadline = time.monotonic() + self._timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise UsageError(f"the server at {self.url} did not start")
            time.sleep(0.01)
        return self

    def request_stop(self) -> None:
        """Ask the server to finish without waiting (several servers then stop side by side)."""
        self._server.should_exit = True

    def stop(self) -> None:
        """Ask the server to finish and wait for the thread."""
        self.request_stop()
        self._thread.join(timeout=self._timeout)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
