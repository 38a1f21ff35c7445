"""``FrontierMiddleware``: records each request the spider yields, and when a callback is over.

It runs last among the spider middlewares (closest to the engine), so it sees requests after
depth and length filters. A request is written to the frontier (PENDING) the moment the spider
yields it, before Scrapy's parallel output processing hands it to the scheduler; once the
callback's output is exhausted, every link of the page is on disk and the page is marked
PARSED. A crash before that leaves the page unfinished, and the resumed job fetches it again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.exceptions import NotConfigured

from crawler.context import crawl_context
from crawler.jobdir import job_state
from crawler.jobdir.scheduler import request_key
from crawler.jobdir.state import PARSED, PENDING, STORED, dumps, url_key

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response


class FrontierMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierMiddleware:
        if not crawler.settings.get("TRIAGE_JOB_DIR"):
            raise NotConfigured  # no message: Scrapy would log a warning
        mw = cls(crawler)
        crawl_context(crawler).stored_hooks.append(mw.stored)
        return mw

    def stored(self, batch: list[tuple[str, int]]) -> None:
        """A batch of pages is committed to the database: they are STORED. A page with no
        response (status 0) had no callback, so nothing is left to parse either. A page lost
        with an unwritten batch (``kill -9``) stays unstored and is fetched again on resume."""
        state = job_state(self.crawler)
        state.mark([url_key(u) for u, _ in batch], STORED)
        state.mark([url_key(u) for u, status in batch if status == 0], PARSED)

    def _record(self, output: Any) -> None:
        if isinstance(output, Request):
            blob = dumps(output.to_dict(spider=self.crawler.spider))
            job_state(self.crawler).record(request_key(output), blob, output.priority, PENDING)

    def _parsed(self, response: Response) -> None:
        key = url_key(response.meta.get("triage_url") or response.url)
        job_state(self.crawler).mark([key], PARSED)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        for output in result:
            self._record(output)
            yield output
        self._parsed(response)

    async def process_spider_output_async(self, response: Response,
                                          result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in result:
            self._record(output)
            yield output
        self._parsed(response)
