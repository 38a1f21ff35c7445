"""Number reputation in the database: seeds in, ``numbers.score``/``numbers.verdict`` out.

:func:`update_reputation` reads the graph (analysed pages, their numbers and brands), the
official numbers (``official_numbers`` and the shipped seed list ``pipelines/data/official_numbers.csv``,
merged in at every run, no import needed) and known fraud numbers (``fraud_numbers``), runs
:func:`pipelines.propagation.score_numbers` and writes every number's score and verdict.
:func:`import_official` and :func:`import_fraud` load the seeds from CSV rows.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, exists, func, select, update

from db.models import Brand, FraudNumber, Number, OfficialNumber, Page, PageBrand, PageNumber
from db.serps import snippet_evidence
from pipelines.official import official_map
from pipelines.phones import extract_phones
from pipelines.propagation import (
    SNIPPET_PRIOR,
    Mention,
    NumberReputation,
    PageFacts,
    operation_suspects,
    score_numbers,
)
from pipelines.types import MALFORMED

CHUNK = 500
# Issue 12: after a crawl, each of its numbers and domains pulls from its NEIGHBOURS newest other
# pages (a number's score is a weighted mean over its pages: 25 of a farm's 10,000 identical
# pages give that mean within a few hundredths); ``triage reputation --full`` reads them all.
NEIGHBOURS = 25


@dataclass(frozen=True)
class ReputationSummary:
    numbers: int
    verdicts: dict[str, int]
    official: int
    fraud_seeds: int
    seconds: float

    def line(self) -> str:
        counts = ", ".join(f"{n} {v}" for v, n in sorted(self.verdicts.items()))
        return (f"scored {self.numbers} numbers ({counts or 'none'}) from {self.official} "
                f"official and {self.fraud_seeds} known fraud numbers in {self.seconds:.1f} s")


def normalise_number(raw: str) -> str | None:
    """E.164 of a number as people write it (``400-6xx-xxxx``, ``+86 10 ...``), via the
    engine's phone finder; None when it is not one phone number."""
    phones, _ = extract_phones(raw.strip())
    found = {p.e164 for p in phones if p.e164 and p.kind != MALFORMED}  # a typo is no seed
    if len(found) != 1:
        return None
    e164 = found.pop()
    return e164 if e164.startswith("+") else None


def touched(engine: Engine, run_id: int,
            cap: int | None = NEIGHBOURS) -> tuple[set[int], set[int]]:
    """The part of the graph crawl ``run_id`` touched, two sweeps out: its pages' numbers
    (scored again), and the pages those numbers and the crawl's domains pull from: the crawl's
    own pages and, for each of its numbers and domains, its ``cap`` newest other pages (all of
    them with ``cap`` None), so the cost follows the crawl, not how often its numbers recur."""
    with engine.connect() as conn:
        crawled = dict(conn.execute(select(Page.id, Page.domain).where(
            Page.run_id == run_id, Page.verdict.is_not(None))).all())
        numbers: set[int] = set()
        for part in _chunks(sorted(crawled)):
            numbers.update(conn.execute(select(PageNumber.number_id)
                                        .where(PageNumber.page_id.in_(part))).scalars())
        pages = set(crawled)
        for part in _chunks(sorted(numbers)):
            pages.update(_newest(conn, PageNumber.page_id, PageNumber.number_id, part, cap))
        for part in _chunks(sorted(set(crawled.values()))):
            pages.update(_newest(conn, Page.id, Page.domain, part, cap,
                                 Page.verdict.is_not(None)))
    return numbers, pages


def _newest(conn: Connection, page: Any, key: Any, keys: Sequence[Any], cap: int | None,
            *where: Any) -> Iterable[int]:
    """Page ids (column ``page``) of each value of ``key`` in ``keys``: the ``cap`` highest
    ids of each (a window over the indexed ``key``, no page row read), or all of them."""
    if cap is None:
        return conn.execute(select(page).where(key.in_(keys), *where)).scalars()
    rank = func.row_number().over(partition_by=key, order_by=page.desc()).label("rank")
    inner = select(page.label("pid"), rank).where(key.in_(keys), *where).subquery()
    return conn.execute(select(inner.c.pid).where(inner.c.rank <= cap)).scalars()


def _chunks(seq: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


def read_graph(engine: Engine, only: set[int] | None = None) -> tuple[
        list[PageFacts], list[Mention], dict[str, set[str]], set[str]]:
    """Pages (all, or the ids ``only``), mentions, official numbers (E.164 -> brands) and known
    fraud numbers."""
    parts: list[Sequence[int] | None] = [None] if only is None else list(_chunks(sorted(only)))
    brands: dict[int, list[str]] = defaultdict(list)
    pages: list[PageFacts] = []
    mentions: list[Mention] = []
    with engine.connect() as conn:
        for part in parts:
            bq = select(PageBrand.page_id, Brand.name).join(Brand, Brand.id == PageBrand.brand_id)
            pq = select(Page.id, Page.domain, Page.verdict, Page.score, Page.features).where(
                Page.verdict.is_not(None))
            # Mistyped numbers (kind ``malformed``) are nobody's number: no reputation, never fraud.
            mq = (select(PageNumber.page_id, Number.e164, PageNumber.advertised)
                  .join(Number, Number.id == PageNumber.number_id)
                  .where(Number.kind != MALFORMED))
            if part is not None:
                bq = bq.where(PageBrand.page_id.in_(part))
                pq = pq.where(Page.id.in_(part))
                mq = mq.where(PageNumber.page_id.in_(part))
            for pid, name in conn.execute(bq):
                brands[pid].append(name)
            pages += [
                PageFacts(r.id, r.domain, r.verdict, float(r.score or 0.0),
                          tuple(sorted(brands.get(r.id, ()))),
                          warning=r.verdict == "clean"
                          and float((r.features or {}).get("warning_hits", 0) or 0) >= 1)
                for r in conn.execute(pq)
            ]
            mentions += [Mention(pid, e164, bool(adv)) for pid, e164, adv in conn.execute(mq)]
        official: dict[str, set[str]] = defaultdict(set)
        for e164, brand in conn.execute(select(OfficialNumber.e164, OfficialNumber.brand)):
            official[e164].add(brand)
        for e164, seeded in official_map().items():
            official[e164].update(seeded)
        fraud = set(conn.execute(select(FraudNumber.e164)).scalars())
        evidence = snippet_evidence(conn)
        crawled: set[str] = set()
        for urls in _chunks(sorted({s[0] for s in evidence})):  # not every page's URL
            crawled.update(conn.execute(select(Page.url).where(
                Page.url.in_(urls), Page.verdict.is_not(None))).scalars())
        snippets = [s for s in evidence if s[0] not in crawled]
    # Search results not crawled: one small page per URL (negative ids), its numbers advertised.
    for i, (_url, domain, names, numbers) in enumerate(snippets, start=1):
        pages.append(PageFacts(-i, domain, None, SNIPPET_PRIOR, names, snippet=True))
        mentions.extend(Mention(-i, e164, True) for e164 in numbers)
    return pages, mentions, dict(official), fraud


def update_reputation(engine: Engine, *, run_id: int | None = None,
                      neighbours: int | None = NEIGHBOURS) -> ReputationSummary:
    """Score every stored number and write ``numbers.score`` and ``numbers.verdict``; with
    ``run_id``, only the numbers on that crawl's pages, from the part of the graph it touched
    (:func:`touched`, ``neighbours`` newest pages per number and domain), so that the cost
    follows the crawl, not the database."""
    started = time.monotonic()
    numbers, only = (touched(engine, run_id, neighbours) if run_id is not None
                     else (None, None))
    result, official, fraud = _scored(engine, only)
    with engine.connect() as conn:
        query = select(Number.e164, Number.id)
        if numbers is None:
            ids = dict(conn.execute(query).all())
        else:
            ids = {}
            for part in _chunks(sorted(numbers)):
                ids.update(conn.execute(query.where(Number.id.in_(part))).all())
            # Numbers that left every page (a re-crawled page dropped them) are outside the
            # touched part of the graph: they are cleared too.
            ids.update(conn.execute(query.where(~exists().where(
                PageNumber.number_id == Number.id), Number.verdict.is_not(None))).all())
    # A number on no current page any more has no reputation: cleared, so it drops off the
    # blocklist (numbers.verdict NULL = not scored).
    rows = [{"nid": nid, "score": result[e].score if e in result else None,
             "verdict": result[e].verdict if e in result else None} for e, nid in ids.items()]
    with engine.execution_options(sqlite_write=True).begin() as conn:
        for i in range(0, len(rows), CHUNK):
            conn.execute(update(Number).where(Number.id == bindparam("nid"))
                         .values(score=bindparam("score"), verdict=bindparam("verdict"))
                         .execution_options(synchronize_session=False), rows[i:i + CHUNK])
    verdicts: dict[str, int] = defaultdict(int)
    for r in rows:
        verdicts[str(r["verdict"] or "unscored")] += 1
    return ReputationSummary(sum(1 for r in rows if r["verdict"]), dict(verdicts), len(official), len(fraud),
                             time.monotonic() - started)


def reputations(engine: Engine, run_id: int | None = None) -> dict[str, NumberReputation]:
    """Scores with their reasons, computed now (``triage reputation --show``): of every number,
    or of the numbers crawl ``run_id`` touched."""
    numbers, only = touched(engine, run_id) if run_id is not None else (None, None)
    result = _scored(engine, only)[0]
    if numbers is None:
        return result
    with engine.connect() as conn:
        keep: set[str] = set()
        for part in _chunks(sorted(numbers)):
            keep.update(conn.execute(select(Number.e164).where(Number.id.in_(part))).scalars())
    return {e: r for e, r in result.items() if e in keep}


def _scored(engine: Engine, only: set[int] | None = None) -> tuple[
        dict[str, NumberReputation], dict[str, set[str]], set[str]]:
    """Scores from the label propagation (of the pages ``only``, or all), then issue 14: a number
    in an operation with fraud numbers is suspect (:func:`pipelines.propagation.operation_suspects`)."""
    from investigate.operations import operation_numbers

    pages, mentions, official, fraud = read_graph(engine, only)
    result = score_numbers(pages, mentions, official=official, fraud=fraud)
    domains = None if only is None else sorted({p.domain for p in pages if not p.snippet})
    with engine.connect() as conn:
        result.update(operation_suspects(result, operation_numbers(conn, domains)))
    return result, official, fraud


def latest_run(engine: Engine) -> int | None:
    """The id of the last crawl run that stored pages."""
    with engine.connect() as conn:
        return conn.execute(select(func.max(Page.run_id))).scalar_one_or_none()


@dataclass(frozen=True)
class SeedRow:
    line: int
    brand: str
    e164: str
    source: str


def parse_seed_rows(rows: Iterable[Sequence[str]], *, with_brand: bool,
                    source: str) -> tuple[list[SeedRow], list[str]]:
    """Rows of a CSV (``brand,number`` or ``number``) as seeds, and one error line per bad row.

    A first row that holds no phone number is taken as a header and skipped.
    """
    seeds: list[SeedRow] = []
    errors: list[str] = []
    for i, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        want = 2 if with_brand else 1
        if len(cells) < want:
            errors.append(f"line {i}: expected {'brand,number' if with_brand else 'number'}, "
                          f"got {','.join(cells)!r}")
            continue
        brand, raw = (cells[0], cells[1]) if with_brand else ("", cells[0])
        e164 = normalise_number(raw)
        if e164 is None:
            if i == 1:
                continue  # a header row
            errors.append(f"line {i}: {raw!r} is not a phone number")
            continue
        if with_brand and not brand:
            errors.append(f"line {i}: no brand for {raw!r}")
            continue
        extra = cells[want] if len(cells) > want and cells[want] else source
        seeds.append(SeedRow(i, brand[:200], e164, extra))
    return seeds, errors


def _save_seeds(engine: Engine, model: Any, rows: list[dict[str, Any]], keys: list[str]) -> int:
    from sqlalchemy.dialects import postgresql, sqlite

    if not rows:
        return 0
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    with engine.execution_options(sqlite_write=True).begin() as conn:
        before = conn.execute(select(func.count()).select_from(model)).scalar_one()
        conn.execute(dialect.insert(model).on_conflict_do_update(
            index_elements=keys, set_={"source": dialect.insert(model).excluded.source}), rows)
        after = conn.execute(select(func.count()).select_from(model)).scalar_one()
    return int(after - before)


def import_official(engine: Engine, seeds: Sequence[SeedRow]) -> int:
    """Store official numbers; returns how many were new (known ones get the new source)."""
    rows = {(s.brand, s.e164): {"brand": s.brand, "e164": s.e164, "source": s.source}
            for s in seeds}
    return _save_seeds(engine, OfficialNumber, list(rows.values()), ["brand", "e164"])


def import_fraud(engine: Engine, seeds: Sequence[SeedRow]) -> int:
    """Store known fraud numbers; returns how many were new."""
    rows = {s.e164: {"e164": s.e164, "source": s.source} for s in seeds}
    return _save_seeds(engine, FraudNumber, list(rows.values()), ["e164"])
