"""Named, parameterised read queries: what the CLI (export, report) and reviewers ask.

Each function takes an open :class:`~sqlalchemy.Connection` and returns plain data (dicts,
lists, tuples), never ORM objects, so that the CLI, ``triage demo``, Datasette-style tools and
tests all consume the same shapes. Queries are portable across SQLite and PostgreSQL:
aggregation that differs between dialects (string aggregation) is done in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, distinct, func, or_, select

from db import serps
from db.models import (
    Brand,
    BrandStat,
    CrawlRun,
    DiscoveryRun,
    DomainVerdict,
    Number,
    NumberBrand,
    NumberDomain,
    NumberStat,
    PaddingSegment,
    Page,
    PageBrand,
    PageHistory,
    PageNumber,
)
from pipelines.types import SPAM_VERDICTS

NOT_ANALYSED = "not analysed"
CHUNK = 500


def iso(value: datetime | None) -> str | None:
    """UTC timestamps as ISO 8601 with a ``Z``."""
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _spam() -> Any:
    return Page.verdict.in_(sorted(SPAM_VERDICTS))


def is_empty(conn: Connection) -> bool:
    """True when no crawl (nor discovery run) has written anything yet."""
    runs = conn.execute(select(func.count()).select_from(CrawlRun)).scalar_one()
    pages = conn.execute(select(func.count()).select_from(Page)).scalar_one()
    searches = conn.execute(select(func.count()).select_from(DiscoveryRun)).scalar_one()
    return not runs and not pages and not searches


def totals(conn: Connection) -> dict[str, int]:
    """Row counts of the main tables (domains from the summary ``domain_verdicts``)."""
    out: dict[str, int] = {}
    for name, model in (("runs", CrawlRun), ("pages", Page), ("numbers", Number),
                        ("brands", Brand)):
        out[name] = conn.execute(select(func.count()).select_from(model)).scalar_one()
    out["domains"] = conn.execute(select(func.count(distinct(DomainVerdict.domain)))
                                  .where(DomainVerdict.pages > 0)).scalar_one()
    return out


def verdict_counts(conn: Connection) -> list[tuple[str, int]]:
    """Pages per verdict, most frequent first (pages never analysed as ``not analysed``)."""
    rows = conn.execute(select(DomainVerdict.verdict, func.sum(DomainVerdict.pages))
                        .group_by(DomainVerdict.verdict)).all()
    counts = [(str(v) or NOT_ANALYSED, int(n)) for v, n in rows if n]
    return sorted(counts, key=lambda vn: (-vn[1], vn[0]))


def _brands_of_numbers(conn: Connection, number_ids: Sequence[int],
                       verdict: str | None = None) -> dict[int, list[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for part in _chunks(number_ids):
        if verdict is None:  # the summary: pages showing the number and claiming the brand
            query = (select(NumberBrand.number_id, Brand.name)
                     .join(Brand, Brand.id == NumberBrand.brand_id)
                     .where(NumberBrand.number_id.in_(part), NumberBrand.pages > 0))
        else:
            query = (select(PageNumber.number_id, Brand.name)
                     .join(PageBrand, PageBrand.page_id == PageNumber.page_id)
                     .join(Brand, Brand.id == PageBrand.brand_id)
                     .join(Page, Page.id == PageNumber.page_id)
                     .where(PageNumber.number_id.in_(part), Page.verdict == verdict).distinct())
        for nid, name in conn.execute(query):
            out[nid].add(name)
    return {k: sorted(v) for k, v in out.items()}


def top_numbers(conn: Connection, limit: int = 10) -> list[dict[str, Any]]:
    """Advertised numbers on spam pages, by how many domains advertise them (``number_stats``)."""
    rows = conn.execute(
        select(Number.id, Number.e164, Number.kind, Number.place,
               NumberStat.spam_domains.label("domains"), NumberStat.spam_pages.label("pages"))
        .join(Number, Number.id == NumberStat.number_id).where(NumberStat.spam_pages > 0)
        .order_by(NumberStat.spam_domains.desc(), NumberStat.spam_pages.desc(), Number.e164)
        .limit(limit)
    ).mappings().all()
    brands = _brands_of_numbers(conn, [r["id"] for r in rows])
    return [{"e164": r["e164"], "kind": r["kind"], "place": r["place"],
             "domains": r["domains"], "pages": r["pages"], "brands": brands.get(r["id"], [])}
            for r in rows]


def top_brands(conn: Connection, limit: int = 10) -> list[dict[str, Any]]:
    """Brands impersonated: brands claimed on spam pages, by number of spam pages
    (``brand_stats``; ``numbers``: advertised on those pages, from ``number_brands``)."""
    rows = conn.execute(
        select(Brand.id, Brand.name, BrandStat.spam_pages, BrandStat.spam_domains)
        .join(Brand, Brand.id == BrandStat.brand_id).where(BrandStat.spam_pages > 0)
        .order_by(BrandStat.spam_pages.desc(), BrandStat.spam_domains.desc(), Brand.name)
        .limit(limit)).all()
    numbers = dict(conn.execute(
        select(NumberBrand.brand_id, func.count())
        .where(NumberBrand.brand_id.in_([r.id for r in rows]), NumberBrand.spam_advertised > 0)
        .group_by(NumberBrand.brand_id)).all())
    return [{"brand": r.name, "pages": r.spam_pages, "domains": r.spam_domains,
             "numbers": numbers.get(r.id, 0)} for r in rows]


def top_domains(conn: Connection, limit: int = 10) -> list[dict[str, Any]]:
    """Domains by number of spam pages, with their page count and distinct numbers (on spam
    pages), from ``domain_verdicts`` and ``number_domains``."""
    spam_pages = func.sum(DomainVerdict.pages).label("spam_pages")
    rows = conn.execute(
        select(DomainVerdict.domain, spam_pages)
        .where(DomainVerdict.verdict.in_(sorted(SPAM_VERDICTS))).group_by(DomainVerdict.domain)
        .having(spam_pages > 0).order_by(spam_pages.desc(), DomainVerdict.domain).limit(limit)
    ).mappings().all()
    names = [r["domain"] for r in rows]
    all_pages = dict(conn.execute(select(DomainVerdict.domain, func.sum(DomainVerdict.pages))
                                  .where(DomainVerdict.domain.in_(names))
                                  .group_by(DomainVerdict.domain)).all())
    numbers = dict(conn.execute(
        select(NumberDomain.domain, func.count())
        .where(NumberDomain.domain.in_(names), NumberDomain.spam > 0)
        .group_by(NumberDomain.domain)).all())
    return [{"domain": r["domain"], "spam_pages": int(r["spam_pages"]),
             "pages": int(all_pages.get(r["domain"], 0)), "numbers": numbers.get(r["domain"], 0)}
            for r in rows]


def runs(conn: Connection, limit: int = 10) -> list[dict[str, Any]]:
    """The latest crawl runs, newest first."""
    rows = conn.execute(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)).all()
    return [{"id": r.id, "spider": r.spider, "args": r.args, "started_at": iso(r.started_at),
             "finished_at": iso(r.finished_at), "outcome": r.outcome,
             "pages": (r.stats or {}).get("triage/stored")} for r in rows]


def new_in_latest_run(conn: Connection, limit: int = 10) -> dict[str, Any] | None:
    """What the latest crawl run found that no earlier run had: numbers, spam pages, spam
    domains, and the changes it recorded on known pages. None when there is no run."""
    latest = runs(conn, 2)
    if not latest:
        return None
    run_id = latest[0]["id"]
    domains = func.count().label("domains")  # number_domains: one row per (number, domain)
    new_numbers = conn.execute(
        select(Number.id, Number.e164, Number.kind, Number.place, domains)
        .join(NumberDomain, NumberDomain.number_id == Number.id)
        .where(Number.first_run_id == run_id, NumberDomain.pages > 0)
        .group_by(Number.id, Number.e164, Number.kind, Number.place)
        .order_by(domains.desc(), Number.e164)
    ).mappings().all()
    spam_pages = conn.execute(
        select(Page.url, Page.domain, Page.verdict).where(Page.first_run_id == run_id, _spam())
        .order_by(Page.score.desc(), Page.url).limit(limit)).mappings().all()
    spam_total = conn.execute(select(func.count()).select_from(Page).where(
        Page.first_run_id == run_id, _spam())).scalar_one()
    spam_domains = conn.execute(
        select(DomainVerdict.domain)
        .where(DomainVerdict.verdict.in_(sorted(SPAM_VERDICTS)), DomainVerdict.pages > 0)
        .group_by(DomainVerdict.domain)
        .having(func.min(DomainVerdict.first_run_id) == run_id)
        .order_by(DomainVerdict.domain)).scalars().all()
    changes = conn.execute(
        select(PageHistory.field, func.count()).where(PageHistory.run_id == run_id)
        .group_by(PageHistory.field).order_by(PageHistory.field)).all()
    return {
        "run": latest[0],
        "previous": latest[1] if len(latest) > 1 else None,
        "new_numbers": [{k: r[k] for k in ("e164", "kind", "place", "domains")}
                        for r in new_numbers[:limit]],
        "new_numbers_total": len(new_numbers),
        "new_spam_pages": [dict(r) for r in spam_pages],
        "new_spam_pages_total": spam_total,
        "new_spam_domains": list(spam_domains),
        "changes": dict(changes),
    }


def page_changes(conn: Connection, since: datetime | None = None) -> list[dict[str, Any]]:
    """Recorded changes of pages (numbers, verdict, content hash), oldest first."""
    query = (select(Page.url, PageHistory.field, PageHistory.old, PageHistory.new,
                    PageHistory.changed_at, PageHistory.run_id)
             .join(Page, Page.id == PageHistory.page_id).order_by(PageHistory.id))
    if since is not None:
        query = query.where(PageHistory.changed_at >= since)
    return [{"url": r.url, "field": r.field, "old": r.old, "new": r.new,
             "at": iso(r.changed_at), "run_id": r.run_id} for r in conn.execute(query)]


def _chunks(seq: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


def _keyset(conn: Connection, query: Select[Any], id_col: Any) -> Iterator[Sequence[Any]]:
    """Rows of ``query`` in id order, CHUNK at a time (the first chunk small, so the first
    record streams out at once), without holding a cursor open."""
    last, size = 0, 20
    while True:
        rows = conn.execute(query.where(id_col > last).order_by(id_col).limit(size)).all()
        if not rows:
            return
        yield rows
        last, size = rows[-1].id, CHUNK


def iter_pages(conn: Connection, verdict: str | None = None,
               ids: Sequence[int] | None = None) -> Iterator[dict[str, Any]]:
    """One record per stored URL, the shape of ``triage export pages`` (``ids``: only those).

    ``numbers`` holds the same objects as ``triage analyze`` (``Phone.to_dict``). ``verdict``
    follows the page's effective label (``label``, :mod:`db.training`) when it has one;
    ``model_verdict`` is the engine's own.
    """
    from db.training import effective_labels, labelled_clause, labelled_verdict

    query = select(Page)
    if verdict is not None:  # the exported verdict: the model's, or a labelled page's label
        query = query.where(or_(Page.verdict == verdict, labelled_clause()))
    if ids is not None:
        query = query.where(Page.id.in_(list(ids)))
    for rows in _keyset(conn, query, Page.id):
        ids = [r.id for r in rows]
        labels = effective_labels(conn, [(r.url, r.cluster, r.domain) for r in rows])
        numbers: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for r in conn.execute(
                select(PageNumber.page_id, Number.e164, Number.kind, Number.place,
                       Number.carrier, PageNumber.count, PageNumber.advertised,
                       PageNumber.obfuscated, PageNumber.context)
                .join(Number, Number.id == PageNumber.number_id)
                .where(PageNumber.page_id.in_(ids))
                .order_by(PageNumber.page_id, PageNumber.count.desc(), Number.e164)).mappings():
            numbers[r["page_id"]].append({
                "e164": r["e164"], "kind": r["kind"], "place": r["place"],
                "carrier": r["carrier"], "count": r["count"],
                "advertised": bool(r["advertised"]), "obfuscated": bool(r["obfuscated"]),
                "context": r["context"]})
        brands: dict[int, list[str]] = defaultdict(list)
        for pid, name in conn.execute(
                select(PageBrand.page_id, Brand.name).join(Brand, Brand.id == PageBrand.brand_id)
                .where(PageBrand.page_id.in_(ids)).order_by(PageBrand.page_id, Brand.name)):
            brands[pid].append(name)
        padding: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for seg in conn.execute(select(PaddingSegment).where(PaddingSegment.page_id.in_(ids))
                                .order_by(PaddingSegment.page_id, PaddingSegment.start)):
            padding[seg.page_id].append({"kind": seg.kind, "start": seg.start, "end": seg.end,
                                         "detail": seg.detail})
        reached = serps.found_by(conn, [r.url for r in rows])
        from db.identifiers import identifiers_of_pages

        idents = identifiers_of_pages(conn, ids)
        for r in rows:
            label = labels.get(r.url, {}).get("label")
            shown = labelled_verdict(label, r.verdict, r.spam_class,
                                     any(n["advertised"] for n in numbers.get(r.id, ())))
            if verdict is not None and shown != verdict:
                continue
            yield {
                "url": r.url, "final_url": r.final_url, "domain": r.domain, "status": r.status,
                "error": r.error, "fetched_at": iso(r.fetched_at), "title": r.title or "",
                "verdict": shown, "model_verdict": r.verdict, "label": label,
                "score": round(r.score, 4) if r.score is not None else None,
                "reasons": list(r.reasons or []), "numbers": numbers.get(r.id, []),
                "brands": brands.get(r.id, []), "padding": padding.get(r.id, []),
                "padding_ratio": round(r.padding_ratio, 4) if r.padding_ratio is not None
                else None,
                "content_hash": r.content_hash, "cluster": r.cluster, "flags": list(r.flags or []),
                "cloaking_kinds": list(r.cloaking_kinds or []), "profile": r.profile,
                "referrer": r.referrer, "referer_sent": r.referer_sent,
                "first_seen": iso(r.first_seen), "last_seen": iso(r.last_seen),
                "found_by": reached.get(r.url, []),
                "identifiers": idents.get(r.id, []),
            }


def iter_numbers(conn: Connection, verdict: str | None = None) -> Iterator[dict[str, Any]]:
    """One record per number, the shape of ``triage export numbers``.

    ``pages`` counts the pages showing the number; ``domains`` and ``brands`` list them. With
    ``verdict``, only pages of that verdict count, and numbers on none of them are left out.
    ``score``, ``verdict``: the number's reputation (:mod:`investigate.reputation`), None until scored.
    """
    for rows in _keyset(conn, select(Number), Number.id):
        ids = [r.id for r in rows]
        pages, domains, advertised = _number_pages(conn, ids, verdict)
        brands = _brands_of_numbers(conn, ids, verdict)
        for r in rows:
            if verdict is not None and r.id not in pages:
                continue
            yield {
                "e164": r.e164, "kind": r.kind, "place": r.place, "carrier": r.carrier,
                "pages": pages.get(r.id, 0), "domains": sorted(domains.get(r.id, ())),
                "brands": brands.get(r.id, []), "advertised": advertised.get(r.id, False),
                "first_seen": iso(r.first_seen), "last_seen": iso(r.last_seen),
                "score": round(r.score, 4) if r.score is not None else None,
                "verdict": r.verdict,
            }


def _number_pages(conn: Connection, ids: Sequence[int], verdict: str | None) -> tuple[
        dict[int, int], dict[int, set[str]], dict[int, bool]]:
    """Pages showing each number, their domains, and whether one advertises it: from the
    summary ``number_domains`` (all pages) or, for one page ``verdict``, from the pages."""
    pages: dict[int, int] = defaultdict(int)
    domains: dict[int, set[str]] = defaultdict(set)
    advertised: dict[int, bool] = defaultdict(bool)
    if verdict is None:
        for nid, domain, n, adv in conn.execute(
                select(NumberDomain.number_id, NumberDomain.domain, NumberDomain.pages,
                       NumberDomain.advertised)
                .where(NumberDomain.number_id.in_(ids), NumberDomain.pages > 0)):
            pages[nid] += n
            domains[nid].add(domain)
            advertised[nid] |= adv > 0
        return pages, domains, advertised
    for nid, domain, adv in conn.execute(
            select(PageNumber.number_id, Page.domain, PageNumber.advertised)
            .join(Page, Page.id == PageNumber.page_id)
            .where(PageNumber.number_id.in_(ids), Page.verdict == verdict)):
        pages[nid] += 1  # one row per (page, number): the primary key
        domains[nid].add(domain)
        advertised[nid] |= bool(adv)
    return pages, domains, advertised
