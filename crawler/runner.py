"""Running one crawl in this process, for ``triage crawl`` and ``triage demo``.

Twisted's reactor cannot be restarted, so this runs at most one crawl per process. Settings are
the project's (``crawler.settings``) loaded directly, not through a ``scrapy.cfg`` found in the
working directory, so ``triage crawl`` behaves the same wherever it is run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.progress import CrawlProgress, Snapshot, snapshot

OK_REASONS = ("finished", "closespider_")


@dataclass
class CrawlOutcome:
    """How a crawl ended: Scrapy's finish reason, its stats, or the error that stopped it early."""

    finish_reason: str
    stats: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    summary: Snapshot = field(default_factory=Snapshot)

    @property
    def ran_to_end(self) -> bool:
        return not self.error and self.finish_reason.startswith(OK_REASONS)


def project_settings(overrides: dict[str, Any] | None = None) -> Settings:
    """The project's settings with ``overrides`` applied at command-line priority."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    if overrides:
        settings.setdict(overrides, priority="cmdline")
    return settings


def run_crawl(spider: str, spider_args: dict[str, Any], *, settings: dict[str, Any] | None = None,
              progress: CrawlProgress | None = None) -> CrawlOutcome:
    """Run spider ``spider`` with ``spider_args`` to its end and say how it ended."""
    if progress is not None:
        progress.start()  # before Scrapy's log handler, see CrawlProgress.start
    started = time.monotonic()
    failures: list[str] = []
    try:
        process = CrawlerProcess(project_settings(settings))
        crawler = process.create_crawler(spider)
        if progress is not None:
            progress.attach(crawler)
        deferred = process.crawl(crawler, **spider_args)

        def failed(failure: Any) -> None:
            failures.append(" ".join(str(failure.value).split()) or type(failure.value).__name__)

        deferred.addErrback(failed)
        process.start()
    finally:
        final = progress.stop() if progress is not None else None
    stats = dict(crawler.stats.get_stats()) if getattr(crawler, "stats", None) else {}
    if final is None:
        final = snapshot(stats, time.monotonic() - started)
    reason = str(stats.get("finish_reason", "not started"))
    return CrawlOutcome(reason, stats, failures[0] if failures else "", final)
