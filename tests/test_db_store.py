"""Store: batched idempotent upserts and page history, on a real SQLite file and on the real
PostgreSQL server at 127.0.0.1:5432 (a throw-away database per test run; skipped when absent).

The factories here (``analysis``, ``page_item``, ``db_url``) are shared by the other db tests.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine, func, select, text

from db.engine import make_engine
from db.models import (
    Brand,
    CrawlRun,
    Number,
    PaddingSegment,
    Page,
    PageBrand,
    PageHistory,
    PageNumber,
)
from db.store import Store
from pipelines.types import PaddingSpan, PageAnalysis, Phone
from tests.pg import pg_unavailable, throwaway_database

TABLES = (CrawlRun, Page, Number, PageNumber, Brand, PageBrand, PaddingSegment, PageHistory)

# Invented brands and numbers that look like the real thing.
HOTLINE = "+864006015823"
MOBILE = "+8613912345678"
OTHER = "+864008207716"


def phone(e164: str = HOTLINE, *, count: int = 5, advertised: bool = True,
          obfuscated: bool = False, kind: str = "toll_free") -> Phone:
    return Phone(e164=e164, kind=kind, place="" if kind == "toll_free" else "江苏",
                 carrier="", count=count, advertised=advertised, obfuscated=obfuscated,
                 context=f"澜拓净水器全国统一售后服务热线：{e164[3:]}")


def analysis(url: str, *, verdict: str = "hotline_spam", numbers: tuple[Phone, ...] | None = None,
             brands: tuple[str, ...] = ("澜拓净水器",), score: float = 0.93,
             text_: str = "澜拓净水器全国统一24小时售后维修服务热线") -> PageAnalysis:
    spam = verdict != "clean"
    return PageAnalysis(
        url=url, verdict=verdict, score=score if spam else 0.05,
        reasons=("号码重复出现 5 次", "地区列表占正文 41%") if spam else (),
        numbers=(phone(),) if numbers is None else numbers,
        brands=brands if spam else (),
        padding=(PaddingSpan("region_list", 10, 80, "72 个地区"),
                 PaddingSpan("scraped_article", 90, 300)) if spam else (),
        padding_ratio=0.41 if spam else 0.0, title=f"{brands[0] if brands else ''}售后电话",
        text=text_, visible_chars=len(text_), features={"repeat": 5.0})


def page_item(url: str, *, status: int = 200, error: str = "", body_hash: str | None = None,
              fetched_at: str = "2026-11-02T08:00:00+00:00", **kw: Any) -> dict[str, Any]:
    """A PageItem as the spiders yield it (crawler/items.py); ``analysis=None`` for failures."""
    has_analysis = "analysis" not in kw or kw["analysis"] is not None
    an = kw.pop("analysis", None) if "analysis" in kw else analysis(url, **kw)
    return {
        "url": url, "final_url": url if status else "", "domain": urlsplit(url).hostname,
        "status": status, "error": error, "fetched_at": fetched_at, "depth": 1,
        "referrer": None, "headers": {"Content-Type": "text/html; charset=utf-8",
                                      "ETag": '"abc123"'},
        "content_hash": (body_hash if body_hash is not None
                         else (uuid.uuid5(uuid.NAMESPACE_URL, url).hex * 2 if has_analysis
                               else "")),
        "analysis": an,
    }


def farm(n: int, *, domains: int = 3, number: str = HOTLINE) -> list[dict[str, Any]]:
    """``n`` spam pages of one template spread over ``domains`` domains."""
    return [page_item(f"http://fix{i % domains}.example.test/shouhou/{i}.html",
                      numbers=(phone(number), phone(MOBILE, count=1, advertised=False,
                                                    kind="mobile")))
            for i in range(n)]


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {m.__tablename__: conn.execute(select(func.count()).select_from(m)).scalar_one()
                for m in TABLES}


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A throw-away PostgreSQL database for this test run, dropped afterwards."""
    reason = pg_unavailable()
    if reason:
        pytest.skip(reason)
    with throwaway_database("triage_test") as url:
        yield url.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """A fresh database URL: a SQLite file in tmp_path, or the PostgreSQL test database with
    every table emptied."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'triage.db'}"
        return
    url = request.getfixturevalue("pg_url")
    engine = make_engine(url)
    with engine.begin() as conn:
        names = ", ".join(m.__tablename__ for m in TABLES)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()
    yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    engine = make_engine(db_url)
    yield Store(engine)
    engine.dispose()


def test_save_then_resave_is_idempotent(store: Store) -> None:
    items = [*farm(30), page_item("http://clean.example.test/", verdict="clean", numbers=())]
    run = store.start_run("hotlines", {"start_urls": ["http://fix0.example.test/"]})
    assert store.save_pages(run, items) == 31
    first = counts(store.engine)
    assert first["pages"] == 31 and first["numbers"] == 2 and first["brands"] == 1
    assert first["page_numbers"] == 60 and first["page_brands"] == 30
    assert first["padding_segments"] == 60

    run2 = store.start_run("hotlines", {})
    store.save_pages(run2, items[:10])
    store.save_pages(run2, items)
    again = counts(store.engine)
    assert {k: v for k, v in again.items() if k != "crawl_runs"} == \
           {k: v for k, v in first.items() if k != "crawl_runs"}
    assert again["page_history"] == 0  # nothing changed
    with store.engine.connect() as conn:
        page = conn.execute(select(Page).where(Page.url == items[0]["url"])).one()
    assert page.run_id == run2 and page.first_run_id == run
    assert page.verdict == "hotline_spam" and page.etag == '"abc123"'
    assert page.reasons == ["号码重复出现 5 次", "地区列表占正文 41%"]


def test_changes_of_numbers_verdict_and_hash_make_history(store: Store) -> None:
    url = "http://fix1.example.test/shouhou/7.html"
    run = store.start_run("hotlines", {})
    store.save_pages(run, [page_item(url, body_hash="a" * 64)])
    run2 = store.start_run("hotlines", {})
    # The number was swapped on a known spam page, and the body changed with it.
    store.save_pages(run2, [page_item(url, body_hash="b" * 64, numbers=(phone(OTHER),))])
    run3 = store.start_run("hotlines", {})
    store.save_pages(run3, [page_item(url, body_hash="c" * 64, verdict="clean", numbers=())])
    with store.engine.connect() as conn:
        rows = conn.execute(select(PageHistory.field, PageHistory.old, PageHistory.new,
                                   PageHistory.run_id).order_by(PageHistory.id)).all()
        links = conn.execute(select(func.count()).select_from(PageNumber)).scalar_one()
        numbers = conn.execute(select(Number.e164).order_by(Number.e164)).scalars().all()
    assert [tuple(r) for r in rows] == [
        ("numbers", json.dumps([HOTLINE]), json.dumps([OTHER]), run2),
        ("content_hash", "a" * 64, "b" * 64, run2),
        ("numbers", json.dumps([OTHER]), "[]", run3),
        ("verdict", "hotline_spam", "clean", run3),
        ("content_hash", "b" * 64, "c" * 64, run3),
    ]
    assert links == 0  # the page's links were replaced by its (empty) new set
    assert numbers == sorted([HOTLINE, OTHER])  # numbers themselves are kept as evidence


def test_fetch_errors_are_stored_and_keep_earlier_evidence(store: Store) -> None:
    run = store.start_run("hotlines", {})
    blocked = page_item("http://10.0.0.5/", status=0, error="blocked: private address 10.0.0.5",
                        analysis=None)
    spam = page_item("http://fix2.example.test/a.html")
    store.save_pages(run, [blocked, spam])
    run2 = store.start_run("hotlines", {})
    gone = page_item(spam["url"], status=503, error="HTTP 503", analysis=None,
                     fetched_at="2026-11-09T08:00:00+00:00")
    store.save_pages(run2, [gone])
    with store.engine.connect() as conn:
        rows = {r.url: r for r in conn.execute(select(Page))}
        links = conn.execute(select(func.count()).select_from(PageNumber)).scalar_one()
        history = conn.execute(select(func.count()).select_from(PageHistory)).scalar_one()
    assert rows[blocked["url"]].verdict is None and rows[blocked["url"]].status == 0
    assert rows[blocked["url"]].error == "blocked: private address 10.0.0.5"
    assert rows[blocked["url"]].reasons is None and rows[blocked["url"]].content_hash == ""
    kept = rows[spam["url"]]
    assert (kept.status, kept.error, kept.run_id) == (503, "HTTP 503", run2)
    assert kept.verdict == "hotline_spam" and kept.content_hash == spam["content_hash"]
    assert kept.last_seen.isoformat().startswith("2026-11-09") and links == 1 and history == 0


def test_hostile_text_and_duplicates_within_a_batch(store: Store) -> None:
    url = "http://fix0.example.test/nul.html"
    nasty = "热线\x00400-601-5823 \udcff end"
    run = store.start_run("hotlines", {"weird": object()})
    n = store.save_pages(run, [page_item(url, text_="old"), page_item(url, text_=nasty),
                               {"status": 200}])  # the url-less item is skipped, not fatal
    assert n == 1
    with store.engine.connect() as conn:
        stored = conn.execute(select(Page.text)).scalars().all()
    assert stored == ["热线400-601-5823 \ufffd end"]


def test_finish_run_records_stats_and_outcome(store: Store) -> None:
    from datetime import UTC, datetime
    run = store.start_run("sitemap", {"url": "http://fix0.example.test/sitemap.xml", "depth": 2})
    store.finish_run(run, {"start_time": datetime(2026, 11, 2, tzinfo=UTC),
                           "triage/stored": 3}, "finished")
    with store.engine.connect() as conn:
        r = conn.execute(select(CrawlRun)).one()
    assert (r.spider, r.outcome, r.args["depth"]) == ("sitemap", "finished", 2)
    assert r.stats == {"start_time": "2026-11-02T00:00:00+00:00", "triage/stored": 3}
    assert r.finished_at >= r.started_at


def test_concurrent_writers_never_duplicate(db_url: str) -> None:
    """Two stores (two engines, as two crawl processes would have) writing overlapping pages."""
    engines = [make_engine(db_url) for _ in range(2)]
    stores = [Store(e) for e in engines]
    items = farm(60, domains=6)
    errors: list[BaseException] = []

    def work(s: Store, part: list[dict[str, Any]]) -> None:
        try:
            run = s.start_run("worker", {})
            for i in range(0, len(part), 10):
                s.save_pages(run, part[i:i + 10])
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(stores[0], items[:40])),
               threading.Thread(target=work, args=(stores[1], items[20:][::-1]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    c = counts(engines[0])
    assert (c["pages"], c["numbers"], c["brands"], c["page_numbers"]) == (60, 2, 1, 120)
    for e in engines:
        e.dispose()
