"""``CloakingPipeline``: the cloaking matrix, a page as the other client profiles see it.

An item pipeline after the analysis (it needs the verdict) and before the archive and storage.
The crawl fetched the page as its own profile (``TRIAGE_PROFILE``, ``visitor`` by default: a
phone arriving from a search result); for the pages it checks, it fetches the URL again once,
as ``spider`` (Baiduspider, no Referer); only when that version differs from the crawl's does
it fetch the rest of the matrix: ``direct`` (a desktop browser, no Referer) and ``mobile`` (the
visitor's phone without a Referer, which tells referer cloaking from mobile cloaking). The fetches
go through the engine's downloader (the private-address guard and the profile middleware
apply) without following redirects: where a page sends people is evidence, and we do not go.
Versions whose body equals the crawl's reuse its analysis; the others are analysed through
AnalyzePipeline's workers. :func:`pipelines.variants.cloaking_kinds` names what differs
(``user_agent``, ``referer``, ``mobile``, ``redirect``).

Which pages (``TRIAGE_CLOAKING``; :class:`pipelines.items.sampling.Sampler`): ``sample``
(default; ``suspicious`` is an alias): the first ``TRIAGE_CLOAKING_SAMPLE`` pages of each site,
the first page of each new page shape (see the sampler), and every page of a site found
cloaking (pages of that site passed unchecked before the finding are checked then, with the
finding page); ``all``: every analysed page; ``off``. Cloaking is a property of a site's
server, so a sample tells what checking every page would, at a fraction of the fetches.

The check rides on the item (``item["cloaking"]``, and ``item["cloaking_late"]`` for earlier
pages); the store pipeline gives cloaked pages the ``cloaking`` flag, their kinds
(``pages.cloaking_kinds``) and every profile's version (``page_versions``, ``variant`` = the
profile). The responses of the versions go to the archive (``item["cloaking_responses"]``).

Stats: ``triage/cloaking/checked``, ``triage/cloaking/found``, ``triage/cloaking/failed``,
``triage/cloaking/fetches`` (every extra request), ``triage/cloaking/kind/<kind>``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
from typing import Any

import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.context import crawl_context
from crawler.profiles import PROFILE_META, QUERY_META
from crawler.spiders.base import http_exchange, now_iso
from crawler.spiders.sites import site_key
from db.versions import CloakingCheck
from pipelines.items.analyze import run_analysis, wants_analysis
from pipelines.items.sampling import Sampler
from pipelines.types import PageAnalysis
from pipelines.variants import Variant, cloaking_kinds, compare, variant

log = logging.getLogger(__name__)

MODES = ("sample", "suspicious", "all", "off")
OTHERS = ("direct", "spider")  # always fetched; "mobile" only to split referer from mobile


def _same_site(a: str, b: str) -> bool:
    return site_key(a) == site_key(b)


def page_query(item: dict[str, Any], analysis: Any) -> str:
    """The search query a visitor's Referer names: the one that found the page, else its
    brand's after-sales query, else "" (the profile then uses the host name)."""
    if item.get("query"):
        return str(item["query"])
    brands = analysis.brands if isinstance(analysis, PageAnalysis) else ()
    return f"{brands[0]}售后电话" if brands else ""


class CloakingPipeline:
    def __init__(self, crawler: Any, mode: str, sampler: Sampler) -> None:
        self.crawler = crawler
        self.mode = mode
        self.sampler = sampler
        self.own = str(crawler.settings.get("TRIAGE_PROFILE", "visitor") or "visitor")
        self.context = crawl_context(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CloakingPipeline:
        settings = crawler.settings
        mode = str(settings.get("TRIAGE_CLOAKING", "sample")).strip().lower()
        if mode not in MODES:
            raise NotConfigured(f"TRIAGE_CLOAKING must be one of {', '.join(MODES)}, got {mode!r}")
        if mode == "off":
            raise NotConfigured  # no message: Scrapy would log a warning
        sampler = Sampler(first=settings.getint("TRIAGE_CLOAKING_SAMPLE", 3),
                          templates_per_site=settings.getint(
                              "TRIAGE_CLOAKING_TEMPLATES_PER_SITE", 3),
                          everything=mode == "all")
        return cls(crawler, "sample" if mode == "suspicious" else mode, sampler)

    async def _download(self, url: str, profile: str, query: str) -> Any:
        """The response, or the one-line reason there is none (blocked, timeout, refused)."""
        self.crawler.stats.inc_value("triage/cloaking/fetches")
        request = scrapy.Request(url, dont_filter=True, meta={
            "dont_redirect": True, "handle_httpstatus_all": True, "triage_cloaking": True,
            PROFILE_META: profile, QUERY_META: query})
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
            analyse = self.context.analyse  # AnalyzePipeline's worker pool
            if analyse is not None:
                result = await analyse(body, response.url, content_type or None)
            else:
                result = await maybe_deferred_to_future(
                    deferToThread(run_analysis, body, response.url, content_type or None))
            analysis = result if isinstance(result, PageAnalysis) else None
        location = response.headers.get("Location", b"").decode("latin-1")
        return variant(name, url=url, status=response.status, final_url=response.url, body=body,
                       location=location, analysis=analysis, fetched_at=when)

    def _own_version(self, item: dict[str, Any]) -> Variant:
        """The crawl's own fetch as a version (no extra request)."""
        analysis = item.get("analysis")
        v = variant(self.own, url=item["url"], status=int(item.get("status") or 0),
                    final_url=item.get("final_url") or item["url"], body=b"",
                    analysis=analysis if isinstance(analysis, PageAnalysis) else None,
                    fetched_at=str(item.get("fetched_at") or ""))
        return dataclasses.replace(v, content_hash=item.get("content_hash") or "")

    async def _fetch(self, names: list[str], url: str, query: str, when: str,
                     known: tuple[str, PageAnalysis | None], responses: dict[str, Any],
                     versions: dict[str, Variant]) -> None:
        got = await asyncio.gather(*(self._download(url, n, query) for n in names))
        for name, response in zip(names, got, strict=True):
            responses[name] = response
            versions[name] = await self._variant(name, url, response, when, known)

    async def matrix(self, url: str, query: str, own: Variant | None,
                     known: tuple[str, PageAnalysis | None]) -> tuple[CloakingCheck, list[Any]]:
        """Fetch ``url`` as the other profiles; the check and the responses worth archiving.

        One fetch settles most pages: as ``spider``, the client a cloaker treats most unlike a
        visitor (whatever it shows only to spiders, or only to people, or only to people from a
        search result, differs between the two). Only a difference brings the rest of the
        matrix (``direct`` and ``mobile``). ``own`` None (a page checked late): the crawl's
        profile is fetched again first."""
        when = now_iso()
        responses: dict[str, Any] = {}
        versions: dict[str, Variant] = {}
        if own is None:
            await self._fetch([self.own], url, query, when, known, responses, versions)
            own = versions[self.own]
        else:
            versions[self.own] = own
        first = "spider"
        await self._fetch([first], url, query, when, known, responses, versions)
        if compare(own, versions[first], url, _same_site)[0]:
            rest = [n for n in (*OTHERS, "mobile") if n not in versions]
            await self._fetch(rest, url, query, when, known, responses, versions)
        if any(v.error for v in versions.values()):
            self.crawler.stats.inc_value("triage/cloaking/failed")
        kinds, reasons = cloaking_kinds(versions, url, _same_site)
        if not reasons:
            return CloakingCheck(url, (), ()), []
        rows = tuple(v.to_row() | {"fetched_at": v.fetched_at} for v in versions.values()
                     if not v.error)
        kept = [{"profile": n, "url": url, "status": r.status, "body": r.body or b"",
                 "http": http_exchange(r), "fetched_at": when}
                for n, r in responses.items() if not isinstance(r, str)]
        return CloakingCheck(url, tuple(reasons), rows, tuple(kinds)), kept

    def _found(self, url: str, check: CloakingCheck) -> None:
        stats = self.crawler.stats
        stats.inc_value("triage/cloaking/found")
        for kind in check.kinds:
            stats.inc_value(f"triage/cloaking/kind/{kind}")
        log.info("cloaking on %s (%s): %s", url, ", ".join(check.kinds), "; ".join(check.reasons))

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        analysis = item.get("analysis")
        page = item.get("final_url") or item.get("url", "")
        site = site_key(item.get("url", ""))
        if isinstance(analysis, PageAnalysis) and analysis.brands:
            self.context.site_queries.setdefault(site, f"{analysis.brands[0]}售后电话")
        if item.get("status") != 200 or not isinstance(analysis, PageAnalysis):
            return item
        if not self.sampler.wanted(site, analysis, page, item["url"]):
            return item
        url = item["url"]  # as linked: where the cloaker decides whom to send where
        self.crawler.stats.inc_value("triage/cloaking/checked")
        known = (item.get("content_hash") or "", analysis)
        check, kept = await self.matrix(url, page_query(item, analysis), self._own_version(item),
                                        known)
        item["cloaking"] = check
        if check.reasons:
            self._found(url, check)
            item["cloaking_responses"] = kept
            late = self.sampler.found(site)
            if late:  # pages of this site passed unchecked before: checked now, with this one
                item["cloaking_late"], item["cloaking_late_responses"] = await self._late(late)
        return item

    async def _late(self, urls: list[str]) -> tuple[list[CloakingCheck], list[Any]]:
        checks: list[CloakingCheck] = []
        kept: list[Any] = []
        for url in urls:
            self.crawler.stats.inc_value("triage/cloaking/checked")
            check, responses = await self.matrix(url, "", None, ("", None))
            checks.append(check)
            if check.reasons:
                self._found(url, check)
                kept += responses
        return checks, kept
