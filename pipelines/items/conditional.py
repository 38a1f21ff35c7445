"""Conditional re-visits: a known page is asked for with ``If-None-Match``/``If-Modified-Since``.

For each GET of a URL the database already holds, the page's stored validators (``etag``,
``last_modified``, kept from the last response) go into the request, so an unchanged page costs
the server a ``304 Not Modified`` and us no analysis: the spider records the 304 as a fetch,
and the store keeps the page's last analysis. The stored content hash is remembered for the
URL (:class:`KnownPages`), so a server without validators that sends the same body again is
not analysed again either (:mod:`pipelines.items.unchanged`).

Only pages whose links the crawl will not follow are asked for conditionally (the deepest
level, and every page of ``triage crawl --recrawl``, which follows no links by default): a 304
has no body, so no links, and stored pages keep none. Pages the crawl follows links from are
fetched in full, and an unchanged body is still not analysed again. Lookups run in a thread,
one indexed query per request, and only when the database held pages when the crawl started (a
first crawl pays nothing). Redirected requests are sent as they are: their validators would
belong to another URL.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy import Engine, create_engine, select
from twisted.internet.threads import deferToThread

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

log = logging.getLogger(__name__)
MAX_KNOWN = 50_000


class KnownPages(OrderedDict[str, str]):
    """url -> stored content hash of pages requested this crawl (bounded, oldest dropped)."""

    def remember(self, url: str, content_hash: str) -> None:
        self[url] = content_hash
        while len(self) > MAX_KNOWN:
            self.popitem(last=False)


def known_pages(crawler: Any) -> KnownPages:
    known = getattr(crawler, "triage_known_pages", None)
    if known is None:
        known = crawler.triage_known_pages = KnownPages()
    return known


class ConditionalMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db = crawler.settings.get("TRIAGE_DB") or ""
        self.engine: Engine | None = None
        self.active = False
        self.known = known_pages(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalMiddleware:
        mw = cls(crawler)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    async def spider_opened(self) -> None:
        try:
            self.active = await maybe_deferred_to_future(deferToThread(self._open))
        except Exception as exc:  # noqa: BLE001 - plain requests then; the store reports DB errors
            log.warning("conditional requests off: %s", exc)
            self.active = False

    def _open(self) -> bool:
        from db.engine import to_url
        from db.models import Page

        self.engine = create_engine(to_url(self.db))
        with self.engine.connect() as conn:
            return conn.execute(select(Page.id).limit(1)).first() is not None

    def spider_closed(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    def _lookup(self, url: str) -> tuple[str | None, str | None, str] | None:
        from db.models import Page

        assert self.engine is not None
        with self.engine.connect() as conn:
            row = conn.execute(select(Page.etag, Page.last_modified, Page.content_hash)
                               .where(Page.url == url)).first()
        return (row[0], row[1], row[2] or "") if row is not None else None

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
            self.crawler.stats.inc_value("triage/conditional")  # type: ignore[union-attr]
        return

    def _links_needed(self, request: Request) -> bool:
        """Whether the crawl will follow this page's links: then it needs the body, not a 304
        (we keep no links of stored pages). Sitemap documents always list what to fetch."""
        callback = getattr(request.callback, "__name__", "")
        depth = request.meta.get("depth", 0)
        return callback == "parse_document" or depth < getattr(self.crawler.spider, "max_depth", 0)

    def process_response(self, request: Request, response: Any) -> Any:
        if response.status == 304:
            self.crawler.stats.inc_value("triage/not_modified")  # type: ignore[union-attr]
        return response
