"""Garbage collection during a crawl run by ``triage`` (crawl, demo, discover, pivot, worker).

By the time the engine starts, the crawl process holds a few hundred thousand long-lived objects
(Scrapy, Twisted, SQLAlchemy, the engine's lexicons and models) that never become garbage, and a
crawl allocates container objects fast (requests, responses, items, deferreds): with Python's
default thresholds the collector runs about every 700 allocations and every tenth young
collection walks those long-lived objects again. At ``engine_started`` :func:`crawl_heap`
collects once, moves everything alive into the permanent generation (``gc.freeze()``, never
scanned) and raises the young generation's threshold to :data:`GEN0_THRESHOLD`, so collections
are rarer and only look at what the crawl allocated. When the crawl ends, normally or by an
exception, the thresholds are put back and the frozen objects are handed back to the collector.

Plain ``scrapy crawl`` and Scrapyd do not go through here and keep Python's defaults.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from scrapy import signals

GEN0_THRESHOLD = 50_000
STAT = "triage/gc_frozen"


@contextmanager
def crawl_heap(crawler: Any) -> Iterator[None]:
    """Within the block, ``crawler``'s ``engine_started`` freezes the heap (see the module)."""
    saved = gc.get_threshold()
    froze: list[bool] = []

    def engine_started() -> None:
        if froze:
            return
        gc.collect()
        # Someone else's freeze is theirs to undo: freeze only a heap nobody froze.
        froze.append(gc.get_freeze_count() == 0)
        if froze[0]:
            gc.freeze()
        gc.set_threshold(GEN0_THRESHOLD, *saved[1:])
        crawler.stats.set_value(STAT, gc.get_freeze_count())

    crawler.signals.connect(engine_started, signal=signals.engine_started, weak=False)
    try:
        yield
    finally:
        crawler.signals.disconnect(engine_started, signal=signals.engine_started)
        gc.set_threshold(*saved)
        if froze and froze[0]:
            gc.unfreeze()


__all__ = ["GEN0_THRESHOLD", "STAT", "crawl_heap"]
