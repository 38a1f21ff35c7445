"""Bytes per stored page: a default ``triage crawl`` of N seed-like farm pages (tests/farmsite.py)
into SQLite, by this checkout and, with ``--baseline DIR``, by another checkout of the project
(the same site, crawled in the same run).

    python bench/rowsize.py [--pages 2000] [--baseline /path/to/other/checkout]

Printed per checkout: file size / stored pages (after ``VACUUM``, so free pages left by the
crawl's own rewrites do not count), and the largest tables. Target: <= 12,000 bytes per page.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale import Site


def crawl(root: Path, db: Path, pages: int) -> None:
    site = Site(pages)
    env = dict(os.environ, PYTHONPATH=str(root))
    try:
        proc = subprocess.run([sys.executable, "-m", "triage.cli", "crawl", site.url, "--db",
                               str(db), *site.args()], cwd=root, env=env, capture_output=True,
                              text=True, check=False)
    finally:
        site.stop()
    if proc.returncode != 0:
        raise SystemExit(f"crawl by {root} failed: {proc.stderr[-500:]}")


def report(name: str, db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("VACUUM")
        n = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
        tables = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name "
                              "ORDER BY 2 DESC LIMIT 5").fetchall()
    size = db.stat().st_size
    print(f"{name}: {n} pages, {size / 1e6:.1f} MB, {size / n:,.0f} bytes/page; largest: "
          + ", ".join(f"{t} {b / n:,.0f}" for t, b in tables))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--baseline", type=Path, default=None)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-rowsize-"))
    runs = [("this checkout", ROOT)]
    if args.baseline:
        runs.insert(0, (f"baseline {args.baseline}", args.baseline.resolve()))
    for i, (name, root) in enumerate(runs):
        db = tmp / f"run{i}.db"
        crawl(root, db, args.pages)
        report(name, db)


if __name__ == "__main__":
    main()
