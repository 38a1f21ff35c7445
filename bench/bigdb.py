"""A million stored pages: how long the analyst's reads take on a synthetic SQLite database.

    python bench/bigdb.py [--pages 1000000] [--db /tmp/big.db] [--keep]

The database is made by the migrations (so it has every index they create), then filled with
bulk SQL matching the schema: pages on ``pages / 40`` invented domains, two in three spam;
one number per ~25 pages (400/800, mobile and landline E.164), advertised 1-3 per spam page,
numbers reused across domains with a long tail; 300 brands; template clusters of 2-200 pages;
texts compressed like the store writes them; labels on 1 % of pages and 5 % of numbers; 30
crawl runs. Then it times, each to its first result and in total: ``triage report``, every
``triage export`` kind (streamed: the first line read from the process, and the whole output),
the review queue's first page (``db.review.queue``, as the web UI asks for it) and every stored
Datasette query (``db/datasette.yaml``, run with its example parameters). Target: each under
1 s to first result. ``--pages`` runs it smaller; CI never runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPAM = ("hotline_spam", "seo_spam")
TEXT = ("澜拓净水器全国统一售后服务热线，24小时上门维修，北京市朝阳区、上海市浦东新区、"
        "广州市天河区均可预约。") * 12


def build(path: Path, n: int, seed: int = 7) -> float:
    """Fill a fresh database at ``path`` with ``n`` pages; seconds taken."""
    from db.engine import make_engine

    started = time.monotonic()
    make_engine(str(path)).dispose()  # the schema, by the migrations
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    runs = 30
    conn.executemany("INSERT INTO crawl_runs (id, spider, args, started_at, finished_at, stats,"
                     " outcome) VALUES (?, 'hotlines', '{}', ?, ?, '{}', 'finished')",
                     [(r, f"2026-11-{1 + r % 28:02d} 02:00:00.000000",
                       f"2026-11-{1 + r % 28:02d} 03:00:00.000000") for r in range(1, runs + 1)])
    brands = [f"品牌{i:03d}净水器" for i in range(300)]
    conn.executemany("INSERT INTO brands (id, name) VALUES (?, ?)",
                     list(enumerate(brands, start=1)))
    n_numbers = max(10, n // 25)
    kinds = ("shared_cost", "toll_free", "mobile", "fixed_line")
    conn.executemany(
        "INSERT INTO numbers (id, e164, kind, place, carrier, first_seen, last_seen,"
        " first_run_id, score, verdict) VALUES (?, ?, ?, '', '', ?, ?, ?, ?, ?)",
        [(i, f"+86400{i:07d}" if i % 3 else f"+861{38 + i % 10}{i:08d}", kinds[i % 4],
          f"2026-11-{1 + i % 28:02d} 02:00:00.000000", "2026-11-30 02:00:00.000000",
          1 + i % runs, round(rng.random(), 3),
          rng.choice(("fraud", "suspicious", "clean", "clean"))) for i in range(1, n_numbers + 1)])
    blob = zlib.compress(TEXT.encode("utf-8"), 6)
    n_domains = max(1, n // 40)
    cluster = 1
    left_in_cluster = 0
    pages, links, page_brands, labels = [], [], [], []
    for pid in range(1, n + 1):
        domain = f"site{int(n_domains * rng.random() ** 2)}.example.com"
        verdict = SPAM[pid % 2] if pid % 3 else "clean"
        if left_in_cluster == 0:
            cluster, left_in_cluster = pid, int(2 + rng.paretovariate(1.2)) % 200
        left_in_cluster -= 1
        run = 1 + pid * runs // (n + 1)
        score = round(rng.random() * 0.4 + (0.6 if verdict in SPAM else 0.0), 4)
        pages.append((pid, f"http://{domain}/p{pid}.html", f"http://{domain}/p{pid}.html",
                      domain, 200, "", f"2026-11-{1 + run % 28:02d} 02:30:00.000000", 1,
                      f"{rng.random():.16f}{pid:08x}".ljust(64, "0")[:64], f"标题{pid}", blob,
                      verdict, score, json.dumps(["a number presented to call"]), 0.2, "utf-8",
                      len(TEXT), "{}", cluster, "[]", run, run, "{\"phones\": []}", 1))
        if verdict in SPAM:
            for _ in range(rng.choice((1, 1, 2, 3))):
                nid = 1 + int(n_numbers * rng.random() ** 3)
                links.append((pid, nid, 1, 1, 0, "售后电话"))
            page_brands.append((pid, 1 + int(300 * rng.random() ** 2)))
        if rng.random() < 0.01:
            labels.append(("page", f"http://{domain}/p{pid}.html", "spam"))
        if len(pages) >= 20_000 or pid == n:
            _flush(conn, pages, links, page_brands)
            pages, links, page_brands = [], [], []
    labels += [("number", f"+86400{i:07d}", "spam") for i in range(3, n_numbers, 20) if i % 3]
    conn.executemany("INSERT INTO labels (target_type, target, label, note, reviewer, created_at)"
                     " VALUES (?, ?, ?, '', 'bench', '2026-11-30 09:00:00.000000')", labels)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    return time.monotonic() - started


def _flush(conn: sqlite3.Connection, pages: list, links: list, page_brands: list) -> None:
    conn.executemany(
        "INSERT INTO pages (id, url, final_url, domain, status, error, fetched_at, depth,"
        " content_hash, title, text, verdict, score, reasons, padding_ratio, encoding,"
        " visible_chars, features, cluster, flags, first_seen, last_seen, run_id, first_run_id,"
        " spans, banded) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
        " '2026-11-01 02:00:00.000000', '2026-11-30 02:00:00.000000', ?, ?, ?, ?)", pages)
    conn.executemany("INSERT OR IGNORE INTO page_numbers (page_id, number_id, count, advertised,"
                     " obfuscated, context) VALUES (?, ?, ?, ?, ?, ?)", links)
    conn.executemany("INSERT OR IGNORE INTO page_brands (page_id, brand_id) VALUES (?, ?)",
                     page_brands)
    conn.commit()


def time_command(args: list[str]) -> tuple[float, float]:
    """(seconds to the first output line, seconds in total) of a triage command."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "triage.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    at_first = time.monotonic() - started
    for _ in proc.stdout:
        pass
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.wait() != 0:
        raise SystemExit(f"triage {' '.join(args)} failed: {err[-300:]}")
    return (at_first if first else float("nan")), time.monotonic() - started


def startup() -> float:
    """Seconds for ``triage --help`` (interpreter and imports): the floor of every command."""
    return time_command(["--help"])[1]


def time_queue(db: Path) -> list[tuple[str, float, float]]:
    """The queue's first page for each sort (default: least sure first, labelled last), and
    the page view's step to the next/previous page of the default queue (label and next)."""
    from db.engine import open_existing
    from db.review import QueueFilter, neighbours, queue
    from pipelines.model import shipped

    engine = open_existing(str(db))
    t = shipped().spam_threshold
    out = []
    for name, f in (("least sure first", QueueFilter(threshold=t)),
                    ("unreviewed, least sure", QueueFilter(unreviewed=True, threshold=t)),
                    ("by score", QueueFilter(sort="score", threshold=t))):
        started = time.monotonic()
        with engine.connect() as conn:
            queue(conn, f)
        took = time.monotonic() - started
        out.append((f"review queue page 1, {name}", took, took))
    with engine.connect() as conn:
        middle = queue(conn, QueueFilter(threshold=t, page=100))["rows"][0]["id"]
        started = time.monotonic()
        neighbours(conn, QueueFilter(threshold=t), middle)
    took = time.monotonic() - started
    out.append(("review page view: next/previous in queue", took, took))
    engine.dispose()
    return out


def datasette_queries(db: Path) -> list[tuple[str, float, float]]:
    spec = yaml.safe_load((ROOT / "db" / "datasette.yaml").read_text(encoding="utf-8"))
    queries = spec["databases"]["triage"]["queries"]
    conn = sqlite3.connect(db)
    params = {"cluster": 1, "number": "+864000000003", "target_type": "page", "limit": 100,
              "min_score": 0.8, "brand": "品牌001净水器", "domain": "site1.example.com",
              "op": 1}
    out = []
    for name, q in queries.items():
        started = time.monotonic()
        cur = conn.execute(q["sql"], {k: params.get(k, "") for k in q.get("params", [])}
                           or params)
        cur.fetchone()
        first = time.monotonic() - started
        cur.fetchall()
        out.append((name, first, time.monotonic() - started))
    conn.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--keep", action="store_true", help="keep an existing --db as it is")
    args = ap.parse_args()
    db = args.db or Path(tempfile.mkdtemp(prefix="bench-bigdb-")) / "big.db"
    if not (args.keep and db.exists()):
        db.unlink(missing_ok=True)
        secs = build(db, args.pages)
        print(f"built {args.pages:,} pages in {secs:.0f} s: {db} ({db.stat().st_size / 1e9:.2f} GB)")
    floor = startup()
    print(f"process start-up (triage --help): {floor:.2f} s; subtracted from the command figures\n")
    print(f"{'what':<44} {'first result':>13} {'total':>9}  (commands: minus start-up)")
    rows = [("triage report", *time_command(["report", "--db", str(db)]))]
    for kind in ("pages", "numbers", "clusters", "changes", "blocklist"):
        rows.append((f"triage export {kind}", *time_command(["export", kind, "--db", str(db)])))
    rows = [(what, first - floor, total - floor) for what, first, total in rows]
    rows += time_queue(db)
    rows += [(f"datasette: {name}", first, total) for name, first, total in datasette_queries(db)]
    for what, first, total in rows:
        flag = "   > 1 s" if first >= 1.0 else ""  # nan (no output) is not flagged
        print(f"{what:<44} {first:>11.2f} s {total:>7.2f} s{flag}")


if __name__ == "__main__":
    main()
