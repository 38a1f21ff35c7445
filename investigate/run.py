"""What runs after every crawl (and ``triage cluster``/``triage reputation``): template
clusters, then number reputation, over the whole database."""

from __future__ import annotations

from sqlalchemy import Engine

from investigate.clusters import ClusterSummary, assign_clusters
from investigate.reputation import ReputationSummary, update_reputation


def after_crawl(engine: Engine) -> tuple[ClusterSummary, ReputationSummary]:
    """Re-cluster new and changed pages, then re-score every number."""
    return assign_clusters(engine), update_reputation(engine)
