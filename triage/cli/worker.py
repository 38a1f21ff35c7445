"""``triage worker --queue redis://... --db D``: one crawler process of a distributed crawl.

Runs the ``hotlines_redis`` spider: it takes start URLs and requests from the shared Redis
queue, claims each URL in the shared seen set (so no URL is fetched twice across workers),
stores what it fetched in ``--db`` (PostgreSQL for workers on several machines; the store
upserts, so workers never duplicate rows), and exits once it has had nothing to do for
``--idle-exit`` seconds. Start as many as you like, on one machine or many.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import click

from triage.cli.common import fail


def prepare_database(db: str, attempts: int = 5) -> None:
    """Create/migrate ``db`` once before crawling; one line on failure.

    Workers started together on one new SQLite file race to create it, and SQLite can answer
    "database is locked" at once instead of waiting; the loser tries again.
    """
    from db.engine import DatabaseError, make_engine

    for attempt in range(1, attempts + 1):
        try:
            make_engine(db).dispose()
            return
        except DatabaseError as exc:
            if "database is locked" not in str(exc) or attempt == attempts:
                fail(str(exc))
            time.sleep(0.2 * attempt)


def _shared(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Options declared by ``triage crawl``, the same on ``triage worker``."""
    from triage.cli.crawl import crawl

    params = {p.name: p for p in crawl.params}

    def attach(f: Callable[..., Any]) -> Callable[..., Any]:
        f.__click_params__ = [*getattr(f, "__click_params__", []),  # type: ignore[attr-defined]
                              *(params[n] for n in reversed(names))]
        return f

    return attach


@click.command()
@click.option("--queue", required=True, envvar="TRIAGE_QUEUE", metavar="redis://HOST:PORT/N",
              help="Redis queue (the one given to triage enqueue).")
@_shared("db", "depth")
@click.option("--max-pages", default=0, show_default=True, type=click.IntRange(0),
              help="Stop after this many URLs, counted over all workers (0: no limit).")
@_shared("follow_external", "allow_private")
@click.option("--idle-exit", default=60, show_default=True, type=click.IntRange(0),
              metavar="SECONDS", help="Exit after the queue has been empty this long.")
@_shared("overrides", "verbose")
def worker(queue: str, db: str, depth: int, max_pages: int, follow_external: bool,
           allow_private: tuple[str, ...], idle_exit: int, overrides: tuple[str, ...],
           verbose: bool) -> None:
    """Crawl from a shared Redis queue until it stays empty, storing into --db."""
    from crawler.redisqueue import QueueError, parse_queue
    from triage.cli.crawl import check_allow_private, print_summary, scrapy_settings

    try:
        parse_queue(queue).check()
    except QueueError as exc:
        fail(str(exc))
    check_allow_private(allow_private)
    settings = scrapy_settings(overrides, verbose)
    prepare_database(db)

    from crawler.progress import CrawlProgress
    from crawler.runner import run_crawl

    outcome = run_crawl("hotlines_redis", {
        "queue": queue, "db": db, "depth": depth, "max_pages": max_pages,
        "follow_external": follow_external, "allow_private": list(allow_private),
        "idle_exit": idle_exit,
    }, settings=settings, progress=CrawlProgress())
    print_summary(outcome, db)
    if outcome.error:
        fail(f"the worker could not run: {outcome.error}")
    sys.exit(outcome.exit_code)
