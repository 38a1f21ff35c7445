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

from crawler.context import crawl_context
from crawler.heap import crawl_heap
from crawler.interrupts import EXIT_CODES, Interrupts
from crawler.progress import CrawlProgress, Snapshot, snapshot

OK_REASONS = ("finished", "closespider_")


@dataclass
class CrawlOutcome:
    """How a crawl ended: Scrapy's finish reason, its stats, or the error that stopped it early."""

    finish_reason: str
    stats: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    summary: Snapshot = field(default_factory=Snapshot)
    interrupted: str = ""  # the first signal's name, "" when none came
    forced: bool = False  # a second signal came

    @property
    def ran_to_end(self) -> bool:
        return not self.interrupted and not self.error and self.finish_reason.startswith(OK_REASONS)

    @property
    def exit_code(self) -> int:
        """0 ran to its end, 130/143/129 stopped by SIGINT/SIGTERM/SIGHUP, 1 otherwise."""
        if self.interrupted:
            return EXIT_CODES.get(self.interrupted, 1)
        return 0 if self.ran_to_end else 1

    def how(self) -> str:
        """How it ended, for the summary line."""
        if not self.interrupted:
            return self.finish_reason
        signame = "Ctrl-C" if self.interrupted == "SIGINT" else self.interrupted
        return f"interrupted by {signame}{' twice' if self.forced else ''}"


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
    interrupts: Interrupts | None = None
    try:
        process = CrawlerProcess(project_settings(settings))
        crawler = process.create_crawler(spider)
        interrupts = Interrupts(process, crawler)
        interrupts.install()  # ours, not Scrapy's: see crawler/interrupts.py
        if progress is not None:
            progress.attach(crawler)

        def failed(failure: Any) -> None:
            failures.append(" ".join(str(failure.value).split()) or type(failure.value).__name__)

        with crawl_heap(crawler):  # GC tuned for the crawl, put back after: see crawler/heap.py
            process.crawl(crawler, **spider_args).addErrback(failed)
            process.start(install_signal_handlers=False)
    finally:
        final = progress.stop() if progress is not None else None
        if interrupts is not None:
            interrupts.restore()
    stats = dict(crawler.stats.get_stats()) if getattr(crawler, "stats", None) else {}
    if final is None:
        final = snapshot(stats, time.monotonic() - started)
    reason = str(stats.get("finish_reason", "not started"))
    context = crawl_context(crawler)
    return CrawlOutcome(reason, stats, failures[0] if failures else "", final,
                        context.interrupted, context.forced)
