"""One crawl of a hostile local site: every failure is recorded and the crawl goes on.

The site serves pages in GBK and Big5 (with and without charset headers), binary bodies, a body
over the size cap (with and without Content-Length), a gzip bomb, a redirect loop, a page slower
than the timeout, 404 and 500, malformed HTML, a lying charset, a closed port and a name that
does not resolve. Links, redirects and meta refreshes also point at a trap server through every
spelling of a private address; the trap must receive no request at all.
"""

from __future__ import annotations

import gzip
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import by_url, free_port, run_scrapy
from tests.httpserver import LocalServer, Reply, html, ipv6_loopback_works, redirect

CAP = 100_000  # DOWNLOAD_MAXSIZE for this crawl
SPAM = ("<html><head>{meta}<title>澜拓净水器售后服务电话</title></head><body>"
        "<h1>澜拓净水器全国统一24小时售后维修服务热线</h1>"
        "<p>澜拓净水器售后电话:400-612-7788 欢迎来电</p><p>服务区域:杭州、宁波、温州、嘉兴、湖州</p>"
        "</body></html>")
TRADITIONAL = ("<html><head>{meta}<title>瀾拓淨水器售後服務電話</title></head><body>"
               "<p>瀾拓淨水器售後電話:400-612-7788</p></body></html>")


def _stream(total: int) -> Any:
    def write(handler: Any) -> None:
        chunk = b"<p>" + b"x" * 8000 + b"</p>"
        sent = 0
        while sent < total:
            handler.wfile.write(chunk)
            sent += len(chunk)
    return write


def _truncated(handler: Any) -> None:
    """Headers promise 5,000 bytes, the connection closes after 40."""
    handler.wfile.write(b"<html><body><p>\xe6\xbe\x9c\xe6\x8b\x93 400-612-7788</p>")


def trap_targets(port: int) -> dict[str, str]:
    """Name -> URL on the trap, in the spellings a hostile page would use."""
    targets = {
        "ip": f"http://127.0.0.1:{port}/ip", "localhost": f"http://localhost:{port}/localhost",
        "decimal": f"http://2130706433:{port}/decimal", "hex": f"http://0x7f000001:{port}/hex",
        "octal": f"http://0177.0.0.1:{port}/octal", "short": f"http://127.1:{port}/short",
        "mapped": f"http://[::ffff:127.0.0.1]:{port}/mapped",
        "fullwidth": f"http://１２７.０.０.１:{port}/fullwidth",
        "hostname": f"http://{socket.gethostname()}:{port}/hostname",
        "unspecified": f"http://0.0.0.0:{port}/unspecified",
    }
    if ipv6_loopback_works():
        targets["v6"] = f"http://[::1]:{port}/v6"
    return targets


def build_site(site: LocalServer, trap: LocalServer, closed: int) -> dict[str, str]:
    """Fill ``site`` with the hostile routes; returns the page paths by case name."""
    t = trap.port
    r = site.routes
    r["/gbk-header"] = html(SPAM.format(meta=""), charset="gbk", encoding="gbk")
    r["/gbk-meta"] = html(SPAM.format(meta='<meta charset="gbk">'), charset=None, encoding="gbk")
    r["/gbk-bare"] = html(SPAM.format(meta=""), charset=None, encoding="gbk")
    r["/big5"] = html(TRADITIONAL.format(meta=""), charset="big5", encoding="big5")
    r["/bad-encoding"] = Reply(SPAM.format(meta="").encode("utf-8") + b"\xff\xfe\xfa",
                               headers={"Content-Type": "text/html; charset=utf-8"})
    r["/image"] = Reply(b"\x89PNG\r\n\x1a\n" + bytes(200), headers={"Content-Type": "image/png"})
    r["/nul"] = Reply(b"<html>\x00\x01\x02binary</html>", headers={"Content-Type": "text/html"})
    r["/huge"] = Reply(b"<p>" + b"y" * (CAP * 3) + b"</p>")
    r["/huge-chunked"] = Reply(stream=_stream(CAP * 3))
    r["/gzip-bomb"] = Reply(gzip.compress(b"<html>" + b" " * 20_000_000), headers={
        "Content-Type": "text/html", "Content-Encoding": "gzip"})
    r["/truncated"] = Reply(stream=_truncated, headers={"Content-Type": "text/html; charset=utf-8",
                                                        "Content-Length": "5000"})
    r["/loop"] = redirect("/loop")
    r["/slow"] = Reply(b"<html>late</html>", delay=3.5)
    r["/missing"] = html("<h1>gone</h1>", status=404)
    r["/broken"] = html("<h1>oops</h1>", status=500)
    r["/malformed"] = html("<html><body><div><p>澜拓净水器 热线 400-612-7788<table><tr><td>"
                           "<a href='/gbk-header'>x</a><p <b>unclosed &amp &#xZZ; <<<>>")
    r["/redirect-ok"] = redirect("/gbk-header")
    r["/redirect-ip"] = redirect(f"http://127.0.0.1:{t}/r-ip")
    r["/redirect-localhost"] = redirect(f"http://localhost:{t}/r-localhost", 302)
    r["/redirect-decimal"] = redirect(f"http://2130706433:{t}/r-decimal")
    r["/redirect-chain"] = redirect("/redirect-ip", 307)
    r["/redirect-file"] = redirect("file:///etc/passwd")
    if ipv6_loopback_works():
        r["/redirect-v6"] = redirect(f"http://[::1]:{t}/r-v6")
    r["/refresh"] = html(f"<html><head><meta http-equiv='refresh' content='0; url=http://127.0.0.1:{t}/refresh'>"
                         "</head><body>moving</body></html>")
    r["/refresh-name"] = html(f"<html><head><meta http-equiv='refresh' content='1;URL=http://localhost:{t}/'>"
                              "</head><body>moving</body></html>")
    extra = {"refused": f"http://127.0.0.1:{closed}/", "dns": "http://no-such-host.example.invalid/",
             "metadata": "http://169.254.169.254/latest/meta-data/", "private": "http://10.255.255.1/"}
    links = list(r) + list(trap_targets(t).values()) + list(extra.values())
    r["/"] = html("<html><body>" + "".join(f"<a href='{u}'>{u}</a>" for u in links) + "</body></html>")
    return extra


@pytest.fixture(scope="module")
def crawl(trap: LocalServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    site = LocalServer().start()
    closed = free_port()
    extra = build_site(site, trap, closed)
    out = tmp_path_factory.mktemp("hostile") / "items.jsonl"
    items, proc = run_scrapy("hotlines", {
        "start_urls": site.url("/"), "follow_external": "1", "depth": "1",
        "allow_private": f"127.0.0.1:{site.port},127.0.0.1:{closed}",
    }, {"DOWNLOAD_MAXSIZE": CAP, "DOWNLOAD_WARNSIZE": 0, "TRIAGE_DB": str(out.with_suffix(".db")),
        "DOWNLOAD_TIMEOUT": 2, "RETRY_TIMES": 0},  # 2 s: a loaded test machine stays under it
        out=out)
    yield {"items": by_url(items), "proc": proc, "site": site, "extra": extra, "trap": trap,
           "db": out.with_suffix(".db")}
    site.stop()


def item(crawl: dict[str, Any], path_or_url: str) -> dict[str, Any]:
    url = path_or_url if "://" in path_or_url else crawl["site"].url(path_or_url)
    assert url in crawl["items"], f"no item for {url}; have {sorted(crawl['items'])}"
    return crawl["items"][url]


def test_crawl_finishes(crawl: dict[str, Any]) -> None:
    assert crawl["proc"].returncode == 0, crawl["proc"].stderr[-3000:]
    assert "'finish_reason': 'finished'" in crawl["proc"].stderr


def test_trap_receives_nothing(crawl: dict[str, Any]) -> None:
    assert crawl["trap"].log == []


@pytest.mark.parametrize("name", sorted(trap_targets(1)))
def test_links_to_private_targets_are_blocked(crawl: dict[str, Any], name: str) -> None:
    url = trap_targets(crawl["trap"].port)[name]
    matches = [i for u, i in crawl["items"].items() if u.endswith(f"/{name}")]
    assert len(matches) == 1, (url, sorted(crawl["items"]))
    assert matches[0]["status"] == 0
    assert matches[0]["error"].startswith("blocked: "), matches[0]


@pytest.mark.parametrize("path", ["/redirect-ip", "/redirect-localhost", "/redirect-decimal",
                                  "/redirect-chain", "/refresh", "/refresh-name"])
def test_redirects_and_meta_refresh_to_private_targets_are_blocked(crawl: dict[str, Any], path: str) -> None:
    it = item(crawl, path)
    assert it["error"].startswith("blocked: ") and "redirected to" in it["error"], it
    assert it["final_url"] == ""


def test_redirect_to_ipv6_loopback_is_blocked(crawl: dict[str, Any]) -> None:
    if not ipv6_loopback_works():
        pytest.skip("no IPv6 loopback here")
    assert item(crawl, "/redirect-v6")["error"].startswith("blocked: loopback address ::1")


def test_other_private_targets_are_blocked_before_connecting(crawl: dict[str, Any]) -> None:
    assert "link-local" in item(crawl, crawl["extra"]["metadata"])["error"]
    assert "private address 10.255.255.1" in item(crawl, crawl["extra"]["private"])["error"]
    # Scrapy does not follow redirects to other schemes; the redirect itself is the record.
    assert item(crawl, "/redirect-file")["error"] == "redirect not followed: file:///etc/passwd"


def test_allowed_redirect_is_followed_and_target_still_recorded(crawl: dict[str, Any]) -> None:
    redirected = item(crawl, "/redirect-ok")
    assert redirected["final_url"] == crawl["site"].url("/gbk-header"), redirected
    assert redirected["status"] == 200 and redirected["analysis"]
    assert item(crawl, "/gbk-header")["status"] == 200  # the target's own item is kept too


@pytest.mark.parametrize("path", ["/gbk-header", "/gbk-meta", "/gbk-bare", "/malformed"])
def test_chinese_pages_are_decoded_and_analysed(crawl: dict[str, Any], path: str) -> None:
    it = item(crawl, path)
    assert it["status"] == 200 and it["error"] == "", it
    analysis = it["analysis"]
    assert "澜拓净水器" in analysis["text"] or "澜拓净水器" in analysis["title"]
    assert any(n["e164"] == "+864006127788" for n in analysis["numbers"]), analysis["numbers"]
    assert "body" not in it  # the analysis pipeline dropped it


def test_big5_page_is_decoded(crawl: dict[str, Any]) -> None:
    analysis = item(crawl, "/big5")["analysis"]
    assert "瀾拓淨水器" in analysis["title"] or "瀾拓淨水器" in analysis["text"]


def test_lying_charset_is_recorded_and_page_still_analysed(crawl: dict[str, Any]) -> None:
    it = item(crawl, "/bad-encoding")
    assert it["error"].startswith("invalid encoding"), it
    assert it["analysis"] and it["analysis"]["numbers"]


@pytest.mark.parametrize("path", ["/image", "/nul"])
def test_binary_bodies_are_recorded_not_analysed(crawl: dict[str, Any], path: str) -> None:
    it = item(crawl, path)
    assert it["status"] == 200 and it["error"].startswith("binary body"), it
    assert it["analysis"] is None and it["content_hash"]


@pytest.mark.parametrize("path", ["/huge", "/huge-chunked", "/gzip-bomb"])
def test_bodies_over_the_cap_are_refused(crawl: dict[str, Any], path: str) -> None:
    it = item(crawl, path)
    assert it["error"].startswith("too large"), it
    assert it["analysis"] is None


def test_gzip_bomb_stops_during_decompression(crawl: dict[str, Any]) -> None:
    assert "decompress" in item(crawl, "/gzip-bomb")["error"]


@pytest.mark.parametrize(("path", "status", "error"), [
    ("/missing", 404, "http 404"), ("/broken", 500, "http 500"), ("/loop", 0, "redirect loop"),
    ("/slow", 0, "timeout"),
])
def test_http_failures_are_recorded(crawl: dict[str, Any], path: str, status: int, error: str) -> None:
    it = item(crawl, path)
    assert it["status"] == status and it["error"].startswith(error), it


def test_truncated_body_is_kept_and_flagged(crawl: dict[str, Any]) -> None:
    it = item(crawl, "/truncated")
    assert it["status"] == 200 and it["error"] == "truncated response (data loss)", it
    assert it["analysis"] is not None


def test_network_failures_are_recorded(crawl: dict[str, Any]) -> None:
    assert item(crawl, crawl["extra"]["refused"])["error"] == "connection refused"
    assert item(crawl, crawl["extra"]["dns"])["error"].startswith("dns error")


def test_every_linked_url_has_exactly_one_item(crawl: dict[str, Any]) -> None:
    site: LocalServer = crawl["site"]
    for path in site.routes:
        item(crawl, path)  # by_url already refused duplicates
    assert len(crawl["items"]) == len(site.routes) + len(trap_targets(crawl["trap"].port)) + 4


def test_items_are_stored(crawl: dict[str, Any]) -> None:
    import sqlite3

    with sqlite3.connect(crawl["db"]) as conn:
        rows = dict(conn.execute("select url, error from pages").fetchall())
    assert set(rows) == set(crawl["items"])
    assert rows[crawl["site"].url("/loop")].startswith("redirect loop")


def test_crawl_log_has_no_tracebacks(crawl: dict[str, Any]) -> None:
    assert "Traceback" not in crawl["proc"].stderr, crawl["proc"].stderr[-3000:]

