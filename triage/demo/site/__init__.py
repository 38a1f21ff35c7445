"""Serve the synthetic demo web (:mod:`triage.demo.site.pages`) on 127.0.0.1, one port per site.

Used by ``triage demo``: the servers run in daemon threads of the demo process and serve from
memory; nothing leaves the machine.
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from triage.demo.site.pages import SITES, DemoWeb, Page, build

NOT_FOUND = Page(b"<!doctype html><html><body><p>404</p></body></html>")


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer  # type: ignore[assignment]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        page = self.server.pages.get(self.path.split("?", 1)[0])
        status = 200 if page else 404
        page = page or NOT_FOUND
        self.send_response(status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        self.wfile.write(page.body)


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.pages: dict[str, Page] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class DemoSite:
    """The demo web, served while the object is started (use as a context manager)."""

    def __init__(self) -> None:
        self.servers = {site: _SiteServer() for site in SITES}
        self.base = {s: f"http://127.0.0.1:{srv.server_address[1]}" for s, srv in self.servers.items()}
        self.trap_port = _free_port()  # linked from a farm page; must be refused, never fetched
        self.web: DemoWeb = build(self.base, self.trap_port)
        for site, server in self.servers.items():
            server.pages = self.web.pages[site]
        self._threads = [threading.Thread(target=s.serve_forever, daemon=True, name=f"demo-{n}")
                         for n, s in self.servers.items()]

    @property
    def start_url(self) -> str:
        return self.base["portal"] + "/"

    @property
    def allow_private(self) -> list[str]:
        """Exactly the demo's ports: the trap port and everything else stay refused."""
        return [f"127.0.0.1:{srv.server_address[1]}" for srv in self.servers.values()]

    def start(self) -> DemoSite:
        for t in self._threads:
            t.start()
        return self

    def stop(self) -> None:
        """Stop serving (if started) and close every listening socket."""
        started = any(t.is_alive() for t in self._threads)
        for server in self.servers.values():
            if started:
                server.shutdown()
            server.server_close()

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
