"""SERP snapshots: discovery runs and the search results they stored (``triage discover``,
``triage pivot``), and what the rest of the tool asks of them.

Writes happen before a discovery's crawl starts (the store pipeline stays the crawl's one
writer). Pages reached from a result are joined by URL (``found_by``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Text, cast, func, insert, or_, select, update

from db.models import DiscoveryRun, SerpResult, utcnow

CHUNK = 500


def iso(value: datetime | None) -> str | None:
    """UTC timestamps as ISO 8601 with a ``Z`` (as :func:`db.queries.iso`)."""
    return value.isoformat().replace("+00:00", "Z") if value is not None else None
SERP_FIELDS = ("query", "engine", "page", "rank", "url", "title", "snippet", "numbers",
               "fetched_at", "run_id")


def start_run(engine: Engine, kind: str, args: Mapping[str, Any]) -> int:
    with engine.execution_options(sqlite_write=True).begin() as conn:
        return int(conn.execute(insert(DiscoveryRun).values(
            kind=kind, args=dict(args), started_at=utcnow()).returning(DiscoveryRun.id)
        ).scalar_one())


def add_results(engine: Engine, run_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
    """Store one results page's rows (keys: the ``serp_results`` columns but id/run_id)."""
    if not rows:
        return
    now = utcnow()
    values = [{"fetched_at": now, "brand": "", "pivot": "", "domain": "", **r, "run_id": run_id}
              for r in rows]
    with engine.execution_options(sqlite_write=True).begin() as conn:
        conn.execute(insert(SerpResult), values)


def finish_run(engine: Engine, run_id: int, stats: Mapping[str, Any], outcome: str) -> None:
    with engine.execution_options(sqlite_write=True).begin() as conn:
        conn.execute(update(DiscoveryRun).where(DiscoveryRun.id == run_id).values(
            finished_at=utcnow(), stats=dict(stats), outcome=outcome))


def iter_serps(conn: Connection, verdict: str | None = None) -> Iterator[dict[str, Any]]:
    """One record per stored result, the shape of ``triage export serps`` (``verdict`` is
    ignored: results have none)."""
    last = 0
    while True:
        rows = conn.execute(select(SerpResult).where(SerpResult.id > last)
                            .order_by(SerpResult.id).limit(CHUNK)).all()
        if not rows:
            return
        for r in rows:
            yield {"query": r.query, "engine": r.engine, "page": r.page, "rank": r.rank,
                   "url": r.url, "title": r.title, "snippet": r.snippet,
                   "numbers": list(r.numbers or []), "fetched_at": iso(r.fetched_at),
                   "run_id": r.run_id, "domain": r.domain, "brand": r.brand, "pivot": r.pivot}
        last = rows[-1].id


def found_by(conn: Connection, urls: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """How each URL was reached by search: the distinct (query, engine, run) that returned it."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for i in range(0, len(urls), CHUNK):
        chunk = list(urls[i:i + CHUNK])
        for r in conn.execute(
                select(SerpResult.url, SerpResult.query, SerpResult.engine, SerpResult.run_id,
                       func.min(SerpResult.page).label("page"),
                       func.min(SerpResult.rank).label("rank"))
                .where(SerpResult.url.in_(chunk))
                .group_by(SerpResult.url, SerpResult.query, SerpResult.engine, SerpResult.run_id)
                .order_by(SerpResult.run_id, SerpResult.query)):
            out[r.url].append({"query": r.query, "engine": r.engine, "run_id": r.run_id,
                               "page": r.page, "rank": r.rank})
    return dict(out)


def _has_number(e164: str) -> Any:
    return cast(SerpResult.numbers, Text).like(f'%"{e164}"%')


def results_for_number(conn: Connection, e164: str) -> list[dict[str, Any]]:
    """Results that show ``e164`` in their title or snippet, or that a pivot on it returned;
    one row per URL with the queries that found it."""
    rows = conn.execute(select(SerpResult).where(or_(SerpResult.pivot == e164, _has_number(e164)))
                        .order_by(SerpResult.id)).all()
    by_url: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = by_url.setdefault(r.url, {
            "url": r.url, "domain": r.domain, "title": r.title, "snippet": r.snippet,
            "shows_number": False, "queries": [], "engines": set(), "first_seen": iso(r.fetched_at)})
        entry["shows_number"] |= e164 in (r.numbers or [])
        if r.query not in entry["queries"]:
            entry["queries"].append(r.query)
        entry["engines"].update(e for e in r.engine.split(",") if e)
    out = list(by_url.values())
    for entry in out:
        entry["engines"] = sorted(entry["engines"])
    return out


def snippet_evidence(conn: Connection) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    """(url, domain, brands, numbers) per result URL whose snippets showed numbers, merged
    over every run: the input of number reputation's snippet co-occurrence."""
    merged: dict[str, tuple[str, set[str], set[str]]] = {}
    for url, domain, brand, numbers in conn.execute(
            select(SerpResult.url, SerpResult.domain, SerpResult.brand, SerpResult.numbers)
            .where(cast(SerpResult.numbers, Text).like('%"+%'))):
        entry = merged.setdefault(url, (domain, set(), set()))
        if brand:
            entry[1].add(brand)
        entry[2].update(numbers or [])
    return [(url, d, tuple(sorted(b)), tuple(sorted(n))) for url, (d, b, n) in merged.items()]


def new_in_latest_discovery(conn: Connection, limit: int = 20) -> dict[str, Any] | None:
    """What the latest discovery run found that no earlier run had: URLs, domains, numbers."""
    runs = conn.execute(select(DiscoveryRun).order_by(DiscoveryRun.id.desc()).limit(2)
                        ).all()
    if not runs:
        return None
    run = runs[0]
    old_urls: set[str] = set()
    old_domains: set[str] = set()
    old_numbers: set[str] = set()
    for url, domain, numbers in conn.execute(
            select(SerpResult.url, SerpResult.domain, SerpResult.numbers)
            .where(SerpResult.run_id < run.id)):
        old_urls.add(url)
        old_domains.add(domain)
        old_numbers.update(numbers or [])
    urls: dict[str, None] = {}
    domains: dict[str, None] = {}
    numbers_new: dict[str, None] = {}
    for r in conn.execute(select(SerpResult).where(SerpResult.run_id == run.id)
                          .order_by(SerpResult.page, SerpResult.rank, SerpResult.id)):
        if r.url not in old_urls:
            urls[r.url] = None
        if r.domain and r.domain not in old_domains:
            domains[r.domain] = None
        for n in r.numbers or []:
            if n not in old_numbers:
                numbers_new[n] = None
    stats = run.stats or {}
    return {
        "run": {"id": run.id, "kind": run.kind, "started_at": iso(run.started_at),
                "outcome": run.outcome, "queries": stats.get("queries"),
                "results": stats.get("results"), "refusals": len(stats.get("refusals") or [])},
        "previous": {"id": runs[1].id, "started_at": iso(runs[1].started_at)}
        if len(runs) > 1 else None,
        "new_urls": list(urls)[:limit], "new_urls_total": len(urls),
        "new_domains": list(domains)[:limit], "new_domains_total": len(domains),
        "new_numbers": list(numbers_new)[:limit], "new_numbers_total": len(numbers_new),
    }
