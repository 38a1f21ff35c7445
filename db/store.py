"""Writing crawl results: crawl runs and batched, idempotent page upserts.

One :meth:`Store.save_pages` call is one transaction. Pages are keyed by URL, numbers by E.164
and brands by name (unique constraints), and rows are written with the dialect's
``INSERT ... ON CONFLICT`` so that re-crawls and concurrent writers update rows instead of
duplicating them. A page's links (numbers, brands, padding) are replaced whenever it is
re-analysed, and a change of its numbers, verdict or content hash is kept in ``page_history``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine, case, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from db.engine import DatabaseError
from db.identifiers import identifier_rows
from db.models import (
    Base,
    Brand,
    CrawlRun,
    Number,
    PaddingSegment,
    Page,
    PageBrand,
    PageHistory,
    PageIdentifier,
    PageNumber,
    utcnow,
)
from db.signatures import signature_blob
from db.values import clean, jsonable, model_input_json, parse_time
from pipelines.types import PageAnalysis, Phone

log = logging.getLogger(__name__)

CHUNK = 500  # rows per IN (...) list; far below SQLite's and PostgreSQL's parameter limits
# Columns the fetch sets; analysis columns are only touched when the item carries an analysis,
# so a transient error or a 304 on re-crawl keeps the page's last evidence.
FETCH_COLUMNS = ("final_url", "domain", "status", "error", "fetched_at", "depth", "referrer",
                 "content_type", "etag", "last_modified", "last_seen", "run_id", "profile",
                 "referer_sent")
ANALYSIS_COLUMNS = ("content_hash", "title", "text", "verdict", "score", "reasons",
                    "padding_ratio", "encoding", "visible_chars", "features", "spans", "minhash",
                    "spam_class", "model_input")
def _header(headers: Any, name: str) -> str | None:
    if not isinstance(headers, Mapping):
        return None
    for key, value in headers.items():
        key = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if key.lower() != name:
            continue
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        return clean(value)[:255] if value else None
    return None


@dataclass
class _PageIn:
    """One item, normalised into column values plus its analysis."""

    url: str
    values: dict[str, Any]
    analysis: PageAnalysis | None
    phones: dict[str, Phone] = field(default_factory=dict)
    identifiers: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, value) -> detail

    @property
    def numbers_json(self) -> str:
        return json.dumps(sorted(self.phones))


def _merge_phones(phones: Iterable[Phone]) -> dict[str, Phone]:
    """One entry per E.164 (the page_numbers key): counts summed, flags OR-ed."""
    out: dict[str, Phone] = {}
    for p in phones:
        if not p.e164:
            continue
        prev = out.get(p.e164)
        if prev is None:
            out[p.e164] = p
            continue
        out[p.e164] = Phone(
            e164=p.e164, kind=prev.kind or p.kind, place=prev.place or p.place,
            carrier=prev.carrier or p.carrier, count=prev.count + p.count,
            advertised=prev.advertised or p.advertised,
            obfuscated=prev.obfuscated or p.obfuscated, context=prev.context or p.context,
        )
    return out


def _normalise(run_id: int, item: Mapping[str, Any]) -> _PageIn | None:
    url = clean(item.get("url") or "")
    if not url:
        log.warning("not storing an item without a url: %r", {k: item.get(k) for k in
                                                               ("final_url", "status", "error")})
        return None
    analysis = item.get("analysis")
    if analysis is not None and not isinstance(analysis, PageAnalysis):
        log.warning("item %s: analysis is %s, not PageAnalysis; storing the fetch only",
                    url, type(analysis).__name__)
        analysis = None
    headers = item.get("headers") or {}
    when = parse_time(item.get("fetched_at"))
    values: dict[str, Any] = {
        "url": url,
        "final_url": clean(item.get("final_url") or ""),
        "domain": clean(item.get("domain") or urlsplit(url).hostname or "")[:255],
        "status": int(item.get("status") or 0),
        "error": clean(item.get("error") or ""),
        "fetched_at": when,
        "depth": item.get("depth"),
        "referrer": clean(item.get("referrer") or "") or None,
        "profile": clean(item.get("profile") or "")[:20] or None,
        "referer_sent": clean(item.get("referer_sent") or "") or None,
        "content_type": _header(headers, "content-type"),
        "etag": _header(headers, "etag"),
        "last_modified": _header(headers, "last-modified"),
        "content_hash": clean(item.get("content_hash") or ""),
        "first_seen": when,
        "last_seen": when,
        "run_id": run_id,
        "first_run_id": run_id,
        "flags": [],
    }
    page = _PageIn(url=url, values=values, analysis=analysis)
    if analysis is not None:
        values.update(
            title=clean(analysis.title), text=clean(analysis.text), verdict=analysis.verdict,
            score=float(analysis.score), reasons=[clean(r) for r in analysis.reasons],
            padding_ratio=float(analysis.padding_ratio), encoding=analysis.encoding,
            visible_chars=analysis.visible_chars,
            features={k: float(v) for k, v in analysis.features.items()},
            spans=_spans(analysis),
            minhash=signature_blob(values["content_hash"], bytes.fromhex(analysis.minhash)),
            spam_class=analysis.spam_class or None,
            model_input=model_input_json(analysis.model_input),
        )
        page.phones = _merge_phones(analysis.numbers)
        page.identifiers = identifier_rows(analysis, item)
    return page


def _spans(analysis: PageAnalysis) -> dict[str, Any]:
    spans: dict[str, Any] = {"phones": [[h.start, h.end, h.e164] for h in analysis.hits]}
    if analysis.minhash:  # signed pages carry their place spans (pipelines.templates.sign_page)
        # A tuple of pairs is the same JSON as lists of lists, without a copy per page.
        spans["places"] = analysis.places
    return spans


def _chunks(seq: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


class Store:
    """Crawl results into the database behind ``engine`` (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        if engine.dialect.name not in ("sqlite", "postgresql"):
            raise DatabaseError(f"unsupported database {engine.dialect.name}: use SQLite or "
                                "PostgreSQL")
        self.engine = engine
        # Write transactions take SQLite's write lock up front (see db.engine._sqlite_pragmas).
        self._writer = engine.execution_options(sqlite_write=True)

    def _insert(self, model: type[Base]) -> Any:
        """The dialect's INSERT, which has ``on_conflict_do_update/_nothing``."""
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        return dialect.insert(model)

    def start_run(self, spider: str, args: Mapping[str, Any]) -> int:
        """Record the start of a crawl; returns the run id the pages will carry."""
        with self._writer.begin() as conn:
            run_id = conn.execute(
                insert(CrawlRun).values(spider=spider, args=jsonable(dict(args)),
                                        started_at=utcnow()).returning(CrawlRun.id)
            ).scalar_one()
        return int(run_id)

    def finish_run(self, run_id: int, stats: Mapping[str, Any], outcome: str) -> None:
        """Record how a crawl ended (Scrapy's finish reason) and its stats."""
        with self._writer.begin() as conn:
            conn.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(
                finished_at=utcnow(), stats=jsonable(dict(stats)), outcome=str(outcome)[:100]))

    def save_pages(self, run_id: int, items: Iterable[Mapping[str, Any]]) -> int:
        """Upsert one batch of crawl items in one transaction; returns how many were stored.

        Items follow ``crawler/items.py``. The same URL twice in a batch keeps the last one.
        """
        pages: dict[str, _PageIn] = {}
        for item in items:
            page = _normalise(run_id, item)
            if page is not None:
                pages.pop(page.url, None)
                pages[page.url] = page
        if not pages:
            return 0
        with self._writer.begin() as conn:
            self._save(conn, run_id, pages)
        return len(pages)

    def _save(self, conn: Connection, run_id: int, pages: dict[str, _PageIn]) -> None:
        urls = sorted(pages)  # a fixed order keeps concurrent PostgreSQL writers deadlock-free
        old = self._old_state(conn, urls)
        number_ids = self._upsert_numbers(conn, run_id, pages.values())
        brand_ids = self._upsert_brands(conn, pages.values())
        self._upsert_pages(conn, [pages[u] for u in urls])
        page_ids = self._ids(conn, Page.url, Page.id, urls)
        analysed = [pages[u] for u in urls if pages[u].analysis is not None]
        self._record_history(conn, run_id, old, page_ids, analysed)
        self._replace_links(conn, page_ids, analysed, number_ids, brand_ids)

    @staticmethod
    def _ids(conn: Connection, key: Any, id_col: Any, keys: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for part in _chunks(list(keys)):
            out.update(conn.execute(select(key, id_col).where(key.in_(part))).all())
        return out

    def _old_state(self, conn: Connection, urls: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Verdict, hash and number set of the pages already stored, for page_history."""
        old: dict[str, dict[str, Any]] = {}
        for part in _chunks(urls):
            query = select(Page.id, Page.url, Page.verdict, Page.content_hash).where(
                Page.url.in_(part))
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            for pid, url, verdict, chash in conn.execute(query):
                old[url] = {"id": pid, "verdict": verdict, "content_hash": chash, "numbers": []}
        by_id = {v["id"]: v for v in old.values()}
        for part in _chunks(list(by_id)):
            rows = conn.execute(select(PageNumber.page_id, Number.e164)
                                .join(Number, Number.id == PageNumber.number_id)
                                .where(PageNumber.page_id.in_(part)))
            for pid, e164 in rows:
                by_id[pid]["numbers"].append(e164)
        return old

    def _upsert_numbers(self, conn: Connection, run_id: int,
                        pages: Iterable[_PageIn]) -> dict[str, int]:
        rows: dict[str, dict[str, Any]] = {}
        for page in pages:
            when = page.values["fetched_at"]
            for e164, p in page.phones.items():
                row = rows.get(e164)
                if row is None:
                    rows[e164] = {"e164": e164, "kind": clean(p.kind)[:40],
                                  "place": clean(p.place)[:100], "carrier": clean(p.carrier)[:100],
                                  "first_seen": when, "last_seen": when, "first_run_id": run_id}
                else:
                    row["first_seen"] = min(row["first_seen"], when)
                    row["last_seen"] = max(row["last_seen"], when)
        if not rows:
            return {}
        stmt = self._insert(Number)
        ex = stmt.excluded
        cols = Number.__table__.c
        stmt = stmt.on_conflict_do_update(index_elements=["e164"], set_={
            "kind": case((ex.kind != "", ex.kind), else_=cols.kind),
            "place": case((ex.place != "", ex.place), else_=cols.place),
            "carrier": case((ex.carrier != "", ex.carrier), else_=cols.carrier),
            "first_seen": case((ex.first_seen < cols.first_seen, ex.first_seen),
                               else_=cols.first_seen),
            "last_seen": case((ex.last_seen > cols.last_seen, ex.last_seen), else_=cols.last_seen),
        })
        keys = sorted(rows)
        conn.execute(stmt, [rows[k] for k in keys])
        return self._ids(conn, Number.e164, Number.id, keys)

    def _upsert_brands(self, conn: Connection, pages: Iterable[_PageIn]) -> dict[str, int]:
        names = sorted({clean(b)[:200] for p in pages if p.analysis for b in p.analysis.brands}
                       - {""})
        if not names:
            return {}
        stmt = self._insert(Brand).on_conflict_do_nothing(index_elements=["name"])
        conn.execute(stmt, [{"name": n} for n in names])
        return self._ids(conn, Brand.name, Brand.id, names)

    def _upsert_pages(self, conn: Connection, pages: Sequence[_PageIn]) -> None:
        cols = Page.__table__.c
        for with_analysis in (True, False):
            rows = [p.values for p in pages if (p.analysis is not None) == with_analysis]
            if not rows:
                continue
            # executemany needs the same keys in every row: fill analysis columns with NULL.
            rows = [{c: r.get(c) for c in (*FETCH_COLUMNS, *ANALYSIS_COLUMNS, "url", "flags",
                                           "first_seen", "first_run_id")} for r in rows]
            stmt = self._insert(Page)
            ex = stmt.excluded
            set_: dict[str, Any] = {c: ex[c] for c in FETCH_COLUMNS}
            if with_analysis:
                set_.update({c: ex[c] for c in ANALYSIS_COLUMNS})
                # Another signature (or none) leaves the kept LSH index: cluster it again.
                set_["banded"] = case((cols.minhash == ex.minhash, cols.banded), else_=None)
            else:  # a fetch without a body keeps the hash of the body last analysed
                set_["content_hash"] = case((ex.content_hash != "", ex.content_hash),
                                            else_=cols.content_hash)
                for r in rows:
                    r["content_hash"] = r["content_hash"] or ""
            conn.execute(stmt.on_conflict_do_update(index_elements=["url"], set_=set_), rows)

    @staticmethod
    def _record_history(conn: Connection, run_id: int, old: dict[str, dict[str, Any]],
                        page_ids: dict[str, int], analysed: Sequence[_PageIn]) -> None:
        now = utcnow()
        rows: list[dict[str, Any]] = []
        for page in analysed:
            before = old.get(page.url)
            if before is None or before["verdict"] is None:
                continue  # first analysis of this page: nothing to compare with
            changes = {
                "numbers": (json.dumps(sorted(before["numbers"])), page.numbers_json),
                "verdict": (before["verdict"], page.values["verdict"]),
                "content_hash": (before["content_hash"], page.values["content_hash"]),
            }
            for name, (was, now_value) in changes.items():
                if name == "content_hash" and not (was and now_value):
                    continue
                if was != now_value:
                    rows.append({"page_id": page_ids[page.url], "field": name, "old": was,
                                 "new": now_value, "changed_at": now, "run_id": run_id})
        if rows:
            conn.execute(insert(PageHistory), rows)

    @staticmethod
    def _replace_links(conn: Connection, page_ids: dict[str, int], analysed: Sequence[_PageIn],
                       number_ids: dict[str, int], brand_ids: dict[str, int]) -> None:
        ids = [page_ids[p.url] for p in analysed]
        for part in _chunks(ids):
            for model in (PageNumber, PageBrand, PaddingSegment, PageIdentifier):
                conn.execute(delete(model).where(model.page_id.in_(part)))
        numbers, brands, padding, idents = [], [], [], []
        for page in analysed:
            pid = page_ids[page.url]
            assert page.analysis is not None
            for e164, p in page.phones.items():
                numbers.append({"page_id": pid, "number_id": number_ids[e164], "count": p.count,
                                "advertised": bool(p.advertised),
                                "obfuscated": bool(p.obfuscated), "context": clean(p.context)})
            for name in sorted({clean(b)[:200] for b in page.analysis.brands} - {""}):
                brands.append({"page_id": pid, "brand_id": brand_ids[name]})
            for span in page.analysis.padding:
                padding.append({"page_id": pid, "kind": clean(span.kind)[:40],
                                "start": span.start, "end": span.end,
                                "detail": clean(span.detail)})
            idents += [{"page_id": pid, "kind": k, "value": v, "detail": d}
                       for (k, v), d in page.identifiers.items()]
        for model, rows in ((PageNumber, numbers), (PageBrand, brands),
                            (PaddingSegment, padding), (PageIdentifier, idents)):
            if rows:
                conn.execute(insert(model), rows)
