"""Template-cluster purity and completeness on a generated farm, through the real database path.

    .venv/bin/python bench/clusters.py [--seed 5] [--operations 12] [--pages 30]

The farm (:func:`triage.demo.farm_ops.make_farm`) has operations running four page templates (an
operation's template is ``op % 4``, so several operations share one), on their own domains, with
their own numbers and random brands and places; plus official brand pages and news warnings.
Pages are analysed by the engine, stored with :class:`db.store.Store` in a temporary SQLite file
and clustered by :func:`investigate.clusters.assign_clusters`. Truth is the template (official pages and
news pages are two more templates). Purity: the share of pages whose cluster's majority template
is theirs; completeness: the share of pages in their template's largest cluster.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from db.engine import make_engine
from db.models import Page
from db.store import Store
from investigate.clusters import assign_clusters
from triage.demo.farm_ops import make_farm, page_items


def majority_share(groups: dict[int, Any], labels: dict[int, Any]) -> float:
    by_group: dict[Any, Counter[Any]] = defaultdict(Counter)
    for key, group in groups.items():
        by_group[group][labels[key]] += 1
    return sum(c.most_common(1)[0][1] for c in by_group.values()) / len(groups)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--operations", type=int, default=12)
    ap.add_argument("--pages", type=int, default=30, help="pages per operation")
    args = ap.parse_args()
    farm = make_farm(args.seed, operations=args.operations, pages_per_operation=args.pages,
                     brands=40, news=20)
    started = time.perf_counter()
    items = page_items(farm.pages)
    analysed = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(str(Path(tmp) / "bench.db"))
        store = Store(engine)
        store.save_pages(store.start_run("bench", {}), items)
        summary = assign_clusters(engine)
        with engine.connect() as conn:
            found = dict(conn.execute(select(Page.url, Page.cluster)).all())
        engine.dispose()
    truth: dict[int, Any] = {}
    cluster: dict[int, int] = {}
    for i, (item, page) in enumerate(zip(items, farm.pages, strict=True)):
        truth[i] = page.template if page.template >= 0 else ("news" if "news" in page.domain
                                                              else "official")
        cluster[i] = found[item["url"]]
    purity = majority_share(cluster, truth)
    completeness = majority_share(truth, cluster)
    templates = len(set(truth.values()))
    sizes = Counter(cluster.values())
    print(f"farm: {len(items)} pages, {args.operations} operations on 4 spam templates, "
          f"{templates} templates in all (official and news pages included)")
    print(f"clusters of 2+ pages: {summary.clusters}, singletons: "
          f"{sum(1 for n in sizes.values() if n == 1)}")
    print(f"purity {purity:.3f}, completeness {completeness:.3f}")
    print(f"clustering {summary.seconds:.2f} s for {summary.pages} pages "
          f"(engine analysis before it: {analysed:.1f} s)")


if __name__ == "__main__":
    main()
