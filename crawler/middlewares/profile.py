"""``ProfileMiddleware``: every request goes out as one client profile (:mod:`crawler.profiles`).

The crawl's own requests use ``TRIAGE_PROFILE`` (``visitor`` by default: a phone arriving from a
search-results page, what a victim sees); a request naming another profile in
``request.meta["triage_profile"]`` (the cloaking matrix) gets that one. The profile's headers
replace the User-Agent and the Referer (Scrapy's RefererMiddleware would send the linking page;
a cloaker looks for a search engine there). The search query in the Referer is, in order: the
request's ``triage_query`` (the query that found the page, when discovery knows it), the brand
the crawl has seen on the site (``CrawlContext.site_queries``, filled after analysis), else the
site's host name (the first request of a site: the brand is not known yet).

The profile and the Referer sent are left in ``request.meta`` (``triage_profile``,
``triage_referer``) for the item and the archive.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import NotConfigured

from crawler.context import crawl_context
from crawler.profiles import PROFILE_META, QUERY_META, Profile, profiles_from_settings
from crawler.spiders.sites import site_key


class ProfileMiddleware:
    def __init__(self, crawler: Any, profiles: dict[str, Profile], default: str) -> None:
        self.crawler = crawler
        self.profiles = profiles
        self.default = default
        self.context = crawl_context(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProfileMiddleware:
        try:
            profiles = profiles_from_settings(crawler.settings)
        except ValueError as exc:
            raise NotConfigured(str(exc)) from None
        default = str(crawler.settings.get("TRIAGE_PROFILE", "visitor") or "").strip()
        if default and default not in profiles:
            raise ValueError(f"TRIAGE_PROFILE {default!r} is not in TRIAGE_PROFILES "
                             f"({', '.join(profiles)})")
        return cls(crawler, profiles, default)

    def process_request(self, request: Any) -> None:
        name = request.meta.get(PROFILE_META) or self.default
        profile = self.profiles.get(name)
        if profile is None:
            return None
        query = request.meta.get(QUERY_META) or self.context.site_queries.get(
            site_key(request.url), "")
        headers = profile.headers(request.url, query)
        request.headers["User-Agent"] = headers["User-Agent"]
        if "Referer" in headers:
            request.headers["Referer"] = headers["Referer"]
        else:
            request.headers.pop("Referer", None)
        request.meta[PROFILE_META] = name
        request.meta["triage_referer"] = headers.get("Referer", "")
        return None
