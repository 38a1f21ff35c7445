"""Template clusters in the database: signatures in ``pages.minhash``, ids in ``pages.cluster``.

:func:`assign_clusters` signs every analysed page whose signature is missing or older than its
content (the signature blob starts with a format byte and the page's content hash), then
clusters all signatures again (:func:`pipelines.templates.cluster_signatures`) and writes the
cluster ids that changed. Re-running it on an unchanged database signs nothing and writes
nothing. A cluster's id is the id of its oldest page, so ids survive re-crawls.

:func:`iter_clusters` is ``triage export clusters``: one record per cluster of two or more pages.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, bindparam, func, select, update

from db.models import Brand, Number, PaddingSegment, Page, PageBrand, PageNumber
from pipelines import templates as engine_clusters
from pipelines.types import SPAM_VERDICTS, PaddingKind

SCRAPED: PaddingKind = "scraped_article"

CHUNK = 500
_FORMAT = bytes([1])  # bump when template_text or the signature parameters change
_HASH_BYTES = 16


@dataclass(frozen=True)
class ClusterSummary:
    """What one :func:`assign_clusters` did."""

    pages: int  # analysed pages with text, all clustered
    signed: int  # signatures computed this time (new or changed pages)
    changed: int  # pages whose cluster id changed
    clusters: int  # clusters of two or more pages
    clustered_pages: int  # pages in those clusters
    seconds: float

    def line(self) -> str:
        return (f"{self.clusters} template clusters of 2+ pages hold {self.clustered_pages} of "
                f"{self.pages} analysed pages ({self.signed} signed, {self.changed} changed, "
                f"{self.seconds:.1f} s)")


def _stamp(content_hash: str) -> bytes:
    try:
        digest = bytes.fromhex(content_hash)[:_HASH_BYTES]
    except ValueError:
        digest = b""
    return _FORMAT + digest.ljust(_HASH_BYTES, b"\0")


def _pack(content_hash: str, values: np.ndarray) -> bytes:
    return _stamp(content_hash) + values.astype("<u4").tobytes()


def _unpack(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob[1 + _HASH_BYTES:], dtype="<u4").astype(np.uint64)


def _chunks(seq: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


def _sign(conn: Connection, ids: Sequence[int]) -> dict[int, tuple[str, np.ndarray]]:
    """Signatures of pages ``ids`` from their stored text, brands and scraped-article spans."""
    out: dict[int, tuple[str, np.ndarray]] = {}
    for part in _chunks(ids):
        brands: dict[int, list[str]] = defaultdict(list)
        for pid, name in conn.execute(select(PageBrand.page_id, Brand.name)
                                      .join(Brand, Brand.id == PageBrand.brand_id)
                                      .where(PageBrand.page_id.in_(part))):
            brands[pid].append(name)
        drop: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for pid, start, end in conn.execute(
                select(PaddingSegment.page_id, PaddingSegment.start, PaddingSegment.end)
                .where(PaddingSegment.page_id.in_(part),
                       PaddingSegment.kind == SCRAPED)):
            drop[pid].append((start, end))
        for pid, chash, text, spans in conn.execute(
                select(Page.id, Page.content_hash, Page.text, Page.spans)
                .where(Page.id.in_(part))):
            # Stored occurrence spans; a page stored before they were kept is scanned once.
            phones = ([(s, e) for s, e, _ in spans["phones"]]
                      if spans and "phones" in spans else None)
            template = engine_clusters.template_text(text or "", brands=brands[pid],
                                                     drop=drop[pid], phones=phones)
            out[pid] = (chash, engine_clusters.signature(template))
    return out


def assign_clusters(engine: Engine, *,
                    threshold: float = engine_clusters.THRESHOLD) -> ClusterSummary:
    """Sign new or changed analysed pages, cluster all of them, store changed cluster ids."""
    started = time.monotonic()
    with engine.connect() as conn:
        rows = conn.execute(select(Page.id, Page.content_hash, Page.minhash, Page.cluster)
                            .where(Page.verdict.is_not(None), Page.text.is_not(None),
                                   Page.text != "")
                            .order_by(Page.id)).all()
        stale = [r.id for r in rows
                 if r.minhash is None or r.minhash[:1 + _HASH_BYTES] != _stamp(r.content_hash)]
        fresh = _sign(conn, stale)
    sigs: dict[int, np.ndarray] = {}
    for r in rows:
        if r.id in fresh:
            sigs[r.id] = fresh[r.id][1]
        else:
            sigs[r.id] = _unpack(r.minhash)
    ids = engine_clusters.cluster_signatures(sigs, threshold=threshold)
    changed = [{"pid": r.id, "cluster": ids[r.id]} for r in rows if r.cluster != ids[r.id]]
    signed = [{"pid": pid, "minhash": _pack(chash, values)}
              for pid, (chash, values) in fresh.items()]
    writer = engine.execution_options(sqlite_write=True)
    with writer.begin() as conn:
        for part in _chunks(signed):
            conn.execute(update(Page).where(Page.id == bindparam("pid"))
                         .values(minhash=bindparam("minhash"))
                         .execution_options(synchronize_session=False), list(part))
        for part in _chunks(changed):
            conn.execute(update(Page).where(Page.id == bindparam("pid"))
                         .values(cluster=bindparam("cluster"))
                         .execution_options(synchronize_session=False), list(part))
    sizes = Counter(ids.values())
    big = {c: n for c, n in sizes.items() if n > 1}
    return ClusterSummary(pages=len(rows), signed=len(fresh), changed=len(changed),
                          clusters=len(big), clustered_pages=sum(big.values()),
                          seconds=time.monotonic() - started)


def iter_clusters(conn: Connection, verdict: str | None = None) -> Iterator[dict[str, Any]]:
    """One record per cluster of 2+ pages, largest first: ``cluster``, ``pages``, ``domains``,
    ``numbers`` (advertised, most pages first), ``brands`` (most pages first), ``example_url``
    (its oldest page) and ``spam_pages``. With ``verdict``, only pages of that verdict count."""
    counts = select(Page.cluster, func.count().label("n")).where(Page.cluster.is_not(None))
    if verdict is not None:
        counts = counts.where(Page.verdict == verdict)
    counts = counts.group_by(Page.cluster).having(func.count() > 1)
    sizes = sorted(conn.execute(counts).all(), key=lambda r: (-r.n, r.cluster))
    for part_rows in _chunks(sizes):
        part = [r.cluster for r in part_rows]
        pages = select(Page.id, Page.cluster, Page.url, Page.domain, Page.verdict).where(
            Page.cluster.in_(part))
        if verdict is not None:
            pages = pages.where(Page.verdict == verdict)
        members: dict[int, list[Any]] = defaultdict(list)
        cluster_of: dict[int, int] = {}
        for r in conn.execute(pages.order_by(Page.id)):
            members[r.cluster].append(r)
            cluster_of[r.id] = r.cluster
        numbers: dict[int, Counter[str]] = defaultdict(Counter)
        brands: dict[int, Counter[str]] = defaultdict(Counter)
        page_ids = list(cluster_of)
        for chunk in _chunks(page_ids):
            for pid, e164 in conn.execute(
                    select(PageNumber.page_id, Number.e164)
                    .join(Number, Number.id == PageNumber.number_id)
                    .where(PageNumber.page_id.in_(chunk), PageNumber.advertised.is_(True))):
                numbers[cluster_of[pid]][e164] += 1
            for pid, name in conn.execute(
                    select(PageBrand.page_id, Brand.name)
                    .join(Brand, Brand.id == PageBrand.brand_id)
                    .where(PageBrand.page_id.in_(chunk))):
                brands[cluster_of[pid]][name] += 1
        for r in part_rows:
            rows = members[r.cluster]
            yield {
                "cluster": r.cluster, "pages": len(rows),
                "domains": sorted({m.domain for m in rows}),
                "numbers": _ranked(numbers[r.cluster]), "brands": _ranked(brands[r.cluster]),
                "example_url": rows[0].url,
                "spam_pages": sum(m.verdict in SPAM_VERDICTS for m in rows),
            }


def _ranked(counter: Counter[str]) -> list[str]:
    return [k for k, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]
