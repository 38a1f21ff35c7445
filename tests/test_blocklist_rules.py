"""A blocklist an analyst can defend, on crawled local sites: numbers are listed only with
evidence (spam pages advertising them, an analyst's ``spam``, a fraud seed), each with its
reason; warning-page mentions stay apart (``mentioned_on``); a brand's own number on its clean
page and a number that left every page are not listed; ``--min-evidence`` makes it stricter."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path
from typing import Any

from tests.conftest import run_triage
from tests.httpserver import LocalServer, html
from triage.demo import farm

A = ("400-6205-118", "+864006205118")  # a farm number on four spam pages, quoted in the news
B = ("400-8731-402", "+864008731402")  # another farm's number, one spam page
S = ("400-9364-275", "+864009364275")  # on one spam page, then gone from it
CRAWL = ("-s", "TRIAGE_ANALYSIS_MODE=inline", "-s", "TRIAGE_CLOAKING=off",
         "-s", "DOWNLOAD_TIMEOUT=5")


def build_site(server: LocalServer, rng: random.Random) -> dict[str, str]:
    """Routes of the test site; returns the official and warning numbers it shows."""
    pages = {f"/a{i}.html": farm.spam_page(rng, brand=b, category="热水器", number=A).html
             for i, b in enumerate(("澜拓", "沃霆", "科赛恩", "澜拓"))}
    pages["/b.html"] = farm.spam_page(rng, brand="沃霆", category="空调", number=B).html
    pages["/stale.html"] = farm.spam_page(rng, brand="科赛恩", category="冰箱", number=S).html
    official = farm.official_page(rng)
    pages["/official.html"] = official.html
    news = farm.warning_news_page(rng)
    shown = news.numbers[0][3:]
    pages["/news.html"] = news.html.replace(f"{shown[:3]}-{shown[3:7]}-{shown[7:]}", A[0]) \
        .replace("本报讯", f"本报讯 另一号码{farm.html.escape('400-1111-2222')}不是官方客服")
    for path, body in pages.items():
        server.routes[path] = html(body)
    links = "".join(f"<a href='{p}'>{p}</a>" for p in pages)
    server.routes["/"] = html(f"<html><body><p>目录</p>{links}</body></html>")
    return {"official": official.numbers[0]}


def crawl(server: LocalServer, db: Path) -> None:
    done = run_triage("crawl", server.url("/"), "--db", str(db), "--depth", "1",
                      "--allow-private", f"127.0.0.1:{server.port}", *CRAWL)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def blocklist(db: Path, *extra: str) -> dict[str, dict[str, Any]]:
    done = run_triage("export", "blocklist", "--db", str(db), "--format", "json", *extra)
    assert done.returncode == 0, done.stderr
    return {r["number"]: r for r in json.loads(done.stdout)}


def test_listed_only_with_evidence_and_a_reason(server: LocalServer, tmp_path: Path) -> None:
    numbers = build_site(server, random.Random(11))
    db = tmp_path / "t.db"
    crawl(server, db)
    rows = blocklist(db)
    assert set(rows) == {A[1], B[1], S[1]}  # not the official number, not the warned-about one
    a = rows[A[1]]
    assert (a["evidence"], a["domains"], a["brands"]) == (4, 1, 3)
    assert a["reason"].startswith("advertised on 4 spam pages on 1 domain for 3 brands"), a
    assert a["mentioned_on"] == [server.url("/news.html")] and a["mentions"] == 1
    assert server.url("/news.html") not in a["example_urls"] and len(a["example_urls"]) == 3
    assert a["pages"] == 5  # four spam pages and the news page
    for row in rows.values():
        assert row["evidence"] >= 1 and row["reason"] and row["example_urls"]
        assert row["first_seen"] and row["last_seen"]
    assert numbers["official"] not in rows
    assert set(blocklist(db, "--min-evidence", "2")) == {A[1]}
    assert blocklist(db, "--min-evidence", "5") == {}
    other = run_triage("export", "pages", "--db", str(db), "--min-evidence", "2")
    assert other.returncode == 2 and "--min-evidence applies to" in other.stderr

    # The analyst's word is evidence too, and is named in the reason.
    label = run_triage("review", "label", "number", B[0], "spam", "--reviewer", "lin",
                       "--db", str(db))
    assert label.returncode == 0, label.stderr
    b = blocklist(db)[B[1]]
    assert b["source"] == "analyst" and "labelled spam by lin" in b["reason"]

    # S leaves its page: the re-crawl re-analyses it, reputation re-scores S, and it drops off.
    server.routes["/stale.html"] = html(
        farm.spam_page(random.Random(5), brand="科赛恩", category="冰箱", number=B).html)
    crawl(server, db)
    rows = blocklist(db)
    assert S[1] not in rows and A[1] in rows
    assert rows[B[1]]["evidence"] == 2
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT score, verdict FROM numbers WHERE e164 = ?",
                            (S[1],)).fetchone() == (None, None)

