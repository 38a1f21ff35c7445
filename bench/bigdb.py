"""A million stored pages: how long the analyst's reads take, on SQLite and on PostgreSQL.

    python bench/bigdb.py [--pages 1000000] [--db /tmp/big.db] [--keep]
    python bench/bigdb.py --pg [postgresql://postgres@127.0.0.1:5432/test] [--pages N]

The database is made by the migrations (so it has every index and summary trigger they
create), then filled with bulk SQL matching the schema (SQLite ``executemany``, PostgreSQL
``COPY`` into a database of its own, dropped afterwards unless ``--keep``), the summary
triggers dropped meanwhile and the summary tables rebuilt once at the end
(``db.summaries.refresh``): pages on ``pages / 40`` invented domains, two in three spam; one
number per ~25 pages (400/800, mobile and landline E.164), advertised 1-3 per spam page,
numbers reused across domains with a long tail; 300 brands; template clusters of 2-200 pages;
texts compressed like the store writes them; labels on 1 % of pages and 5 % of numbers; 30
crawl runs. Then it times, each to its first result and in total: ``triage report``, every
``triage export`` kind (streamed: the first line read from the process, and the whole output),
the review queue's first page (``db.review.queue``, as the web UI asks for it) and every stored
Datasette query (``db/datasette.yaml``, run with its example parameters; on PostgreSQL with
SQLite's ``group_concat``/``datetime`` spelled for PostgreSQL). Target: each under 1 s to first
result. ``--pages`` runs it smaller; CI never runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPAM = ("hotline_spam", "seo_spam")
TEXT = ("澜拓净水器全国统一售后服务热线，24小时上门维修，北京市朝阳区、上海市浦东新区、"
        "广州市天河区均可预约。") * 12


PAGE_COLS = ("id", "url", "final_url", "domain", "status", "error", "fetched_at", "depth",
             "content_hash", "title", "text", "verdict", "score", "reasons", "padding_ratio",
             "encoding", "visible_chars", "features", "cluster", "flags", "run_id",
             "first_run_id", "spans", "banded", "first_seen", "last_seen")


class Loader:
    """Bulk rows into one backend: SQLite ``executemany`` or PostgreSQL ``COPY``."""

    def __init__(self, db: str) -> None:
        self.pg = db.startswith("postgresql")
        if self.pg:
            import psycopg

            self.conn: Any = psycopg.connect(db.replace("postgresql+psycopg", "postgresql"))
        else:
            self.conn = sqlite3.connect(db)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=OFF")

    def rows(self, table: str, cols: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.pg:
            with self.conn.cursor() as cur, cur.copy(
                    f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(cols))
            verb = "INSERT OR IGNORE" if table in ("page_numbers", "page_brands") else "INSERT"
            self.conn.executemany(f"{verb} INTO {table} ({', '.join(cols)}) VALUES ({marks})",
                                  rows)
        self.conn.commit()

    def close(self) -> None:
        if self.pg:  # ids were given: the sequences move past them
            for table in ("crawl_runs", "brands", "numbers", "pages", "labels"):
                self.conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT COALESCE(max(id), 1) FROM {table}))")
            self.conn.commit()
            self.conn.autocommit = True
            self.conn.execute("ANALYZE")
        else:
            self.conn.execute("ANALYZE")
        self.conn.close()


def build(db: str, n: int, seed: int = 7) -> float:
    """Fill the fresh database ``db`` (a SQLite path or PostgreSQL URL) with ``n`` pages;
    seconds taken."""
    from db import summaries
    from db.engine import make_engine

    started = time.monotonic()
    engine = make_engine(db)  # the schema, by the migrations
    with engine.begin() as conn:
        summaries.drop_triggers(conn)  # counted once at the end, not row by row
    rng = random.Random(seed)
    out = Loader(db)
    runs = 30
    when = "2026-11-{:02d} 0{}:00:00.000000"
    out.rows("crawl_runs", ("id", "spider", "args", "started_at", "finished_at", "stats",
                            "outcome"),
             [(r, "hotlines", "{}", when.format(1 + r % 28, 2), when.format(1 + r % 28, 3), "{}",
               "finished") for r in range(1, runs + 1)])
    brands = [f"品牌{i:03d}净水器" for i in range(300)]
    out.rows("brands", ("id", "name"), list(enumerate(brands, start=1)))
    n_numbers = max(10, n // 25)
    kinds = ("shared_cost", "toll_free", "mobile", "fixed_line")
    out.rows("numbers", ("id", "e164", "kind", "place", "carrier", "first_seen", "last_seen",
                         "first_run_id", "score", "verdict"),
             [(i, f"+86400{i:07d}" if i % 3 else f"+861{38 + i % 10}{i:08d}", kinds[i % 4], "",
               "", when.format(1 + i % 28, 2), "2026-11-30 02:00:00.000000", 1 + i % runs,
               round(rng.random(), 3), rng.choice(("fraud", "suspicious", "clean", "clean")))
              for i in range(1, n_numbers + 1)])
    labels = _pages(out, rng, n, n_numbers, runs)
    labels += [("number", f"+86400{i:07d}", "spam") for i in range(3, n_numbers, 20) if i % 3]
    out.rows("labels", ("target_type", "target", "label", "note", "reviewer", "created_at"),
             [(*lab, "", "bench", "2026-11-30 09:00:00.000000") for lab in labels])
    out.close()
    with engine.begin() as conn:
        summaries.refresh(conn)
    engine.dispose()
    return time.monotonic() - started


def _pages(out: Loader, rng: random.Random, n: int, n_numbers: int,
           runs: int) -> list[tuple[str, str, str]]:
    """Write the pages with their numbers and brands; the page labels to add."""
    blob = zlib.compress(TEXT.encode("utf-8"), 6)
    n_domains = max(1, n // 40)
    cluster = 1
    left_in_cluster = 0
    pages: list[tuple[Any, ...]] = []
    links: dict[tuple[int, int], tuple[Any, ...]] = {}
    page_brands: list[tuple[Any, ...]] = []
    labels: list[tuple[str, str, str]] = []
    for pid in range(1, n + 1):
        domain = f"site{int(n_domains * rng.random() ** 2)}.example.com"
        verdict = SPAM[pid % 2] if pid % 3 else "clean"
        if left_in_cluster == 0:
            cluster, left_in_cluster = pid, 2 + int(rng.paretovariate(1.2)) % 199  # 2-200
        left_in_cluster -= 1
        run = 1 + pid * runs // (n + 1)
        score = round(rng.random() * 0.4 + (0.6 if verdict in SPAM else 0.0), 4)
        url = f"http://{domain}/p{pid}.html"
        pages.append((pid, url, url, domain, 200, "", f"2026-11-{1 + run % 28:02d} 02:30:00.000000",
                      1, f"{rng.random():.16f}{pid:08x}".ljust(64, "0")[:64], f"标题{pid}", blob,
                      verdict, score, json.dumps(["a number presented to call"]), 0.2, "utf-8",
                      len(TEXT), "{}", cluster, "[]", run, run, "{\"phones\": []}", True,
                      "2026-11-01 02:00:00.000000", "2026-11-30 02:00:00.000000"))
        if verdict in SPAM:
            for _ in range(rng.choice((1, 1, 2, 3))):
                nid = 1 + int(n_numbers * rng.random() ** 3)
                links[(pid, nid)] = (pid, nid, 1, True, False, "售后电话")
            page_brands.append((pid, 1 + int(300 * rng.random() ** 2)))
        if rng.random() < 0.01:
            labels.append(("page", url, "spam"))
        if len(pages) >= 20_000 or pid == n:
            out.rows("pages", PAGE_COLS, pages)
            out.rows("page_numbers", ("page_id", "number_id", "count", "advertised",
                                      "obfuscated", "context"), list(links.values()))
            out.rows("page_brands", ("page_id", "brand_id"), page_brands)
            pages, links, page_brands = [], {}, []
    return labels


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
    """Seconds for ``triage --help`` (interpreter and imports): the floor of every command
    (the quickest of three, so no command is flattered by a slow one)."""
    return min(time_command(["--help"])[1] for _ in range(3))


def time_queue(db: str) -> list[tuple[str, float, float]]:
    """The queue's first page for each sort (default: least sure first, labelled last), and
    the page view's step to the next/previous page of the default queue (label and next)."""
    from db.engine import open_existing
    from db.review import QueueFilter, neighbours, queue
    from pipelines.model import shipped

    engine = open_existing(db)
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


def for_postgresql(sql: str) -> str:
    """A stored query in PostgreSQL's words (Datasette itself reads SQLite only)."""
    sql = re.sub(r"group_concat\(distinct ([^)]*)\)", r"string_agg(distinct \1, ',')", sql)
    sql = re.sub(r"group_concat\(([^,()]*), ('[^']*')\)", r"string_agg(\1, \2)", sql)
    sql = re.sub(r"group_concat\(([^,()]*)\)", r"string_agg(\1, ',')", sql)
    sql = sql.replace("datetime('now', '-7 days')", "now() - interval '7 days'")
    sql = re.sub(r"(order by [\w.]+)\)\) as", r"\1) sub) as", sql)  # a FROM subquery's alias
    sql = re.sub(r"round\(([^,()]+), (\d+)\)", r"round(cast(\1 as numeric), \2)", sql)
    sql = re.sub(r"cast\(:(\w+) as integer\)", r"cast(%(\1)s as integer)", sql)
    return re.sub(r"(?<![:%(]):(\w+)", r"%(\1)s", sql)


def datasette_queries(db: str) -> list[tuple[str, float, float]]:
    spec = yaml.safe_load((ROOT / "db" / "datasette.yaml").read_text(encoding="utf-8"))
    queries = spec["databases"]["triage"]["queries"]
    pg = db.startswith("postgresql")
    if pg:
        import psycopg

        conn: Any = psycopg.connect(db.replace("postgresql+psycopg", "postgresql"))
    else:
        conn = sqlite3.connect(db)
    params = {"cluster": 1, "number": "+864000000003", "target_type": "page", "limit": 100,
              "min_score": 0.8, "brand": "品牌001净水器", "domain": "site1.example.com",
              "op": 1}
    out = []
    for name, q in queries.items():
        sql = for_postgresql(q["sql"]) if pg else q["sql"]
        started = time.monotonic()
        try:
            cur = conn.execute(sql, {k: params.get(k, "") for k in q.get("params", [])}
                               or params)
        except Exception as exc:  # noqa: BLE001 - a query PostgreSQL cannot run is reported
            print(f"datasette: {name}: {str(exc).splitlines()[0]}")
            conn.rollback()
            continue
        cur.fetchone()
        first = time.monotonic() - started
        cur.fetchall()
        out.append((name, first, time.monotonic() - started))
        if pg:
            conn.rollback()
    conn.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=None, help="SQLite file (default: a new temp one)")
    ap.add_argument("--pg", nargs="?", const=PG_ADMIN, default=None, metavar="URL",
                    help=f"PostgreSQL instead, in a database of its own made through URL "
                         f"(default {PG_ADMIN})")
    ap.add_argument("--keep", action="store_true",
                    help="SQLite: use an existing --db as it is; PostgreSQL: keep the database")
    args = ap.parse_args()
    if args.pg:
        with pg_database(args.pg, keep=args.keep) as url:
            run(url, args.pages, build_it=True)
        return
    db = args.db or Path(tempfile.mkdtemp(prefix="bench-bigdb-")) / "big.db"
    if not (args.keep and db.exists()):
        db.unlink(missing_ok=True)
    run(str(db), args.pages, build_it=not (args.keep and db.exists()))


PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


@contextmanager
def pg_database(admin: str, *, keep: bool) -> Iterator[str]:
    """A new PostgreSQL database (its URL), dropped afterwards unless ``keep``."""
    import psycopg

    name = f"triage_bigdb_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        if keep:
            print(f"kept PostgreSQL database {name}")
        else:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(db: str, pages: int, *, build_it: bool) -> None:
    """Build (unless kept) and time every read on ``db``."""
    if build_it:
        secs = build(db, pages)
        size = (f"{Path(db).stat().st_size / 1e9:.2f} GB" if not db.startswith("postgresql")
                else "PostgreSQL")
        print(f"built {pages:,} pages in {secs:.0f} s: {db} ({size})", flush=True)
    floor = startup()
    print(f"process start-up (triage --help): {floor:.2f} s; subtracted from the command figures\n")
    print(f"{'what':<44} {'first result':>13} {'total':>9}  (commands: minus start-up)")
    rows = [("triage report", *time_command(["report", "--db", db]))]
    for kind in ("pages", "numbers", "clusters", "changes", "blocklist"):
        rows.append((f"triage export {kind}", *time_command(["export", kind, "--db", db])))
    rows = [(what, first - floor, total - floor) for what, first, total in rows]
    rows += time_queue(db)
    rows += [(f"datasette: {name}", first, total) for name, first, total in datasette_queries(db)]
    for what, first, total in rows:
        flag = "   > 1 s" if first >= 1.0 else ""  # nan (no output) is not flagged
        print(f"{what:<44} {first:>11.2f} s {total:>7.2f} s{flag}", flush=True)


if __name__ == "__main__":
    main()
