"""Template clusters in the database: signatures in ``pages.minhash``, ids in ``pages.cluster``.

:func:`assign_clusters` clusters the pages stored since it last ran, through the kept LSH index
(:mod:`investigate.lsh`; the crawl's analysis workers sign pages, so this reads no page text).
With ``full`` it signs every analysed page whose signature is missing or older than its content
(the signature blob starts with a format byte and the page's content hash), clusters all
signatures again (:func:`pipelines.templates.cluster_signatures`), writes the cluster ids that
changed and rebuilds the index. Re-running either on an unchanged database signs nothing and
changes nothing. A cluster's id is the id of its oldest page, so ids survive re-crawls.

:func:`iter_clusters` is ``triage export clusters``: one record per cluster of two or more pages.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, bindparam, or_, select, update

from db.models import (
    Brand,
    ClusterVerdict,
    Number,
    PaddingSegment,
    Page,
    PageBrand,
    PageNumber,
)
from db.signatures import HASH_BYTES, signature_blob
from pipelines import templates as engine_clusters
from pipelines.types import SPAM_VERDICTS, PaddingKind

SCRAPED: PaddingKind = "scraped_article"

CHUNK = 500
_FORMAT = bytes([engine_clusters.FORMAT])  # the format byte of a signature made by this code


@dataclass(frozen=True)
class ClusterSummary:
    """What one :func:`assign_clusters` did."""

    pages: int  # pages looked at: every analysed page (full) or the new and changed ones
    signed: int  # signatures computed this time (pages the workers did not sign)
    changed: int  # pages whose cluster id changed
    clusters: int  # clusters of two or more pages (incremental: those the new pages touched)
    clustered_pages: int  # pages in those clusters
    seconds: float
    full: bool = True

    def line(self) -> str:
        if not self.full:
            return (f"{self.pages} new or changed pages clustered: {self.clusters} template "
                    f"clusters of 2+ pages touched, holding {self.clustered_pages} pages "
                    f"({self.signed} signed, {self.changed} changed, {self.seconds:.1f} s)")
        return (f"{self.clusters} template clusters of 2+ pages hold {self.clustered_pages} of "
                f"{self.pages} analysed pages ({self.signed} signed, {self.changed} changed, "
                f"{self.seconds:.1f} s)")


def _stamp(content_hash: str) -> bytes:
    return signature_blob(content_hash, _FORMAT)[:1 + HASH_BYTES]  # type: ignore[index]


def _pack(content_hash: str, values: np.ndarray) -> bytes:
    return _stamp(content_hash) + values.astype("<u4").tobytes()


def unpack(blob: bytes) -> np.ndarray:
    """The hash values of a stored signature."""
    return np.frombuffer(blob[1 + HASH_BYTES:], dtype="<u4").astype(np.uint64)


def fresh(blob: bytes | None, content_hash: str) -> bool:
    """Whether a stored signature was made by this code from this content."""
    return blob is not None and blob[:1 + HASH_BYTES] == _stamp(content_hash)


def _chunks(seq: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


def sign(conn: Connection, ids: Sequence[int]) -> dict[int, tuple[str, np.ndarray]]:
    """Signatures of pages ``ids`` from their stored text, brands, scraped-article and
    occurrence spans (pages stored before the spans were kept are scanned once)."""
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
            spans = spans or {}
            phones = [(s, e) for s, e, _ in spans["phones"]] if "phones" in spans else None
            places = [(s, e) for s, e in spans["places"]] if "places" in spans else None
            template = engine_clusters.template_text(text or "", brands=brands[pid],
                                                     drop=drop[pid], phones=phones,
                                                     places=places)
            out[pid] = (chash, engine_clusters.signature(template))
    return out


def write_pages(conn: Connection, column: str, rows: Sequence[dict[str, Any]]) -> None:
    """``pages.<column> = :value where id = :pid`` for each row, in chunks."""
    for part in _chunks(rows):
        conn.execute(update(Page).where(Page.id == bindparam("pid"))
                     .values({column: bindparam("value")})
                     .execution_options(synchronize_session=False), list(part))


def assign_clusters(engine: Engine, *, threshold: float = engine_clusters.THRESHOLD,
                    full: bool = False) -> ClusterSummary:
    """Cluster the pages stored since the last run (:func:`investigate.lsh.cluster_new`), or,
    with ``full`` (or another ``threshold``), sign what is stale and cluster every page again,
    rebuilding the kept LSH index."""
    if not full and threshold == engine_clusters.THRESHOLD:
        from investigate.lsh import cluster_new

        return cluster_new(engine)
    return _cluster_all(engine, threshold)


def _cluster_all(engine: Engine, threshold: float) -> ClusterSummary:
    from investigate.lsh import rebuild_bands

    started = time.monotonic()
    with engine.connect() as conn:
        rows = conn.execute(select(Page.id, Page.content_hash, Page.minhash, Page.cluster)
                            .where(Page.verdict.is_not(None), Page.text.is_not(None),
                                   Page.text != "")
                            .order_by(Page.id)).all()
        stale = [r.id for r in rows if not fresh(r.minhash, r.content_hash)]
        signed = sign(conn, stale)
    sigs = {r.id: signed[r.id][1] if r.id in signed else unpack(r.minhash) for r in rows}
    ids = engine_clusters.cluster_signatures(sigs, threshold=threshold)
    changed = [{"pid": r.id, "value": ids[r.id]} for r in rows if r.cluster != ids[r.id]]
    with engine.execution_options(sqlite_write=True).begin() as conn:
        write_pages(conn, "minhash", [{"pid": pid, "value": _pack(chash, values)}
                                      for pid, (chash, values) in signed.items()])
        write_pages(conn, "cluster", changed)
        if threshold == engine_clusters.THRESHOLD:  # the kept index is for the default only
            rebuild_bands(conn, sigs)
    sizes = Counter(ids.values())
    big = {c: n for c, n in sizes.items() if n > 1}
    return ClusterSummary(pages=len(rows), signed=len(signed), changed=len(changed),
                          clusters=len(big), clustered_pages=sum(big.values()),
                          seconds=time.monotonic() - started)


def iter_clusters(conn: Connection, verdict: str | None = None) -> Iterator[dict[str, Any]]:
    """One record per cluster of 2+ pages, largest first: ``cluster``, ``pages``, ``domains``,
    ``numbers`` (advertised, most pages first), ``brands`` (most pages first), ``example_url``
    (its oldest page) and ``spam_pages``. With ``verdict``, only pages of that verdict count."""
    for part_rows in _batches(_largest_first(conn, verdict)):
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
        for size in part_rows:
            rows = members[size.cluster]
            yield {
                "cluster": size.cluster, "pages": len(rows),
                "domains": sorted({m.domain for m in rows}),
                "numbers": _ranked(numbers[size.cluster]),
                "brands": _ranked(brands[size.cluster]),
                "example_url": rows[0].url,
                "spam_pages": sum(m.verdict in SPAM_VERDICTS for m in rows),
            }


@dataclass(frozen=True)
class _Size:
    cluster: int
    n: int


def _largest_first(conn: Connection, verdict: str | None) -> Iterator[_Size]:
    """Clusters of 2+ pages (of ``verdict``), largest first then by id, read from the index of
    ``cluster_verdicts`` a thousand at a time (keyset), so the first comes at once."""
    key = "*" if verdict is None else verdict
    query = (select(ClusterVerdict.cluster, ClusterVerdict.pages)
             .where(ClusterVerdict.verdict == key, ClusterVerdict.pages > 1)
             .order_by(ClusterVerdict.pages.desc(), ClusterVerdict.cluster).limit(1000))
    rows = conn.execute(query).all()
    while rows:
        yield from (_Size(int(c), int(n)) for c, n in rows)
        last_c, last_n = rows[-1]
        rows = conn.execute(query.where(ClusterVerdict.pages <= last_n, or_(
            ClusterVerdict.pages < last_n, ClusterVerdict.cluster > last_c))).all()


def _batches(sizes: Iterable[_Size], pages: int = 2000) -> Iterator[list[_Size]]:
    """Clusters in order, in batches of about ``pages`` pages (a big cluster alone), so the
    first record comes after reading the first cluster, not the 500 largest."""
    batch: list[_Size] = []
    held = 0
    for size in sizes:
        if batch and (held + size.n > pages or len(batch) >= CHUNK):
            yield batch
            batch, held = [], 0
        batch.append(size)
        held += size.n
    if batch:
        yield batch


def cluster_sizes(conn: Connection, verdict: str | None = None,
                  clusters: Sequence[int] | None = None) -> dict[int, int]:
    """Pages per cluster (of one page ``verdict``; of ``clusters`` only), from the summary
    ``cluster_verdicts``."""
    query = select(ClusterVerdict.cluster, ClusterVerdict.pages).where(
        ClusterVerdict.pages > 0, ClusterVerdict.verdict == ("*" if verdict is None else verdict))
    out: dict[int, int] = {}
    for part in [None] if clusters is None else _chunks(clusters):
        q = query if part is None else query.where(ClusterVerdict.cluster.in_(part))
        out.update((int(c), int(n)) for c, n in conn.execute(q))
    return out


def _ranked(counter: Counter[str]) -> list[str]:
    return [k for k, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]
