"""What our spiders share: their arguments, the page budget, and one item per URL tried.

Every option is a spider argument (``scrapy crawl hotlines -a start_urls=... -a db=...``,
Scrapyd's ``schedule.json`` and ``triage crawl`` all go through here), and arguments that are
really settings (``db``, ``allow_private``) are written into the crawler's settings before
the engine and its components are built.

Exactly one item (:mod:`crawler.items`) is yielded per URL tried: fetched, failed, blocked or
refused as invalid. That is why requests carry ``dont_filter=True`` and the spider keeps its
own set of URLs tried: Scrapy's duplicate filter would otherwise drop a redirect whose target
was already seen, and its URL would vanish without a trace.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator, Iterable, MutableSet
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from crawler.items import PageItem
from crawler.spiders.failures import describe_failure
from crawler.spiders.sites import site_key
from crawler.spiders.text import is_binary, selected_headers

TRUE_WORDS = frozenset({"1", "true", "yes", "on", "y"})


def parse_bool(value: object) -> bool:
    """A spider argument as a boolean (``-a follow_external=1``/``true``/``yes``)."""
    return value if isinstance(value, bool) else str(value).strip().lower() in TRUE_WORDS


def parse_int(name: str, value: object, minimum: int = 0) -> int:
    """A spider argument as an int, with a one-line error naming the argument."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"bad {name} {value!r}: expected a whole number") from None
    if number < minimum:
        raise ValueError(f"bad {name} {number}: must be at least {minimum}")
    return number


def split_urls(value: object) -> list[str]:
    """Start URLs from a list or a comma-separated string.

    A comma splits only where the next URL starts with a scheme (``http://``), so URLs that
    contain commas survive; strings with no scheme at all are split on every comma.
    """
    if not value:
        return []
    if not isinstance(value, str):
        return [str(v).strip() for v in value if str(v).strip()]  # type: ignore[attr-defined]
    pattern = r",(?=\s*[a-zA-Z][\w+.-]*://)" if "://" in value else ","
    return [u.strip() for u in re.split(pattern, value) if u.strip()]


def read_urls_file(path: str | Path) -> list[str]:
    """URLs from a file, one per line; blank lines and ``#`` comments are skipped.

    Raises ``ValueError`` with one line when the file cannot be read.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ValueError(f"cannot read URL file {path}: {reason}") from None
    urls = []
    for line in text.splitlines():
        line = re.split(r"\s+#", line.strip(), maxsplit=1)[0]  # "URL  # note"
        if line and not line.startswith("#"):
            urls.append(line)
    return urls


def with_scheme(url: str) -> str:
    """``example.com/x`` means ``http://example.com/x``; explicit schemes are kept."""
    return url if re.match(r"^[a-zA-Z][\w+.-]*://", url) else "http://" + url.lstrip("/")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def host_of(url: str) -> str:
    """The item's ``domain``: the host, with ``:port`` when the URL names a non-default port.

    Sites told apart only by port (the demo, tests, some farms) stay apart in reports.
    """
    try:
        parts = urlsplit(url)
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        return ""
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return f"{host}:{port}" if port is not None and port != default else host


def http_exchange(response: Response) -> dict[str, Any]:
    """The request and response headers of ``response`` as (name, value) pairs, for WARC."""
    def pairs(headers: Any) -> list[tuple[str, str]]:
        return [(k.decode("latin-1"), v.decode("latin-1"))
                for k, values in headers.items() for v in values]

    request = response.request
    return {
        "method": request.method if request is not None else "GET",
        "request_headers": pairs(request.headers) if request is not None else [],
        "response_headers": pairs(response.headers),
        "protocol": str(getattr(response, "protocol", "") or "HTTP/1.1"),
    }


class TriageSpider(scrapy.Spider):
    """Base of the ``hotlines`` and ``sitemap`` spiders (arguments documented in the README)."""

    def __init__(
        self,
        start_urls: object = None,
        urls_file: str | None = None,
        db: str | None = None,
        depth: object = 2,
        max_pages: object = 0,
        follow_external: object = False,
        allow_private: object = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # What the crawl run records as its arguments (StorePipeline reads ``spider_args``).
        self.spider_args = {k: v for k, v in {
            "start_urls": start_urls, "urls_file": urls_file, "db": db, "depth": depth,
            "max_pages": max_pages, "follow_external": follow_external,
            "allow_private": allow_private, **kwargs}.items() if v not in (None, "", [], ())}
        urls = split_urls(start_urls)
        if urls_file:
            urls += read_urls_file(urls_file)
        if not urls:
            raise ValueError("no start URLs: pass -a start_urls=URL[,URL...] or -a urls_file=FILE")
        self.start_urls = [with_scheme(u) for u in urls]
        self.db = db
        self.max_depth = parse_int("depth", depth)
        self.max_pages = parse_int("max_pages", max_pages)
        self.follow_external = parse_bool(follow_external)
        self.allow_private = [a.strip() for a in split_urls_plain(allow_private)]
        self.start_sites = {site_key(u) for u in self.start_urls}
        self._tried: MutableSet[str] = set()
        self.budget_exhausted = False
        # The link hook's state (crawler.frontier.focus): a frontier, a scorer, or False.
        self.focus_state: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> TriageSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        if spider.db:
            _override(settings, "TRIAGE_DB", spider.db)
        if spider.allow_private:
            from crawler.netsafety import parse_allow_setting

            parse_allow_setting(spider.allow_private)  # fail early on a bad entry
            current = settings.get("TRIAGE_ALLOW_PRIVATE") or []
            current = current.split(",") if isinstance(current, str) else list(current)
            _override(settings, "TRIAGE_ALLOW_PRIVATE", current + spider.allow_private)
        return spider

    # --- the page budget ----------------------------------------------------------------------
    def claim(self, url: str) -> bool:
        """Reserve ``url`` for one try; False when already tried or over ``max_pages``."""
        try:
            key = canonicalize_url(url, keep_fragments=False)
        except ValueError:  # unparsable: make_request turns it into an "invalid URL" item
            key = url
        if key in self._tried:
            return False
        if self.max_pages and len(self._tried) >= self.max_pages:
            self.budget_exhausted = True
            return False
        self._tried.add(key)
        return True

    def use_claims(self, claims: MutableSet[str]) -> None:
        """Keep claimed URLs in ``claims`` from now on (a job directory's on-disk seen set)."""
        self._tried = claims

    def emit_item(self, item: PageItem) -> None:
        """Send an item made outside a callback (an unusable URL found while idle) through the
        item pipelines. Scrapy has no public API for that; ``Scraper.start_itemproc`` is what
        it uses itself for callback output."""
        self.crawler.engine.scraper.start_itemproc(item, response=None)

    def on_site(self, url: str) -> bool:
        """Whether ``url`` may be followed: on a start site, or anywhere with follow_external."""
        return self.follow_external or site_key(url) in self.start_sites

    # --- requests -----------------------------------------------------------------------------
    def make_request(self, url: str, callback: Any, *, depth: int, referrer: str = "",
                     priority: int = 0) -> scrapy.Request | PageItem:
        """A request that ends in exactly one item; an item right away if the URL is unusable."""
        try:
            return scrapy.Request(
                url, callback=callback, errback=self.on_failure, dont_filter=True,
                priority=priority,
                meta={"depth": depth, "triage_url": url, "triage_referrer": referrer},
            )
        except (ValueError, TypeError) as exc:
            item = self.new_item(url, depth=depth, referrer=referrer)
            item["error"] = f"invalid URL: {exc}"
            return item

    def start_requests_for(self, urls: Iterable[str], callback: Any) -> Iterable[Any]:
        for url in urls:
            if self.claim(url):
                yield self.make_request(url, callback, depth=0)

    async def start(self) -> AsyncIterator[Any]:
        for entry in self.start_requests_for(self.start_urls, self.parse_start):
            yield entry

    def parse_start(self, response: Response) -> Iterable[Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    # --- items --------------------------------------------------------------------------------
    @staticmethod
    def new_item(url: str, *, depth: int = 0, referrer: str = "") -> PageItem:
        return {
            "url": url, "final_url": "", "domain": host_of(url), "status": 0, "error": "",
            "fetched_at": now_iso(), "depth": depth, "referrer": referrer, "headers": {},
            "body": b"", "content_hash": "", "analysis": None,
        }

    def item_from_response(self, response: Response, *, keep_body: bool = True) -> PageItem:
        """The item for a response: status, headers, body and what is wrong with it."""
        meta = response.meta
        item = self.new_item(meta.get("triage_url", response.url), depth=meta.get("depth", 0),
                             referrer=meta.get("triage_referrer", ""))
        body = response.body or b""
        headers = selected_headers(response)
        item.update(final_url=response.url, status=response.status, headers=headers,
                    content_hash=hashlib.sha256(body).hexdigest() if body else "",
                    server_ip=str(response.ip_address) if response.ip_address else "")
        problems = []
        if response.status >= 400:
            problems.append(f"http {response.status}")
        elif 300 <= response.status < 400:  # a redirect Scrapy would not follow (non-HTTP scheme)
            location = (response.headers.get("Location") or b"").decode("latin-1")
            problems.append(f"redirect not followed: {location[:200] or 'no Location'}")
        if "dataloss" in response.flags:  # DOWNLOAD_FAIL_ON_DATALOSS is off: keep what came
            problems.append("truncated response (data loss)")
        if is_binary(headers.get("content-type", ""), body):
            problems.append(f"binary body ({headers.get('content-type') or 'NUL bytes'})")
            keep_body = False
        item["error"] = "; ".join(problems)
        item["body"] = body if keep_body else b""
        # Who we claimed to be and what came back, for the WARC archive and the evidence.
        item["profile"] = meta.get("triage_profile", "")
        item["referer_sent"] = meta.get("triage_referer", "")
        item["query"] = meta.get("triage_query", "")
        item["http"] = http_exchange(response)
        return item

    def on_failure(self, failure: Failure) -> PageItem:
        """Errback: the item for a URL that gave no usable response (blocked, timeout, ...)."""
        request = getattr(failure, "request", None)
        meta = request.meta if request is not None else {}
        url = meta.get("triage_url") or (request.url if request is not None else "")
        item = self.new_item(url, depth=meta.get("depth", 0), referrer=meta.get("triage_referrer", ""))
        status, error = describe_failure(failure, request)
        item.update(status=status, error=error)
        self.crawler.stats.inc_value("triage/failed")
        return item

    def links_to_follow(self, response: Response, urls: Iterable[str]) -> Iterable[Any]:
        """Requests (or error items) for new, claimable URLs linked from ``response``."""
        depth = response.meta.get("depth", 0) + 1
        for raw in urls:
            url = urldefrag(raw)[0]
            if not url.lower().startswith(("http://", "https://")) or not self.on_site(url):
                continue
            if len(url) > self.settings.getint("URLLENGTH_LIMIT", 2083):
                continue
            if self.claim(url):
                yield self.make_request(url, self.parse_page, depth=depth, referrer=response.url)

    def parse_page(self, response: Response) -> Iterable[Any]:  # pragma: no cover - abstract
        raise NotImplementedError


def _override(settings: Any, name: str, value: object) -> None:
    """Set ``name`` from a spider argument, winning over ``-s`` too (an explicit argument is
    the later, more specific request; allow-list entries are merged above, never dropped)."""
    priority = max(settings.getpriority(name) or 0, 30)  # 30: Scrapy's "spider" priority
    settings.set(name, value, priority=priority)


def split_urls_plain(value: object) -> list[str]:
    """A list argument from a list or a comma-separated string."""
    if not value:
        return []
    if isinstance(value, str):
        return [v for v in value.split(",") if v.strip()]
    return [str(v) for v in value]  # type: ignore[attr-defined]

