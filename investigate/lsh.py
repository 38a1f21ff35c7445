"""The kept LSH index (``minhash_bands``) and clustering that looks at new pages only.

Every clustered page has one row per LSH band in ``minhash_bands`` (bucket key, page id;
:func:`pipelines.templates.band_keys`). :func:`cluster_new` takes the pages not yet in the index
(``pages.banded IS NULL``: new pages, and pages the store wrote with another signature), signs
those the crawl's workers did not sign, puts them in the index and links each to the pages it
shares a bucket with, by the rule :func:`pipelines.templates.cluster_signatures` applies to the
whole database: a bucket's members are compared with the bucket's smallest page id, and pairs
whose estimated similarity reaches the threshold are joined.

What it reads and writes grows with the crawl, not with the database: the new pages' own rows,
their buckets' smallest members (an indexed ``min`` per bucket), and the pages of the clusters
they join or leave. A page that changed is taken out of its old cluster, whose pages are
clustered again among themselves and with their buckets, so a cluster it held together splits.
One case is left to ``triage cluster --full``: when a changed page was the smallest member of a
bucket, the pages linked through it elsewhere stay joined until the next full run.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, TextClause, delete, insert, select, text, update

from db.models import MinhashBand, Page
from investigate.clusters import (
    ClusterSummary,
    _chunks,
    _pack,
    cluster_sizes,
    fresh,
    sign,
    unpack,
    write_pages,
)
from pipelines import templates as engine_clusters
from pipelines.templates import _UnionFind


def rebuild_bands(conn: Connection, sigs: Mapping[int, np.ndarray]) -> None:
    """Replace the whole kept index by the buckets of ``sigs`` (``triage cluster --full``)."""
    conn.execute(delete(MinhashBand))
    _insert_bands(conn, sigs)
    conn.execute(update(Page).where(Page.verdict.is_not(None)).values(banded=True))


def _insert_bands(conn: Connection, sigs: Mapping[int, np.ndarray]) -> dict[int, list[int]]:
    """Index ``sigs``; returns each indexed page's bucket keys (computed once, used again)."""
    keys = {pid: engine_clusters.band_keys(values) for pid, values in sigs.items()
            if len(values) == engine_clusters.NUM_PERM}
    rows = [{"bucket": b, "page_id": pid} for pid, ks in keys.items() for b in set(ks)]
    for part in _chunks(rows, 5000):
        conn.execute(insert(MinhashBand), list(part))
    return keys


def _signatures(conn: Connection, ids: Iterable[int]) -> dict[int, tuple[np.ndarray, int | None]]:
    out: dict[int, tuple[np.ndarray, int | None]] = {}
    for part in _chunks(sorted(set(ids))):
        for pid, blob, cluster in conn.execute(select(Page.id, Page.minhash, Page.cluster)
                                               .where(Page.id.in_(part))):
            if blob:
                out[pid] = (unpack(blob), cluster)
    return out


ANCHOR_CHUNK = 200  # buckets per statement


@functools.lru_cache(maxsize=8)
def _anchor_statement(size: int) -> TextClause:
    """``SELECT`` of ``size`` scalar ``min(page_id)`` subqueries, one per bound bucket ``:b<i>``.

    One index seek per bucket (a ``GROUP BY`` would read every member of a bucket: 100,000
    pages for a farm's template). Plain SQL, built once per size: the same statement as a
    SQLAlchemy ``select`` of scalar subqueries cost more to build and look up in the compiled
    cache than the database took to answer it."""
    table = MinhashBand.__tablename__
    columns = ", ".join(f"(SELECT min(page_id) FROM {table} WHERE bucket = :b{i})"
                        for i in range(size))
    return text(f"SELECT {columns}")


def bucket_anchors(conn: Connection, buckets: Iterable[int]) -> dict[int, int]:
    """Each of ``buckets`` that has members in the kept index -> its smallest page id."""
    anchors: dict[int, int] = {}
    for part in _chunks(sorted(set(buckets)), ANCHOR_CHUNK):
        firsts = conn.execute(_anchor_statement(len(part)),
                              {f"b{i}": b for i, b in enumerate(part)}).one()
        anchors.update((b, pid) for b, pid in zip(part, firsts, strict=True) if pid is not None)
    return anchors


def _edges(conn: Connection, keys: Mapping[int, list[int]]) -> set[tuple[int, int]]:
    """Every pair (bucket anchor, member) the full rule checks that involves a page of ``keys``
    (page id -> its bucket keys): the page and its bucket's smallest member, and, where the
    page is the smallest, the page and every other member."""
    anchors = bucket_anchors(conn, {b for ks in keys.values() for b in ks})
    edges: set[tuple[int, int]] = set()
    led: list[int] = []
    for pid, ks in keys.items():
        for b in ks:
            anchor = anchors.get(b, pid)
            if anchor != pid:
                edges.add((anchor, pid))
            else:
                led.append(b)
    for part in _chunks(sorted(set(led))):
        for b, pid in conn.execute(select(MinhashBand.bucket, MinhashBand.page_id)
                                   .where(MinhashBand.bucket.in_(part))):
            if pid != anchors[b]:
                edges.add((anchors[b], pid))
    return edges


def _dirty(conn: Connection) -> tuple[list[Any], dict[int, tuple[str, np.ndarray]]]:
    """The analysed pages not in the index, and signatures for those that have none."""
    rows = conn.execute(select(Page.id, Page.content_hash, Page.minhash, Page.cluster,
                               Page.text.is_not(None) & (Page.text != "")).where(
        Page.banded.is_(None), Page.verdict.is_not(None)).order_by(Page.id)).all()
    stale = [r[0] for r in rows if r[4] and not fresh(r.minhash, r.content_hash)]
    return list(rows), sign(conn, stale)


def cluster_new(engine: Engine) -> ClusterSummary:
    """Cluster the pages stored since the last run; see the module docstring."""
    started = time.monotonic()
    threshold = engine_clusters.THRESHOLD
    writer = engine.execution_options(sqlite_write=True)
    with writer.begin() as conn:
        rows, signed = _dirty(conn)
        dirty = {r.id: signed[r.id][1] if r.id in signed else unpack(r.minhash)
                 for r in rows if r[4] and (r.id in signed or r.minhash)}
        left = {r.cluster for r in rows if r.cluster is not None}  # clusters changed pages leave
        for part in _chunks(list(dirty)):
            conn.execute(delete(MinhashBand).where(MinhashBand.page_id.in_(part)))
        indexed = _insert_bands(conn, dirty)
        region: dict[int, int | None] = {r.id: r.cluster for r in rows if r.id in dirty}
        for part in _chunks(sorted(left)):
            region.update(conn.execute(select(Page.id, Page.cluster)
                                       .where(Page.cluster.in_(part))).all())
        sigs = dict(dirty)
        known = _signatures(conn, [pid for pid in region if pid not in sigs])
        sigs.update({pid: v for pid, (v, _) in known.items()})
        keys = {pid: indexed[pid] if pid in indexed else engine_clusters.band_keys(sigs[pid])
                for pid in region if pid in sigs}
        edges = _edges(conn, keys)
        outside = _signatures(conn, [p for e in edges for p in e if p not in sigs])
        sigs.update({pid: v for pid, (v, _) in outside.items()})
        uf = _UnionFind()
        for a, b in sorted(edges):
            if a in sigs and b in sigs and engine_clusters.jaccard(sigs[a], sigs[b]) >= threshold:
                # A page outside the region stands for its whole cluster (named by its root).
                ra = a if a in region else (outside[a][1] or a)
                rb = b if b in region else (outside[b][1] or b)
                uf.union(ra, rb)
        changed = [{"pid": pid, "value": uf.find(pid)} for pid, old in region.items()
                   if pid in sigs and old != uf.find(pid)]
        write_pages(conn, "cluster", changed)
        merged = 0
        for root in {outside[p][1] or p for p in outside}:
            if uf.find(root) != root:
                merged += conn.execute(update(Page).where(Page.cluster == root)
                                       .values(cluster=uf.find(root))).rowcount
        write_pages(conn, "minhash", [{"pid": pid, "value": _pack(chash, values)}
                                      for pid, (chash, values) in signed.items()])
        for part in _chunks([r.id for r in rows]):
            conn.execute(update(Page).where(Page.id.in_(part)).values(banded=True))
        touched = sorted({uf.find(pid) for pid in region if pid in sigs})
        sizes = cluster_sizes(conn, clusters=touched)  # summary counts, not the clusters' pages
    big = {c: n for c, n in sizes.items() if n > 1}
    return ClusterSummary(pages=len(rows), signed=len(signed), changed=len(changed) + merged,
                          clusters=len(big), clustered_pages=sum(big.values()),
                          seconds=time.monotonic() - started, full=False)


__all__ = ["bucket_anchors", "cluster_new", "rebuild_bands"]
