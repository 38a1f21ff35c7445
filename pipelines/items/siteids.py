"""``SiteIdentifiersPipeline``: the identifiers a site has once, not per page (issue 14).

For the first fetched page of every host (host and port, as ``pages.domain``) it asks for the
site's ``/favicon.ico`` once, through the engine's downloader (so the private-address guard and
every downloader middleware apply), and puts the favicon's hashes on that page's item
(``item["site_identifiers"]``: ``favicon_mmh3``, Shodan's MurmurHash3 of the base64, and
``favicon_sha256``); the store pipeline writes them to ``page_identifiers`` with the page. The
address each server answered from is read by the spider from every response
(``item["server_ip"]``) and needs no request.

Setting ``TRIAGE_SITE_IDENTIFIERS`` (default on). Stats: ``triage/favicons/fetched``,
``triage/favicons/missing``.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import NotConfigured

from crawler.spiders.base import host_of
from pipelines.identifiers import favicon_hashes
from pipelines.types import PageAnalysis

log = logging.getLogger(__name__)
MAX_FAVICON = 1024 * 1024


class SiteIdentifiersPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> SiteIdentifiersPipeline:
        if not crawler.settings.getbool("TRIAGE_SITE_IDENTIFIERS", True):
            raise NotConfigured
        return cls(crawler)

    async def _favicon(self, url: str) -> bytes:
        request = scrapy.Request(url, dont_filter=True, meta={
            "handle_httpstatus_all": True, "download_maxsize": MAX_FAVICON,
            "triage_favicon": True})
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as exc:  # noqa: BLE001 - no favicon is no identifier
            log.debug("no favicon at %s: %s", url, exc)
            return b""
        content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if response.status != 200 or "html" in content_type or "text" in content_type:
            return b""
        return bytes(response.body or b"")

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if item.get("status") != 200 or not isinstance(item.get("analysis"), PageAnalysis):
            return item
        page = item.get("final_url") or item["url"]
        site = host_of(page)
        if not site or site in self.seen:
            return item
        self.seen.add(site)
        parts = urlsplit(page)
        data = await self._favicon(f"{parts.scheme}://{parts.netloc}/favicon.ico")
        stats = self.crawler.stats
        if data:
            stats.inc_value("triage/favicons/fetched")
            item["site_identifiers"] = favicon_hashes(data)
        else:
            stats.inc_value("triage/favicons/missing")
        return item
