"""Helpers of the scale tests: throw-away PostgreSQL databases and Redis queues, the farm site,
``triage`` in child processes, and what a database holds, in a form two crawls can be compared by.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import ROOT, child_env
from tests.farmsite import FarmServer
from tests.pg import pg_unavailable, throwaway_database

REDIS = os.environ.get("TRIAGE_TEST_REDIS", "redis://127.0.0.1:6379")
# Cloaking checks re-fetch spam pages (pipelines/items/cloaking.py): off, so fetch counts are the crawl's.
FAST = ("-s", "TRIAGE_ANALYSIS_MODE=inline", "-s", "DOWNLOAD_TIMEOUT=5", "-s", "TRIAGE_CLOAKING=off")


@pytest.fixture
def pg_db() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    reason = pg_unavailable()
    if reason:
        pytest.skip(reason)
    with throwaway_database("triage_scale") as url:
        yield url


@pytest.fixture
def redis_queue() -> Iterator[str]:
    """A queue URL on the real Redis with a key prefix of its own; its keys are deleted after."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS + "/15", socket_connect_timeout=3)
        client.ping()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"Redis not reachable at {REDIS}: {str(exc).splitlines()[0]}")
    prefix = f"triage-test-{uuid.uuid4().hex[:8]}"
    try:
        yield f"{REDIS}/15?prefix={prefix}"
    finally:
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        client.close()


@pytest.fixture
def farm_site() -> Iterator[FarmServer]:
    server = FarmServer(60, fanout=4).start()
    yield server
    server.stop()


def triage(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "triage.cli", *args], check=False, cwd=ROOT,
                          env=child_env(),
                          capture_output=True, text=True, timeout=timeout)


def triage_bg(*args: str, stdout: Any = subprocess.PIPE) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "triage.cli", *args], cwd=ROOT,
                            env=child_env(), stdout=stdout, stderr=subprocess.STDOUT, text=True)


def crawl_args(site: FarmServer, db: str, *extra: str) -> list[str]:
    return ["crawl", site.url(), "--db", db, "--depth", str(site.depth),
            "--allow-private", f"127.0.0.1:{site.port}", *FAST, *extra]


def stored(db: str) -> dict[str, tuple[Any, ...]]:
    """url -> (status, verdict, sorted numbers, content hash): what a crawl is compared by."""
    url = db if "://" in db else f"sqlite:///{Path(db).resolve()}"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT p.url, p.status, p.verdict, p.content_hash, n.e164 FROM pages p "
                "LEFT JOIN page_numbers pn ON pn.page_id = p.id "
                "LEFT JOIN numbers n ON n.id = pn.number_id")).all()
    finally:
        engine.dispose()
    out: dict[str, tuple[Any, ...]] = {}
    for url_, status, verdict, chash, e164 in rows:
        prev = out.get(url_, (status, verdict, (), chash))
        nums = tuple(sorted({*prev[2], e164} - {None}))
        out[url_] = (status, verdict, nums, chash)
    return out


def row_counts(db: str, *tables: str) -> dict[str, int]:
    url = db if "://" in db else f"sqlite:///{Path(db).resolve()}"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                    for t in tables}
    finally:
        engine.dispose()
