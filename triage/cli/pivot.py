"""``triage pivot NUMBER...``: search a number the ways pages write it, store the results, and
with ``--crawl`` crawl them.

Each number is read by the engine's phone finder (``400-618-9123``, ``+86 400 618 9123`` ...)
and searched in every written form of :func:`pipelines.discovery.written_forms`, alone and with
service words. Results are stored with ``pivot`` = the number, so the number's page in
``triage serve`` lists every page and domain the searches found, crawled or not.
"""

from __future__ import annotations

from typing import Any

import click

from triage.cli.common import fail
from triage.cli.discover import backend_options, run_discovery


@click.command()
@click.argument("numbers", nargs=-1)
@backend_options
def pivot(numbers: tuple[str, ...], **opts: Any) -> None:
    """Search NUMBER(s) in every written form, store the results, optionally crawl them."""
    from investigate.reputation import normalise_number
    from pipelines.discovery import pivot_queries
    from triage.searxng import Job

    if not numbers:
        fail("no numbers to pivot on: pass NUMBER arguments, e.g. triage pivot 400-618-9123")
    jobs: dict[str, Job] = {}
    for raw in numbers:
        e164 = normalise_number(raw)
        if e164 is None:
            fail(f"{raw!r} is not one phone number: write it as pages do, e.g. 400-618-9123")
        for query in pivot_queries(e164):
            jobs.setdefault(query, Job(query, pivot=e164))
    run_discovery("pivot", list(jobs.values()), opts)
