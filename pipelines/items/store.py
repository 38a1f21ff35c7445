"""``StorePipeline``: the crawl's one writer to the database, in batches, off the reactor.

Settings (read in :meth:`StorePipeline.from_crawler`):

- ``TRIAGE_DB``: a file path or SQLAlchemy URL (default ``sqlite:///triage.db``)
- ``TRIAGE_BATCH_SIZE``: items per transaction (default 100)
- ``TRIAGE_INVESTIGATE`` (default on): the after-crawl jobs (template clusters, then number
  reputation, :func:`investigate.run.after_crawl`)

Each crawl is one ``crawl_runs`` row: opened with the spider's name and arguments when the
spider opens, closed with Scrapy's stats and finish reason on ``spider_closed``. Database work
runs in Twisted's thread pool, one batch at a time, so the crawl never waits on SQLite or
PostgreSQL except for back-pressure while a full batch is being written.

Everything the crawl writes goes through here, in a declared order: each batch of pages, then
the cloaking evidence its items carry (``item["cloaking"]``, ``item["cloaking_late"]``, set by
:class:`~pipelines.items.cloaking.CloakingPipeline`), then the WARC locations
(``item["archive"]``, :class:`~pipelines.items.archive.ArchivePipeline`); once the spider closes, the after-crawl
jobs, then the run's outcome with the final stats (``triage/clusters``,
``triage/clustered_pages``, ``triage/numbers_scored``, ``triage/numbers_fraud`` included).
Components that must know when pages are committed (a job directory marks them STORED)
register a hook in the crawl context (:attr:`crawler.context.CrawlContext.stored_hooks`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred, DeferredLock, succeed
from twisted.internet.threads import deferToThread

from crawler.context import crawl_context
from db.archive import save_archives
from db.store import Store
from db.versions import CloakingCheck, save_cloaking
from pipelines.items.database import crawl_db, engine_async

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider

log = logging.getLogger(__name__)

_NOT_STORED = {"body", "http", "cloaking_responses", "cloaking_late_responses"}
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

    def __init__(self, crawler: Crawler, batch_size: int, investigate: bool) -> None:
        self.crawler = crawler
        self.batch_size = batch_size
        self.investigate = investigate
        self.store: Store | None = None
        self.run_id: int | None = None
        self._buffer: list[dict[str, Any]] = []
        self._lock = DeferredLock()  # one batch in flight: ordered writes, no writer contention
        self.context = crawl_context(crawler)

    @property
    def db(self) -> str:
        return crawl_db(self.crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        batch_size = settings.getint("TRIAGE_BATCH_SIZE", 100)
        if batch_size < 1:
            raise NotConfigured(f"TRIAGE_BATCH_SIZE must be at least 1, got {batch_size}")
        pipe = cls(crawler, batch_size, settings.getbool("TRIAGE_INVESTIGATE", True))
        crawler.signals.connect(pipe.spider_closed, signal=signals.spider_closed)
        return pipe

    async def open_spider(self) -> None:
        spider = self.crawler.spider
        assert spider is not None
        self.store = Store(await engine_async(self.crawler))
        self.run_id = await maybe_deferred_to_future(
            deferToThread(self.store.start_run, spider.name, spider_arguments(spider)))
        self.crawler.stats.set_value("triage/run_id", self.run_id)
        log.info("storing pages in %s as crawl run %d", self.db, self.run_id)

    async def process_item(self, item: Any) -> Any:
        # Bodies are not stored (the archive keeps those worth keeping), nor HTTP headers.
        row = {k: v for k, v in dict(item).items() if k not in _NOT_STORED}
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

    def _save(self, batch: list[dict[str, Any]]) -> int:
        """In a worker thread: the pages, then the cloaking evidence their items carry."""
        assert self.store is not None and self.run_id is not None
        n = self.store.save_pages(self.run_id, batch)
        checks = [c for row in batch for c in (row.get("cloaking"), *(row.get("cloaking_late") or ()))
                  if isinstance(c, CloakingCheck)]
        if checks:
            save_cloaking(self.store.engine, checks)
        if any(row.get("archive") for row in batch):
            save_archives(self.store.engine, batch)
        return n

    def _write(self, batch: list[dict[str, Any]]) -> Deferred[Any]:
        d: Deferred[Any] = deferToThread(self._save, batch)

        def stored(n: int) -> None:  # on the reactor thread, once the batch is committed
            self.crawler.stats.inc_value("triage/stored", n)
            # A page stored unanalysed (a forced stop) is not done: a job fetches it again.
            done = [(str(r.get("url") or ""), int(r.get("status") or 0)) for r in batch
                    if not r.get("not_analysed")]
            for hook in self.context.stored_hooks:
                hook(done)

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
        """After the last batch: the after-crawl jobs, then the run's outcome and final stats."""
        if self.store is None or self.run_id is None:
            return
        if self.investigate and not self.context.forced:  # a second signal skips them
            await self._after_crawl()
        stats = self.crawler.stats.get_stats()
        outcome = self.context.outcome(reason)  # "interrupted: SIGINT" after a signal
        try:
            await maybe_deferred_to_future(
                deferToThread(self.store.finish_run, self.run_id, stats, outcome))
        except Exception as exc:  # noqa: BLE001 - the pages are stored; say what is missing
            log.error("could not close crawl run %s in %s: %s", self.run_id, self.db, exc)

    async def _after_crawl(self) -> None:
        from investigate.run import after_crawl

        assert self.store is not None
        try:
            clusters, reputation = await maybe_deferred_to_future(
                deferToThread(after_crawl, self.store.engine, self.run_id))
        except Exception as exc:  # noqa: BLE001 - the crawl is stored; say what is missing
            log.error("could not cluster pages and score numbers in %s: %s; run `triage "
                      "cluster --db %s` later", self.db, exc, self.db)
            return
        stats = self.crawler.stats
        stats.set_value("triage/clusters", clusters.clusters)
        stats.set_value("triage/clustered_pages", clusters.clustered_pages)
        stats.set_value("triage/numbers_scored", reputation.numbers)
        stats.set_value("triage/numbers_fraud", reputation.verdicts.get("fraud", 0))
        stats.set_value("triage/after_crawl_seconds",
                        round(clusters.seconds + reputation.seconds, 3))
        stats.set_value("triage/cluster_seconds", round(clusters.seconds, 3))
        stats.set_value("triage/reputation_seconds", round(reputation.seconds, 3))
        log.info("%s; %s", clusters.line(), reputation.line())
