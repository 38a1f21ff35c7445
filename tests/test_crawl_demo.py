"""``triage demo``: serves the synthetic web, crawls it offline, prints the report; re-runs start
afresh and a database that is not the demo's is left alone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import run_triage
from triage.demo.site import DemoSite


def test_demo_web_is_synthetic_and_varied() -> None:
    site = DemoSite()  # built, not started
    site.stop()  # closes its sockets; the pages stay
    pages = {(s, p): page for s, by_path in site.web.pages.items() for p, page in by_path.items()}
    types = {page.content_type for page in pages.values()}
    assert "text/html; charset=gbk" in types and "text/html" in types  # GBK with and without header
    assert any("４００" in p.body.decode("utf-8", "ignore") for p in pages.values())  # full-width number
    farm = b"".join(p.body for (s, _), p in pages.items() if s == "farm-a")
    assert f"127.0.0.1:{site.trap_port}".encode() in farm and b"169.254.169.254" in farm
    assert f"127.0.0.1:{site.trap_port}" not in site.allow_private


def test_demo_crawls_reports_and_reruns_afresh(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    for _ in range(2):
        done = run_triage("demo", "--db", str(db))
        assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "Crawl finished" in out and "3 blocked" in out
    assert "hotline_spam" in out and "Top advertised numbers" in out
    assert f"triage export pages --db {db}" in out
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from crawl_runs").fetchone()[0] == 1
        verdicts = dict(conn.execute("select verdict, count(*) from pages group by verdict"))
        blocked = conn.execute("select count(*) from pages where error like 'blocked:%'").fetchone()[0]
    assert verdicts["hotline_spam"] >= 6 and verdicts["clean"] >= 4 and blocked == 3


def test_demo_refuses_a_database_with_other_crawls(tmp_path: Path) -> None:
    db = tmp_path / "mine.db"
    with sqlite3.connect(db) as conn:
        conn.execute("create table crawl_runs (args text)")
        conn.execute("""insert into crawl_runs values ('{"start_urls": "http://example.cn/"}')""")
    done = run_triage("demo", "--db", str(db))
    assert done.returncode == 2 and "not from the demo" in done.stderr
    assert db.exists()
