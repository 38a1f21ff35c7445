"""Spider behaviour against local sites: depth, page budget, which links are followed, URL
files, sitemaps, and ``scrapy crawl`` writing the same rows as ``triage crawl``."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import by_url, run_scrapy, run_triage
from tests.httpserver import LocalServer, Reply, html

ANALYSE_ONLY = {"ITEM_PIPELINES": {"pipelines.items.analyze.AnalyzePipeline": 300}}


def paths_requested(server: LocalServer) -> list[str]:
    return [path for path, _ in server.log]


def chain(server: LocalServer, n: int) -> None:
    """/c0 -> /c1 -> ... -> /c{n-1}, each page linking to the next."""
    for i in range(n):
        server.routes[f"/c{i}"] = html(f"<p>page {i}</p><a href='/c{i + 1}'>next</a>")


def test_depth_limits_how_far_links_are_followed(server: LocalServer, tmp_path: Path) -> None:
    chain(server, 6)
    items, proc = run_scrapy("hotlines", {"start_urls": server.url("/c0"), "depth": 2,
                                          "allow_private": f"127.0.0.1:{server.port}"},
                             ANALYSE_ONLY, out=tmp_path / "i.jsonl")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert sorted(paths_requested(server)) == ["/c0", "/c1", "/c2"]
    assert {i["url"]: i["depth"] for i in items} == {server.url(f"/c{d}"): d for d in range(3)}
    assert by_url(items)[server.url("/c2")]["referrer"] == server.url("/c1")


def test_max_pages_stops_after_n_urls(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/"] = html("".join(f"<a href='/p{i}'>p</a>" for i in range(40)))
    for i in range(40):
        server.routes[f"/p{i}"] = html(f"<p>{i}</p>")
    items, proc = run_scrapy("hotlines", {"start_urls": server.url("/"), "max_pages": 7,
                                          "allow_private": f"127.0.0.1:{server.port}"},
                             ANALYSE_ONLY, out=tmp_path / "i.jsonl")
    assert proc.returncode == 0 and "'finish_reason': 'finished'" in proc.stderr
    assert len(items) == 7 and len(server.log) == 7


def test_external_links_only_with_follow_external(server: LocalServer, tmp_path: Path) -> None:
    other = LocalServer().start()
    try:
        other.routes["/"] = html("<p>another site</p>")
        server.routes["/"] = html(f"<a href='{other.url('/')}'>other</a><a href='/same'>same</a>")
        server.routes["/same"] = html("<p>same site</p>")
        allow = f"127.0.0.1:{server.port},127.0.0.1:{other.port}"
        items, _ = run_scrapy("hotlines", {"start_urls": server.url("/"), "allow_private": allow},
                              ANALYSE_ONLY, out=tmp_path / "a.jsonl")
        assert other.log == [] and {i["url"] for i in items} == {server.url("/"), server.url("/same")}
        items, _ = run_scrapy("hotlines", {"start_urls": server.url("/"), "allow_private": allow,
                                           "follow_external": "true"},
                              ANALYSE_ONLY, out=tmp_path / "b.jsonl")
        assert paths_requested(other) == ["/"] and len(items) == 3
    finally:
        other.stop()


def test_urls_file_and_invalid_start_urls(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/a"] = html("<p>a</p>")
    server.routes["/b"] = html("<p>b</p>")
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# start pages\n{server.url('/a')}\n\n  {server.url('/b')}  # second\n"
                    "http://[::1\n")
    items, proc = run_scrapy("hotlines", {"urls_file": urls, "depth": 0,
                                          "allow_private": f"127.0.0.1:{server.port}"},
                             ANALYSE_ONLY, out=tmp_path / "i.jsonl")
    got = by_url(items)
    assert got[server.url("/a")]["status"] == got[server.url("/b")]["status"] == 200
    assert got["http://[::1"]["error"].startswith("invalid URL"), got


def test_sitemap_spider_reads_robots_indexes_and_gzip(server: LocalServer, trap: LocalServer,
                                                      tmp_path: Path) -> None:
    base = server.url("")
    server.routes["/robots.txt"] = Reply(f"User-agent: *\nSitemap: {base}/index.xml\n".encode(),
                                         headers={"Content-Type": "text/plain"})
    server.routes["/index.xml"] = Reply(
        ("<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
         f"<sitemap><loc>{base}/pages.xml.gz</loc></sitemap>"
         f"<sitemap><loc>{base}/index.xml</loc></sitemap></sitemapindex>").encode(),
        headers={"Content-Type": "application/xml"})
    locs = [f"{base}/s{i}" for i in range(3)] + [f"{base}/s0", f"http://127.0.0.1:{trap.port}/s"]
    urlset = ("<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
              + "".join(f"<url><loc>{u}</loc></url>" for u in locs) + "</urlset>")
    server.routes["/pages.xml.gz"] = Reply(gzip.compress(urlset.encode()),
                                           headers={"Content-Type": "application/x-gzip"})
    for i in range(3):
        server.routes[f"/s{i}"] = html(f"<p>澜拓净水器 400-612-778{i}</p><a href='/not-followed'>x</a>")
    items, proc = run_scrapy("sitemap", {"start_urls": base + "/", "follow_external": "1",
                                         "allow_private": f"127.0.0.1:{server.port}"},
                             ANALYSE_ONLY, out=tmp_path / "i.jsonl")
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = by_url(items)
    assert set(got) == {f"{base}/robots.txt", f"{base}/index.xml", f"{base}/pages.xml.gz",
                        *locs[:3], locs[-1]}
    assert all(got[u]["analysis"] for u in locs[:3])
    assert got[f"{base}/index.xml"]["analysis"] is None  # documents are recorded, not analysed
    assert got[locs[-1]]["error"].startswith("blocked: ")
    assert trap.log == [] and "/not-followed" not in paths_requested(server)


def test_sitemap_spider_falls_back_to_sitemap_xml(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/sitemap.xml"] = Reply(
        (f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>{server.url('/p')}"
         "</loc></url></urlset>").encode(), headers={"Content-Type": "text/xml"})
    server.routes["/p"] = html("<p>listed</p>")
    items, _ = run_scrapy("sitemap", {"start_urls": server.url("/"),
                                      "allow_private": f"127.0.0.1:{server.port}"},
                          ANALYSE_ONLY, out=tmp_path / "i.jsonl")
    got = by_url(items)
    assert got[server.url("/robots.txt")]["status"] == 404
    assert got[server.url("/p")]["status"] == 200


def _pages(db: Path) -> set[tuple[str, int, str]]:
    with sqlite3.connect(db) as conn:
        return set(conn.execute("select url, status, verdict from pages"))


def test_scrapy_crawl_and_triage_crawl_write_the_same_rows(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/"] = html("<a href='/x'>x</a><a href='/gone'>gone</a>")
    server.routes["/x"] = html("<title>澜拓净水器售后</title><p>澜拓净水器售后电话 400-612-7788</p>")
    allow = f"127.0.0.1:{server.port}"
    _, proc = run_scrapy("hotlines", {"start_urls": server.url("/"), "db": tmp_path / "a.db",
                                      "allow_private": allow}, {}, out=tmp_path / "i.jsonl")
    assert proc.returncode == 0, proc.stderr[-2000:]
    done = run_triage("crawl", server.url("/"), "--db", str(tmp_path / "b.db"),
                      "--allow-private", allow, "-s", "TRIAGE_ANALYSIS_MODE=inline")
    assert done.returncode == 0, done.stderr[-2000:]
    rows = _pages(tmp_path / "a.db")
    assert rows == _pages(tmp_path / "b.db")
    assert (server.url("/gone"), 404, "clean") in rows or (server.url("/gone"), 404, None) in rows
    assert len(rows) == 3


@pytest.mark.parametrize("value", ["0", "false", ""])
def test_follow_external_false_spellings(value: str) -> None:
    from crawler.spiders.base import parse_bool

    assert parse_bool(value) is False and parse_bool("1") and parse_bool("Yes")


def test_start_url_lists_split_only_before_a_scheme() -> None:
    from crawler.spiders.base import split_urls

    assert split_urls("http://a.cn/x?a=1,2,https://b.cn/") == ["http://a.cn/x?a=1,2", "https://b.cn/"]
    assert split_urls("a.cn, b.cn") == ["a.cn", "b.cn"]
    assert split_urls(["http://a.cn/"]) == ["http://a.cn/"]


def test_spider_arguments_become_settings_and_merge_with_dash_s() -> None:
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

    from crawler.spiders.hotlines import HotlinesSpider

    def crawler() -> Crawler:  # settings not applied yet, as when Scrapy creates the spider
        settings = Settings()
        settings.setmodule("crawler.settings", priority="project")
        settings.set("TRIAGE_ALLOW_PRIVATE", "10.0.0.5:80", priority="cmdline")  # -s
        settings.set("TRIAGE_DB", "sqlite:///from-s.db", priority="cmdline")
        return Crawler(HotlinesSpider, settings)

    c = crawler()
    spider = HotlinesSpider.from_crawler(c, start_urls="a.cn,b.cn", db="x.db",
                                         allow_private="127.0.0.1:8080", max_pages="5")
    assert spider.start_urls == ["http://a.cn", "http://b.cn"] and spider.max_pages == 5
    assert c.settings["TRIAGE_DB"] == "x.db"
    assert c.settings["TRIAGE_ALLOW_PRIVATE"] == ["10.0.0.5:80", "127.0.0.1:8080"]
    with pytest.raises(ValueError, match="bad --allow-private entry"):
        HotlinesSpider.from_crawler(crawler(), start_urls="a.cn", allow_private="x:y")
    with pytest.raises(ValueError, match="no start URLs"):
        HotlinesSpider.from_crawler(crawler())
    with pytest.raises(ValueError, match="bad depth"):
        HotlinesSpider.from_crawler(crawler(), start_urls="a.cn", depth="two")
