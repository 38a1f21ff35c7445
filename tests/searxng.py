"""A local stand-in for a SearXNG instance: ``GET /search?q=...&format=json&pageno=N
[&engines=...][&language=...]`` answered in SearXNG's JSON shape (``results`` with ``url``,
``title``, ``content``, ``engine``, ``engines``, ``positions``, ``score``, ``category``;
``unresponsive_engines`` as ``[name, reason]`` pairs), and its refusals: HTTP 429 (the limiter),
an HTML answer where JSON was asked for, 403 when the JSON format is not enabled.

A test gives :attr:`SearxStandIn.answer` a function of the parsed request returning either a
list of results (dicts with url/title/content, optional engines) plus unresponsive engines, or
a :class:`Refuse`. Every request is logged with its parameters.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Ask:
    q: str
    pageno: int
    engines: list[str]
    language: str
    format: str


@dataclass
class Refuse:
    status: int = 429
    body: bytes = b"Too Many Requests"
    content_type: str = "text/plain"


@dataclass
class Results:
    results: list[dict[str, Any]] = field(default_factory=list)
    unresponsive: list[list[str]] = field(default_factory=list)


Answerer = Callable[[Ask], Results | Refuse]


class _Handler(BaseHTTPRequestHandler):
    server: SearxStandIn  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        if parts.path != "/search":
            self._send(404, b"not found", "text/plain")
            return
        ask = Ask(params.get("q", ""), int(params.get("pageno", "1") or 1),
                  [e for e in params.get("engines", "").split(",") if e],
                  params.get("language", ""), params.get("format", "html"))
        self.server.log.append(ask)
        if ask.format != "json":
            self._send(403, b"Forbidden", "text/html")
            return
        reply = self.server.answer(ask)
        if isinstance(reply, Refuse):
            self._send(reply.status, reply.body, reply.content_type)
            return
        results = []
        engines = ask.engines or ["baidu", "bing"]
        for pos, r in enumerate(reply.results, start=1):
            names = [e for e in r.get("engines", engines) if e in engines] or engines[:1]
            results.append({"url": r["url"], "title": r.get("title", ""),
                            "content": r.get("content", ""), "engine": names[0],
                            "engines": names, "positions": [pos] * len(names),
                            "score": 1.0 / pos, "category": "general"})
        body = {"query": ask.q, "number_of_results": len(results), "results": results,
                "answers": [], "corrections": [], "infoboxes": [], "suggestions": [],
                "unresponsive_engines": reply.unresponsive}
        self._send(200, json.dumps(body, ensure_ascii=False).encode(), "application/json")


class SearxStandIn(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, answer: Answerer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer = answer
        self.log: list[Ask] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> SearxStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
