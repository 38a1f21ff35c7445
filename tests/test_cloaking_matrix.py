"""The cloaking matrix on real local sites: one site per kind of cloaking (spider-only,
referer-only, mobile-only, a script redirect only for visitors from a search result), and a farm
of uniform sites that must cost at most one extra fetch in ten pages."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import make_engine
from db.models import CrawlRun, Page, PageArchive
from db.versions import page_versions
from pipelines.variants import Variant, cloaking_kinds
from tests.conftest import FAST, run_triage
from tests.farmsite import FarmServer
from tests.httpserver import LocalServer, Reply, html
from triage.demo.farm_ops import cloaked_pair, template_page

SEARCH_HOSTS = ("baidu.com", "sogou.com", "so.com")
LANDING = "http://landing.example.org/"


def _rule(kind: str) -> Callable[[dict[str, str]], bool]:
    """When the cloaked page shows its real (spam or redirect) face."""
    return {
        "user_agent": lambda h: "Baiduspider" in h.get("User-Agent", ""),
        "referer": lambda h: any(s in h.get("Referer", "") for s in SEARCH_HOSTS),
        "mobile": lambda h: "Mobile" in h.get("User-Agent", ""),
        "redirect": lambda h: any(s in h.get("Referer", "") for s in SEARCH_HOSTS),
    }[kind]


def _cloaked(kind: str, spam: str, harmless: str) -> Reply:
    rule = _rule(kind)
    stub = (f"<html><head><script>window.location.href='{LANDING}';</script></head>"
            "<body></body></html>")
    shown = stub if kind == "redirect" else spam

    def write(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write((shown if rule(dict(handler.headers)) else harmless).encode())

    return Reply(stream=write)


def _site(kind: str, seed: int) -> LocalServer:
    rng = random.Random(seed)
    article, spam = cloaked_pair(rng, "澜拓净水器", f"400-612-34{seed:02d}")
    server = LocalServer().start()
    server.routes.update({
        "/": html("<html><body><h1>网站导航</h1><a href='/page.html'>page</a>"
                  "<a href='/about.html'>about</a></body></html>"),
        "/page.html": _cloaked(kind, spam, article),
        "/about.html": html(article.replace("城市马拉松赛鸣枪开跑", "关于我们")),
    })
    return server


@pytest.fixture
def kind_sites() -> Iterator[dict[str, LocalServer]]:
    sites = {k: _site(k, i) for i, k in enumerate(("user_agent", "referer", "mobile",
                                                   "redirect"))}
    yield sites
    for s in sites.values():
        s.stop()


def _crawl(tmp_path: Path, urls: list[str], ports: list[int], *settings: str) -> str:
    db = str(tmp_path / "t.db")
    args = ["crawl", *urls, "--db", db, "--depth", "6"]
    for port in ports:
        args += ["--allow-private", f"127.0.0.1:{port}"]
    for key, value in {**FAST, "LOG_LEVEL": "WARNING"}.items():
        args += ["-s", f"{key}={value}"]
    for s in settings:
        args += ["-s", s]
    proc = run_triage(*args, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return db


def test_kinds_from_pairs() -> None:
    def v(name: str, spam: bool, redirect: str = "") -> Variant:
        return Variant(name, 200, "http://a.example/p", verdict="hotline_spam" if spam else "clean",
                       numbers=("+864006120000",) if spam else (), redirect=redirect)

    clean = {n: v(n, False) for n in ("visitor", "direct", "spider", "mobile")}
    assert cloaking_kinds(clean, "http://a.example/p") == ([], [])
    kinds, reasons = cloaking_kinds(clean | {"spider": v("spider", True)}, "http://a.example/p")
    assert kinds == ["user_agent"] and reasons[0].startswith("user_agent: hotline_spam only")
    assert cloaking_kinds(clean | {"visitor": v("visitor", True)}, "http://a.example/p")[0] == \
        ["referer"]
    both = clean | {"visitor": v("visitor", True), "mobile": v("mobile", True)}
    assert cloaking_kinds(both, "http://a.example/p")[0] == ["mobile"]
    away = clean | {"visitor": v("visitor", False, LANDING)}
    assert cloaking_kinds(away, "http://a.example/p")[0] == ["referer", "redirect"]
    # Without the mobile fetch the referer/mobile pairs tell nothing.
    partial = {"visitor": v("visitor", True), "direct": v("direct", False)}
    assert cloaking_kinds(partial, "http://a.example/p") == ([], [])


def test_each_kind_flagged_and_nothing_else(tmp_path: Path,
                                            kind_sites: dict[str, LocalServer]) -> None:
    servers = list(kind_sites.values())
    db = _crawl(tmp_path, [s.url("/") for s in servers], [s.port for s in servers])
    engine = make_engine(db)
    with engine.connect() as conn:
        pages = {r.url: r for r in conn.execute(select(Page))}
        stats = conn.execute(select(CrawlRun.stats)).scalar_one()
        archived = conn.execute(select(PageArchive.page_id, PageArchive.profile)).all()
    expected = {"user_agent": ["user_agent"], "referer": ["referer"], "mobile": ["mobile"],
                "redirect": ["redirect", "referer"]}
    for kind, server in kind_sites.items():
        page = pages[server.url("/page.html")]
        assert page.flags == ["cloaking"], (kind, page.flags)
        assert page.cloaking_kinds == expected[kind], (kind, page.cloaking_kinds)
        assert page.profile == "visitor"
        versions = {v["variant"]: v for v in page_versions(engine, server.url("/page.html"))}
        assert set(versions) == {"visitor", "direct", "spider", "mobile"}
        # Every differing version is archived, as its profile.
        profiles = {p for pid, p in archived if pid == page.id}
        assert profiles >= {"direct", "spider", "mobile"}, (kind, profiles)
    flagged = sorted(u for u, p in pages.items() if p.flags)
    assert flagged == sorted(s.url("/page.html") for s in servers)
    assert all(p.cloaking_kinds in (None, []) for u, p in pages.items() if u not in flagged)
    # A site found cloaking gets every page checked: index, page and about on each site.
    assert stats["triage/cloaking/checked"] == 12
    assert stats["triage/cloaking/found"] == 4
    assert stats["triage/cloaking/fetches"] >= 4 * 3
    for kind in ("user_agent", "referer", "mobile", "redirect"):
        assert stats[f"triage/cloaking/kind/{kind}"] >= 1
    # The crawl itself came as a phone from a search result; the matrix as the others.
    log = [h for s in servers for path, h in s.log if path == "/page.html"]
    assert any("Mobile" in h.get("User-Agent", "") and "Referer" in h for h in log)
    assert any("Baiduspider" in h.get("User-Agent", "") and "Referer" not in h for h in log)
    proc = run_triage("export", "pages", "--db", db)
    exported = {p["url"]: p for p in map(json.loads, proc.stdout.splitlines())}
    assert exported[kind_sites["mobile"].url("/page.html")]["cloaking_kinds"] == ["mobile"]
    assert exported[kind_sites["mobile"].url("/")]["cloaking_kinds"] == []
    engine.dispose()


def test_uniform_farm_costs_at_most_one_fetch_in_ten(tmp_path: Path) -> None:
    farms = [FarmServer(60, fanout=4).start() for _ in range(3)]
    try:
        db = _crawl(tmp_path, [f.url() for f in farms], [f.port for f in farms])
        hits = sum(sum(f.hits.values()) for f in farms)
    finally:
        for f in farms:
            f.stop()
    engine = make_engine(db)
    with engine.connect() as conn:
        stats = conn.execute(select(CrawlRun.stats)).scalar_one()
        flags = conn.execute(select(Page.flags)).scalars().all()
    engine.dispose()
    pages = len(flags)
    assert pages == 180
    fetches = stats["triage/cloaking/fetches"]
    print("farm fetches", fetches, "pages", pages)
    assert 0 < fetches <= 0.10 * pages, (fetches, pages)
    assert hits == pages + fetches  # every extra request counted
    assert not any(flags), "a uniform farm is not cloaking"


def test_spam_page_template_helper() -> None:
    # The farm template gives the engine spam (the cloaked pages above depend on it).
    page = template_page(random.Random(1), 0, "澜拓净水器", "400-612-3401")
    from pipelines.analyze import analyze

    assert analyze(page.encode(), url="http://a.example/").verdict == "hotline_spam"
