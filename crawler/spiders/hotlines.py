"""``hotlines``: fetch start URLs and follow their links, to find fake-hotline pages and farms.

Arguments (``-a NAME=VALUE``; ``triage crawl`` passes the same ones):

- ``start_urls``: comma-separated URLs; ``urls_file``: a file with one URL per line (``#``
  comments); both may be given.
- ``depth`` (default 2): how many links away from a start URL to go (0 = start URLs only).
- ``max_pages`` (default 0 = no limit): URLs tried in all, failures included; the crawl then
  stops scheduling and ends cleanly once the requests in flight are done.
- ``follow_external`` (default false): also follow links to other sites; by default only links
  on the start URLs' sites (registered domain, see :mod:`crawler.spiders.sites`) are followed.
- ``db``: database path or URL (setting ``TRIAGE_DB``).
- ``allow_private``: comma-separated ``HOST[:PORT]`` that may be fetched although private.

Links are followed best-first, most likely hotline spam first, while the setting
``TRIAGE_FOCUSED`` is on (the default; :mod:`crawler.frontier`), else breadth-first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy.http import HtmlResponse, Response
from scrapy.link import Link
from scrapy.linkextractors import LinkExtractor

from crawler.frontier import focus
from crawler.spiders.base import TriageSpider
from crawler.spiders.sites import site_key


class HotlinesSpider(TriageSpider):
    name = "hotlines"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.link_extractor = LinkExtractor(tags=("a", "area"), attrs=("href",), unique=True)

    def parse_start(self, response: Response) -> Iterable[Any]:
        # A start URL that redirects elsewhere makes its final site a start site too.
        self.start_sites.add(site_key(response.url))
        return self.parse_page(response)

    def parse_page(self, response: Response) -> Iterable[Any]:
        """Record the page, then follow its links within the depth and page budget."""
        try:
            item = self.item_from_response(response)
        except Exception as exc:  # a page must never cost us its record
            self.logger.exception("could not record %s", response.url)
            item = self.new_item(response.meta.get("triage_url", response.url))
            item.update(final_url=response.url, status=response.status,
                        error=f"spider error: {type(exc).__name__}: {exc}")
        yield item
        links: list[Link] = []
        if (
            isinstance(response, HtmlResponse)
            and response.status < 400
            and response.meta.get("depth", 0) < self.max_depth
            and not self.budget_exhausted
        ):
            try:
                links = self.link_extractor.extract_links(response)
            except Exception:
                self.logger.exception("could not extract links from %s", response.url)
        # Breadth-first, or best-first within the page budget (TRIAGE_FOCUSED): every response
        # goes through, so the focused frontier knows when a request is done.
        yield from focus(self, response, links)
