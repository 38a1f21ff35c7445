"""What runs after every crawl (and ``triage cluster``/``triage reputation``): template
clusters (for the part of the database the crawl touched), then operations (issue 14:
they weigh clusters), then number reputation for what the crawl touched (a number in an
operation with fraud numbers is suspect)."""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from investigate.clusters import ClusterSummary, assign_clusters
from investigate.operations import update_operations
from investigate.operations_local import update_operations_after
from investigate.reputation import ReputationSummary, update_reputation

log = logging.getLogger(__name__)


def after_crawl(engine: Engine, run_id: int | None = None) -> tuple[ClusterSummary,
                                                                     ReputationSummary]:
    """Cluster the new and changed pages, recompute the operations near crawl ``run_id``'s
    domains, then re-score its numbers (without ``run_id``: every operation and number)."""
    clusters = assign_clusters(engine)
    operations = (update_operations(engine) if run_id is None
                  else update_operations_after(engine, run_id))
    log.info("%s", operations.line())
    return clusters, update_reputation(engine, run_id=run_id)
