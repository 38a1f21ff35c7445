"""``sitemap``: fetch the pages a site lists in its sitemaps.

Start URLs may be sitemaps (``sitemap.xml``, ``.xml.gz``, sitemap indexes), ``robots.txt``
files (their ``Sitemap:`` lines are read) or site roots (``/robots.txt`` is read, and
``/sitemap.xml`` tried when it names no sitemap). Scrapy's :class:`SitemapSpider` machinery
parses the documents (gzip with the size cap, indexes, alternates); this spider adds the shared
arguments (see :mod:`crawler.spiders.hotlines`), the page budget and one item per URL tried,
sitemap documents included (they carry no body, so they are not analysed). Page URLs on
other sites than the start URLs' are skipped unless ``follow_external`` is set; ``depth`` is
not used (sitemap indexes are followed up to :data:`MAX_NESTING` levels).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy.http import Response
from scrapy.spiders import SitemapSpider
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.spiders.base import TriageSpider

MAX_NESTING = 5


def is_site_root(url: str) -> bool:
    return urlsplit(url).path in ("", "/") and not urlsplit(url).query


class SitemapTriageSpider(TriageSpider, SitemapSpider):
    name = "sitemap"

    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_urls:
            target = urljoin(url, "/robots.txt") if is_site_root(url) else url
            if self.claim(target):
                yield self.make_request(target, self.parse_document, depth=0)

    def parse_document(self, response: Response) -> Iterable[Any]:
        """A robots.txt, sitemap or sitemap index: record it, then request what it lists."""
        item = self.item_from_response(response, keep_body=False)
        depth = response.meta.get("depth", 0)
        documents: list[str] = []
        pages: list[str] = []
        if response.status < 400 and urlsplit(response.url).path.endswith("/robots.txt"):
            documents = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        elif response.status < 400:
            body = self._get_sitemap_body(response)
            sitemap = Sitemap(body) if body else None
            if sitemap is not None and sitemap.type == "sitemapindex":
                documents = list(self._get_urls_from_sitemapindex(self.sitemap_filter(sitemap)))
            elif sitemap is not None and sitemap.type == "urlset":
                pages = [loc for loc, _ in self._get_urls_and_callbacks_from_urlset(
                    self.sitemap_filter(sitemap))]
            else:
                item["error"] = "; ".join(filter(None, [item["error"], "not a sitemap"]))
        is_robots = urlsplit(response.meta.get("triage_url", "")).path.endswith("/robots.txt")
        if is_robots and not documents and depth == 0:
            documents = [urljoin(response.url, "/sitemap.xml")]  # the conventional place
        yield item
        if depth >= MAX_NESTING:
            return
        for url in documents:
            if self.claim(url):
                yield self.make_request(url, self.parse_document, depth=depth + 1,
                                        referrer=response.url)
        yield from self.links_to_follow(response, pages)

    def parse_page(self, response: Response) -> Iterable[Any]:
        """A page listed in a sitemap: recorded and analysed, its links not followed."""
        yield self.item_from_response(response)
