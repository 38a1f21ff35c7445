"""Focused crawling: follow the links most likely to lead to fake-hotline pages first.

With ``--max-pages`` a crawl sees only part of a site; ordering the frontier by how likely each
link leads to hotline spam finds more of it in the same budget. A link's score in [0, 1] adds up
cheap signals, all known before the link is fetched:

- its anchor text names an after-sales service (售后/维修/客服/电话/热线/400 ...) and a product
  category or a brand spam pages claimed before;
- its URL reads like one (``shouhou``, ``weixiu``, ``kefu``, ``400``, ``tel`` ...);
- the page it was found on looks like a hotline page itself (farms link to each other);
- its domain already served spam, in earlier crawls (from the database) or in this one.

:class:`LinkScorer` turns the score into Scrapy's ``Request.priority`` (higher first); the
``hotlines`` spider applies it through :func:`crawler.frontier.focus` when ``TRIAGE_FOCUSED``
is on (the default). Pure: what earlier crawls taught (spam domains and brands) and the
engine's product-category test come from the crawl context, filled by
:class:`pipelines.items.memory.SpamPriors`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from crawler.spiders.base import host_of as _host

__all__ = ["PAGE_CHARS", "LinkScorer", "link_score", "page_signal"]

PAGE_CHARS = 300_000  # enough of a page's HTML to judge it
SCALE = 100  # priority points for a score of 1.0 (depth costs 1 point per level)
_SERVICE = re.compile(r"售后|维修|客服|报修|热线|电话|服务中心|服务网点|网点|400|800|24小时")
_URL_WORDS = re.compile(
    r"shouhou|weixiu|kefu|dianhua|rexian|baoxiu|wangdian|400|800|hotline|service|repair|tel",
    re.IGNORECASE)
_NUMBER = re.compile(r"[48]00[-\s]?\d{3,4}[-\s]?\d{3,4}|1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}")
SERVICE_CAP, NUMBER_CAP = 20, 5  # service words and numbers at which a page looks fully hotline
WEIGHTS = {"anchor": 0.35, "url": 0.15, "page": 0.25, "domain": 0.25}


def page_signal(text: str) -> float:
    """How much a page's own text looks like a hotline page, in [0, 1] (no engine run)."""
    if not text:
        return 0.0
    service = _count(_SERVICE, text, SERVICE_CAP)
    numbers = _count(_NUMBER, text, NUMBER_CAP)
    return min(1.0, service / SERVICE_CAP) * 0.5 + min(1.0, numbers / NUMBER_CAP) * 0.5


def _count(pattern: re.Pattern[str], text: str, cap: int) -> int:
    """Matches of ``pattern`` in ``text``, counted up to ``cap`` (the signal saturates there;
    a hotline page reaches it in its first lines, so the rest is not scanned)."""
    n = 0
    for _ in pattern.finditer(text):
        n += 1
        if n >= cap:
            break
    return n


def link_score(url: str, anchor: str, *, brands: Iterable[str] = (), page: float = 0.0,
               spam_domain: bool = False, topic: Callable[[str], bool] | None = None) -> float:
    """Score in [0, 1] of one link (see the module docstring for the parts); ``topic`` tells
    whether anchor text names a product category."""
    anchor = anchor or ""
    service = bool(_SERVICE.search(anchor))
    topic_named = (topic is not None and topic(anchor)) or any(b and b in anchor for b in brands)
    anchor_part = (1.0 if service and topic_named else 0.6 if service
                   else 0.2 if topic_named else 0.0)
    path = unquote(url.split("://", 1)[-1].partition("/")[2])
    url_part = 1.0 if _URL_WORDS.search(path) or _SERVICE.search(path) else 0.0
    return (WEIGHTS["anchor"] * anchor_part + WEIGHTS["url"] * url_part
            + WEIGHTS["page"] * min(max(page, 0.0), 1.0) + WEIGHTS["domain"] * spam_domain)


@dataclass
class LinkScorer:
    """Link priorities for one crawl: known spam domains and brands, and what it learns."""

    spam_domains: set[str] = field(default_factory=set)
    brands: frozenset[str] = frozenset()
    topic: Callable[[str], bool] | None = None
    learn_at: float = 0.6  # a page this hotline-like marks its domain as serving spam

    def note_page(self, url: str, signal: float) -> None:
        if signal >= self.learn_at:
            self.spam_domains.add(_host(url))

    def priority(self, url: str, anchor: str, page: float) -> int:
        score = link_score(url, anchor, brands=self.brands, page=page,
                           spam_domain=_host(url) in self.spam_domains, topic=self.topic)
        return round(SCALE * score)

    def prioritise(self, page_url: str, page_text: str, anchors: Mapping[str, str],
                   requests: Iterable[Any]) -> Iterator[Any]:
        """Set ``priority`` on the Scrapy requests among ``requests`` (other entries, e.g. error
        items, pass through); ``anchors`` maps link URLs to their anchor text."""
        signal = page_signal(page_text)
        self.note_page(page_url, signal)
        for entry in requests:
            url = getattr(entry, "url", None)
            if url is not None and hasattr(entry, "priority"):
                anchor = anchors.get(entry.meta.get("triage_url", url), anchors.get(url, ""))
                entry.priority += self.priority(url, anchor, signal)
            yield entry
