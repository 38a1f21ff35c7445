"""Shared crawl queues on Redis: the ``--queue redis://HOST:PORT/N[?prefix=NAME]`` argument.

Every key of one queue starts with its prefix (default ``triage``), so several crawls can share
one Redis database, and tests can use a prefix of their own:

- ``PREFIX:start_urls`` (list): URLs put there by ``triage enqueue``, taken by workers
- ``PREFIX:requests`` (sorted set): the scrapy-redis scheduler queue shared by the workers
- ``PREFIX:dupefilter`` (set): scrapy-redis request fingerprints (filterable requests)
- ``PREFIX:seen`` (set): URLs claimed by any worker (the shared seen set: one fetch per URL)
- ``PREFIX:claimed`` (counter): URLs claimed, for ``max_pages``
- ``PREFIX:sites`` (set): the start URLs' sites, which links are followed on
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

DEFAULT_PREFIX = "triage"
_PREFIX = re.compile(r"^[\w.-]{1,100}$")


class QueueError(Exception):
    """A queue URL that cannot be used, with a one-line message for the user."""


@dataclass(frozen=True)
class Queue:
    redis_url: str  # what redis-py connects to (no ``prefix`` parameter)
    prefix: str

    def key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    def client(self) -> Any:
        import redis

        return redis.Redis.from_url(self.redis_url, socket_connect_timeout=5,
                                    decode_responses=True)

    def check(self) -> None:
        """Connect once, so a wrong --queue fails before crawling."""
        try:
            client = self.client()
            client.ping()
            client.close()
        except Exception as exc:  # noqa: BLE001 - any failure: one line for the user
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise QueueError(f"cannot reach queue {self.redis_url}: {first}; check --queue and "
                             "that Redis is running") from None

    def scrapy_settings(self) -> dict[str, Any]:
        """scrapy-redis settings: shared, persistent scheduler queue and dupefilter."""
        return {
            "REDIS_URL": self.redis_url,
            "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
            "SCHEDULER_PERSIST": True,  # a worker that exits must not flush the shared queue
            "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
            "SCHEDULER_QUEUE_KEY": self.key("requests"),
            "SCHEDULER_DUPEFILTER_KEY": self.key("dupefilter"),
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        }


def parse_queue(url: str) -> Queue:
    """``redis://HOST:PORT/N?prefix=NAME`` -> :class:`Queue`; :class:`QueueError` if unusable."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise QueueError(f"bad --queue {url!r}: {exc}") from None
    if parts.scheme not in ("redis", "rediss", "unix"):
        raise QueueError(f"bad --queue {url!r}: expected redis://HOST:PORT/N[?prefix=NAME]")
    path = parts.path.strip("/")
    if parts.scheme != "unix" and path and not path.isdigit():
        raise QueueError(f"bad --queue {url!r}: the database number after the host must be a "
                         "whole number, e.g. redis://127.0.0.1:6379/0")
    query = dict(parse_qsl(parts.query))
    prefix = query.pop("prefix", DEFAULT_PREFIX)
    if not _PREFIX.match(prefix):
        raise QueueError(f"bad queue prefix {prefix!r}: letters, digits, '.', '-' and '_' only")
    redis_url = urlunsplit(parts._replace(query=urlencode(query)))
    return Queue(redis_url, prefix)
