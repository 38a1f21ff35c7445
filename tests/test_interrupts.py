"""Interrupts keep every fetched page: a real ``triage crawl`` on a pseudo-terminal, analysis in
a worker pool, stopped mid-crawl by SIGINT (once and twice), SIGTERM or SIGHUP sent to its whole
process group (what a terminal does: the analysis workers get the signal too). Every page the
test site served is in the database, none as "worker died", the run row says how it ended, the
exit status is the shell's 128 + signal, and resuming the job directory gives the pages of an
uninterrupted crawl."""

from __future__ import annotations

import os
import pty
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, child_env
from tests.farmsite import FarmServer
from tests.scaleutil import crawl_args, redis_queue, stored, triage

__all__ = ["redis_queue"]  # fixture

N = 100
SLOW = ("-s", "CONCURRENT_REQUESTS=2", "-s", "TRIAGE_BATCH_SIZE=10",
        "-s", "TRIAGE_ANALYSIS_MODE=process", "-s", "TRIAGE_ANALYSIS_WORKERS=1")
CASES = {  # name: (signals sent, exit status, outcome)
    "sigint": ((signal.SIGINT,), 130, "interrupted: SIGINT"),
    "sigint-twice": ((signal.SIGINT, signal.SIGINT), 130, "interrupted: SIGINT twice"),
    "sigterm": ((signal.SIGTERM,), 143, "interrupted: SIGTERM"),
    "sighup": ((signal.SIGHUP,), 129, "interrupted: SIGHUP"),
}


@pytest.fixture
def slow_site() -> Iterator[FarmServer]:
    server = FarmServer(N, fanout=4, delay=0.05).start()
    yield server
    server.stop()


def served(site: FarmServer) -> set[str]:
    with site._lock:
        return {site.url(p) for p, n in site.hits.items() if n and p.startswith("/p")}


class PtyCrawl:
    """``triage ARGS`` with a pseudo-terminal as stdin/stdout/stderr, in its own process group."""

    def __init__(self, *args: str) -> None:
        master, slave = pty.openpty()
        self.proc = subprocess.Popen([sys.executable, "-m", "triage.cli", *args], cwd=ROOT,
                                     env={**child_env(), "COLUMNS": "120"}, stdin=slave,
                                     stdout=slave, stderr=slave, start_new_session=True)
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def killpg(self, signum: int) -> None:
        os.killpg(self.proc.pid, signum)  # the crawl and its analysis workers, like a terminal

    def wait(self, timeout: float = 120) -> tuple[int, str]:
        code = self.proc.wait(timeout=timeout)
        self.reader.join(timeout=10)
        os.close(self.master)
        return code, self.output.decode("utf-8", "replace")


def pages_in(db: Path) -> dict[str, tuple[int, str | None, str]]:
    with sqlite3.connect(db) as conn:
        return {u: (s, v, e) for u, s, v, e in
                conn.execute("SELECT url, status, verdict, error FROM pages")}


def outcomes(db: Path) -> list[str | None]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT outcome FROM crawl_runs ORDER BY id")]


@pytest.mark.parametrize("case", list(CASES))
def test_a_signal_mid_crawl_keeps_every_fetched_page(case: str, slow_site: FarmServer,
                                                     tmp_path: Path) -> None:
    sent, code, outcome = CASES[case]
    db, job = tmp_path / "t.db", tmp_path / "job"
    args = crawl_args(slow_site, str(db), "--job-dir", str(job), *SLOW)
    crawl = PtyCrawl(*args)
    deadline = time.monotonic() + 90
    while len(served(slow_site)) < 25 and crawl.proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert crawl.proc.poll() is None, "the crawl ended before it could be interrupted"
    for i, signum in enumerate(sent):
        if i:
            time.sleep(0.15)
        crawl.killpg(signum)
    status, output = crawl.wait()

    pages = pages_in(db)
    fetched = served(slow_site)
    assert status == code, output[-3000:]
    assert len(fetched) < N, "the signal came too late to test anything"
    assert set(pages) == fetched, (sorted(fetched - set(pages)), output[-3000:])
    assert not [u for u, (_, _, e) in pages.items() if "died" in e], output[-3000:]
    assert outcomes(db) == [outcome]
    assert "Traceback" not in output, output[-3000:]
    assert "interrupted by" in output and "not started" not in output, output[-3000:]
    if case != "sigint-twice":  # a graceful stop analyses everything it fetched
        assert all(v is not None for _, v, _ in pages.values()), output[-3000:]

    # Resuming the job gives exactly the pages of an uninterrupted crawl.
    resumed = triage(*args)
    assert resumed.returncode == 0, resumed.stdout[-2000:] + resumed.stderr[-2000:]
    whole = tmp_path / "whole.db"
    assert triage(*crawl_args(slow_site, str(whole), *SLOW)).returncode == 0
    assert stored(str(db)) == stored(str(whole))
    assert len(stored(str(db))) == N
    assert outcomes(db) == [outcome, "finished"]


def test_sigint_twice_stores_pages_unanalysed_and_a_recrawl_analyses_them(
        slow_site: FarmServer, tmp_path: Path) -> None:
    """Without a job directory: pages stopped before analysis are stored as fetched (verdict
    NULL, no content hash) and the next crawl of the site analyses them."""
    db = tmp_path / "t.db"
    slow_site.delay = 0.0
    args = crawl_args(slow_site, str(db), *SLOW[:-4], "-s", "TRIAGE_ANALYSIS_MODE=process",
                      "-s", "CONCURRENT_REQUESTS=16")
    crawl = PtyCrawl(*args)
    deadline = time.monotonic() + 90
    while len(served(slow_site)) < 30 and crawl.proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    crawl.killpg(signal.SIGINT)
    crawl.killpg(signal.SIGINT)
    status, output = crawl.wait()
    assert status == 130, output[-3000:]
    pages = pages_in(db)
    assert set(pages) == served(slow_site)
    unanalysed = [u for u, (_, v, _) in pages.items() if v is None]
    for url in unanalysed:
        assert "not analysed" in pages[url][2]
    again = triage(*args)
    assert again.returncode == 0, again.stderr[-2000:]
    assert all(v is not None for _, v, _ in pages_in(db).values())


@pytest.mark.parametrize("sent", [(signal.SIGINT,), (signal.SIGHUP, signal.SIGHUP)])
def test_a_worker_stopped_by_signals_keeps_its_pages(sent: tuple[int, ...], redis_queue: str,
                                                     slow_site: FarmServer, tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    assert triage("enqueue", "--queue", redis_queue, slow_site.url()).returncode == 0
    crawl = PtyCrawl("worker", "--queue", redis_queue, "--db", str(db), "--depth",
                     str(slow_site.depth), "--allow-private", f"127.0.0.1:{slow_site.port}",
                     "--idle-exit", "3", *SLOW, "-s", "DOWNLOAD_TIMEOUT=5", "-s",
                     "TRIAGE_CLOAKING=off")
    deadline = time.monotonic() + 90
    while len(served(slow_site)) < 25 and crawl.proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    for signum in sent:
        crawl.killpg(signum)
        time.sleep(0.1)
    status, output = crawl.wait()
    assert status == 128 + sent[0], output[-3000:]
    pages = pages_in(db)
    assert set(pages) == served(slow_site), output[-3000:]
    assert not [u for u, (_, _, e) in pages.items() if "died" in e]
    name = signal.Signals(sent[0]).name
    assert outcomes(db) == [f"interrupted: {name}{' twice' if len(sent) > 1 else ''}"]


POOL_UNDER_FIRE = """
import os, signal, sys, time
from concurrent.futures.process import BrokenProcessPool
from pipelines.items.analyze import spawn_pool

import multiprocessing

STOP = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
for signum in STOP:  # this process survives them; the worker and resource tracker must too
    signal.signal(signum, lambda *_: None)
os.setpgrp()
pool = spawn_pool(1)
end = time.monotonic() + 1.5
while time.monotonic() < end:  # the stop signals to the group while the worker starts up
    for signum in STOP:
        os.killpg(0, signum)
    time.sleep(0.01)
try:
    print("worker", pool.submit(os.getpid).result(timeout=60))
except BrokenProcessPool:
    print("worker died")
multiprocessing.get_context("spawn").Lock()  # registers with the tracker: warns if it died
pool.shutdown()
"""


def test_a_worker_starting_up_survives_stop_signals_to_its_group() -> None:
    """The first pool of a process starts multiprocessing's resource tracker, whose start-up
    unblocks SIGINT and SIGTERM in the calling thread: a worker spawned after that would start
    with them deliverable and die of a Ctrl-C while it imports the engine. The tracker itself
    must not die of a hang-up either."""
    run = subprocess.run([sys.executable, "-c", POOL_UNDER_FIRE], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.startswith("worker "), run.stdout + run.stderr[-2000:]
    assert "died" not in run.stdout, run.stderr[-2000:]
    assert "died unexpectedly" not in run.stderr, run.stderr[-2000:]


PRESTARTED = """
import os
from pipelines.items.analyze import drop_prestarted, prestart, take_prestarted

prestart(1, None)
print("other model", take_prestarted(1, {"format": "x"}))  # not this crawl's: shut down
prestart(1, None)
pool = take_prestarted(1, None)
print("taken", pool is not None, pool.submit(os.getpid).result(timeout=60) != os.getpid())
print("again", take_prestarted(1, None))
pool.shutdown()
prestart(1, None)
drop_prestarted()  # a crawl in thread or inline mode
print("dropped", take_prestarted(1, None))
"""


def test_workers_started_before_the_crawl_serve_only_a_crawl_that_matches() -> None:
    run = subprocess.run([sys.executable, "-c", PRESTARTED], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.splitlines() == ["other model None", "taken True True", "again None",
                                       "dropped None"]
