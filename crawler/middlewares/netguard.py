"""Request-time guard: no request to a private target leaves the engine.

Start URLs, followed links, redirects (``RedirectMiddleware`` returns a new request) and meta
refresh (``MetaRefreshMiddleware`` likewise) are all scheduled again as requests, so every one
of them passes through :meth:`PrivateAddressMiddleware.process_request` before any connection.
A refused request raises :class:`BlockedRequest`, which reaches the request's errback, so the
spider records the URL with ``error = "blocked: ..."``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawler.middlewares.resolver import SafeHostnameResolver, ensure_installed, installed_resolver
from crawler.netsafety import AllowList, HostVerdicts, check_url, parse_allow_setting

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

log = logging.getLogger(__name__)


class BlockedRequest(IgnoreRequest):
    """A request refused because its target is private (or not HTTP); the message is the reason."""


class PrivateAddressMiddleware:
    """Refuses requests whose URL names a private address or a local host name.

    Allowed targets come from ``TRIAGE_ALLOW_PRIVATE`` (the ``allow_private`` spider argument
    ends up there). On the first request it also makes sure the reactor resolves names through
    :class:`~crawler.middlewares.resolver.SafeHostnameResolver` with the same allow list, so
    that the connection-time check is in place whoever set up the reactor.
    """

    def __init__(self, crawler: Crawler, allow: AllowList) -> None:
        self.crawler = crawler
        self.allow = allow
        self.verdicts = HostVerdicts()
        self._resolver: SafeHostnameResolver | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressMiddleware:
        allow = AllowList(parse_allow_setting(crawler.settings.get("TRIAGE_ALLOW_PRIVATE")))
        return cls(crawler, allow)

    def process_request(self, request: Request) -> None:
        # Checked on every request (an identity test): whoever set up the reactor, or replaced
        # its resolver since, the connection-time check is in place before this request goes.
        if self._resolver is None or installed_resolver() is not self._resolver:
            cache = self.crawler.settings.getint("DNSCACHE_SIZE", 10_000)
            self._resolver = ensure_installed(self.allow, cache)
        reason = check_url(request.url, self.allow, self.verdicts)
        if reason is not None:
            self.crawler.stats.inc_value("triage/blocked")  # type: ignore[union-attr]
            redirected = request.meta.get("redirect_urls")
            via = f" (redirected to {request.url})" if redirected else ""
            # Once per request (an IgnoreRequest is not retried), so `scrapy crawl` shows it.
            log.info("blocked %s: %s%s", request.url, reason, via)
            raise BlockedRequest(f"blocked: {reason}{via}")
        return None
