"""What runs after every crawl (and ``triage cluster``/``triage reputation``): template
clusters, then operations (issue 14: they weigh clusters), then number reputation (a number in
an operation with fraud numbers is suspect), over the whole database."""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from investigate.clusters import ClusterSummary, assign_clusters
from investigate.operations import update_operations
from investigate.reputation import ReputationSummary, update_reputation

log = logging.getLogger(__name__)


def after_crawl(engine: Engine) -> tuple[ClusterSummary, ReputationSummary]:
    """Re-cluster new and changed pages, recompute operations, then re-score every number."""
    clusters = assign_clusters(engine)
    log.info("%s", update_operations(engine).line())
    return clusters, update_reputation(engine)
