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

from crawler.jobdir import job_state
from crawler.jobdir.scheduler import request_key
from crawler.jobdir.state import PARSED, PENDING, dumps, url_key

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response


class FrontierMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierMiddleware:
        return cls(crawler)

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
