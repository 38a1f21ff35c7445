"""``hotlines_redis``: the ``hotlines`` spider as one worker of a distributed crawl on Redis.

Same parsing, items, depth and link rules as :mod:`crawler.spiders.hotlines`; what changes is
where work comes from and who decides that a URL is new:

- start URLs are taken from the queue's ``start_urls`` list (``triage enqueue``), in batches,
  whenever the worker has room; ``start_urls``/``urls_file`` arguments are queued there too;
- requests go through the scrapy-redis scheduler, one sorted set shared by every worker;
- a URL is claimed with one atomic ``SADD`` on the shared seen set, so among all workers
  exactly one fetches it (and ``max_pages`` is one shared counter);
- the start sites (which links are followed without ``follow_external``) are a shared set;
- the worker ends once it has had nothing to do for ``idle_exit`` seconds (default 60).

Arguments: those of ``hotlines``, plus ``queue`` (``redis://HOST:PORT/N[?prefix=NAME]``,
required) and ``idle_exit``.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider

from crawler.jobdir.state import url_key
from crawler.redisqueue import QueueError, parse_queue
from crawler.spiders.base import parse_int, read_urls_file, split_urls, with_scheme
from crawler.spiders.hotlines import HotlinesSpider
from crawler.spiders.sites import site_key

# The base spider insists on start URLs; a worker's come from the queue.
_FROM_QUEUE = "http://start-urls-come-from-the-queue.invalid/"
BATCH = 32
HEARTBEAT = 0.25  # seconds between looks at the shared queue when this worker is idle


class HotlinesRedisSpider(HotlinesSpider):
    name = "hotlines_redis"

    def __init__(self, queue: str | None = None, idle_exit: object = 60,
                 start_urls: object = None, urls_file: str | None = None, **kwargs: Any) -> None:
        if not queue:
            raise ValueError("no queue: pass -a queue=redis://HOST:PORT/N (triage worker --queue)")
        try:
            self.queue = parse_queue(str(queue))
        except QueueError as exc:
            raise ValueError(str(exc)) from None
        self.idle_exit = parse_int("idle_exit", idle_exit)
        given = [with_scheme(u) for u in split_urls(start_urls)]
        if urls_file:
            given += [with_scheme(u) for u in read_urls_file(urls_file)]
        super().__init__(start_urls=_FROM_QUEUE, **kwargs)
        self.spider_args.pop("start_urls", None)
        self.spider_args.update(queue=str(queue), idle_exit=self.idle_exit)
        if given:
            self.spider_args["start_urls"] = given
        self.start_urls = given  # queued on open, for whichever worker gets there first
        self.start_sites = set()
        self._server: Any = None
        self._idle_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> HotlinesRedisSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, HotlinesRedisSpider)
        crawler.settings.setdict(spider.queue.scrapy_settings(), priority="spider")
        crawler.signals.connect(spider._open_queue, signal=signals.spider_opened)
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider._busy, signal=signals.response_received)
        return spider

    @property
    def server(self) -> Any:
        if self._server is None:
            self._server = self.queue.client()
        return self._server

    def _open_queue(self) -> None:
        # An idle Scrapy engine looks at its scheduler again only on its heartbeat (5 s); a
        # worker must notice requests other workers put on the shared queue sooner than that.
        # Scrapy has no setting for the interval, so the engine's private constant is set.
        engine = self.crawler.engine
        if hasattr(engine, "_SLOT_HEARTBEAT_INTERVAL"):
            engine._SLOT_HEARTBEAT_INTERVAL = HEARTBEAT
        if self.start_urls:
            enqueue_start_urls(self.server, self.queue, self.start_urls)

    # --- shared claims --------------------------------------------------------------------
    def claim(self, url: str) -> bool:
        if self.budget_exhausted:
            return False
        if not self.server.sadd(self.queue.key("seen"), url_key(url)):
            return False
        if self.max_pages and self.server.incr(self.queue.key("claimed")) > self.max_pages:
            self.budget_exhausted = True
            return False
        return True

    def on_site(self, url: str) -> bool:
        if self.follow_external:
            return True
        site = site_key(url)
        if site in self.start_sites:
            return True
        if self.server.sismember(self.queue.key("sites"), site):
            self.start_sites.add(site)
            return True
        return False

    def parse_start(self, response: Any) -> Any:
        self.server.sadd(self.queue.key("sites"), site_key(response.url))
        return super().parse_start(response)

    # --- start URLs from the queue ----------------------------------------------------------
    def _take_start_urls(self) -> list[Any]:
        urls = self.server.lpop(self.queue.key("start_urls"), BATCH) or []
        out = []
        for url in urls:
            self.start_sites.add(site_key(url))
            if self.claim(url):
                out.append(self.make_request(url, self.parse_start, depth=0))
        return out

    async def start(self) -> AsyncIterator[Any]:
        for entry in self._take_start_urls():
            yield entry

    def _busy(self) -> None:
        self._idle_since = None

    def _on_idle(self) -> None:
        """Take more start URLs; end only after ``idle_exit`` seconds with nothing to do."""
        taken = self._take_start_urls()
        for entry in taken:
            if isinstance(entry, dict):  # an unusable URL: its item goes straight to storage
                self.emit_item(entry)
            else:
                self.crawler.engine.crawl(entry)
        now = time.monotonic()
        if taken or self.server.zcard(self.queue.key("requests")):
            self._idle_since = None
            raise DontCloseSpider
        if self._idle_since is None:
            self._idle_since = now
        if now - self._idle_since < self.idle_exit:
            raise DontCloseSpider


def enqueue_start_urls(server: Any, queue: Any, urls: list[str]) -> int:
    """Put start URLs on the queue and their sites in the shared set of start sites."""
    if not urls:
        return 0
    pipe = server.pipeline()
    pipe.rpush(queue.key("start_urls"), *urls)
    pipe.sadd(queue.key("sites"), *{site_key(u) for u in urls})
    pipe.execute()
    return len(urls)
