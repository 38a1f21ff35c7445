"""Focused crawling: link scores, request priorities, and real crawls of a generated portal where
fake-hotline pages are a minority, best-first against breadth-first under ``--max-pages``."""

from __future__ import annotations

from pathlib import Path

import pytest
import scrapy
from sqlalchemy import select

from crawler.priority import LinkScorer, link_score, page_signal
from db.engine import make_engine
from db.models import Page
from pipelines.lexicon import names_category
from tests.conftest import FAST, run_triage
from tests.httpserver import LocalServer, html
from triage.demo.farm_ops import portal_site


def test_link_scores_rank_hotline_links_first() -> None:
    hotline = link_score("http://a.example/fw/1.html", "澜拓空调维修电话", topic=names_category)
    service_only = link_score("http://a.example/fw/2.html", "客服中心")
    url_only = link_score("http://a.example/shouhou/3.html", "查看详情")
    news = link_score("http://a.example/news/4.html", "城市马拉松赛鸣枪开跑")
    assert hotline > service_only > url_only > news == 0.0
    brand = link_score("http://a.example/x.html", "瑞沐售后", brands=["瑞沐"])
    assert brand > link_score("http://a.example/x.html", "售后")
    from_farm = link_score("http://a.example/x.html", "下一页", page=1.0, spam_domain=True)
    assert from_farm > news and from_farm == pytest.approx(0.5)


def test_page_signal() -> None:
    farm = "".join(f"<p>澜拓售后维修电话400-612-345{i} 24小时客服热线</p>" for i in range(6))
    assert page_signal(farm) == 1.0
    assert page_signal("<p>城市马拉松赛鸣枪开跑</p>") == 0.0


def test_scorer_sets_request_priorities_and_learns_spam_domains() -> None:
    scorer = LinkScorer(topic=names_category)
    page = "".join("<p>售后维修电话 400-612-3456</p>" for _ in range(20))
    requests = [scrapy.Request("http://farm.example/a.html", priority=-1),
                scrapy.Request("http://farm.example/b.html")]
    anchors = {"http://farm.example/a.html": "瑞沐热水器售后电话",
               "http://farm.example/b.html": "关于我们"}
    out = list(scorer.prioritise("http://farm.example/", page, anchors, [*requests, {"x": 1}]))
    assert out[-1] == {"x": 1}  # items pass through
    assert out[0].priority > out[1].priority > 0
    assert out[0].priority == -1 + round(100 * (0.35 + 0.25 + 0.25))
    assert "farm.example" in scorer.spam_domains


def _crawl(tmp_path: Path, server: LocalServer, focused: bool, budget: int) -> set[str]:
    db = tmp_path / f"{int(focused)}.db"
    args = ["crawl", f"http://127.0.0.1:{server.server_port}/", "--db", str(db), "--depth", "8",
            "--max-pages", str(budget), "--allow-private", f"127.0.0.1:{server.server_port}",
            "-s", f"TRIAGE_FOCUSED={int(focused)}", "-s", "TRIAGE_CLOAKING=off",
            "-s", "TRIAGE_INVESTIGATE=0"]
    for key, value in FAST.items():
        args += ["-s", f"{key}={value}"]
    proc = run_triage(*args)
    assert proc.returncode == 0, proc.stderr[-2000:]
    engine = make_engine(str(db))
    with engine.connect() as conn:
        urls = set(conn.execute(select(Page.url)).scalars())
    engine.dispose()
    return {u.split(str(server.server_port), 1)[1] for u in urls}


def test_focused_crawl_finds_more_spam_in_the_same_budget(tmp_path: Path,
                                                          server: LocalServer) -> None:
    site = portal_site(4, sections=6, per_section=10, spam=12, shops=6, ads=2)
    server.routes.update({path: html(page) for path, (page, _) in site.items()})
    spam = {p for p, (_, label) in site.items() if label == "hotline_spam"}
    budget = 24
    focused = _crawl(tmp_path, server, True, budget)
    breadth = _crawl(tmp_path, server, False, budget)
    assert len(focused) == len(breadth) == budget  # the budget is the same either way
    found_focused, found_breadth = len(focused & spam), len(breadth & spam)
    # Breadth-first spends 24 of 81 fetches on the home page, sections and their first
    # articles; best-first goes from the classifieds to the fake pages and their links.
    assert found_focused >= len(spam) - 4
    assert found_focused >= found_breadth + 6


def test_a_link_keeps_its_shortest_depth(tmp_path: Path, server: LocalServer) -> None:
    """/x is found first at depth 3 (through the promising /a and /b), then at depth 2 through
    /s: it is fetched at depth 2, so its own link /y is still within --depth 3."""
    page = "<html><body><p>{}</p>{}</body></html>"
    server.routes.update({
        "/": html(page.format("首页", "<a href='/a'>澜拓空调维修电话</a><a href='/s'>关于我们</a>")),
        "/a": html(page.format("a", "<a href='/b'>澜拓空调售后电话</a>")),
        "/b": html(page.format("b", "<a href='/x'>更多</a>")),
        "/s": html(page.format("s", "<a href='/x'>更多</a>")),
        "/x": html(page.format("x", "<a href='/y'>更多</a>")),
        "/y": html(page.format("y", "")),
    })
    db = tmp_path / "d.db"
    args = ["crawl", f"http://127.0.0.1:{server.server_port}/", "--db", str(db), "--depth", "3",
            "--allow-private", f"127.0.0.1:{server.server_port}", "-s", "TRIAGE_FOCUSED_WINDOW=1",
            "-s", "TRIAGE_CLOAKING=off", "-s", "TRIAGE_INVESTIGATE=0"]
    for key, value in FAST.items():
        args += ["-s", f"{key}={value}"]
    proc = run_triage(*args)
    assert proc.returncode == 0, proc.stderr[-2000:]
    fetched = [path for path, _ in server.log if path != "/favicon.ico"]  # issue 14: not a page
    assert fetched[:4] == ["/", "/a", "/b", "/s"]  # best first, one at a time
    assert "/y" in fetched
    engine = make_engine(str(db))
    with engine.connect() as conn:
        depth = dict(conn.execute(select(Page.url, Page.depth)).all())
    engine.dispose()
    assert depth[f"http://127.0.0.1:{server.server_port}/x"] == 2
