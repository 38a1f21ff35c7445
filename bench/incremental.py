"""After-crawl cost against database size: a default ``triage crawl`` of 200 new pages into an
empty database and into one already holding 20,000 (and ``--large``) pages.

    python bench/incremental.py [--pages 200] [--small 20000] [--large 200000] [--rounds 3]

The stored pages are seed-like farm pages (tests/farmsite.py page generator, the same kind the
crawl fetches) on 500 invented domains: ``--pool`` distinct pages are analysed and signed once
and stored again under other URLs, through :class:`db.store.Store`, then clustered and scored
in full once, as a database that has seen many crawls. Each round crawls a fresh 200-page
farm site (a new port, so new URLs) with default settings (analysis workers, cloaking check,
after-crawl clustering and reputation) into a new empty database and into the filled ones
(growing by 200 pages a round), alternated in the same run. Printed: medians of the whole
crawl's wall time, the after-crawl seconds the crawl records (stat
``triage/after_crawl_seconds``), and the ratio filled / empty.
Target: ratio <= 1.25 at 20,000 pages, after-crawl time flat from 20,000 to 200,000.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale import Site, env


def fill(db: Path, n: int, pool: int) -> float:
    """Store ``n`` background pages made of ``pool`` distinct ones; seconds taken."""
    import hashlib

    from db.engine import make_engine
    from db.store import Store
    from investigate.clusters import assign_clusters
    from investigate.reputation import update_reputation
    from pipelines.analyze import analyze
    from pipelines.templates import sign_page
    from tests.farmsite import page_html

    started = time.monotonic()
    analysed = []
    for i in range(pool):
        body = page_html(1_000_000 + i, 2_000_000, 10)
        analysed.append((hashlib.sha256(body).hexdigest(),
                         sign_page(analyze(body, content_type="text/html"))))
    engine = make_engine(str(db))
    store = Store(engine)
    run = store.start_run("background", {})
    batch: list[dict[str, Any]] = []
    for k in range(n):
        chash, a = analysed[k % pool]
        domain = f"farm{k % 500}.example.com"
        url = f"http://{domain}/p{k}.html"
        batch.append({"url": url, "final_url": url, "domain": domain, "status": 200,
                      "headers": {"content-type": "text/html"}, "content_hash": chash,
                      "fetched_at": "2026-12-01T00:00:00+00:00", "analysis": a})
        if len(batch) == 500:
            store.save_pages(run, batch)
            batch = []
    if batch:
        store.save_pages(run, batch)
    assign_clusters(engine, full=True)
    update_reputation(engine)
    engine.dispose()
    return time.monotonic() - started


def crawl(db: Path, pages: int) -> tuple[float, float]:
    """A default crawl of a fresh ``pages``-page site into ``db``: (wall s, after-crawl s)."""
    site = Site(pages)
    try:
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "triage.cli", "crawl", site.url, "--db",
                               str(db), *site.args()], cwd=ROOT, env=env(),
                              capture_output=True, text=True, check=False)
        wall = time.monotonic() - started
    finally:
        site.stop()
    if proc.returncode != 0:
        raise SystemExit(f"crawl into {db} failed: {proc.stderr[-500:]}")
    with sqlite3.connect(db) as conn:
        stats = conn.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    after = json.loads(stats[0]).get("triage/after_crawl_seconds", float("nan"))
    return wall, float(after)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--small", type=int, default=20_000)
    ap.add_argument("--large", type=int, default=200_000, help="0 to skip")
    ap.add_argument("--pool", type=int, default=2_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    sizes = [args.small] + ([args.large] if args.large else [])
    for n in sizes:
        secs = fill(tmp / f"filled{n}.db", n, min(args.pool, n))
        mb = (tmp / f"filled{n}.db").stat().st_size / 1e6
        print(f"filled {n} pages in {secs:.0f} s ({mb:.0f} MB, {mb * 1e6 / n:.0f} bytes/page)",
              flush=True)
    walls: dict[int, list[float]] = {0: [], **{n: [] for n in sizes}}
    afters: dict[int, list[float]] = {0: [], **{n: [] for n in sizes}}
    for r in range(args.rounds):
        for n in [0, *sizes]:  # alternated: empty, filled, (larger), every round
            db = tmp / (f"empty{r}.db" if n == 0 else f"filled{n}.db")
            wall, after = crawl(db, args.pages)
            walls[n].append(wall)
            afters[n].append(after)
            print(f"round {r + 1}: into {n:>7} pages: crawl {wall:5.2f} s, after-crawl "
                  f"{after:5.2f} s", flush=True)
    base = statistics.median(walls[0])
    print(f"\ncrawl of {args.pages} new pages (medians of {args.rounds} alternated rounds):")
    for n in [0, *sizes]:
        wall, after = statistics.median(walls[n]), statistics.median(afters[n])
        print(f"  into {n:>7} stored pages: {wall:5.2f} s (after-crawl {after:5.2f} s), "
              f"ratio {wall / base:.2f}")


if __name__ == "__main__":
    main()
