"""``triage crawl``: exit 0 on a crawl with failures, one clear line and status 2 on setup errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import run_triage
from tests.httpserver import LocalServer, html
from triage.cli import main


def test_crawl_with_failures_exits_zero_and_summarises(server: LocalServer, trap: LocalServer,
                                                       tmp_path: Path) -> None:
    server.routes["/"] = html(
        "<title>澜拓净水器售后</title><h1>澜拓净水器全国统一24小时售后维修服务热线</h1>"
        + "<p>澜拓净水器售后电话:400-612-7788 点击咨询</p>" * 6
        + f"<a href='/missing'>x</a><a href='http://localhost:{trap.port}/'>trap</a>")
    db = tmp_path / "t.db"
    done = run_triage("crawl", server.url("/"), "--db", str(db), "--follow-external",
                      "--allow-private", f"127.0.0.1:{server.port}")
    assert done.returncode == 0, done.stderr[-3000:]
    summary = done.stdout.strip().splitlines()
    assert summary[0].startswith("Crawl finished in ") and "3 pages" in summary[0], done.stdout
    assert "2 errors (1 blocked)" in summary[0]
    assert f"triage report --db {db}" in done.stdout
    assert "Traceback" not in done.stderr and trap.log == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from pages").fetchone()[0] == 3
        assert conn.execute("select outcome from crawl_runs").fetchone()[0]


def test_plain_progress_lines_when_not_a_terminal(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/"] = html("".join(f"<a href='/p{i}'>p</a>" for i in range(30)))
    for i in range(30):
        server.routes[f"/p{i}"] = html("<p>slow page</p>")
    done = run_triage("crawl", server.url("/"), "--db", str(tmp_path / "t.db"), "--allow-private",
                      f"127.0.0.1:{server.port}", "-s", "CONCURRENT_REQUESTS=1",
                      "-s", "TRIAGE_ANALYSIS_MODE=inline",
                      "-s", "DOWNLOAD_DELAY=0.1")  # ~3 s: past the 2 s progress interval
    assert done.returncode == 0, done.stderr[-3000:]
    assert "crawling: " in done.stderr and "\x1b[" not in done.stderr


def one_line_error(args: list[str]) -> str:
    result = CliRunner().invoke(main, ["crawl", *args])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def test_no_urls() -> None:
    assert "no URLs" in one_line_error([])


def test_unreadable_url_file(tmp_path: Path) -> None:
    assert "cannot read URL file" in one_line_error(["--urls-file", str(tmp_path / "nope.txt")])
    empty = tmp_path / "empty.txt"
    empty.write_text("# only a comment\n")
    assert "no URLs" in one_line_error(["--urls-file", str(empty)])


@pytest.mark.parametrize("db", ["/nonexistent-dir/x.db", "nosuchdriver://x/y"])
def test_bad_db_fails_before_crawling(db: str) -> None:
    assert "database" in one_line_error(["http://example.com/", "--db", db]).lower()


def test_bad_allow_private() -> None:
    assert "bad --allow-private entry" in one_line_error(["http://x.cn/", "--allow-private", "h:x"])
