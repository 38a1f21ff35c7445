"""StorePipeline inside real Scrapy crawls (no mocks).

A crawl needs a reactor, which runs once per process, so each crawl runs this module as a
script in a subprocess: ``python tests/test_storage_pipeline.py DB COUNT BATCH``. The spider
yields PageItems from one ``data:`` response (no network): the pipeline gets the same items,
the same signals and the same finish reason as in any crawl.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # when run as a script
    sys.path.insert(0, str(ROOT))

from db.engine import make_engine  # noqa: E402
from db.models import CrawlRun, Page, PageNumber  # noqa: E402
from pipelines.items.store import StorePipeline, spider_arguments  # noqa: E402
from tests.test_db_store import db_url, page_item, pg_url  # noqa: E402, F401


class ItemSpider(scrapy.Spider):
    """Yields ``count`` items (every fifth a blocked fetch) without touching the network."""

    name = "fixture_items"

    def __init__(self, count: str = "10", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.count = int(count)

    async def start(self):  # type: ignore[no-untyped-def]
        # A local data: URL: no network, and the engine sees the crawl is over as soon as the
        # items of this response are processed (items yielded by start() would wait for the
        # engine's 5-second idle heartbeat).
        yield scrapy.Request("data:,", callback=self.parse)

    def parse(self, response: Any) -> Any:
        for i in range(self.count):
            url = f"http://farm{i % 4}.example.test/shouhou/{i}.html"
            if i % 5 == 4:
                yield page_item(url, status=0, error="blocked: private address", analysis=None)
            else:
                yield {**page_item(url), "body": b"<html>...</html>"}


def run_crawl(db: str, count: int, batch: int) -> None:
    """One real crawl through get_crawler() on the asyncio reactor (script mode only)."""
    from scrapy.exceptions import ScrapyDeprecationWarning
    from scrapy.utils.reactor import install_reactor

    warnings.simplefilter("error", ScrapyDeprecationWarning)  # e.g. a `spider` argument
    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    from twisted.internet import task

    settings = {"ITEM_PIPELINES": {StorePipeline: 900}, "TRIAGE_DB": db,
                "TRIAGE_BATCH_SIZE": batch, "LOG_LEVEL": "WARNING"}

    def main(reactor: Any) -> Any:
        crawler = get_crawler(ItemSpider, settings)
        d = crawler.crawl(count=str(count), start_urls="http://farm0.example.test/")
        d.addCallback(lambda _: print(json.dumps({"stored": crawler.stats.get_value(
            "triage/stored"), "run_id": crawler.stats.get_value("triage/run_id")})))
        return d

    task.react(main)


def crawl(db: str, count: int, batch: int) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, db, str(count), str(batch)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr and "ERROR" not in proc.stderr, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_settings_are_read_in_from_crawler(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    pipe = build_from_crawler(StorePipeline, get_crawler(ItemSpider, {
        "TRIAGE_DB": db, "TRIAGE_BATCH_SIZE": 7}))
    assert (pipe.db, pipe.batch_size) == (db, 7)
    default = build_from_crawler(StorePipeline, get_crawler(ItemSpider))
    assert (default.db, default.batch_size) == ("sqlite:///triage.db", 100)
    with pytest.raises(NotConfigured, match="TRIAGE_BATCH_SIZE"):
        build_from_crawler(StorePipeline, get_crawler(ItemSpider, {"TRIAGE_BATCH_SIZE": 0}))


def test_spider_arguments_are_what_the_user_passed() -> None:
    spider = ItemSpider(count="3", depth="2", start_urls="http://a.example.test/")
    assert spider_arguments(spider) == {"count": 3, "depth": "2",
                                        "start_urls": "http://a.example.test/"}
    spider.spider_args = {"depth": "2"}
    assert spider_arguments(spider) == {"depth": "2"}


def test_crawl_stores_every_item_in_batches_and_records_the_run(db_url: str) -> None:  # noqa: F811
    db = db_url
    first = crawl(db, 23, batch=5)  # 4 full batches and a remainder flushed at close
    assert first["stored"] == 23
    second = crawl(db, 23, batch=100)  # the same URLs again: updated, not duplicated
    assert second["stored"] == 23 and second["run_id"] == first["run_id"] + 1
    engine = make_engine(db)
    with engine.connect() as conn:
        pages = conn.execute(select(func.count()).select_from(Page)).scalar_one()
        blocked = conn.execute(select(func.count()).select_from(Page).where(
            Page.verdict.is_(None), Page.error != "")).scalar_one()
        links = conn.execute(select(func.count()).select_from(PageNumber)).scalar_one()
        latest = conn.execute(select(func.count()).select_from(Page).where(
            Page.run_id == second["run_id"])).scalar_one()
        runs = conn.execute(select(CrawlRun).order_by(CrawlRun.id)).all()
    engine.dispose()
    assert (pages, blocked, links, latest) == (23, 4, 19, 23)
    assert [r.outcome for r in runs] == ["finished", "finished"]
    assert runs[0].spider == "fixture_items" and runs[0].args["count"] == 23
    assert runs[0].args["start_urls"] == "http://farm0.example.test/"
    assert runs[0].stats["triage/stored"] == 23 and runs[0].stats["finish_reason"] == "finished"
    assert runs[0].stats["item_scraped_count"] == 23
    assert all(r.finished_at is not None for r in runs)


if __name__ == "__main__":
    run_crawl(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
