"""``CloakingPipeline``: fetch suspicious pages again as Baidu's spider and as a browser.

An item pipeline placed after the analysis (it needs the verdict) and before storage. For each
page it should check (``TRIAGE_CLOAKING``: ``"suspicious"`` (default) = pages the engine calls
spam or scores at least ``TRIAGE_CLOAKING_MIN_SCORE``, and pages that send visitors to another
site (an HTTP or meta redirect the crawl followed, or a meta/script redirect the engine found,
``PageAnalysis.redirect``); ``"all"`` = every analysed page; ``"off"``) it downloads the URL
twice through the engine's downloader (so the private-address guard and every downloader
middleware apply, but redirects are not followed: where a page sends people is
evidence, and we do not visit it): once with the Baiduspider user agent and once with a desktop
browser's, both with a Baidu search-results ``Referer`` (``TRIAGE_CLOAKING_REFERER``, ``{q}``
replaced by the page's brand), both at once. Identical answers end the check there (most
pages); otherwise both versions are analysed (a body identical to the crawl's own reuses its
analysis) and compared (:func:`pipelines.variants.differences`). The check rides on the item
(``item["cloaking"]``): the store pipeline gives cloaked pages the ``cloaking`` flag and their
two versions in ``page_versions`` with the page's batch (:func:`db.versions.save_cloaking`).

Stats: ``triage/cloaking/checked``, ``triage/cloaking/found``, ``triage/cloaking/failed``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import Any
from urllib.parse import quote

import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.context import crawl_context
from crawler.spiders.base import now_iso
from crawler.spiders.sites import site_key
from db.versions import CloakingCheck
from pipelines.items.analyze import run_analysis, wants_analysis
from pipelines.types import SPAM_VERDICTS, PageAnalysis
from pipelines.variants import BROWSER, CRAWLER, Variant, differences, variant

log = logging.getLogger(__name__)

MODES = ("suspicious", "all", "off")
SPIDER_UA = "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"
BROWSER_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/126.0.0.0 Safari/537.36")
REFERER = "https://www.baidu.com/s?wd={q}"


def _same_site(a: str, b: str) -> bool:
    return site_key(a) == site_key(b)


def _same_answer(a: Any, b: Any) -> bool:
    """Both clients got the same status, redirect target and body."""
    return (a.status == b.status and a.headers.get("Location") == b.headers.get("Location")
            and a.body == b.body)


class CloakingPipeline:
    def __init__(self, crawler: Any, mode: str, min_score: float, referer: str) -> None:
        self.crawler = crawler
        self.mode = mode
        self.min_score = min_score
        self.referer = referer

    @classmethod
    def from_crawler(cls, crawler: Any) -> CloakingPipeline:
        settings = crawler.settings
        mode = str(settings.get("TRIAGE_CLOAKING", "suspicious")).strip().lower()
        if mode not in MODES:
            raise NotConfigured(f"TRIAGE_CLOAKING must be one of {', '.join(MODES)}, got {mode!r}")
        if mode == "off":
            raise NotConfigured  # no message: Scrapy would log a warning
        return cls(crawler, mode, settings.getfloat("TRIAGE_CLOAKING_MIN_SCORE", 0.3),
                   settings.get("TRIAGE_CLOAKING_REFERER", REFERER))

    def wanted(self, item: dict[str, Any]) -> bool:
        if item.get("status") != 200:
            return False
        analysis = item.get("analysis")
        page = item.get("final_url") or item["url"]
        if self.mode == "suspicious" and not _same_site(page, item["url"]):
            return True  # an HTTP or meta redirect the crawl followed to another site
        if not isinstance(analysis, PageAnalysis):
            return False
        if self.mode == "suspicious" and analysis.redirect and not _same_site(
                analysis.redirect, page):
            return True  # a meta or script redirect to another site, a typical stub
        return self.mode == "all" or analysis.verdict in SPAM_VERDICTS or analysis.score >= self.min_score

    async def _download(self, url: str, headers: dict[str, str]) -> Any:
        """The response, or the one-line reason there is none (blocked, timeout, refused)."""
        request = scrapy.Request(url, headers=headers, dont_filter=True, meta={
            "dont_redirect": True, "handle_httpstatus_all": True, "triage_cloaking": True})
        try:
            return await self.crawler.engine.download_async(request)
        except Exception as exc:  # noqa: BLE001 - no response is no evidence
            return str(exc)[:200] or type(exc).__name__

    async def _variant(self, name: str, url: str, response: Any, when: str,
                       known: tuple[str, PageAnalysis | None]) -> Variant:
        """A fetched version, analysed unless its body is the one the crawl analysed."""
        if isinstance(response, str):
            return Variant(name, 0, "", fetched_at=when, error=response)
        body = response.body or b""
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        analysis: PageAnalysis | None = None
        if body and hashlib.sha256(body).hexdigest() == known[0]:
            analysis = known[1]
        elif body and wants_analysis({"body": body, "headers": {"content-type": content_type}}):
            analyse = crawl_context(self.crawler).analyse  # AnalyzePipeline's worker pool
            if analyse is not None:
                result = await analyse(body, response.url, content_type or None)
            else:
                result = await maybe_deferred_to_future(
                    deferToThread(run_analysis, body, response.url, content_type or None))
            analysis = result if isinstance(result, PageAnalysis) else None
        location = response.headers.get("Location", b"").decode("latin-1")
        return variant(name, url=url, status=response.status, final_url=response.url, body=body,
                       location=location, analysis=analysis, fetched_at=when)

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if not self.wanted(item):
            return item
        url = item["url"]  # as linked: where the cloaker decides whom to send where
        analysis = item.get("analysis")
        brands = analysis.brands if isinstance(analysis, PageAnalysis) else ()
        query = quote(f"{brands[0]}售后电话" if brands else site_key(url))
        referer = self.referer.replace("{q}", query)
        stats = self.crawler.stats
        stats.inc_value("triage/cloaking/checked")
        when = now_iso()
        spider_r, browser_r = await asyncio.gather(
            self._download(url, {"User-Agent": SPIDER_UA, "Referer": referer}),
            self._download(url, {"User-Agent": BROWSER_UA, "Referer": referer}))
        if isinstance(spider_r, str) or isinstance(browser_r, str):
            stats.inc_value("triage/cloaking/failed")
            return item
        if _same_answer(spider_r, browser_r):  # most pages: nothing to analyse again
            item["cloaking"] = CloakingCheck(item["url"], (), ())
            return item
        known = (item.get("content_hash") or "",
                 analysis if isinstance(analysis, PageAnalysis) else None)
        as_spider = await self._variant(CRAWLER, url, spider_r, when, known)
        as_browser = await self._variant(BROWSER, url, browser_r, when, known)
        reasons = differences(as_spider, as_browser, url, same_site=_same_site)
        if reasons:
            stats.inc_value("triage/cloaking/found")
            log.info("cloaking on %s: %s", item["url"], "; ".join(reasons))
        # Versions are kept only as evidence of cloaking; a clean check only clears the flag.
        versions = tuple(v.to_row() | {"fetched_at": v.fetched_at}
                         for v in (as_spider, as_browser)) if reasons else ()
        item["cloaking"] = CloakingCheck(item["url"], tuple(reasons), versions)
        return item
