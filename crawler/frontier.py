"""The ``hotlines`` spider's link hook: breadth-first as before, or best-first (focused).

``--max-pages`` counts URLs as they are claimed, and links are claimed when they are found, so
prioritising requests alone would only reorder pages already chosen in discovery order. A
focused crawl therefore holds the links it finds in a best-first frontier (a heap ordered by
:class:`crawler.priority.LinkScorer`) and claims them only as the crawl has room: after each
page it releases enough of the best links to keep ``TRIAGE_FOCUSED_WINDOW`` requests in flight
(default 8), and when the engine runs dry (``spider_idle``) it releases the next batch. The
page budget is then spent on the most promising links known at each moment.

Crawls whose claims or queue live elsewhere (a job directory, which must survive a crash, or a
Redis queue shared by workers) keep their own frontier: there the links are claimed at once and
only get a priority.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urldefrag

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from w3lib.url import canonicalize_url

from crawler.context import crawl_context
from crawler.priority import PAGE_CHARS, LinkScorer, page_signal
from crawler.spiders.base import TriageSpider

__all__ = ["BestFirstFrontier", "focus"]

# Requests in flight a focused crawl keeps: each one is a claim on the page budget made before
# the pages in flight could show better links, so a narrow window spends the budget better and
# a wide one crawls faster (CONCURRENT_REQUESTS_PER_DOMAIN is 8).
WINDOW = 8


def _key(url: str) -> str:
    try:
        return canonicalize_url(url, keep_fragments=False)
    except ValueError:
        return url


class BestFirstFrontier:
    """Links found but not yet claimed, best first, released as the crawl has room."""

    def __init__(self, spider: Any, scorer: LinkScorer, window: int) -> None:
        self.spider = spider
        self.scorer = scorer
        self.window = max(1, window)
        self.inflight = 0
        self._heap: list[tuple[int, int, str, str]] = []
        self._seen: set[str] = set()
        # Links waiting: the shallowest depth they were found at, and from where (a link found
        # deep first and near the start later must keep its shortest path for --depth).
        self._waiting: dict[str, tuple[int, str]] = {}
        self._order = itertools.count()
        spider.crawler.signals.connect(self.on_idle, signal=signals.spider_idle)

    def __len__(self) -> int:
        return len(self._heap)

    def push(self, response: Any, links: Iterable[Any]) -> None:
        signal = page_signal(getattr(response, "text", "")[:PAGE_CHARS])
        self.scorer.note_page(response.url, signal)
        depth = response.meta.get("depth", 0) + 1
        limit = self.spider.settings.getint("URLLENGTH_LIMIT", 2083)
        for link in links:
            url = urldefrag(link.url)[0]
            if not url.lower().startswith(("http://", "https://")) or len(url) > limit:
                continue
            key = _key(url)
            if key in self._seen:
                waiting = self._waiting.get(key)
                if waiting is not None and depth < waiting[0]:
                    self._waiting[key] = (depth, response.url)
                continue
            if not self.spider.on_site(url):
                continue
            self._seen.add(key)
            self._waiting[key] = (depth, response.url)
            score = self.scorer.priority(url, link.text, signal)
            heapq.heappush(self._heap, (-score, next(self._order), url, key))

    def release(self, count: int) -> Iterator[Any]:
        """Claim and yield requests for up to ``count`` of the best links."""
        spider = self.spider
        while count > 0 and self._heap and not spider.budget_exhausted:
            neg, _, url, key = heapq.heappop(self._heap)
            depth, referrer = self._waiting.pop(key)
            if not spider.claim(url):
                continue
            entry = spider.make_request(url, spider.parse_page, depth=depth, referrer=referrer,
                                        priority=-neg)
            if not isinstance(entry, dict):
                self.inflight += 1
            count -= 1
            yield entry

    def after_page(self, response: Any, links: Iterable[Any]) -> Iterator[Any]:
        """Take the page's links in, schedule the best known ones, yield the items of unusable
        URLs. Requests go straight to the engine: yielded from this page, Scrapy's depth
        middleware would give a link found on another page this page's depth + 1."""
        self.inflight = max(0, self.inflight - 1)
        self.push(response, links)
        for entry in self.release(max(1, self.window - self.inflight)):
            if isinstance(entry, dict):
                yield entry
            else:
                self.spider.crawler.engine.crawl(entry)

    def on_idle(self, spider: Any) -> None:
        """Nothing in flight: release the next batch, and keep the spider open for it."""
        if spider is not self.spider:
            return
        self.inflight = 0
        released = False
        for entry in self.release(self.window):
            released = True
            if isinstance(entry, dict):  # an unusable URL: its item goes straight to storage
                spider.emit_item(entry)
            else:
                spider.crawler.engine.crawl(entry)
        if released:
            raise DontCloseSpider


def _local_frontier(spider: Any) -> bool:
    """Whether links may wait in memory: claims are the base spider's, no job directory."""
    return (type(spider).claim is TriageSpider.claim
            and not spider.settings.get("TRIAGE_JOB_DIR"))


def focus(spider: Any, response: Any, links: list[Any]) -> Iterator[Any]:
    """Requests for the ``links`` (Scrapy ``Link`` objects) found on ``response``.

    ``TRIAGE_FOCUSED`` off: all of them at once, in page order (breadth-first by depth).
    On: best-first through :class:`BestFirstFrontier`, or, where the frontier is not ours,
    at once with a priority from :class:`LinkScorer`.
    """
    state = spider.focus_state
    if state is None:
        state = False
        if spider.settings.getbool("TRIAGE_FOCUSED", True):
            context = crawl_context(spider.crawler)
            scorer = LinkScorer(set(context.spam_domains), context.spam_brands, context.topic)
            window = spider.settings.getint("TRIAGE_FOCUSED_WINDOW", WINDOW) or WINDOW
            state = (BestFirstFrontier(spider, scorer, window)
                     if _local_frontier(spider) else scorer)
        spider.focus_state = state
    if isinstance(state, BestFirstFrontier):
        yield from state.after_page(response, links)
        return
    requests = spider.links_to_follow(response, [link.url for link in links])
    if isinstance(state, LinkScorer):
        text = getattr(response, "text", "")[:PAGE_CHARS]
        anchors = {link.url: link.text for link in links}
        yield from state.prioritise(response.url, text, anchors, requests)
    else:
        yield from requests
