"""What runs after every crawl (and ``triage cluster``/``triage reputation``): template
clusters, then number reputation, for the part of the database the crawl touched."""

from __future__ import annotations

from sqlalchemy import Engine

from investigate.clusters import ClusterSummary, assign_clusters
from investigate.reputation import ReputationSummary, update_reputation


def after_crawl(engine: Engine, run_id: int | None = None) -> tuple[ClusterSummary,
                                                                     ReputationSummary]:
    """Cluster the new and changed pages, then re-score the numbers of crawl ``run_id`` (every
    number without one)."""
    return assign_clusters(engine), update_reputation(engine, run_id=run_id)
