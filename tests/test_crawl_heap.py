"""Garbage collection during a ``triage crawl`` (crawler/heap.py): a real crawl of a local farm
site, run in a child process (a reactor runs once per process) that reports the collector's
state after the command returned. The run row holds the number of objects frozen at engine
start, and the thresholds and the permanent generation are as before, also when the crawl dies
of an exception raised in the reactor."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.heap import GEN0_THRESHOLD
from tests.conftest import ROOT, child_env
from tests.farmsite import FarmServer

CHILD = r'''
import asyncio, gc, json, os, sys
from scrapy import signals

SEEN = []


class Boom:
    """Kills the crawl from the reactor on the first response (what a KeyboardInterrupt or a
    SystemExit does: it leaves the event loop, not only one callback)."""

    def __init__(self, crawler):
        crawler.signals.connect(self.response, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def response(self, **kwargs):
        SEEN.append((gc.get_threshold(), gc.get_freeze_count()))  # mid-crawl, for the test
        asyncio.get_event_loop().call_soon(self.die)

    def die(self):
        raise SystemExit("boom")


from triage.cli import main

gc.set_threshold(900, 11, 12)  # not the defaults, to tell "put back" from "reset"
error = ""
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit as exc:
    error = str(exc.code)
print(json.dumps({"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count(),
                  "error": error, "seen": SEEN}), flush=True)
os._exit(0)  # a reactor that died of SystemExit leaves its thread pools running
'''


@pytest.fixture(scope="module")
def site() -> Iterator[FarmServer]:
    server = FarmServer(30, fanout=4).start()
    yield server
    server.stop()


def _crawl(site: FarmServer, db: Path, *extra: str) -> dict[str, object]:
    args = ["crawl", site.url(), "--db", str(db), "--depth", str(site.depth),
            "--allow-private", f"127.0.0.1:{site.port}", "-s", "TRIAGE_ANALYSIS_MODE=inline",
            "-s", "TRIAGE_CLOAKING=off", *extra]
    run = subprocess.run([sys.executable, "-c", CHILD, *args], cwd=ROOT, env=child_env(),
                         capture_output=True, text=True, timeout=180)
    assert run.stdout.strip(), run.stderr[-3000:]
    result: dict[str, object] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def _stats(db: Path) -> dict[str, object]:
    with sqlite3.connect(db) as conn:
        (stats,) = conn.execute("SELECT stats FROM crawl_runs").fetchone()
    result: dict[str, object] = json.loads(stats)
    return result


def test_a_crawl_freezes_the_heap_and_puts_the_collector_back(site: FarmServer,
                                                               tmp_path: Path) -> None:
    db = tmp_path / "heap.db"
    after = _crawl(site, db)
    assert after["error"] == "0"  # the crawl ran to its end
    stats = _stats(db)
    assert stats["triage/pages"] == 30
    frozen = stats["triage/gc_frozen"]
    assert isinstance(frozen, int) and frozen > 10_000  # the loaded libraries, at least
    assert after["threshold"] == [900, 11, 12]
    assert after["frozen"] == 0


def test_a_crawl_killed_by_an_exception_puts_the_collector_back(site: FarmServer,
                                                                 tmp_path: Path) -> None:
    boom = json.dumps({"__main__.Boom": 0, "pipelines.items.memory.SpamPriors": 500})
    after = _crawl(site, tmp_path / "boom.db", "-s", f"EXTENSIONS={boom}")
    assert after["error"] == "boom"  # it left run_crawl by the exception
    seen = after["seen"]
    assert isinstance(seen, list) and seen
    (threshold, frozen), *_ = seen
    assert threshold == [GEN0_THRESHOLD, 11, 12] and frozen > 10_000  # in force mid-crawl
    assert after["threshold"] == [900, 11, 12]
    assert after["frozen"] == 0
