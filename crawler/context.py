"""One typed context per crawl, shared by the components Scrapy builds for that crawl.

Scrapy builds every component separately through ``from_crawler``; some must hand each other
something: the analysis pool (the cloaking check analyses through it), the stored content
hashes of pages looked up for conditional requests (the skip-unchanged pipeline reads them),
the job state of a crash-safe crawl, what earlier crawls taught the focused frontier, and the
database engine the joining components share. They fill and read :class:`CrawlContext`
(:func:`crawl_context`) instead of setting attributes on the crawler.

Crawler components (spiders, middlewares, the job directory) only read what the joining
components (``pipelines/items/``) put here; nothing here imports the engine or the database.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

MAX_KNOWN = 50_000

Analyse = Callable[[bytes, str, "str | None"], Awaitable[Any]]
StoredHook = Callable[[list[tuple[str, int]]], None]


class KnownPages(OrderedDict[str, str]):
    """url -> stored content hash of pages requested this crawl (bounded, oldest dropped)."""

    def remember(self, url: str, content_hash: str) -> None:
        self[url] = content_hash
        while len(self) > MAX_KNOWN:
            self.popitem(last=False)


@dataclass
class CrawlContext:
    """What the components of one crawl share."""

    # The engine on one page where AnalyzePipeline runs it (its worker pool), or None.
    analyse: Analyse | None = None
    # Pages the conditional middleware looked up: url -> content hash stored for it.
    known_pages: KnownPages = field(default_factory=KnownPages)
    # The job directory's state (crawler.jobdir.state.JobState) of a crash-safe crawl.
    job: Any = None
    # Called on the reactor thread with (url, status) of each batch once it is committed.
    stored_hooks: list[StoredHook] = field(default_factory=list)
    # Focused crawling: domains and brands of spam pages stored by earlier crawls, and the
    # engine's product-category test for anchor text (set by the joining components).
    spam_domains: set[str] = field(default_factory=set)
    spam_brands: frozenset[str] = frozenset()
    topic: Callable[[str], bool] | None = None
    # Site (crawler.spiders.sites.site_key) -> the brand its pages claim, the search query the
    # visitor profile's Referer names (filled by the cloaking pipeline after analysis).
    site_queries: dict[str, str] = field(default_factory=dict)
    # AnalyzePipeline keeps item["body"] for a later pipeline (the WARC archive) when set.
    keep_bodies: bool = False
    # The SQLAlchemy engine of TRIAGE_DB, opened once per crawl by the joining components.
    db_engine: Any = None
    # How the crawl is being stopped (crawler/runner.py): the first signal's name ("SIGINT",
    # "SIGTERM", "SIGHUP"; "" = not interrupted), and whether a second signal asked to stop
    # analysing (pages still waiting for analysis are then stored as fetched, not analysed).
    interrupted: str = ""
    forced: bool = False
    # Called on the reactor thread when a second signal forces the stop.
    force_hooks: list[Callable[[], None]] = field(default_factory=list)

    def outcome(self, reason: str) -> str:
        """The run's outcome for ``crawl_runs.outcome``: Scrapy's reason, or how it was stopped."""
        if not self.interrupted:
            return reason
        return f"interrupted: {self.interrupted}{' twice' if self.forced else ''}"


_contexts: weakref.WeakKeyDictionary[Any, CrawlContext] = weakref.WeakKeyDictionary()


def crawl_context(crawler: Any) -> CrawlContext:
    """The context of ``crawler``'s crawl (created on first use)."""
    context = _contexts.get(crawler)
    if context is None:
        context = _contexts[crawler] = CrawlContext()
    return context
