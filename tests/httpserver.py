"""A real HTTP server on 127.0.0.1 for crawl tests, with routes the tests define.

A route maps a path to a :class:`Reply` (status, headers, body, optional delay, or a raw
callable for streaming). Every request is logged, so a test can assert that a server was
never contacted (the private-address traps).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """What a route answers."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    delay: float = 0.0
    stream: Callable[[BaseHTTPRequestHandler], None] | None = None  # writes the body itself


def html(text: str, *, charset: str | None = "utf-8", encoding: str = "utf-8", status: int = 200) -> Reply:
    """An HTML reply; ``charset=None`` sends no charset in the header."""
    ctype = "text/html" + (f"; charset={charset}" if charset else "")
    return Reply(text.encode(encoding), status, {"Content-Type": ctype})


def redirect(location: str, status: int = 301) -> Reply:
    return Reply(b"", status, {"Location": location, "Content-Type": "text/html"})


class _Handler(BaseHTTPRequestHandler):
    server: LocalServer  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self.server.log.append((self.path, dict(self.headers)))
        reply = self.server.routes.get(self.path.split("?", 1)[0])
        if reply is None:
            reply = Reply(b"<html><body>not found</body></html>", 404)
        if reply.delay:
            time.sleep(reply.delay)
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.stream is not None:
                self.send_header("Connection", "close")
                self.end_headers()
                reply.stream(self)
                return
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class LocalServer(ThreadingHTTPServer):
    """A threading HTTP server with a route table and a request log."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), _Handler)
        self.routes: dict[str, Reply] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def server_bind(self) -> None:
        if self.address_family == socket.AF_INET6:  # "::" also takes IPv4 (dual stack)
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up early (size caps, timeouts) are expected here

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def ipv6_loopback_works() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False
