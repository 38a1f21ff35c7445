"""``triage discover`` and ``triage pivot`` against a local SearXNG stand-in (tests/searxng.py)
whose results point at a local test site: queries from a brands file, SERP rows, the crawl of
what was found, refusals (an unresponsive engine, HTTP 429, a non-JSON answer), the private-
address guard, the pivot's written forms and the number's page."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from db.engine import make_engine
from pipelines.types import SPAM_VERDICTS
from tests.conftest import free_port, run_triage
from tests.httpserver import LocalServer, html
from tests.searxng import Ask, Refuse, Results, SearxStandIn
from triage.cli import main

NUMBER = "400-612-7788"


def spam_page(brand: str, category: str, number: str) -> str:
    return (f"<title>{brand}{category}售后</title><h1>{brand}{category}全国统一24小时售后维修服务热线</h1>"
            + f"<p>{brand}{category}售后电话:{number} 点击咨询</p>" * 6)


@pytest.fixture
def searx() -> Iterator[SearxStandIn]:
    stand_in = SearxStandIn(lambda ask: Results()).start()
    yield stand_in
    stand_in.stop()


def test_discover_from_brands_file_stores_crawls_and_reports_refusals(
        searx: SearxStandIn, server: LocalServer, trap: LocalServer, tmp_path: Path) -> None:
    for path, brand, category in (("/lantuo-1", "澜拓", "净水器"), ("/lantuo-2", "澜拓", "净水器"),
                                  ("/wosen", "沃森", "热水器")):
        server.routes[path] = html(spam_page(brand, category, NUMBER))
    server.routes["/plain"] = html("<title>家电知识</title><p>净水器滤芯多久换一次</p>")
    trap_url = f"http://localhost:{trap.port}/hotline"

    def answer(ask: Ask) -> Results | Refuse:
        if "沃森" in ask.q and "售后服务热线" in ask.q:
            return Refuse(429)
        if "沃森" in ask.q and "人工服务" in ask.q:
            return Refuse(200, b"<html><body>captcha</body></html>", "text/html")
        if "澜拓" in ask.q:
            if ask.pageno == 2:
                return Results([{"url": server.url("/lantuo-2"),
                                 "title": f"澜拓净水器售后 {NUMBER}", "content": "全国联保"}])
            return Results([
                {"url": server.url("/lantuo-1"), "title": "澜拓净水器售后维修",
                 "content": f"澜拓净水器售后电话 {NUMBER} 24小时服务"},
                {"url": server.url("/plain"), "title": "家电知识", "content": "滤芯更换"},
                {"url": trap_url, "title": "澜拓热线", "content": f"拨打 {NUMBER}"}])
        if "沃森" in ask.q and ask.pageno == 1:
            unresponsive = [["baidu", "CAPTCHA"]] if ask.q == "沃森热水器售后电话" else []
            return Results([{"url": server.url("/wosen"), "title": "沃森热水器维修",
                             "content": f"沃森售后 {NUMBER}"},
                            {"url": server.url("/plain"), "title": "家电知识", "content": ""}],
                           unresponsive)
        return Results()

    searx.answer = answer
    brands = tmp_path / "brands.txt"
    brands.write_text("# brand<TAB>category\n澜拓\t净水器\n沃森\t热水器\n", encoding="utf-8")
    db = tmp_path / "d.db"
    done = run_triage("discover", "--db", str(db), "--searxng", searx.url, "--engines",
                      "baidu,bing", "--brands-file", str(brands), "--pages", "2", "--delay", "0",
                      "--crawl", "--depth", "0", "--allow-private", f"127.0.0.1:{server.port}",
                      "-s", "CONCURRENT_REQUESTS=1", "-s", "TRIAGE_ANALYSIS_MODE=inline",
                      "-s", "DOWNLOAD_TIMEOUT=5")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr

    # Several distinct queries per brand, the second result page asked for, zh-CN.
    for brand in ("澜拓", "沃森"):
        assert len({a.q for a in searx.log if brand in a.q}) >= 5
    assert any(a.pageno == 2 and "澜拓" in a.q for a in searx.log)
    assert all(a.language == "zh-CN" and a.format == "json" for a in searx.log)
    # The unresponsive engine is skipped from the next call on; refusals are reported.
    first_dead = next(i for i, a in enumerate(searx.log) if a.q == "沃森热水器售后电话")
    assert all(a.engines == ["baidu", "bing"] for a in searx.log[:first_dead + 1])
    assert searx.log[first_dead + 1:] and all(a.engines == ["bing"]
                                              for a in searx.log[first_dead + 1:])
    assert "3 refusals" in done.stdout and "baidu (CAPTCHA)" in done.stdout, done.stdout
    assert "HTTP 429" in done.stderr and "not JSON" in done.stderr

    # SERP rows with every field.
    export = run_triage("export", "serps", "--db", str(db), "--format", "json")
    rows = json.loads(export.stdout)
    row = next(r for r in rows if r["url"] == server.url("/lantuo-1"))
    assert row["engine"] == "baidu,bing" and row["page"] == 1 and row["rank"] == 1
    assert row["numbers"] == ["+864006127788"] and row["run_id"] == 1
    assert "澜拓" in row["query"] and row["title"] and row["snippet"] and row["fetched_at"]
    assert any(r["page"] == 2 and r["numbers"] == ["+864006127788"] for r in rows)
    assert {r["engine"] for r in rows if "沃森" in r["query"]} >= {"bing"}
    csv_head = run_triage("export", "serps", "--db", str(db), "--format", "csv").stdout
    assert csv_head.splitlines()[0].startswith(
        "query,engine,page,rank,url,title,snippet,numbers,fetched_at,run_id")

    # Result pages crawled and triaged, numbered results first; the private one never fetched.
    with sqlite3.connect(db) as conn:
        pages = dict(conn.execute("select url, verdict from pages").fetchall())
        trap_error = conn.execute("select error from pages where url = ?", (trap_url,)).fetchone()
    assert {pages[server.url(p)] for p in ("/lantuo-1", "/lantuo-2", "/wosen")} <= set(SPAM_VERDICTS)
    assert pages[server.url("/plain")] is not None
    assert trap.log == [] and trap_error and "blocked" in trap_error[0]
    served = [p for p, _ in server.log]
    assert served.index("/plain") > max(served.index(p) for p in ("/lantuo-1", "/lantuo-2",
                                                                  "/wosen"))
    # Pages remember how they were reached.
    exported = [json.loads(line) for line in run_triage(
        "export", "pages", "--db", str(db)).stdout.splitlines()]
    lantuo = next(p for p in exported if p["url"] == server.url("/lantuo-1"))
    assert lantuo["found_by"] and all("澜拓" in f["query"] and f["engine"] == "baidu,bing"
                                      for f in lantuo["found_by"])
    report = run_triage("report", "--db", str(db))
    assert "Discovery run #1 (discover" in report.stdout
    assert f"127.0.0.1:{server.port}" in report.stdout and "+864006127788" in report.stdout


def test_pivot_searches_written_forms_crawls_and_shows_on_the_number_page(
        searx: SearxStandIn, server: LocalServer, tmp_path: Path) -> None:
    server.routes["/a"] = html(spam_page("澜拓", "净水器", "400-618-9123"))
    server.routes["/b"] = html(spam_page("沃森", "热水器", "400 618 9123"))

    def answer(ask: Ask) -> Results:
        if ask.pageno != 1:
            return Results()
        if ask.q == "400-618-9123":
            return Results([{"url": server.url("/a"), "title": "售后", "content": "400-618-9123"}])
        if ask.q == "4006189123 客服电话":
            return Results([{"url": server.url("/b"), "title": "维修", "content": "客服"}])
        return Results()

    searx.answer = answer
    db = tmp_path / "p.db"
    done = run_triage("pivot", "400-618-9123", "--db", str(db), "--searxng", searx.url,
                      "--delay", "0", "--crawl", "--allow-private", f"127.0.0.1:{server.port}",
                      "-s", "TRIAGE_ANALYSIS_MODE=inline")
    assert done.returncode == 0, done.stderr[-3000:]
    asked = {a.q for a in searx.log}
    assert {"400-618-9123", "4006189123", "400 618 9123", "400-6189-123"} <= asked
    assert "4006189123 客服电话" in asked and "400-618-9123 售后" in asked
    with sqlite3.connect(db) as conn:
        verdicts = dict(conn.execute("select url, verdict from pages").fetchall())
        pivots = {r[0] for r in conn.execute("select pivot from serp_results")}
    assert {verdicts[server.url("/a")], verdicts[server.url("/b")]} <= set(SPAM_VERDICTS)
    assert pivots == {"+864006189123"}

    from starlette.testclient import TestClient

    from triage.web.app import create_app

    engine = make_engine(str(db))
    try:
        page = TestClient(create_app(engine, allowed_hosts=None)).get("/number/%2B864006189123")
    finally:
        engine.dispose()
    assert page.status_code == 200
    assert "Found by search (2 results on 1 domains)" in page.text
    assert server.url("/a") in page.text and server.url("/b") in page.text
    assert "4006189123 客服电话" in page.text and "not crawled" not in page.text


def test_a_number_only_searched_has_a_page_listing_its_results(
        searx: SearxStandIn, tmp_path: Path) -> None:
    searx.answer = lambda ask: Results([{"url": "http://c.example.test/x", "title": "售后",
                                         "content": "400-618-9124"}]) if ask.pageno == 1 \
        else Results()
    db = str(tmp_path / "s.db")
    result = CliRunner().invoke(main, ["pivot", "4006189124", "--db", db, "--searxng", searx.url,
                                       "--pages", "1", "--delay", "0"])
    assert result.exit_code == 0, result.output

    from starlette.testclient import TestClient

    from triage.web.app import create_app

    engine = make_engine(db)
    try:
        client = TestClient(create_app(engine, allowed_hosts=None))
        page = client.get("/number/%2B864006189124")
        missing = client.get("/number/%2B864006189125")
    finally:
        engine.dispose()
    assert page.status_code == 200 and "Found by search only" in page.text
    assert "http://c.example.test/x" in page.text and "not crawled" in page.text
    assert "c.example.test" in page.text and missing.status_code == 404


def test_report_lists_only_what_the_latest_discovery_found_new(
        searx: SearxStandIn, tmp_path: Path) -> None:
    served: list[str] = []

    def answer(ask: Ask) -> Results:
        return Results([{"url": u, "title": "热线 400-612-7788" if "b." in u else "x",
                         "content": ""} for u in served])

    searx.answer = answer
    db = str(tmp_path / "r.db")
    for urls in (["http://a.example.test/1"], ["http://a.example.test/1", "http://b.example.test/2"]):
        served[:] = urls
        result = CliRunner().invoke(main, ["discover", "--db", db, "--searxng", searx.url,
                                           "--query", "澜拓售后", "--pages", "1", "--delay", "0"])
        assert result.exit_code == 0, result.output
    report = " ".join(CliRunner().invoke(main, ["report", "--db", db]).output.split())
    assert "Discovery run #2 (discover" in report and "since discovery run #1" in report
    assert "1 URLs, 1 domains, 1 numbers" in report
    assert "b.example.test" in report and "a.example.test" not in report


def one_line(args: list[str], code: int = 2) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def test_usage_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRIAGE_SEARXNG_URL", raising=False)
    db = str(tmp_path / "e.db")
    assert "no SearXNG instance" in one_line(["discover", "--db", db, "--query", "x"])
    assert "exactly one of" in one_line(["discover", "--db", db, "--searxng", "http://h",
                                         "--query", "x", "--brands-file", "b.txt"])
    assert "cannot read brands file" in one_line(
        ["discover", "--db", db, "--searxng", "http://h", "--brands-file", str(tmp_path / "no")])
    bad = tmp_path / "t.txt"
    bad.write_text("{brand}{shop}\n", encoding="utf-8")
    brands = tmp_path / "b.txt"
    brands.write_text("澜拓\n", encoding="utf-8")
    assert "bad template" in one_line(["discover", "--db", db, "--searxng", "http://h",
                                       "--brands-file", str(brands), "--templates-file", str(bad)])
    assert "not one phone number" in one_line(["pivot", "12", "--searxng", "http://h"])
    unreachable = f"http://127.0.0.1:{free_port()}"
    assert "cannot reach SearXNG" in one_line(
        ["discover", "--db", db, "--searxng", unreachable, "--query", "x"], code=1)


def test_json_format_disabled_and_refusals_in_a_row_stop_with_exit_zero(
        searx: SearxStandIn, tmp_path: Path) -> None:
    searx.answer = lambda ask: Refuse(403, b"Forbidden", "text/html")
    result = CliRunner().invoke(main, ["discover", "--db", str(tmp_path / "f.db"), "--searxng",
                                       searx.url, "--query", "a", "--query", "b", "--query", "c",
                                       "--query", "d", "--delay", "0"])
    assert result.exit_code == 0, result.output
    assert len(searx.log) == 3 and "stopped early: 3 refusals in a row" in result.output
    assert "search.formats" in result.output
