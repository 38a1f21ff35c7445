"""Scale figures: peak memory of a 2,000- against a 20,000-page crawl, and throughput of one
Redis worker against two.

    python bench/scale.py [--small 2000] [--large 20000] [--workers-pages 2000] [--skip-memory]
                          [--skip-workers] [--queue redis://127.0.0.1:6379/15]

Memory: ``triage crawl --job-dir`` (the frontier and the seen set on disk) of an N-page farm
site (tests/farmsite.py, served by a child process that is not measured), with the default
settings (analysis in a process pool, cloaking checks, clustering after the crawl). Peak
resident memory is sampled every 0.1 s and summed over the crawl process and all its children
(the analysis workers). Targets: large <= 1.5 x small, and <= 400 MB.

Throughput: the same site crawled by one ``triage worker`` and then by two sharing one Redis
queue (a fresh key prefix each time), into one SQLite file per run. Pages/s = pages stored over
the time from the first worker's start to the last page stored (the idle wait before a worker
exits is left out; interpreter start-up is in).
"""

from __future__ import annotations

import argparse
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import contextlib

from tests.farmsite import depth_needed

FANOUT = 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env() -> dict[str, str]:
    out = dict(os.environ)
    out["PYTHONPATH"] = str(ROOT) + os.pathsep + out.get("PYTHONPATH", "")
    return out


class Site:
    """An N-page farm site in a child process."""

    def __init__(self, n: int) -> None:
        self.n, self.port = n, free_port()
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.farmsite", str(n),
                                      str(self.port), str(FANOUT)], cwd=ROOT, env=env(),
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.proc.stdout.readline()  # "serving ..."

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/p0.html"

    def args(self) -> list[str]:
        return ["--depth", str(depth_needed(self.n, FANOUT)),
                "--allow-private", f"127.0.0.1:{self.port}"]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def run_measured(cmd: list[str]) -> tuple[int, float, int]:
    """Run ``cmd``; (peak summed RSS in bytes, seconds, exit status)."""
    started = time.monotonic()
    child = subprocess.Popen(cmd, cwd=ROOT, env=env(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    proc = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(peak, tree_rss(proc))
        time.sleep(0.1)
    return peak, time.monotonic() - started, child.returncode


def pages_in(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM pages").fetchone()[0]


def memory(n: int, tmp: Path, extra: list[str]) -> tuple[int, float, int]:
    site = Site(n)
    try:
        db, job = tmp / f"mem{n}.db", tmp / f"job{n}"
        cmd = [sys.executable, "-m", "triage.cli", "crawl", site.url, "--db", str(db),
               "--job-dir", str(job), *site.args(), *extra]
        peak, secs, status = run_measured(cmd)
        if status != 0:
            raise SystemExit(f"crawl of {n} pages failed with status {status}")
        return peak, secs, pages_in(db)
    finally:
        site.stop()


def workers(n: int, count: int, queue: str, tmp: Path, extra: list[str]) -> tuple[float, int]:
    site = Site(n)
    try:
        q = f"{queue}?prefix=bench-{uuid.uuid4().hex[:8]}"
        db = tmp / f"workers{count}-{uuid.uuid4().hex[:6]}.db"
        started = time.time()
        subprocess.run([sys.executable, "-m", "triage.cli", "enqueue", "--queue", q, site.url],
                       cwd=ROOT, env=env(), check=True, capture_output=True)
        procs = [subprocess.Popen([sys.executable, "-m", "triage.cli", "worker", "--queue", q,
                                   "--db", str(db), "--idle-exit", "5", *site.args(), *extra],
                                  cwd=ROOT, env=env(), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) for _ in range(count)]
        for p in procs:
            p.wait()
        with sqlite3.connect(db) as conn:
            stored, last = conn.execute("SELECT count(*), max(fetched_at) FROM pages").fetchone()
        end = datetime.fromisoformat(last).timestamp() if last else time.time()
        import redis

        client = redis.Redis.from_url(queue)
        keys = list(client.scan_iter(q.split("prefix=")[1] + ":*"))
        if keys:
            client.delete(*keys)
        return stored / max(end - started, 1e-9), stored
    finally:
        site.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--workers-pages", type=int, default=2000)
    parser.add_argument("--queue", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-workers", action="store_true")
    parser.add_argument("-s", "--set", dest="overrides", action="append", default=[],
                        metavar="NAME=VALUE", help="Scrapy setting for every crawl (repeatable)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="triage-scale-") as tmp_name:
        tmp = Path(tmp_name)
        extra = [arg for item in args.overrides for arg in ("-s", item)]
        if extra:
            print("settings: " + " ".join(args.overrides), flush=True)
        if not args.skip_memory:
            rows = {}
            for n in (args.small, args.large):
                peak, secs, stored = memory(n, tmp, extra)
                rows[n] = peak
                print(f"crawl of {n:>6} pages: peak RSS {peak / 2**20:6.1f} MB (crawl process + "
                      f"children), {stored} pages stored in {secs:.0f} s ({stored / secs:.1f} "
                      "pages/s)", flush=True)
            ratio = rows[args.large] / rows[args.small]
            print(f"peak memory ratio {args.large}/{args.small}: {ratio:.2f} (target <= 1.5); "
                  f"largest {max(rows.values()) / 2**20:.0f} MB (target <= 400)", flush=True)
        if not args.skip_workers:
            rates = {}
            for count in (1, 2):
                rate, stored = workers(args.workers_pages, count, args.queue, tmp, extra)
                rates[count] = rate
                print(f"{count} Redis worker(s), {args.workers_pages} pages: {stored} stored, "
                      f"{rate:.1f} pages/s", flush=True)
            print(f"two workers / one: {rates[2] / rates[1]:.2f}x (on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
