"""Spam pages found within the first N fetches: focused (best-first) against breadth-first order.

    .venv/bin/python bench/focused.py [--seed 3] [--budgets 30,60,120]

A generated news portal (:func:`triage.demo.farm_ops.portal_site`, about 300 pages, 10% of them
fake-hotline pages reached through a classifieds section and a few ad links) is served on
127.0.0.1; ``triage crawl --max-pages N`` runs once with ``TRIAGE_FOCUSED=1`` and once with
``TRIAGE_FOCUSED=0`` for each budget N, and the stored URLs are scored against the generator's
labels. Each crawl is a real ``triage crawl`` process (cloaking checks off, so N counts only
the crawl's own fetches).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text

from triage.demo.farm_ops import portal_site


def serve(site: dict[str, tuple[str, str]]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            page = site.get(self.path.split("?", 1)[0])
            body = (page[0] if page else "<html><body>not found</body></html>").encode()
            self.send_response(200 if page else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def crawl(port: int, budget: int, focused: bool, db: Path) -> list[str]:
    """Run one crawl; the paths it stored."""
    cmd = [sys.executable, "-m", "triage.cli", "crawl", f"http://127.0.0.1:{port}/",
           "--db", str(db), "--depth", "8", "--max-pages", str(budget),
           "--allow-private", f"127.0.0.1:{port}", "-s", f"TRIAGE_FOCUSED={int(focused)}",
           "-s", "TRIAGE_CLOAKING=off", "-s", "TRIAGE_ANALYSIS_MODE=inline"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600,
                          check=False)
    if proc.returncode != 0:
        raise SystemExit(f"crawl failed: {proc.stderr.strip()[-500:]}")
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        urls = list(conn.execute(text("SELECT url FROM pages")).scalars())
    engine.dispose()
    return [u.split(str(port), 1)[1] for u in urls]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--budgets", default="30,60,120")
    args = ap.parse_args()
    site = portal_site(args.seed)
    spam = {p for p, (_, label) in site.items() if label == "hotline_spam"}
    server = serve(site)
    port = server.server_address[1]
    print(f"site: {len(site)} pages, {len(spam)} fake-hotline pages "
          f"({100 * len(spam) / len(site):.0f}%)")
    print(f"{'N fetches':>10} {'breadth-first':>14} {'focused':>8}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for budget in (int(b) for b in args.budgets.split(",")):
                found = {}
                for focused in (False, True):
                    db = Path(tmp) / f"{budget}-{int(focused)}.db"
                    paths = crawl(port, budget, focused, db)
                    found[focused] = sum(p in spam for p in paths)
                print(f"{budget:>10} {found[False]:>14} {found[True]:>8}")
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
