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
              "(default 0.5).")
def cluster(db: str, threshold: float | None) -> None:
    """Group stored pages into template clusters (pages.cluster), then recompute operations."""
    from investigate.clusters import assign_clusters
    from pipelines.templates import THRESHOLD

    engine = open_db(db)
    try:
        from investigate.operations import update_operations

        summary = assign_clusters(engine, threshold=threshold or THRESHOLD)
        operations = update_operations(engine)  # issue 14: operations weigh template clusters
    finally:
        engine.dispose()
    click.echo(summary.line().capitalize() + f". Next: triage export clusters --db {db}")
    click.echo(operations.line().capitalize() + f". Next: triage export operations --db {db}")


@click.command()
@DB_OPTION
@click.option("--show", default=10, show_default=True, type=click.IntRange(0),
              help="Print this many of the most suspect numbers with their reasons.")
def reputation(db: str, show: int) -> None:
    """Score every stored number (numbers.score, numbers.verdict)."""
    from investigate.reputation import reputations, update_reputation

    engine = open_db(db)
    try:
        summary = update_reputation(engine)
        worst = sorted(reputations(engine).values(), key=lambda r: (-r.score, r.e164))
    finally:
        engine.dispose()
    click.echo(summary.line().capitalize() + ".")
    for r in worst[:show]:
        click.echo(f"  {r.e164}  {r.score:.2f} {r.verdict}: {'; '.join(r.reasons)}")
