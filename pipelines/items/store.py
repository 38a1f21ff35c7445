"""Scrapy item pipeline writing crawl items to the database in batches, off the reactor.

Settings (read in :meth:`StorePipeline.from_crawler`):

- ``TRIAGE_DB``: a file path or SQLAlchemy URL (default ``sqlite:///triage.db``)
- ``TRIAGE_BATCH_SIZE``: items per transaction (default 100)

Each crawl is one ``crawl_runs`` row: opened with the spider's name and arguments when the
spider opens, closed with Scrapy's stats and finish reason on ``spider_closed``. Database work
runs in Twisted's thread pool, one batch at a time, so the crawl never waits on SQLite or
PostgreSQL except for back-pressure while a full batch is being written.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred, DeferredLock, succeed
from twisted.internet.threads import deferToThread

from db.engine import DEFAULT_DB, make_engine
from db.store import Store

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

# Spider attributes that are Scrapy's, not user arguments.
_NOT_ARGS = {"crawler", "settings", "custom_settings", "name", "_log_level"}


def spider_arguments(spider: Spider) -> dict[str, Any]:
    """The arguments a spider was started with (``-a key=value``, Scrapyd parameters).

    Scrapy copies them onto the spider as attributes without keeping the original dict; a
    spider that sets ``spider_args`` (its ``__init__`` kwargs) gives the exact set.
    """
    explicit = getattr(spider, "spider_args", None)
    if isinstance(explicit, dict):
        return dict(explicit)
    return {k: v for k, v in vars(spider).items()
            if not k.startswith("_") and k not in _NOT_ARGS
            and isinstance(v, (str, int, float, bool, list, tuple, type(None)))}


class StorePipeline:
    """Store every item (fetched, failed or blocked) as a page row of the current crawl run."""

    def __init__(self, crawler: Crawler, db: str, batch_size: int) -> None:
        self.crawler = crawler
        self.db = db
        self.batch_size = batch_size
        self.engine: Engine | None = None
        self.store: Store | None = None
        self.run_id: int | None = None
        self._buffer: list[dict[str, Any]] = []
        self._lock = DeferredLock()  # one batch in flight: ordered writes, no writer contention

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        db = settings.get("TRIAGE_DB") or DEFAULT_DB
        batch_size = settings.getint("TRIAGE_BATCH_SIZE", 100)
        if batch_size < 1:
            raise NotConfigured(f"TRIAGE_BATCH_SIZE must be at least 1, got {batch_size}")
        pipe = cls(crawler, db, batch_size)
        crawler.signals.connect(pipe.spider_closed, signal=signals.spider_closed)
        return pipe

    async def open_spider(self) -> None:
        spider = self.crawler.spider
        assert spider is not None
        self.engine = await maybe_deferred_to_future(deferToThread(make_engine, self.db))
        self.store = Store(self.engine)
        self.run_id = await maybe_deferred_to_future(
            deferToThread(self.store.start_run, spider.name, spider_arguments(spider)))
        self.crawler.stats.set_value("triage/run_id", self.run_id)
        log.info("storing pages in %s as crawl run %d", self.db, self.run_id)

    async def process_item(self, item: Any) -> Any:
        row = {k: v for k, v in dict(item).items() if k != "body"}  # bodies are not stored
        self._buffer.append(row)
        if len(self._buffer) >= self.batch_size:
            await maybe_deferred_to_future(self._flush())
        return item

    def _flush(self) -> Deferred[Any]:
        """Write the buffered items in a worker thread (one batch at a time)."""
        batch, self._buffer = self._buffer, []
        if not batch:
            return succeed(None)
        return self._lock.run(self._write, batch)

    def _write(self, batch: list[dict[str, Any]]) -> Deferred[Any]:
        assert self.store is not None and self.run_id is not None
        d: Deferred[Any] = deferToThread(self.store.save_pages, self.run_id, batch)

        def stored(n: int) -> None:
            self.crawler.stats.inc_value("triage/stored", n)

        def failed(failure: Any) -> None:
            # Keep the batch: it is retried with the next flush and at close.
            self._buffer[:0] = batch
            self.crawler.stats.inc_value("triage/store_retries")
            log.error("could not store %d pages in %s (will retry): %s", len(batch), self.db,
                      failure.getErrorMessage())

        d.addCallbacks(stored, failed)
        return d

    async def close_spider(self) -> None:
        if self.store is None:
            return
        await maybe_deferred_to_future(self._flush())
        if self._buffer:  # the last attempt failed: one more, then give up loudly
            await maybe_deferred_to_future(self._flush())
        if self._buffer:
            self.crawler.stats.inc_value("triage/store_failed", len(self._buffer))
            log.error("lost %d pages that could not be stored in %s", len(self._buffer),
                      self.db)
            self._buffer = []

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        """Close the crawl run with the finish reason and the final stats."""
        if self.store is None or self.run_id is None:
            return
        stats = self.crawler.stats.get_stats()
        try:
            await maybe_deferred_to_future(
                deferToThread(self.store.finish_run, self.run_id, stats, reason))
        except Exception as exc:  # noqa: BLE001 - the pages are stored; say what is missing
            log.error("could not close crawl run %s in %s: %s", self.run_id, self.db, exc)
        finally:
            self._dispose()

    def _dispose(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

