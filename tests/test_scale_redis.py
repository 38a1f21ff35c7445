"""Distributed crawling on the real Redis (127.0.0.1:6379, database 15, a key prefix per test):
two workers share one queue, fetch every URL exactly once, and store what one process would."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from crawler.redisqueue import QueueError, parse_queue
from tests.farmsite import FarmServer
from tests.scaleutil import (
    FAST,
    crawl_args,
    pg_db,
    pg_unavailable,
    redis_queue,
    stored,
    triage,
    triage_bg,
)

__all__ = ["pg_db", "redis_queue"]  # fixtures


@pytest.fixture
def shared_site() -> Iterator[FarmServer]:
    server = FarmServer(80, fanout=4, delay=0.05).start()
    yield server
    server.stop()


def worker_args(queue: str, site: FarmServer, db: str) -> list[str]:
    return ["worker", "--queue", queue, "--db", db, "--depth", str(site.depth),
            "--allow-private", f"127.0.0.1:{site.port}", "--idle-exit", "3",
            "-s", "CONCURRENT_REQUESTS=4", *FAST]


def test_two_workers_share_the_work_fetch_each_url_once_and_survive_a_stop(
        redis_queue: str, shared_site: FarmServer, tmp_path: Path,
        request: pytest.FixtureRequest) -> None:
    if pg_unavailable() is None:  # workers on several machines would share PostgreSQL
        db = request.getfixturevalue("pg_db")
    else:
        db = f"sqlite:///{tmp_path / 'shared.db'}"
    queued = triage("enqueue", "--queue", redis_queue, shared_site.url())
    assert queued.returncode == 0 and "Queued 1 start URLs" in queued.stdout
    workers = [triage_bg(*worker_args(redis_queue, shared_site, db)) for _ in range(2)]
    deadline = time.monotonic() + 60
    while sum(shared_site.hits.values()) < 25 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers[0].send_signal(signal.SIGTERM)  # scaling down: finishes its pages, loses none
    outputs = [w.communicate(timeout=120)[0] for w in workers]
    assert [w.returncode for w in workers] == [143, 0], outputs  # 143: stopped by SIGTERM

    assert set(shared_site.hits) == {f"/p{i}.html" for i in range(80)}
    assert set(shared_site.hits.values()) == {1}, "a URL was fetched twice"
    engine = create_engine(db.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        per_run = conn.execute(text("SELECT run_id, count(*) FROM pages GROUP BY run_id")).all()
    engine.dispose()
    assert len(per_run) == 2 and all(n > 0 for _, n in per_run), f"work not shared: {per_run}"

    single = tmp_path / "single.db"
    shared_site.hits.clear()
    assert triage(*crawl_args(shared_site, str(single))).returncode == 0
    assert stored(db) == stored(str(single))


def test_bad_queue_urls_get_one_line() -> None:
    for bad, words in (("http://127.0.0.1:6379/0", "expected redis://"),
                       ("redis://127.0.0.1:6379/x", "database number"),
                       ("redis://127.0.0.1:6379/0?prefix=a b", "prefix")):
        with pytest.raises(QueueError, match=words):
            parse_queue(bad)
    spec = parse_queue("redis://127.0.0.1:6379/3?prefix=farm-7")
    assert (spec.redis_url, spec.key("seen")) == ("redis://127.0.0.1:6379/3", "farm-7:seen")
    proc = triage("worker", "--queue", "redis://127.0.0.1:1/0", "--db", "x.db")
    assert proc.returncode == 2 and proc.stderr.startswith("Error: cannot reach queue")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_workers_claim_each_url_once_and_share_the_page_budget(redis_queue: str) -> None:
    """Two spiders on one queue (as in two worker processes): one claim per URL, one budget."""
    from scrapy.crawler import Crawler

    from crawler.runner import project_settings
    from crawler.spiders.hotlines_redis import HotlinesRedisSpider

    def worker() -> HotlinesRedisSpider:
        crawler = Crawler(HotlinesRedisSpider, project_settings())
        spider = HotlinesRedisSpider.from_crawler(crawler, queue=redis_queue, max_pages="5")
        assert crawler.settings["SCHEDULER"] == "scrapy_redis.scheduler.Scheduler"
        assert crawler.settings["SCHEDULER_QUEUE_KEY"].endswith(":requests")
        return spider

    a, b = worker(), worker()
    urls = [f"http://farm.example.test/p{i}.html" for i in range(8)]
    won = [(a if i % 2 else b).claim(u) for i, u in enumerate(urls[:4])]
    assert won == [True] * 4
    assert [b.claim(u) for u in urls[:4]] == [False] * 4  # the other worker has them
    assert a.claim(urls[0] + "#top") is False  # same page: fragments do not count
    assert a.claim(urls[4]) is True and b.claim(urls[5]) is False  # 5 claimed in all: budget spent
    assert b.budget_exhausted and not b.claim(urls[6])
