"""The crawl's one database engine, shared by every joining component of the crawl.

The store pipeline, the conditional-request middleware, the focused crawl's priors, the
cloaking evidence and the after-crawl jobs all work on ``TRIAGE_DB``; they share one
SQLAlchemy engine (our pragmas, migrations run once), opened on first use in a worker thread
and disposed when the engine stops.
"""

from __future__ import annotations

import threading
from typing import Any

from scrapy import signals
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy import Engine
from twisted.internet.threads import deferToThread

from crawler.context import crawl_context
from db.engine import DEFAULT_DB, make_engine

_lock = threading.Lock()


def crawl_db(crawler: Any) -> str:
    """The crawl's database (a spider argument may have set it after the components were built)."""
    return str(crawler.settings.get("TRIAGE_DB") or DEFAULT_DB)


def engine_for(crawler: Any) -> Engine:
    """The crawl's engine, opened (and migrated) on first use; blocking: call it in a thread."""
    context = crawl_context(crawler)
    with _lock:
        if context.db_engine is None:
            engine = make_engine(crawl_db(crawler))

            def dispose() -> None:  # engine_stopped: every component has written what it had
                engine.dispose()
                context.db_engine = None

            context.db_engine = engine
            crawler.signals.connect(dispose, signal=signals.engine_stopped, weak=False)
        return context.db_engine


async def engine_async(crawler: Any) -> Engine:
    """:func:`engine_for` from the reactor, without blocking it."""
    context = crawl_context(crawler)
    if context.db_engine is not None:
        return context.db_engine
    return await maybe_deferred_to_future(deferToThread(engine_for, crawler))
