"""Cloaking: redirect detection and comparison rules, then real crawls of a local server whose
pages answer Baidu's spider and browsers differently."""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from sqlalchemy import select

from db.engine import make_engine
from db.models import CrawlRun, Page
from db.versions import page_versions
from pipelines.variants import Variant, differences, find_redirect
from tests.conftest import FAST, run_triage
from tests.httpserver import LocalServer, Reply, html
from triage.demo.farm_ops import cloaked_pair, template_page

BASE = "http://farm.example.net/p.html"


def test_find_redirect() -> None:
    meta = "<html><head><meta http-equiv='Refresh' content='0; URL=http://landing.example.org/x'>"
    assert find_redirect(meta, BASE) == "http://landing.example.org/x"
    js = '<script>var u=1;window.location.href = "https://landing.example.org/?from=bd";</script>'
    assert find_redirect(js, BASE) == "https://landing.example.org/?from=bd"
    assert find_redirect("<script>location.replace('/next.html')</script>", BASE) == \
        "http://farm.example.net/next.html"
    assert find_redirect("<p>window.location = 'http://x.example/'</p>", BASE) == ""  # not code
    assert find_redirect("<meta http-equiv='refresh' content='30'>", BASE) == ""


def _v(name: str, verdict: str | None = "clean", numbers: tuple[str, ...] = (),
       redirect: str = "", final_url: str = BASE, error: str = "") -> Variant:
    return Variant(name, 200, final_url, verdict=verdict, numbers=numbers, redirect=redirect,
                   error=error)


def test_differences() -> None:
    spam = _v("crawler", "hotline_spam", ("+864006001111",))
    assert differences(spam, _v("browser"), BASE) == [
        "hotline_spam only for the crawler, clean for the browser",
        "numbers +864006001111 advertised only to the crawler"]
    away = _v("browser", redirect="http://landing.example.org/")
    assert differences(_v("crawler"), away, BASE) == [
        "the browser is sent to http://landing.example.org/"]
    # The same page, an on-site redirect, rotating numbers or a failed fetch are no evidence.
    assert differences(spam, spam, BASE) == []
    assert differences(_v("crawler"), _v("browser", redirect="http://farm.example.net/b"),
                       BASE) == []
    assert differences(spam, _v("browser", "hotline_spam", ("+864008002222",)), BASE) == []
    assert differences(spam, _v("browser", None, error="timeout"), BASE) == []


def by_user_agent(spider_page: str, people_page: str) -> Reply:
    """A route answering Baidu's spider with one page and everyone else with another."""

    def write(handler: BaseHTTPRequestHandler) -> None:
        ua = handler.headers.get("User-Agent", "")
        handler.wfile.write((spider_page if "Baiduspider" in ua else people_page).encode())

    return Reply(stream=write)


def _serve_farm(server: LocalServer, landing: str) -> Callable[[str], str]:
    rng = random.Random(5)
    spider_article, people_hotline = cloaked_pair(rng, "澜拓净水器", "400-612-3456")
    stub = f"<html><head><script>window.location.href='{landing}';</script></head><body></body></html>"
    server.routes.update({
        "/": html("<html><body><h1>网站导航</h1>" + "".join(
            f"<a href='/{p}.html'>{p}</a>" for p in ("seo", "reverse", "plain", "clean"))
            + "</body></html>"),
        # Spam for the spider, a redirect to another site for people.
        "/seo.html": by_user_agent(template_page(rng, 1, "铂雅燃气灶", "400-901-2378"), stub),
        # A harmless article for the spider, the hotline for people.
        "/reverse.html": by_user_agent(spider_article, people_hotline),
        "/plain.html": html(template_page(rng, 2, "沃霆热水器", "400-615-7788")),
        "/clean.html": html(spider_article),
    })
    return lambda path: f"http://127.0.0.1:{server.server_port}{path}"


def _crawl(tmp_path: Path, server: LocalServer, url: str, *settings: str) -> str:
    db = str(tmp_path / "t.db")
    args = ["crawl", url, "--db", db, "--depth", "1", "--allow-private",
            f"127.0.0.1:{server.server_port}"]
    for key, value in {**FAST, "LOG_LEVEL": "WARNING"}.items():
        args += ["-s", f"{key}={value}"]
    for s in settings:
        args += ["-s", s]
    proc = run_triage(*args)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return db


def test_crawl_flags_cloaked_pages_and_keeps_every_version(tmp_path: Path,
                                                           server: LocalServer) -> None:
    url = _serve_farm(server, "http://landing.example.org/")
    db = _crawl(tmp_path, server, url("/"), "TRIAGE_CLOAKING=all")
    engine = make_engine(db)
    with engine.connect() as conn:
        flags = dict(conn.execute(select(Page.url, Page.flags)).all())
        kinds = dict(conn.execute(select(Page.url, Page.cloaking_kinds)).all())
        stats = conn.execute(select(CrawlRun.stats)).scalar_one()
    assert flags[url("/seo.html")] == ["cloaking"]
    assert kinds[url("/seo.html")] == ["redirect", "user_agent"]
    assert flags[url("/reverse.html")] == ["cloaking"]
    assert kinds[url("/reverse.html")] == ["user_agent"]
    assert flags[url("/plain.html")] == [] and flags[url("/clean.html")] == []
    seo = {v["variant"]: v for v in page_versions(engine, url("/seo.html"))}
    assert seo["spider"]["verdict"] == "hotline_spam" and seo["spider"]["numbers"]
    assert seo["visitor"]["redirect"] == "http://landing.example.org/"
    assert seo["direct"]["redirect"] == "http://landing.example.org/"
    reverse = {v["variant"]: v for v in page_versions(engine, url("/reverse.html"))}
    assert reverse["spider"]["verdict"] == "clean"
    assert reverse["visitor"]["verdict"] == "hotline_spam"
    assert page_versions(engine, url("/plain.html")) == []
    engine.dispose()
    # Every analysed page checked (mode all); one fetch each unless it differs.
    assert stats["triage/cloaking/checked"] == 5 and stats["triage/cloaking/found"] == 2
    assert stats["triage/cloaking/fetches"] == 5 + 2 * 2
    agents = [h.get("User-Agent", "") for path, h in server.log if path == "/reverse.html"]
    assert sum("Baiduspider" in a for a in agents) == 1 and sum("Windows" in a for a in agents) == 1
    referers = {h.get("Referer", "") for path, h in server.log if path == "/reverse.html"}
    assert any(r.startswith(("https://www.baidu.com/", "https://www.sogou.com/",
                             "https://www.so.com/")) for r in referers)
    # The export shows the flag and the kinds.
    proc = run_triage("export", "pages", "--db", db)
    pages = {p["url"]: p for p in map(json.loads, proc.stdout.splitlines())}
    assert pages[url("/reverse.html")]["flags"] == ["cloaking"]
    assert pages[url("/reverse.html")]["cloaking_kinds"] == ["user_agent"]
    # So does the CSV export, with who we claimed to be.
    proc = run_triage("export", "pages", "--db", db, "--format", "csv")
    rows = {r["url"]: r for r in csv.DictReader(io.StringIO(proc.stdout))}
    assert json.loads(rows[url("/seo.html")]["cloaking_kinds"]) == ["redirect", "user_agent"]
    assert rows[url("/plain.html")]["cloaking_kinds"] == "[]"
    assert rows[url("/reverse.html")]["profile"] == pages[url("/reverse.html")]["profile"] != ""


def test_cloaking_off(tmp_path: Path, server: LocalServer) -> None:
    url = _serve_farm(server, "http://landing.example.org/")
    db = _crawl(tmp_path, server, url("/"), "TRIAGE_CLOAKING=off")
    engine = make_engine(db)
    with engine.connect() as conn:
        assert all(f == [] for f in conn.execute(select(Page.flags)).scalars())
    engine.dispose()
    assert not any("Baiduspider" in h.get("User-Agent", "") for _, h in server.log)


def test_flag_set_and_cleared_across_checks(tmp_path: Path) -> None:
    from db.store import Store
    from db.versions import CloakingCheck, save_cloaking
    from tests.test_db_store import page_item

    engine = make_engine(str(tmp_path / "v.db"))
    store = Store(engine)
    store.save_pages(store.start_run("hotlines", {}), [page_item(BASE)])
    rows = ({"variant": "crawler", "status": 200, "verdict": "hotline_spam",
             "numbers": ["+864006001111"], "fetched_at": "2026-11-30T12:00:00+00:00"},
            {"variant": "browser", "status": 200, "verdict": "clean",
             "redirect": "http://landing.example.org/"})
    assert save_cloaking(engine, [CloakingCheck(BASE, ("differs",), rows),
                                  CloakingCheck("http://unknown.example/", ("x",), rows)]) == 1
    assert save_cloaking(engine, [CloakingCheck(BASE, ("differs",), rows)]) == 1  # no duplicates
    versions = page_versions(engine, BASE)
    assert [v["variant"] for v in versions] == ["browser", "crawler"]
    assert versions[1]["numbers"] == ["+864006001111"]
    # A re-crawl (the store keeps flags) and a clean check later: the flag goes, history stays.
    store.save_pages(store.start_run("hotlines", {}), [page_item(BASE)])
    with engine.connect() as conn:
        assert conn.execute(select(Page.flags)).scalar_one() == ["cloaking"]
    assert save_cloaking(engine, [CloakingCheck(BASE, (), ())]) == 0
    with engine.connect() as conn:
        assert conn.execute(select(Page.flags)).scalar_one() == []
    assert len(page_versions(engine, BASE)) == 2
    engine.dispose()
