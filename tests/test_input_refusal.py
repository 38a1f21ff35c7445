"""Input refused up front, with the fix: malformed start URLs never reach the crawler, blocked
and failed URLs are listed with their reason and the exact fix, a crawl that fetched no start
URL exits 1, ``scrapy crawl`` logs each blocked request once, ``triage analyze`` of inputs that
all fail exits 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_scrapy, run_triage
from tests.httpserver import LocalServer, html

FAST = ("-s", "TRIAGE_ANALYSIS_MODE=inline", "-s", "TRIAGE_CLOAKING=off", "-s", "DOWNLOAD_TIMEOUT=5")


@pytest.mark.parametrize("url", ["htp:/bad", "not a url", "ftp://example.com/x", "http:/x",
                                 "mailto:a@b.example"])
def test_malformed_start_urls_are_refused_before_crawling(url: str, tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    done = run_triage("crawl", url, "http://example.com/", "--db", str(db))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and repr(url) in lines[0] and "http(s)" in lines[0], done.stderr
    assert not db.exists()  # refused before anything was opened or fetched


def test_blocked_start_url_gets_the_fix_and_exit_1(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/"] = html("<html><body><p>hello</p></body></html>")
    done = run_triage("crawl", server.url("/"), "--db", str(tmp_path / "t.db"), *FAST)
    assert done.returncode == 1, done.stdout + done.stderr
    assert (f"blocked: {server.url('/')}: loopback address 127.0.0.1 — add --allow-private "
            f"127.0.0.1:{server.port}") in done.stdout
    assert done.stderr.strip().splitlines()[-1] == \
        "Error: no start URL could be fetched (see the failures above)"
    assert server.log == []
    ok = run_triage("crawl", server.url("/"), "--db", str(tmp_path / "t.db"), *FAST,
                    "--allow-private", f"127.0.0.1:{server.port}")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "URLs that got no response" not in ok.stdout


def test_dns_failure_is_one_clear_line(tmp_path: Path) -> None:
    done = run_triage("crawl", "http://no-such-host.invalid/", "--db", str(tmp_path / "t.db"), *FAST)
    assert done.returncode == 1
    assert "Gave up retrying" not in done.stderr and "[scrapy" not in done.stderr, done.stderr
    assert ("failed: http://no-such-host.invalid/: dns error: cannot resolve host — check the "
            "host name 'no-such-host.invalid': it does not resolve") in done.stdout


def test_scrapy_crawl_logs_each_blocked_request_once(server: LocalServer, tmp_path: Path) -> None:
    _, proc = run_scrapy("hotlines", {"start_urls": server.url("/"), "db": str(tmp_path / "s.db")},
                         {"LOG_LEVEL": "INFO", "TRIAGE_ANALYSIS_MODE": "inline"},
                         out=tmp_path / "out.jsonl")
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [line for line in proc.stderr.splitlines() if f"blocked {server.url('/')}" in line]
    assert len(lines) == 1 and "INFO" in lines[0] and "loopback" in lines[0], proc.stderr[-3000:]


def test_analyze_exits_1_when_every_input_failed(tmp_path: Path) -> None:
    done = run_triage("analyze", str(tmp_path / "missing.html"), str(tmp_path / "gone.html"))
    assert done.returncode == 1
    assert done.stdout.count('"error"') == 2
    assert done.stderr.strip() == 'Error: none of the 2 inputs could be analysed (see their "error" fields)'
    page = tmp_path / "p.html"
    page.write_text("<html><body><p>hello</p></body></html>")
    mixed = run_triage("analyze", str(page), str(tmp_path / "missing.html"))
    assert mixed.returncode == 0
