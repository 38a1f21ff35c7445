"""Operations after a crawl (issue 12): recomputed for the part of the web the crawl touched.

A full recompute (:func:`investigate.operations.update_operations`) reads every domain's ties.
After a crawl only operations near its domains can change, so :func:`update_operations_after`
reads a region: the crawl's domains, every domain sharing one of their strong tie values (a value
on ``MAX_DOMAINS`` domains or more ties nothing and pulls in no one), and all domains of the
operations those are in now. Each value a region domain carries is weighed by all its domains, as
the full run weighs it: domains outside the region that carry it are read for that value only
(at most ``MAX_DOMAINS`` of them, the first by name; one query per kind of value and CHUNK
values). The region's operations are replaced; operations elsewhere are left as they are, ids
kept by the same vote as the full run.

If an outside domain would join a region domain (a crawled page dropped the value that kept
two domains apart, or the stored operations are from an older engine), the region was not
closed: it falls back to the full recompute. One thing is left to the full run (``triage
cluster``): a weak tie (template cluster, brand, favicon, server address) elsewhere whose value
the crawl's domains also carry keeps the weight of its last recompute, though one more domain
now shares it. Cost: O(pages of the region's domains + the tie values they carry), in a few
queries.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from db.models import (
    Brand,
    BrandDomain,
    CrawlRun,
    Number,
    NumberDomain,
    Operation,
    OperationDomain,
    OperationLink,
    Page,
    PageIdentifier,
    utcnow,
)
from investigate.operations import (
    CHUNK,
    OperationsSummary,
    labelled,
    read_facts,
    update_operations,
    write_members,
)
from pipelines.operations import (
    IGNORED_KINDS,
    MAX_DOMAINS,
    WEAK_WEIGHTS,
    DomainFacts,
    assign_ids,
    find_operations,
)
from pipelines.types import MALFORMED, SPAM_VERDICTS

Tie = tuple[str, str]


def _parts(seq: Iterable[Any]) -> Iterable[list[Any]]:
    items = sorted(seq)
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def facts_of(conn: Connection, domains: Iterable[str]) -> dict[str, DomainFacts]:
    """:func:`investigate.operations.read_facts` of ``domains``, by domain."""
    return {f.domain: f for f in read_facts(conn, set(domains))}


def carriers(conn: Connection, tie: Tie) -> list[str]:
    """Up to ``MAX_DOMAINS`` domains whose analysed pages carry ``tie`` (enough to weigh it:
    a value on that many domains weighs 0); numbers and brands from the summary tables."""
    return carriers_of(conn, [tie]).get(tie, [])


def _carrier_query(kind: str, values: list[str]) -> Any:
    """(value, domain, rank) of the domains carrying ``kind`` ties of ``values``; rank
    numbers each value's domains, so that one query keeps at most MAX_DOMAINS per value."""
    pairs: Any
    if kind == "number":
        pairs = (select(Number.e164.label("value"), NumberDomain.domain.label("domain"))
                 .join(Number, Number.id == NumberDomain.number_id)
                 .where(Number.e164.in_(values), Number.kind != MALFORMED,
                        NumberDomain.advertised > 0))
    elif kind == "brand":
        pairs = (select(Brand.name.label("value"), BrandDomain.domain.label("domain"))
                 .join(Brand, Brand.id == BrandDomain.brand_id)
                 .where(Brand.name.in_(values), BrandDomain.pages > 0))
    elif kind == "cluster":
        pairs = (select(Page.cluster.label("value"), Page.domain.label("domain")).distinct()
                 .where(Page.cluster.in_([int(v) for v in values]), Page.verdict.is_not(None)))
    else:
        pairs = (select(PageIdentifier.value.label("value"), Page.domain.label("domain"))
                 .distinct().join(PageIdentifier, PageIdentifier.page_id == Page.id)
                 .where(PageIdentifier.kind == kind, PageIdentifier.value.in_(values),
                        Page.verdict.is_not(None)))
    sub = pairs.subquery()
    rank = func.row_number().over(partition_by=sub.c.value, order_by=sub.c.domain)
    ranked = select(sub.c.value, sub.c.domain, rank.label("rank")).subquery()
    return select(ranked.c.value, ranked.c.domain).where(ranked.c.rank <= MAX_DOMAINS)


def carriers_of(conn: Connection, ties: Iterable[Tie]) -> dict[Tie, list[str]]:
    """:func:`carriers` of many ties: one query per kind and CHUNK values, not one per tie
    (after a crawl of 2,000 pages that was 4,000 queries, most of the after-crawl time)."""
    by_kind: dict[str, set[str]] = {}
    for kind, value in ties:
        by_kind.setdefault(kind, set()).add(value)
    out: dict[Tie, list[str]] = {}
    for kind, values in by_kind.items():
        for tie_value in values:
            out[(kind, tie_value)] = []
        for part in _parts(values):
            for tie_value, domain in conn.execute(_carrier_query(kind, part)):
                out[(kind, str(tie_value))].append(domain)
    return out


def _strong(tie: Tie) -> bool:
    return tie[0] not in WEAK_WEIGHTS and tie[0] not in IGNORED_KINDS


def _region(conn: Connection, seed: set[str]) -> set[str]:
    """The crawl's domains, the domains sharing a strong value with them (values on fewer than
    MAX_DOMAINS domains) and every domain of the operations all of those are in."""
    region = set(seed)
    ties = {t for f in facts_of(conn, seed).values() for t in f.ties if _strong(t)}
    for found in carriers_of(conn, ties).values():
        if len(found) < MAX_DOMAINS:
            region.update(found)
    ops: set[int] = set()
    for part in _parts(region):
        ops.update(conn.execute(select(OperationDomain.operation_id)
                                .where(OperationDomain.domain.in_(part))).scalars())
    for part in _parts(ops):
        region.update(conn.execute(select(OperationDomain.domain)
                                   .where(OperationDomain.operation_id.in_(part))).scalars())
    return region


def _outside(conn: Connection, facts: dict[str, DomainFacts]) -> dict[str, DomainFacts]:
    """Domains outside the region that carry the region's values, with those values only."""
    out: dict[str, DomainFacts] = {}
    ties = {t for f in facts.values() for t in f.ties if t[0] not in IGNORED_KINDS}
    found = carriers_of(conn, ties)
    for tie in sorted(ties):
        for domain in found[tie]:
            if domain not in facts:
                out.setdefault(domain, DomainFacts(domain, False)).ties.add(tie)
    for part in _parts(out):
        for domain in conn.execute(select(Page.domain).distinct().where(
                Page.domain.in_(part), Page.verdict.in_(sorted(SPAM_VERDICTS)))).scalars():
            out[domain].spam = True
    labelled(conn, out)
    return out


def update_operations_after(engine: Engine, run_id: int) -> OperationsSummary:
    """Recompute the operations near crawl ``run_id``'s domains (see the module docstring)."""
    started = time.monotonic()
    with engine.connect() as conn:
        seed = set(conn.execute(select(Page.domain).distinct().where(
            Page.run_id == run_id, Page.verdict.is_not(None))).scalars())
        region = _region(conn, seed)
        facts = facts_of(conn, region)
        outside = _outside(conn, facts)
        groups = find_operations([*facts.values(), *outside.values()])
        if any(set(g.domains) & set(outside) and set(g.domains) & set(facts) for g in groups):
            return update_operations(engine)  # the region was not closed: do it all
        groups = [g for g in groups if not set(g.domains) & set(outside)]
        previous = _previous(conn, region)
        next_id = (conn.execute(select(func.max(Operation.id))).scalar() or 0) + 1
        latest = conn.execute(select(func.max(CrawlRun.id))).scalar()
    ids = assign_ids(groups, previous, next_id)
    with engine.execution_options(sqlite_write=True).begin() as conn:
        new = _replace(conn, groups, ids, set(previous.values()), latest)
    return OperationsSummary(len(groups), sum(len(g.domains) for g in groups), new,
                             time.monotonic() - started)


def _previous(conn: Connection, region: set[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in _parts(region):
        out.update(conn.execute(select(OperationDomain.domain, OperationDomain.operation_id)
                                .where(OperationDomain.domain.in_(part))).all())
    return out


def _replace(conn: Connection, groups: Sequence[Any], ids: list[int], old: set[int],
             run_id: int | None) -> int:
    """The region's operations ``old`` give way to ``groups`` (ids ``ids``)."""
    now = utcnow()
    for part in _parts(old):
        conn.execute(delete(OperationLink).where(OperationLink.operation_id.in_(part)))
        conn.execute(delete(OperationDomain).where(OperationDomain.operation_id.in_(part)))
        conn.execute(update(Operation).where(Operation.id.in_(part)).values(active=False))
    known = set(conn.execute(select(Operation.id).where(Operation.id.in_(ids))).scalars())
    new = [i for i in ids if i not in known]
    if new:
        conn.execute(insert(Operation), [{"id": i, "created_at": now, "updated_at": now,
                                          "first_run_id": run_id, "active": True} for i in new])
    for part in _parts(ids):
        conn.execute(update(Operation).where(Operation.id.in_(part))
                     .values(active=True, updated_at=now))
    write_members(conn, groups, ids)
    return len(new)


__all__ = ["carriers", "carriers_of", "facts_of", "update_operations_after"]
