"""``JobScheduler``: Scrapy's scheduler interface over the job's SQLite frontier.

No request is held in memory: ``enqueue_request`` writes it (pickled ``Request.to_dict``) to
the frontier, ``next_request`` reads the best one back (priority first, so ``DEPTH_PRIORITY``
still makes the crawl breadth-first, then arrival order). On open, every request a previous,
interrupted run of the same job left unfinished is queued again, and the spider's set of
claimed URLs is switched to the job's on-disk seen set, which makes a resumed spider skip
what the job has already claimed and keeps memory flat however many URLs a crawl sees.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.utils.request import request_from_dict
from twisted.internet import task

from crawler.jobdir import job_state
from crawler.jobdir.state import COMMIT_INTERVAL, QUEUED, SeenSet, dumps, loads, url_key

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

log = logging.getLogger(__name__)


def request_key(request: Request) -> str:
    """The frontier key of a request: the URL the spider claimed (kept across redirects)."""
    return url_key(request.meta.get("triage_url") or request.url)


class JobScheduler:
    """A disk-backed, crash-safe scheduler (setting ``SCHEDULER``, with ``TRIAGE_JOB_DIR``)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.spider: Spider | None = None
        self._committer: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobScheduler:
        return cls(crawler)

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.state = job_state(self.crawler)
        args = {k: v for k, v in (getattr(spider, "spider_args", None) or {}).items()
                if k not in ("job_dir",)}
        known = self.state.get("args")
        if known is None:
            self.state.put("spider", spider.name)
            self.state.put("args", _jsonable(args))
        elif known != _jsonable(args):
            log.warning("job %s was started with other arguments (%s); resuming it with the "
                        "job's frontier", self.state.dir, known)
        resumed = self.state.requeue_unfinished()
        if resumed:
            log.info("resuming job %s: %d requests queued again", self.state.dir, resumed)
        self.stats.set_value("triage/job_resumed", resumed)
        use_claims = getattr(spider, "use_claims", None)
        if use_claims is not None:
            use_claims(SeenSet(self.state))
        self._committer = task.LoopingCall(self.state.commit)
        self._committer.start(COMMIT_INTERVAL, now=False)

    def close(self, reason: str) -> None:
        if self._committer is not None and self._committer.running:
            self._committer.stop()
        counts = self.state.counts()
        log.info("job %s closed (%s): %s, %d claims without a request", self.state.dir, reason,
                 counts, len(self.state.pending_claims))
        self.state.close()

    def has_pending_requests(self) -> bool:
        return self.state.has_queued()

    def enqueue_request(self, request: Request) -> bool:
        blob = dumps(request.to_dict(spider=self.spider))
        if not self.state.record(request_key(request), blob, request.priority, QUEUED):
            self.stats.inc_value("scheduler/ignored/done")  # type: ignore[union-attr]
            return False
        self.stats.inc_value("scheduler/enqueued/job")  # type: ignore[union-attr]
        return True

    def next_request(self) -> Request | None:
        popped = self.state.pop()
        if popped is None:
            return None
        self.stats.inc_value("scheduler/dequeued/job")  # type: ignore[union-attr]
        return request_from_dict(loads(popped[1]), spider=self.spider)

    def __len__(self) -> int:
        return self.state.queued()


def _jsonable(value: Any) -> Any:
    import json

    return json.loads(json.dumps(value, default=str))
