"""``triage cluster`` and ``triage reputation``: recompute template clusters and number scores.

Both run by themselves after every crawl (:mod:`pipelines.items.investigate`); these commands are for a
database filled before, after ``triage import-official``, or with other parameters.
"""

from __future__ import annotations

import click

from triage.cli.common import DB_OPTION, open_db


@click.command()
@DB_OPTION
@click.option("--threshold", type=click.FloatRange(0.05, 1.0), default=None,
              help="Estimated Jaccard similarity of masked texts for one template "
              "(default 0.5; another value clusters every page, like --full).")
@click.option("--full", is_flag=True,
              help="Cluster every page again and rebuild the kept LSH index (default: only "
              "the pages stored since the last run).")
def cluster(db: str, threshold: float | None, full: bool) -> None:
    """Group stored pages into template clusters (pages.cluster), then recompute operations."""
    from investigate.clusters import assign_clusters
    from pipelines.templates import THRESHOLD

    engine = open_db(db)
    try:
        from investigate.operations import update_operations

        summary = assign_clusters(engine, threshold=threshold or THRESHOLD, full=full)
        operations = update_operations(engine)  # issue 14: operations weigh template clusters
    finally:
        engine.dispose()
    click.echo(summary.line().capitalize() + f". Next: triage export clusters --db {db}")
    click.echo(operations.line().capitalize() + f". Next: triage export operations --db {db}")


@click.command()
@DB_OPTION
@click.option("--show", default=10, show_default=True, type=click.IntRange(0),
              help="Print this many of the most suspect numbers with their reasons.")
@click.option("--full", is_flag=True,
              help="Score every stored number (default: the numbers on the pages of the last "
              "crawl, from the part of the graph it touched).")
@click.option("--run", "run_id", type=int, default=None,
              help="Score the numbers of this crawl run instead of the last one.")
def reputation(db: str, show: int, full: bool, run_id: int | None) -> None:
    """Score stored numbers (numbers.score, numbers.verdict)."""
    from investigate.reputation import latest_run, reputations, update_reputation

    engine = open_db(db)
    try:
        if not full and run_id is None:
            run_id = latest_run(engine)  # None on a database without crawls: all of it
        summary = update_reputation(engine, run_id=None if full else run_id)
        scope = None if full else run_id
        worst = sorted(reputations(engine, scope).values(), key=lambda r: (-r.score, r.e164))
    finally:
        engine.dispose()
    click.echo(summary.line().capitalize() + ("" if full or run_id is None
                                               else f" (crawl run {run_id})") + ".")
    for r in worst[:show]:
        click.echo(f"  {r.e164}  {r.score:.2f} {r.verdict}: {'; '.join(r.reasons)}")
