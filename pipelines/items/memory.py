"""What a crawl remembers of earlier crawls: conditional re-visits, unchanged bodies left
unanalysed, and the spam domains and brands the focused frontier starts from.

- :class:`ConditionalMiddleware` (downloader middleware): for each GET of a URL the database
  already holds, the page's stored validators (``etag``, ``last_modified``) go into the request,
  so an unchanged page costs the server a ``304 Not Modified`` and us no analysis. The stored
  content hash is remembered (:attr:`crawler.context.CrawlContext.known_pages`), so a server
  without validators that sends the same body again is not analysed again either. Only pages
  whose links the crawl will not follow are asked for conditionally (the deepest level, and
  every page of ``triage crawl --recrawl``): a 304 has no body, so no links. Lookups run in a
  thread, one indexed query per request, and only when the database held pages when the crawl
  started (a first crawl pays nothing). Redirected requests go as they are: their validators
  would belong to another URL.
- :class:`SkipUnchangedPipeline` (item pipeline, before the analysis): a body whose hash equals
  the stored one is dropped, so the page is stored as a fetch and keeps its analysis, numbers
  and history. Counted as ``triage/unchanged``. A ``304`` is a successful fetch: the spider's
  "redirect not followed" note (any other 3xx) is cleared.
- :class:`SpamPriors` (extension): when the spider opens, the domains and brands of stored spam
  pages, and the engine's product-category test, go into the crawl context for
  :class:`crawler.priority.LinkScorer`.

All three follow ``TRIAGE_CONDITIONAL`` (default on) or ``TRIAGE_FOCUSED`` and share the
crawl's one database engine (:mod:`pipelines.items.database`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.context import crawl_context
from db import known
from pipelines.items.database import engine_async, engine_for

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

log = logging.getLogger(__name__)


class ConditionalMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.active = False
        self.known = crawl_context(crawler).known_pages

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalMiddleware:
        if not crawler.settings.getbool("TRIAGE_CONDITIONAL", True):
            raise NotConfigured  # no message: Scrapy would log a warning
        mw = cls(crawler)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    async def spider_opened(self) -> None:
        try:
            self.active = await maybe_deferred_to_future(deferToThread(self._has_pages))
        except Exception as exc:  # noqa: BLE001 - plain requests then; the store reports DB errors
            log.warning("conditional requests off: %s", exc)
            self.active = False

    def _has_pages(self) -> bool:
        with engine_for(self.crawler).connect() as conn:
            return known.has_pages(conn)

    def _lookup(self, url: str) -> tuple[str | None, str | None, str] | None:
        with engine_for(self.crawler).connect() as conn:
            return known.validators(conn, url)

    async def process_request(self, request: Request) -> None:
        if (not self.active or request.method != "GET" or request.meta.get("redirect_urls")
                or b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers):
            return
        url = request.meta.get("triage_url") or request.url
        try:
            found = await maybe_deferred_to_future(deferToThread(self._lookup, url))
        except Exception as exc:  # noqa: BLE001 - an unconditional request is still a request
            log.debug("no validators for %s: %s", url, exc)
            return
        if found is None:
            return
        etag, last_modified, content_hash = found
        if content_hash:
            self.known.remember(url, content_hash)
        if self._links_needed(request):
            return
        if etag:
            request.headers[b"If-None-Match"] = etag.encode("latin-1", "replace")
        if last_modified:
            request.headers[b"If-Modified-Since"] = last_modified.encode("latin-1", "replace")
        if etag or last_modified:
            self.crawler.stats.inc_value("triage/conditional")

    def _links_needed(self, request: Request) -> bool:
        """Whether the crawl will follow this page's links: then it needs the body, not a 304
        (we keep no links of stored pages). Sitemap documents always list what to fetch."""
        callback = getattr(request.callback, "__name__", "")
        depth = request.meta.get("depth", 0)
        return callback == "parse_document" or depth < getattr(self.crawler.spider, "max_depth", 0)

    def process_response(self, request: Request, response: Any) -> Any:
        if response.status == 304:
            self.crawler.stats.inc_value("triage/not_modified")
        return response


class SkipUnchangedPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.known = crawl_context(crawler).known_pages

    @classmethod
    def from_crawler(cls, crawler: Any) -> SkipUnchangedPipeline:
        if not crawler.settings.getbool("TRIAGE_CONDITIONAL", True):
            raise NotConfigured  # no message: Scrapy would log a warning
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if item.get("status") == 304 and item.get("error", "").startswith("redirect not followed"):
            item["error"] = ""  # 304 Not Modified: a successful, conditional fetch
        stored_hash = self.known.pop(item.get("url", ""), None)
        if stored_hash and item.get("body") and item.get("content_hash") == stored_hash:
            item["body"] = b""
            self.crawler.stats.inc_value("triage/unchanged")
        return item


class SpamPriors:
    """Fills the crawl context with what focused crawling starts from."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> SpamPriors:
        if not crawler.settings.getbool("TRIAGE_FOCUSED", True):
            raise NotConfigured  # no message: Scrapy would log a warning
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        return ext

    async def spider_opened(self) -> None:
        from pipelines.lexicon import names_category

        context = crawl_context(self.crawler)
        context.topic = names_category
        try:
            engine = await engine_async(self.crawler)
            domains, brands = await maybe_deferred_to_future(deferToThread(_priors, engine))
        except Exception:  # noqa: BLE001 - an old or busy database: start without history
            return
        context.spam_domains.update(domains)
        context.spam_brands = brands


def _priors(engine: Any) -> tuple[set[str], frozenset[str]]:
    with engine.connect() as conn:
        return known.spam_priors(conn)
