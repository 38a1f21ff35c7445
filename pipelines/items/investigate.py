"""Scrapy extension: cluster templates and score numbers once a crawl's pages are stored.

Runs on ``spider_closed`` (after the item pipelines, StorePipeline included, have flushed), in a
worker thread, on the crawl's database (``TRIAGE_DB``). Off with ``TRIAGE_INVESTIGATE = False``.
Stats: ``triage/clusters``, ``triage/clustered_pages``, ``triage/numbers_scored``,
``triage/numbers_fraud``.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from db.engine import DEFAULT_DB

log = logging.getLogger(__name__)


def investigate(db: str) -> tuple[Any, Any]:
    """Clusters then reputation on ``db`` (a path or URL); the two summaries."""
    from db.engine import make_engine
    from investigate.run import after_crawl

    engine = make_engine(db)
    try:
        return after_crawl(engine)
    finally:
        engine.dispose()


class InvestigateExtension:
    def __init__(self, crawler: Any, db: str) -> None:
        self.crawler = crawler
        self.db = db

    @classmethod
    def from_crawler(cls, crawler: Any) -> InvestigateExtension:
        settings = crawler.settings
        if not settings.getbool("TRIAGE_INVESTIGATE", True):
            raise NotConfigured  # no message: Scrapy would log a warning
        pipelines = settings.getwithbase("ITEM_PIPELINES")
        if not any((p if isinstance(p, str) else getattr(p, "__name__", "")).endswith(
                "StorePipeline") and v is not None for p, v in pipelines.items()):
            raise NotConfigured  # no store pipeline: nothing stored to investigate
        ext = cls(crawler, settings.get("TRIAGE_DB") or DEFAULT_DB)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    async def spider_closed(self, spider: Any, reason: str) -> None:
        stats = self.crawler.stats
        db = self.crawler.settings.get("TRIAGE_DB") or self.db  # the spider may have set it
        try:
            clusters, reputation = await maybe_deferred_to_future(deferToThread(investigate, db))
        except Exception as exc:  # noqa: BLE001 - the crawl is stored; say what is missing
            log.error("could not cluster pages and score numbers in %s: %s; run `triage "
                      "cluster --db %s` later", db, exc, db)
            return
        stats.set_value("triage/clusters", clusters.clusters)
        stats.set_value("triage/clustered_pages", clusters.clustered_pages)
        stats.set_value("triage/numbers_scored", reputation.numbers)
        stats.set_value("triage/numbers_fraud", reputation.verdicts.get("fraud", 0))
        log.info("%s; %s", clusters.line(), reputation.line())
