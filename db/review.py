"""Read queries behind the review UI: the queue, and one page, number, cluster or domain.

Like :mod:`db.queries`, every function takes a Connection and returns plain dicts, so the web
views only lay data out. The queue puts the pages that most need a human first: by default the
unlabelled pages the model is least sure of (scores nearest the verdict threshold), labelled
pages after them; or by score (the surest spam first). :func:`neighbours` walks the same order
one page at a time, so the page view can offer "label and next".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, case, distinct, func, select, tuple_

from db import labels, queue_index
from db.models import Brand, Number, PaddingSegment, Page, PageBrand, PageHistory, PageNumber
from db.queries import iso

THRESHOLD = 0.5  # a fallback only: the web app passes the verdict model's spam threshold
SORTS = ("uncertain", "score")  # the first is the default
PAGE_SIZE = 50
MAX_BULK = 500  # pages one bulk label may name (a queue screen holds PAGE_SIZE)


@dataclass(frozen=True)
class QueueFilter:
    """What the reviewer asked the queue for (all optional)."""

    verdict: str = ""
    brand: str = ""
    domain: str = ""
    number: str = ""
    cluster: int | None = None
    unreviewed: bool = False
    sort: str = SORTS[0]
    page: int = 1
    threshold: float = THRESHOLD  # the score at which the verdict turns: uncertainty is 0 there


_clamped = queue_index.clamped


def uncertainty(score: float | None, threshold: float = THRESHOLD) -> float | None:
    """How unsure the model is of a score, in [0, 1]: 1 on the threshold, falling linearly to
    0 at a score of 0 and at 1. Measured on each side as a share of the room that side has, so
    with a threshold of 0.72 a score of 0.99 is sure spam, not "as unsure as 0.45"."""
    if score is None:
        return None
    t = _clamped(threshold)
    margin = (score - t) / (1.0 - t) if score >= t else (t - score) / t
    return max(0.0, 1.0 - margin)


def number_key(conn: Connection, raw: str) -> str | None:
    """A number as typed by a reviewer, as stored (E.164), or None when unknown."""
    return labels._number_key(conn, raw) if raw.strip() else None


def _matching(conn: Connection, f: QueueFilter) -> tuple[Select[Any], str | None]:
    """The ids of the pages the filter asks for (unordered), and the resolved number."""
    query = select(Page.id).where(Page.verdict.is_not(None))
    if f.verdict:
        query = query.where(Page.verdict == f.verdict)
    if f.domain:
        query = query.where(Page.domain == f.domain.strip().lower())
    if f.cluster is not None:
        query = query.where(Page.cluster == f.cluster)
    if f.brand:
        query = query.where(Page.id.in_(
            select(PageBrand.page_id).join(Brand, Brand.id == PageBrand.brand_id)
            .where(Brand.name == f.brand.strip())))
    number = number_key(conn, f.number) if f.number else None
    if f.number:
        query = query.where(Page.id.in_(
            select(PageNumber.page_id).join(Number, Number.id == PageNumber.number_id)
            .where(Number.e164 == (number or ""))))
    if f.unreviewed:
        query = query.where(Page.id.not_in(labels.labelled_pages()))
    return query, number


def _order(f: QueueFilter) -> list[ColumnElement[Any]]:
    """The queue's order as ascending keys ending in the page id (a total order, so
    :func:`neighbours` can step through it): labelled pages after unlabelled ones, then the
    least sure first (see :func:`uncertainty`); or the score, highest first."""
    if f.sort == "uncertain":
        reviewed = case((Page.id.in_(labels.labelled_pages()), 1), else_=0)
        margin = queue_index.margin_sql(f.threshold)  # = 1 - uncertainty()
        return [reviewed, margin, Page.id.expression]
    return [-func.coalesce(Page.score, 0.0), Page.id.expression]


def queue(conn: Connection, f: QueueFilter, size: int = PAGE_SIZE) -> dict[str, Any]:
    """One screen of the queue: ``rows``, ``total`` matching and the resolved ``number``."""
    query, number = _matching(conn, f)
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    offset = (max(f.page, 1) - 1) * size
    if queue_index.applies(f):  # least sure first over everything: two index walks
        ids: Sequence[int] = queue_index.screen(conn, f, offset, size)
    else:
        ids = conn.execute(query.order_by(*_order(f)).limit(size).offset(offset)).scalars().all()
    rows = pages_by_id(conn, ids)
    for r in rows:
        r["uncertainty"] = uncertainty(r["score"], f.threshold)
    return {"rows": rows, "total": total, "number": number}


def neighbours(conn: Connection, f: QueueFilter, page_id: int) -> dict[str, int | None]:
    """The pages just before (``prev``) and after (``next``) ``page_id`` in the queue ``f``
    (None at either end, or both when there is no such page). The page itself need not match
    the filter any more: a page labelled a moment ago still has its place to step from."""
    keys = _order(f)
    here = conn.execute(select(*keys).where(Page.id == page_id)).first()
    if here is None:
        return {"prev": None, "next": None}
    if queue_index.applies(f):
        return queue_index.neighbours(conn, f, (int(here[0]), float(here[1]), int(here[2])))
    query, _ = _matching(conn, f)
    at, key = tuple_(*here), tuple_(*keys)
    nxt = conn.execute(query.where(key > at).order_by(*keys).limit(1)).scalar()
    prev = conn.execute(query.where(key < at).order_by(*[k.desc() for k in keys])
                        .limit(1)).scalar()
    return {"prev": prev, "next": nxt}


def page_urls(conn: Connection, ids: Sequence[int]) -> dict[int, str]:
    """The URL of each of ``ids`` that is a stored page."""
    return dict(conn.execute(select(Page.id, Page.url).where(Page.id.in_(list(ids)))).all())


def pages_by_id(conn: Connection, ids: Sequence[int]) -> list[dict[str, Any]]:
    """Summary rows of pages (in the order of ``ids``) with brands, numbers and label."""
    if not ids:
        return []
    rows = {r.id: r for r in conn.execute(
        select(Page.id, Page.url, Page.domain, Page.title, Page.verdict, Page.score,
               Page.cluster, Page.padding_ratio, Page.last_seen).where(Page.id.in_(ids)))}
    brands: dict[int, list[str]] = defaultdict(list)
    for pid, name in conn.execute(select(PageBrand.page_id, Brand.name)
                                  .join(Brand, Brand.id == PageBrand.brand_id)
                                  .where(PageBrand.page_id.in_(ids)).order_by(Brand.name)):
        brands[pid].append(name)
    numbers: dict[int, list[str]] = defaultdict(list)
    for pid, e164 in conn.execute(
            select(PageNumber.page_id, Number.e164).join(Number, Number.id == PageNumber.number_id)
            .where(PageNumber.page_id.in_(ids), PageNumber.advertised.is_(True))
            .order_by(PageNumber.count.desc(), Number.e164)):
        numbers[pid].append(e164)
    found = labels.page_labels(conn, [(r.url, r.cluster) for r in rows.values()])
    return [{"id": i, "url": rows[i].url, "domain": rows[i].domain, "title": rows[i].title or "",
             "verdict": rows[i].verdict, "score": rows[i].score, "cluster": rows[i].cluster,
             "padding_ratio": rows[i].padding_ratio, "last_seen": iso(rows[i].last_seen),
             "brands": brands.get(i, []), "numbers": numbers.get(i, []),
             "label": found.get(rows[i].url)} for i in ids if i in rows]


def page_id(conn: Connection, url: str) -> int | None:
    """The id of the page stored under ``url``."""
    return conn.execute(select(Page.id).where(Page.url == url)).scalar_one_or_none()


def stored_phone_spans(spans: dict[str, Any] | None) -> list[tuple[int, int, str]] | None:
    """The phone occurrences stored with a page (``pages.spans``), or None for a page stored
    before spans were kept (its next analysis stores them)."""
    if not spans or "phones" not in spans:
        return None
    return [(int(s), int(e), str(n)) for s, e, n in spans["phones"]]


def page_detail(conn: Connection, page_id: int) -> dict[str, Any] | None:
    """Everything the page view shows, or None when there is no such page."""
    page = conn.execute(select(Page).where(Page.id == page_id)).first()
    if page is None:
        return None
    numbers = [dict(r) for r in conn.execute(
        select(Number.e164, Number.kind, Number.place, PageNumber.count, PageNumber.advertised,
               PageNumber.obfuscated, PageNumber.context)
        .join(Number, Number.id == PageNumber.number_id).where(PageNumber.page_id == page_id)
        .order_by(PageNumber.count.desc(), Number.e164)).mappings()]
    padding = [dict(r) for r in conn.execute(
        select(PaddingSegment.kind, PaddingSegment.start, PaddingSegment.end,
               PaddingSegment.detail).where(PaddingSegment.page_id == page_id)
        .order_by(PaddingSegment.start)).mappings()]
    changes = [{"field": r.field, "old": r.old, "new": r.new, "at": iso(r.changed_at)}
               for r in conn.execute(select(PageHistory).where(PageHistory.page_id == page_id)
                                     .order_by(PageHistory.id))]
    brands = list(conn.execute(select(Brand.name).join(PageBrand, PageBrand.brand_id == Brand.id)
                               .where(PageBrand.page_id == page_id).order_by(Brand.name))
                  .scalars())
    cluster_labels = (labels.history(conn, "cluster", str(page.cluster))
                      if page.cluster is not None else [])
    return {
        "id": page.id, "url": page.url, "final_url": page.final_url, "domain": page.domain,
        "status": page.status, "error": page.error, "title": page.title or "",
        "text": page.text or "", "verdict": page.verdict, "score": page.score,
        "reasons": list(page.reasons or []), "padding_ratio": page.padding_ratio,
        "cluster": page.cluster, "flags": list(page.flags or []),
        "fetched_at": iso(page.fetched_at), "first_seen": iso(page.first_seen),
        "last_seen": iso(page.last_seen), "numbers": numbers, "padding": padding,
        "brands": brands, "changes": changes,
        "phone_spans": stored_phone_spans(page.spans),
        "label": labels.page_labels(conn, [(page.url, page.cluster)]).get(page.url),
        "history": labels.history(conn, "page", page.url), "cluster_history": cluster_labels,
        "domain_label": labels.current(conn, "domain", [page.domain]).get(page.domain),
    }


def _spread(conn: Connection, page_ids: Any) -> dict[str, Any]:
    """Domains, brands and numbers over a set of pages (a subquery of page ids)."""
    domains = [dict(r) for r in conn.execute(
        select(Page.domain, func.count().label("pages")).where(Page.id.in_(page_ids))
        .group_by(Page.domain).order_by(func.count().desc(), Page.domain)).mappings()]
    brands = [dict(r) for r in conn.execute(
        select(Brand.name, func.count(distinct(PageBrand.page_id)).label("pages"))
        .join(PageBrand, PageBrand.brand_id == Brand.id).where(PageBrand.page_id.in_(page_ids))
        .group_by(Brand.name).order_by(func.count(distinct(PageBrand.page_id)).desc(),
                                       Brand.name)).mappings()]
    numbers = [dict(r) for r in conn.execute(
        select(Number.e164, Number.kind, func.count(distinct(PageNumber.page_id)).label("pages"))
        .join(PageNumber, PageNumber.number_id == Number.id)
        .where(PageNumber.page_id.in_(page_ids), PageNumber.advertised.is_(True))
        .group_by(Number.e164, Number.kind)
        .order_by(func.count(distinct(PageNumber.page_id)).desc(), Number.e164)).mappings()]
    return {"domains": domains, "brands": brands, "numbers": numbers}


def number_detail(conn: Connection, raw: str) -> dict[str, Any] | None:
    """A number: where it appears (pages, domains, brands), when, and its labels."""
    key = number_key(conn, raw)
    if key is None:
        return _searched_only(conn, raw)
    number = conn.execute(select(Number).where(Number.e164 == key)).one()
    page_ids = select(PageNumber.page_id).where(PageNumber.number_id == number.id)
    ids = conn.execute(select(Page.id).where(Page.id.in_(page_ids))
                       .order_by(Page.score.desc(), Page.id)).scalars().all()
    contexts = dict(conn.execute(select(PageNumber.page_id, PageNumber.context)
                                 .where(PageNumber.number_id == number.id)).all())
    pages = pages_by_id(conn, ids)
    for p in pages:
        p["context"] = contexts.get(p["id"], "")
    return {
        "e164": number.e164, "kind": number.kind, "place": number.place,
        "carrier": number.carrier, "first_seen": iso(number.first_seen),
        "last_seen": iso(number.last_seen), "score": getattr(number, "score", None),
        "verdict": getattr(number, "verdict", None), "pages": pages,
        **{k: v for k, v in _spread(conn, page_ids).items() if k != "numbers"},
        "history": labels.history(conn, "number", number.e164),
        **_searched(conn, number.e164),
    }


def _searched_only(conn: Connection, raw: str) -> dict[str, Any] | None:
    """A number no crawled page shows yet but searches found (``triage pivot`` without
    ``--crawl``): its search results only; None when there are none."""
    e164 = raw.strip()
    found = _searched(conn, e164)
    if not found["search"]:
        return None
    return {"e164": e164, "kind": "", "place": "", "carrier": "", "first_seen": None,
            "last_seen": None, "score": None, "verdict": None, "pages": [], "domains": [],
            "brands": [], "history": [], **found, "searched_only": True}


def _searched(conn: Connection, e164: str) -> dict[str, Any]:
    """Search results showing the number or found by a pivot on it, each marked crawled or
    not, and the domains they are on."""
    from db.serps import results_for_number

    found = results_for_number(conn, e164)
    crawled = dict(conn.execute(select(Page.url, Page.id).where(
        Page.url.in_([f["url"] for f in found]))).all()) if found else {}
    domains: dict[str, int] = {}
    for f in found:
        f["page_id"] = crawled.get(f["url"])
        domains[f["domain"]] = domains.get(f["domain"], 0) + 1
    return {"search": found, "searched_only": False,
            "search_domains": sorted(domains.items(), key=lambda d: (-d[1], d[0]))}


def group_detail(conn: Connection, kind: str, key: str) -> dict[str, Any] | None:
    """A cluster (``kind="cluster"``, key = id) or a domain: its pages, spread and labels."""
    where = (Page.cluster == int(key)) if kind == "cluster" else (Page.domain == key)
    page_ids = select(Page.id).where(where)
    ids = conn.execute(page_ids.order_by(Page.score.desc(), Page.id)).scalars().all()
    if not ids:
        return None
    return {"kind": kind, "key": key, "pages": pages_by_id(conn, ids),
            **_spread(conn, page_ids), "history": labels.history(conn, kind, key)}
