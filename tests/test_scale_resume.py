"""Crash-safe jobs: a crawl stopped by SIGTERM and killed by SIGKILL mid-way, then resumed with
the same command, ends with the pages of an uninterrupted crawl; a second crawl on the same job
directory or SQLite file is refused."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.farmsite import FarmServer
from tests.scaleutil import crawl_args, stored, triage, triage_bg

SLOW = ("-s", "CONCURRENT_REQUESTS=2", "-s", "TRIAGE_BATCH_SIZE=10")


def job_args(job: Path) -> tuple[str, ...]:
    return ("--job-dir", str(job))


@pytest.fixture
def slow_site() -> Iterator[FarmServer]:
    server = FarmServer(100, fanout=4, delay=0.04).start()
    yield server
    server.stop()


def done_rows(job: Path) -> int:
    try:
        with sqlite3.connect(f"file:{job / 'frontier.sqlite'}?mode=ro", uri=True,
                             timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM frontier WHERE state = 3").fetchone()[0]
    except sqlite3.Error:
        return 0


def interrupt(proc: subprocess.Popen[str], job: Path, after_done: int, sig: int) -> None:
    """Send ``sig`` once the job has finished ``after_done`` pages (not at a clean point)."""
    deadline = time.monotonic() + 60
    while done_rows(job) < after_done and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the crawl ended before it could be interrupted"
    proc.send_signal(sig)
    proc.communicate(timeout=60)


def test_sigterm_then_sigkill_then_resume_equals_uninterrupted(slow_site: FarmServer,
                                                               tmp_path: Path) -> None:
    whole = tmp_path / "whole.db"
    assert triage(*crawl_args(slow_site, str(whole), *SLOW)).returncode == 0
    expected = stored(str(whole))
    assert len(expected) == 100
    slow_site.hits.clear()

    job, db = tmp_path / "job", tmp_path / "resumed.db"
    args = crawl_args(slow_site, str(db), *job_args(job), *SLOW)
    interrupt(triage_bg(*args), job, 20, signal.SIGTERM)  # graceful stop, recorded as interrupted
    after_term = done_rows(job)
    interrupt(triage_bg(*args), job, after_term + 20, signal.SIGKILL)
    assert done_rows(job) < 100
    final = triage(*args)
    assert final.returncode == 0, final.stdout[-2000:] + final.stderr[-2000:]

    assert stored(str(db)) == expected
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*), count(DISTINCT url) FROM pages").fetchone() == (100, 100)
        outcomes = [r[0] for r in conn.execute("SELECT outcome FROM crawl_runs ORDER BY id")]
    assert outcomes[0] == "interrupted: SIGTERM" and outcomes[-1] == "finished"
    # Pages stored before the kill were not all fetched again: the frontier survived.
    assert sum(slow_site.hits.values()) < 2 * 100
    again = triage(*args)  # a finished job has nothing left to do
    assert again.returncode == 0 and stored(str(db)) == expected


def test_a_second_crawl_on_a_busy_job_dir_or_database_is_refused(slow_site: FarmServer,
                                                                 tmp_path: Path) -> None:
    job, db = tmp_path / "job", tmp_path / "t.db"
    first = triage_bg(*crawl_args(slow_site, str(db), *job_args(job), *SLOW))
    try:
        deadline = time.monotonic() + 60
        while done_rows(job) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        same_job = triage(*crawl_args(slow_site, str(tmp_path / "other.db"), *job_args(job)))
        same_db = triage(*crawl_args(slow_site, str(db)))
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
    for proc, what in ((same_job, "job directory"), (same_db, "database")):
        assert proc.returncode == 2
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and what in lines[0] and "in use" in lines[0], proc.stderr


def test_a_job_dir_that_is_not_a_job_gets_one_line(tmp_path: Path) -> None:
    job = tmp_path / "job"
    job.mkdir()
    (job / "frontier.sqlite").write_text("not a database, just text")
    proc = triage("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "t.db"),
                  "--job-dir", str(job))
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        (f"Error: job directory {job} holds no usable job state (file is not a database); "
         "pass a new --job-dir")]


def test_killing_a_crawl_leaves_no_analysis_workers(slow_site: FarmServer,
                                                    tmp_path: Path) -> None:
    psutil = pytest.importorskip("psutil")
    # With the archive on (the default): a worker killed in its first instants used to outlive
    # the crawl (its initializer ran after the kill and took its new parent for the crawl).
    args = crawl_args(slow_site, str(tmp_path / "k.db"), "--job-dir", str(tmp_path / "job"),
                      *SLOW, "-s", "TRIAGE_ANALYSIS_MODE=process")
    proc = triage_bg(*args)
    crawl = psutil.Process(proc.pid)
    deadline = time.monotonic() + 60
    workers: list[Any] = []
    while not workers and time.monotonic() < deadline and proc.poll() is None:
        workers = [c for c in crawl.children(recursive=True)
                   if "spawn_main" in " ".join(c.cmdline())]
        time.sleep(0.1)
    assert workers, "no analysis worker started"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    # A worker still starting up (a loaded machine) watches for its parent once its initializer
    # runs; until then it holds the crawl's output pipe, so wait for the workers first.
    _, alive = psutil.wait_procs(workers, timeout=120)
    proc.communicate(timeout=60)
    assert alive == [], f"orphaned analysis workers: {alive}"


def test_a_worker_whose_crawl_died_before_its_start_up_ends_at_once() -> None:
    """The race behind the orphaned workers: the parent is gone by the time the initializer
    runs, so the worker has been re-parented already."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    code = ("import time; from pipelines.items.parentwatch import exit_with_parent; "
            f"exit_with_parent({gone.pid}); time.sleep(30)")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], timeout=60, cwd=Path(__file__).parent.parent)
    assert done.returncode == 1 and time.monotonic() - started < 20
    alive = subprocess.run(
        [sys.executable, "-c", "import os, time; from pipelines.items.parentwatch import "
         "exit_with_parent; exit_with_parent(os.getppid(), interval=0.05); time.sleep(0.5)"],
        timeout=60, cwd=Path(__file__).parent.parent)
    assert alive.returncode == 0  # its parent is there: it runs on
