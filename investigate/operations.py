"""Operations over the whole store (issue 14): read every domain's ties, join spam domains with
:func:`pipelines.operations.find_operations`, keep ids stable, write ``operations``,
``operation_domains`` and ``operation_links``. Runs after every crawl (``investigate.run``) and
with ``triage cluster``.

A domain is spam when one of its analysed pages has a spam verdict, unless an analyst labelled
the domain ``not_spam`` or ``official`` (a ``spam`` label makes it spam). Its ties: advertised
numbers (not mistyped ones), the identifiers of its pages, their template clusters and brands.

Readers: :func:`iter_operations` (``triage export operations``), :func:`operation_detail`
(the review UI), :func:`operation_pages` (the pages of one operation, for the evidence packet)
and :func:`operation_of_domains`.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, literal, select, update

from db.labels import latest_labels
from db.models import (
    Brand,
    CrawlRun,
    Number,
    Operation,
    OperationDomain,
    OperationLink,
    Page,
    PageBrand,
    PageIdentifier,
    PageNumber,
    utcnow,
)
from db.queries import iso
from pipelines.operations import DomainFacts, Link, OperationGroup, assign_ids, find_operations
from pipelines.types import MALFORMED, SPAM_VERDICTS

CHUNK = 500


@dataclass(frozen=True)
class OperationsSummary:
    operations: int
    domains: int
    new: int
    seconds: float

    def line(self) -> str:
        return (f"{self.operations} operations ({self.new} new) joining {self.domains} spam "
                f"domains in {self.seconds:.1f} s")


def read_facts(conn: Connection, domains: Iterable[str] | None = None) -> list[DomainFacts]:
    """Every analysed domain (or those of ``domains``) with its spam flag and ties."""
    facts: dict[str, DomainFacts] = {}
    page_domain: dict[int, str] = {}
    pages = select(Page.id, Page.domain, Page.verdict, Page.cluster).where(
        Page.verdict.is_not(None))
    for part in _parts(domains):
        for pid, domain, verdict, cluster in conn.execute(
                pages if part is None else pages.where(Page.domain.in_(part))):
            f = facts.setdefault(domain, DomainFacts(domain, False))
            f.spam = f.spam or verdict in SPAM_VERDICTS
            page_domain[pid] = domain
            if cluster is not None:
                f.ties.add(("cluster", str(cluster)))
    labelled(conn, facts)
    ties = [
        (select(PageNumber.page_id, literal("number"), Number.e164)
         .join(Number, Number.id == PageNumber.number_id)
         .where(PageNumber.advertised.is_(True), Number.kind != MALFORMED), PageNumber.page_id),
        (select(PageIdentifier.page_id, PageIdentifier.kind, PageIdentifier.value),
         PageIdentifier.page_id),
        (select(PageBrand.page_id, literal("brand"), Brand.name)
         .join(Brand, Brand.id == PageBrand.brand_id), PageBrand.page_id),
    ]
    for part in _parts(None if domains is None else page_domain):
        for query, page_id in ties:
            for pid, kind, value in conn.execute(
                    query if part is None else query.where(page_id.in_(part))):
                if pid in page_domain:
                    facts[page_domain[pid]].ties.add((kind, value))
    return list(facts.values())


def _parts(keys: Iterable[Any] | None) -> Iterator[list[Any] | None]:
    """None (no filter) for None, else ``keys`` sorted, CHUNK at a time."""
    if keys is None:
        yield None
        return
    items = sorted(keys)
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def labelled(conn: Connection, facts: dict[str, DomainFacts]) -> None:
    """An analyst's domain label decides its spam flag."""
    for label in latest_labels(conn, "domain", limit=1_000_000):
        if label["target"] in facts:
            facts[label["target"]].spam = label["label"] == "spam"


def _write(conn: Connection, groups: list[OperationGroup], ids: list[int], run_id: int | None,
           known: set[int]) -> int:
    now = utcnow()
    new = [i for i in ids if i not in known]
    if new:
        conn.execute(insert(Operation), [{"id": i, "created_at": now, "updated_at": now,
                                          "first_run_id": run_id, "active": True} for i in new])
    conn.execute(update(Operation).values(active=False))
    for part in (ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)):
        conn.execute(update(Operation).where(Operation.id.in_(part))
                     .values(active=True, updated_at=now))
    conn.execute(delete(OperationLink))
    conn.execute(delete(OperationDomain))
    write_members(conn, groups, ids)
    return len(new)


def write_members(conn: Connection, groups: Sequence[OperationGroup], ids: Sequence[int]) -> None:
    """The domains and typed links of each operation (``ids[k]`` is ``groups[k]``'s id)."""
    domains = [{"domain": d, "operation_id": i} for g, i in zip(groups, ids, strict=True)
               for d in g.domains]
    links = [{"operation_id": i, "a": ln.a, "b": ln.b, "kind": ln.kind, "value": ln.value,
              "weight": ln.weight} for g, i in zip(groups, ids, strict=True) for ln in g.links]
    for rows, model in ((domains, OperationDomain), (links, OperationLink)):
        if rows:
            conn.execute(insert(model), rows)


def update_operations(engine: Engine) -> OperationsSummary:
    """Recompute every operation; ids stay with operations that only grow."""
    started = time.monotonic()
    with engine.connect() as conn:
        groups = find_operations(read_facts(conn))
        previous = dict(conn.execute(select(OperationDomain.domain,
                                            OperationDomain.operation_id)).all())
        known = set(conn.execute(select(Operation.id)).scalars())
        run_id = conn.execute(select(func.max(CrawlRun.id))).scalar()
    ids = assign_ids(groups, previous, max(known, default=0) + 1)
    with engine.execution_options(sqlite_write=True).begin() as conn:
        new = _write(conn, groups, ids, run_id, known)
    return OperationsSummary(len(groups), sum(len(g.domains) for g in groups), new,
                             time.monotonic() - started)


def _domains_of(conn: Connection) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for domain, op in conn.execute(select(OperationDomain.domain, OperationDomain.operation_id)
                                   .order_by(OperationDomain.domain)):
        out[op].append(domain)
    return out


def _summary(conn: Connection, op: int, domains: Sequence[str], latest_run: int | None,
             first_run: int | None) -> dict[str, Any]:
    """One operation's record: the shape of ``triage export operations``."""
    pages = conn.execute(select(Page.id, Page.first_seen, Page.last_seen)
                         .where(Page.domain.in_(list(domains)), Page.verdict.is_not(None))).all()
    ids = [p.id for p in pages]
    numbers: set[str] = set()
    brands: set[str] = set()
    idents: set[tuple[str, str]] = set()
    for part in (ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)):
        numbers.update(conn.execute(
            select(Number.e164).join(PageNumber, PageNumber.number_id == Number.id)
            .where(PageNumber.page_id.in_(part), PageNumber.advertised.is_(True),
                   Number.kind != MALFORMED)).scalars())
        brands.update(conn.execute(select(Brand.name).join(PageBrand, PageBrand.brand_id == Brand.id)
                                   .where(PageBrand.page_id.in_(part))).scalars())
        idents.update((k, v) for k, v in conn.execute(
            select(PageIdentifier.kind, PageIdentifier.value)
            .where(PageIdentifier.page_id.in_(part))))
    links = [Link(*r) for r in conn.execute(
        select(OperationLink.a, OperationLink.b, OperationLink.kind, OperationLink.value,
               OperationLink.weight).where(OperationLink.operation_id == op)
        .order_by(OperationLink.id))]
    return {
        "operation": op, "domains": list(domains), "pages": len(pages),
        "numbers": sorted(numbers), "brands": sorted(brands),
        "identifiers": [{"kind": k, "value": v} for k, v in sorted(idents)],
        "first_seen": iso(min((p.first_seen for p in pages), default=None)),
        "last_seen": iso(max((p.last_seen for p in pages), default=None)),
        "links": [ln.to_dict() for ln in links],
        "ties": OperationGroup(tuple(domains), tuple(links)).ties(),
        "new": first_run is not None and first_run == latest_run,
    }


def iter_operations(conn: Connection, verdict: str | None = None) -> Iterator[dict[str, Any]]:
    """``triage export operations``: one record per current operation, most domains first."""
    del verdict  # operations are of spam domains; the export's --verdict does not apply
    latest = conn.execute(select(func.max(CrawlRun.id))).scalar()
    first_runs = dict(conn.execute(select(Operation.id, Operation.first_run_id)).all())
    by_op = _domains_of(conn)
    for op, domains in sorted(by_op.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        yield _summary(conn, op, domains, latest, first_runs.get(op))


def operation_detail(conn: Connection, op: int) -> dict[str, Any] | None:
    """One operation's record (as exported), or None when there is no such operation."""
    domains = list(conn.execute(select(OperationDomain.domain).where(
        OperationDomain.operation_id == op).order_by(OperationDomain.domain)).scalars())
    if not domains:
        return None
    latest = conn.execute(select(func.max(CrawlRun.id))).scalar()
    first_run = conn.execute(select(Operation.first_run_id).where(Operation.id == op)).scalar()
    return _summary(conn, op, domains, latest, first_run)


def operation_pages(conn: Connection, operation_id: int) -> list[dict[str, Any]]:
    """The analysed pages of one operation's domains: id, url, domain, verdict, score (spam
    first, highest score first). Empty for an unknown operation."""
    domains = select(OperationDomain.domain).where(OperationDomain.operation_id == operation_id)
    rows = conn.execute(select(Page.id, Page.url, Page.domain, Page.verdict, Page.score)
                        .where(Page.domain.in_(domains), Page.verdict.is_not(None))
                        .order_by(Page.score.desc(), Page.id)).all()
    return [{"id": r.id, "url": r.url, "domain": r.domain, "verdict": r.verdict,
             "score": r.score} for r in rows]


def operation_of_domains(conn: Connection, domains: Sequence[str]) -> dict[str, int]:
    """domain -> its operation id, for the domains that are in one."""
    if not domains:
        return {}
    return dict(conn.execute(select(OperationDomain.domain, OperationDomain.operation_id)
                             .where(OperationDomain.domain.in_(list(domains)))).all())


def operation_numbers(conn: Connection,
                      domains: Sequence[str] | None = None) -> dict[int, set[str]]:
    """operation id -> the numbers advertised on its domains' pages (for reputation): of every
    operation, or of the operations holding one of ``domains``."""
    query = (select(OperationDomain.operation_id, Number.e164)
             .join(Page, Page.domain == OperationDomain.domain)
             .join(PageNumber, PageNumber.page_id == Page.id)
             .join(Number, Number.id == PageNumber.number_id)
             .where(PageNumber.advertised.is_(True), Number.kind != MALFORMED))
    ops: list[int] | None = None
    if domains is not None:
        ops = sorted({op for part in (list(domains)[i:i + CHUNK]
                                      for i in range(0, len(domains), CHUNK))
                      for op in conn.execute(select(OperationDomain.operation_id).where(
                          OperationDomain.domain.in_(part))).scalars()})
    out: dict[int, set[str]] = defaultdict(set)
    for part in [None] if ops is None else [ops[i:i + CHUNK] for i in range(0, len(ops), CHUNK)]:
        q = query if part is None else query.where(OperationDomain.operation_id.in_(part))
        for op, e164 in conn.execute(q):
            out[op].add(e164)
    return dict(out)
