"""Operations purity and completeness on a generated web, crawled for real, beside template
clusters alone.

    .venv/bin/python bench/operations.py [--seeds 14 15 16]

Each seed's web (:func:`triage.demo.operations_web.build_operations_web`: five operations tied by
a shared Baidu Tongji id across templates and numbers, a shared ICP filing and chat account, one
number on four sites, a chain of CNZZ/QQ/WeChat/e-mail ties, a Google Analytics + 51.la pair on
a sold template kit; six legitimate shops on the same kit with its default statistics id, chat
demo account and favicon) is served on 127.0.0.1, one port per site, and crawled with ``triage
crawl`` (default settings: after the crawl clusters, operations, reputation run as always).

Truth: every site belongs to its operation; every legitimate shop is its own. Predicted
groups: the stored operations, every other site alone; the baseline joins sites whose pages
share a template cluster (``pages.cluster``). Purity: the share of sites whose group's majority
truth is theirs; completeness: the share of sites in their truth's largest group. Also counted:
legitimate sites put in one group with a spam site.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from triage.demo.operations_web import OperationsWebServer, build_operations_web


def purity(groups: dict[str, str], truth: dict[str, str]) -> float:
    by_group: dict[str, Counter[str]] = defaultdict(Counter)
    for site, group in groups.items():
        by_group[group][truth[site]] += 1
    return sum(c.most_common(1)[0][1] for c in by_group.values()) / len(groups)


def legit_merged(groups: dict[str, str], truth: dict[str, str]) -> int:
    members: dict[str, set[str]] = defaultdict(set)
    for site, group in groups.items():
        members[group].add(site)
    return sum(1 for site, group in groups.items() if truth[site].startswith("legit")
               and any(not truth[o].startswith("legit") for o in members[group]))


def cluster_groups(conn: sqlite3.Connection, site_of: dict[str, str]) -> dict[str, str]:
    """Template clusters alone: sites joined when their pages share a cluster."""
    parent = {s: s for s in site_of.values()}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x
    by_cluster: dict[int, list[str]] = defaultdict(list)
    for domain, cluster in conn.execute("select domain, cluster from pages where cluster is not null"):
        if domain in site_of:
            by_cluster[cluster].append(site_of[domain])
    for sites in by_cluster.values():
        for s in sites[1:]:
            a, b = find(sites[0]), find(s)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {s: find(s) for s in parent}


def run(seed: int, workdir: Path) -> dict[str, float]:
    web = build_operations_web(seed)
    truth = {s: (f"op{op}" if op >= 0 else f"legit-{s}") for s, op in web.truth.items()}
    db = workdir / f"ops-{seed}.db"
    with OperationsWebServer(web) as server:
        cmd = [sys.executable, "-m", "triage.cli", "crawl", *server.start_urls, "--db", str(db),
               "--depth", "2"]
        for domain in server.domain.values():
            cmd += ["--allow-private", domain]
        started = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
        seconds = time.perf_counter() - started
        if done.returncode:
            sys.exit(f"crawl failed for seed {seed}: {done.stderr[-500:]}")
        site_of = server.site_of
    with sqlite3.connect(db) as conn:
        ops = {site_of[d]: f"op-{o}" for d, o in
               conn.execute("select domain, operation_id from operation_domains")}
        ours = {s: ops.get(s, f"alone-{s}") for s in truth}
        base = cluster_groups(conn, site_of)
    return {
        "sites": len(truth), "seconds": seconds,
        "ops_purity": purity(ours, truth), "ops_completeness": purity(truth, ours),
        "ops_legit_merged": legit_merged(ours, truth),
        "tpl_purity": purity(base, truth), "tpl_completeness": purity(truth, base),
        "tpl_legit_merged": legit_merged(base, truth),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[14, 15, 16])
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            rows.append(run(seed, Path(tmp)))
    n = len(rows)
    mean = {k: sum(r[k] for r in rows) / n for k in rows[0]}
    print(f"{n} generated webs, {int(sum(r['sites'] for r in rows))} sites, crawled in "
          f"{sum(r['seconds'] for r in rows):.1f} s")
    print(f"{'':28}{'purity':>8}{'completeness':>14}{'legit merged':>14}")
    print(f"{'operations (issue 14)':28}{mean['ops_purity']:8.3f}{mean['ops_completeness']:14.3f}"
          f"{int(sum(r['ops_legit_merged'] for r in rows)):14d}")
    print(f"{'template clusters alone':28}{mean['tpl_purity']:8.3f}{mean['tpl_completeness']:14.3f}"
          f"{int(sum(r['tpl_legit_merged'] for r in rows)):14d}")
    print(f"ratio operations / clusters: purity {mean['ops_purity'] / mean['tpl_purity']:.2f}, "
          f"completeness {mean['ops_completeness'] / mean['tpl_completeness']:.2f}")


if __name__ == "__main__":
    main()
