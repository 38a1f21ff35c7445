"""A synthetic farm site for scale tests and ``bench/scale.py``: N linked pages on 127.0.0.1.

Page ``/p{i}.html`` links to its children ``p{F*i+1} .. p{F*i+F}`` (F = fan-out), back to its
parent and to the root, so every page is reachable from ``/p0.html`` within ``log_F(N)`` links
and most links point at pages already seen (what dedup is for). Pages are generated on demand
from the page number (deterministic, nothing held in memory), two in three are fake-hotline
pages and the rest legitimate look-alikes, all from :mod:`triage.demo.farm` (invented brands and
numbers).

The server answers conditional requests (``ETag``/``Last-Modified``, 304) and counts requests
per path, so tests can assert that no URL was fetched twice and that a re-crawl was
conditional. ``version`` changes the body of chosen pages (a swapped number) between crawls.
"""

from __future__ import annotations

import hashlib
import math
import random
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from triage.demo import farm

LAST_MODIFIED = "Mon, 02 Nov 2026 08:00:00 GMT"


def depth_needed(n: int, fanout: int) -> int:
    """Links from the root to the deepest of ``n`` pages."""
    depth, reach, level = 0, 1, 1
    while reach < n:
        level *= fanout
        reach += level
        depth += 1
    return depth


def page_html(i: int, n: int, fanout: int, version: int = 0) -> bytes:
    """Page ``i`` of an ``n``-page site; ``version`` > 0 swaps its number (same links)."""
    rng = random.Random(i * 7919 + version * 104_729)
    links = [f"/p{c}.html" for c in range(fanout * i + 1, min(fanout * i + fanout, n - 1) + 1)]
    links += ["/p0.html", f"/p{max(0, (i - 1) // fanout)}.html"]
    if i % 3 == 2:
        page = (farm.shop_page, farm.official_page, farm.gov_notice_page)[i % 9 // 3](rng)
        nav = "".join(f"<a href='{h}'>link</a>" for h in links)
        text = page.html.replace("</body>", f"<p>page {i}</p>{nav}</body>")
    else:
        text = farm.spam_page(rng, places=24, links=tuple(links)).html
        text = text.replace("</body>", f"<p>page {i}</p></body>")
    return text.encode("utf-8")


class FarmServer(ThreadingHTTPServer):
    """Serves an ``n``-page farm site; ``changed`` pages are served at ``version``."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, n: int, *, fanout: int = 5, delay: float = 0.0, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.n, self.fanout, self.delay = n, fanout, delay
        self.version = 0
        self.changed: set[int] = set()
        self.validators = True  # send ETag/Last-Modified and answer conditional requests
        self.hits: Counter[str] = Counter()
        self.favicons = 0
        self.conditional: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def depth(self) -> int:
        return depth_needed(self.n, self.fanout)

    def url(self, path: str = "/p0.html") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def all_urls(self) -> set[str]:
        return {self.url(f"/p{i}.html") for i in range(self.n)}

    def body(self, i: int) -> bytes:
        return page_html(i, self.n, self.fanout, self.version if i in self.changed else 0)

    def start(self) -> FarmServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # crawlers killed mid-request hang up; that is what some tests do

    def count(self, path: str, *, conditional: bool, not_modified: bool) -> None:
        if path == "/favicon.ico":  # issue 14's one request per site for its hashes: not a page
            self.favicons += 1
            return
        with self._lock:
            self.hits[path] += 1
            self.conditional[path] += conditional
            self.not_modified[path] += not_modified


class _Handler(BaseHTTPRequestHandler):
    server: FarmServer  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        srv = self.server
        index = _page_index(path)
        if index is None or index >= srv.n:
            srv.count(path, conditional=False, not_modified=False)
            self._send(404, b"<html><body>not found</body></html>", {})
            return
        body = srv.body(index)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED} if srv.validators else {}
        asked = self.headers.get("If-None-Match")
        since = self.headers.get("If-Modified-Since")
        fresh = srv.validators and (asked == etag if asked else
                                    (since == LAST_MODIFIED and index not in srv.changed))
        srv.count(path, conditional=bool(asked or since), not_modified=fresh)
        if srv.delay:
            time.sleep(srv.delay)
        if fresh:
            self._send(304, b"", headers)
        else:
            self._send(200, body, headers)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def _page_index(path: str) -> int | None:
    if not (path.startswith("/p") and path.endswith(".html")):
        return None
    try:
        return int(path[2:-5])
    except ValueError:
        return None


def fanout_for(n: int, depth: int) -> int:
    """The smallest fan-out that reaches ``n`` pages within ``depth`` links."""
    return max(2, math.ceil(n ** (1 / max(depth, 1))))


if __name__ == "__main__":  # pragma: no cover - `python -m tests.farmsite N PORT` for benches
    import sys

    size, port = int(sys.argv[1]), int(sys.argv[2])
    fan = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    server = FarmServer(size, fanout=fan, port=port)
    print(f"serving {size} pages on {server.url()}", flush=True)
    server.serve_forever()
