"""A crawled database for the review features: real engine results on generated farm pages.

Every page is the output of :func:`pipelines.analyze.analyze` on an HTML page from
:mod:`triage.demo.farm` (invented brands and numbers), stored through :class:`db.store.Store` as the
crawl stores it. Two template clusters are assigned the way issue 5's clustering fills
``pages.cluster``. One page carries XSS payloads in its URL, title, text, brands, reasons and
number context: whatever shows it must show them as text.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine, update
from starlette.testclient import TestClient

from db.engine import make_engine
from db.models import Page
from db.store import Store
from investigate.operations import update_operations
from pipelines.analyze import analyze
from pipelines.types import PageAnalysis
from triage.demo import farm

# Invented numbers (10-digit 400 numbers of the farm generator's shape).
LANTO = ("400-6318-227", "+864006318227")
WOTING = ("400-9152-604", "+864009152604")
KESAI = ("400-1873-350", "+864001873350")
XSS_NUMBER = ("400-8264-913", "+864008264913")

XSS_URL = 'http://xss.example.test/"><script>window.__xss="url"</script>.html'
XSS_TITLE = '<script>window.__xss="title"</script><img src=x onerror="window.__xss=\'title-img\'">'
XSS_TEXT = ('<script>window.__xss="text"</script> <img src=x onerror=alert(1)> '
            '{{ 7*7 }} </textarea><svg onload="window.__xss=\'svg\'">')
XSS_BRAND = '<img src=x onerror="window.__xss=\'brand\'">澜拓净水器'
XSS_CONTEXT = '"><svg onload="window.__xss=\'context\'">'
XSS_REASON = '<iframe srcdoc="<script>parent.__xss=\'reason\'</script>"></iframe>'


def _item(url: str, analysis: PageAnalysis | None, fetched_at: datetime,
          body: str) -> dict[str, Any]:
    return {"url": url, "final_url": url, "domain": urlsplit(url).hostname or "",
            "status": 200, "error": "", "fetched_at": fetched_at.isoformat(), "depth": 1,
            "referrer": None, "headers": {"Content-Type": "text/html; charset=utf-8"},
            "content_hash": hashlib.sha256(body.encode()).hexdigest(), "analysis": analysis}


def _hostile(rng: random.Random) -> tuple[str, PageAnalysis]:
    """A farm page with payloads in the HTML text and in every stored field a reviewer sees."""
    page = farm.spam_page(rng, brand="澜拓", category="净水器", number=XSS_NUMBER, places=30)
    html = page.html.replace("<h1>", f"<p>{farm.html.escape(XSS_TEXT)}</p><h1>", 1)
    found = analyze(html, url=XSS_URL)
    numbers = tuple(dataclasses.replace(n, context=XSS_CONTEXT + n.context)
                    for n in found.numbers)
    return html, dataclasses.replace(
        found, title=XSS_TITLE, brands=(XSS_BRAND, *found.brands), numbers=numbers,
        reasons=(XSS_REASON, *found.reasons))


def build_review_db(path: Path | str, *, now: datetime | None = None,
                    hostile: bool = True) -> Path | str:
    """Write the review database to ``path`` (a file, named ``triage.db`` by the Datasette
    test, or a database URL); ``hostile=False`` leaves out the XSS page (for screenshots)."""
    now = now or datetime.now(UTC)
    rng = random.Random(20261130)
    engine = make_engine(str(path))
    store = Store(engine)
    run = store.start_run("hotlines", {"start_urls": "http://lanto-fix0.example.test/"})
    items: list[dict[str, Any]] = []
    clusters: dict[str, int] = {}
    farms = (("lanto", "澜拓", "净水器", LANTO, 6, 3, 1),
             ("woting", "沃霆", "热水器", WOTING, 4, 2, 2),
             ("kesai", "科赛恩", "指纹锁", KESAI, 1, 1, None))
    k = 0
    for slug, brand, category, number, pages, domains, cluster in farms:
        for i in range(pages):
            url = f"http://{slug}-fix{i % domains}.example.test/shouhou/{i}.html"
            page = farm.spam_page(rng, brand=brand, category=category, number=number,
                                  places=rng.randint(40, 120))
            # Spread over three weeks so "new this week" and the timeline have something to split.
            when = now - timedelta(days=(k * 3) % 20, hours=k)
            k += 1
            items.append(_item(url, analyze(page.html, url=url), when, page.html))
            if cluster is not None:
                clusters[url] = cluster
    legit = (("http://www.lanto-official.example.test/service.html", farm.official_page(rng)),
             ("http://news.example.test/2026/warning.html", farm.warning_news_page(rng)),
             ("http://gov.example.test/notice/2025-3.html", farm.gov_notice_page(rng)),
             ("http://shop.example.test/", farm.shop_page(rng)))
    for url, page in legit:
        items.append(_item(url, analyze(page.html, url=url), now - timedelta(days=1), page.html))
    if hostile:
        html, payloads = _hostile(rng)
        items.append(_item(XSS_URL, payloads, now - timedelta(hours=2), html))
    items.append({**_item("http://down.example.test/", None, now, ""), "status": 0,
                  "error": "timeout: no answer in 10 s", "content_hash": ""})
    store.save_pages(run, items)
    store.finish_run(run, {"triage/stored": len(items)}, "finished")
    with engine.begin() as conn:
        for url, cluster in clusters.items():
            conn.execute(update(Page).where(Page.url == url).values(cluster=cluster))
    update_operations(engine)  # issue 14: as after every crawl
    engine.dispose()
    return path


@pytest.fixture(scope="module", name="review_db")
def review_db_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The review database, built once per test module (import ``review_db_fixture`` to use it)."""
    return build_review_db(tmp_path_factory.mktemp("review") / "triage.db")


@pytest.fixture(name="review_db_copy")
def review_db_copy_fixture(review_db: Path, tmp_path: Path) -> str:
    """A private copy of :func:`review_db` for a test that writes (labels, reputation)."""
    return str(shutil.copy(review_db, tmp_path / "triage.db"))


@pytest.fixture(name="engine")
def engine_fixture(review_db_copy: str) -> Iterator[Engine]:
    """An engine on a private copy of the review database (import ``engine_fixture``)."""
    engine = make_engine(review_db_copy)
    yield engine
    engine.dispose()


@pytest.fixture(name="client")
def client_fixture(engine: Engine) -> TestClient:
    """The review app over :func:`engine_fixture` (any Host, reviewer "ann")."""
    from triage.web.app import create_app

    return TestClient(create_app(engine, allowed_hosts=None, reviewer="ann"))
