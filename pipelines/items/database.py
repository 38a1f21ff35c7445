"""The crawl's one database engine, shared by every joining component of the crawl.

The store pipeline, the conditional-request middleware, the focused crawl's priors, the
cloaking evidence and the after-crawl jobs all work on ``TRIAGE_DB``; they share one
SQLAlchemy engine (our pragmas, migrations run once), opened on first use in a worker thread
and disposed when the engine stops.
"""

from __future__ import annotations

import asyncio
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


STORE = "pipelines.items.store.StorePipeline"


async def active_artefact(crawler: Any) -> dict[str, Any] | None:
    """The artefact of the crawl database's active verdict model (issue 10: ``triage train``),
    None for the shipped model, or when this crawl writes no database (no store pipeline)."""
    if crawler.settings.getwithbase("ITEM_PIPELINES").get(STORE) is None:
        return None
    from db.verdict_models import active_artefact as read

    def load() -> dict[str, Any] | None:
        with engine_for(crawler).connect() as conn:
            found = read(conn)
        if found is not None:
            crawler.stats.set_value("triage/model_version", found[0])
        return found[1] if found is not None else None

    # asyncio's thread pool: the analysis pipeline runs on the asyncio loop (the crawl's
    # reactor), and so do its tests, without Twisted's.
    return await asyncio.to_thread(load)
