"""Evidence packets from a real crawl of local sites: the WARC opens in warcio, every manifest
page has a response record whose payload SHA-256 is its stored content hash, SHA256SUMS holds,
the reports name every URL; and the archive reads back."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from db.engine import make_engine
from db.models import Page, PageArchive
from pipelines.items.archive import read_archived_body
from tests.conftest import FAST, run_triage
from tests.httpserver import LocalServer, html
from tests.test_cloaking_matrix import _cloaked
from triage.demo.farm_ops import cloaked_pair, template_page

NUMBER = "400-612-7788"
E164 = "+864006127788"


def _serve(a: LocalServer, b: LocalServer) -> None:
    rng = random.Random(3)
    article, spam = cloaked_pair(rng, "澜拓净水器", NUMBER)
    for server, brand in ((a, "澜拓净水器"), (b, "铂雅燃气灶")):
        server.routes.update({
            "/": html("<html><body><h1>首页</h1>" + "".join(
                f"<a href='/{p}.html'>{p}</a>" for p in ("s1", "s2", "news", "hidden"))
                + "</body></html>"),
            "/s1.html": html(template_page(rng, 1, brand, NUMBER)),
            "/s2.html": html(template_page(rng, 2, brand, NUMBER)),
            "/news.html": html(article),
            # Shown only to visitors from a search result: the crawl sees it, as a victim would.
            "/hidden.html": _cloaked("referer", spam, article),
        })


def test_evidence_packet(tmp_path: Path) -> None:
    a, b = LocalServer().start(), LocalServer().start()
    try:
        _serve(a, b)
        db = str(tmp_path / "t.db")
        args = ["crawl", a.url("/"), b.url("/"), "--db", db, "--depth", "1",
                "--archive", str(tmp_path / "arch")]
        for s in (a, b):
            args += ["--allow-private", f"127.0.0.1:{s.port}"]
        # Every page through the matrix, so that the cloaked page surely has its versions.
        for key, value in {**FAST, "LOG_LEVEL": "WARNING", "TRIAGE_CLOAKING": "all"}.items():
            args += ["-s", f"{key}={value}"]
        proc = run_triage(*args, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
    finally:
        a.stop()
        b.stop()
    assert list((tmp_path / "arch").glob("*.warc.gz"))
    engine = make_engine(db)
    with engine.connect() as conn:
        hashes = dict(conn.execute(select(Page.url, Page.content_hash)).all())
        verdicts = dict(conn.execute(select(Page.url, Page.verdict)).all())
        archived = set(conn.execute(select(Page.url).join(
            PageArchive, PageArchive.page_id == Page.id)).scalars())
    # Spam and cloaked pages are archived, clean ones are not (TRIAGE_ARCHIVE=spam).
    assert a.url("/s1.html") in archived and a.url("/hidden.html") in archived
    assert a.url("/news.html") not in archived and a.url("/") not in archived
    body, row = read_archived_body(engine, a.url("/s1.html")) or (b"", {})
    assert hashlib.sha256(body).hexdigest() == hashes[a.url("/s1.html")] == row["payload_sha256"]
    assert NUMBER.encode() in body
    engine.dispose()

    out = tmp_path / "packet"
    proc = run_triage("evidence", "--number", NUMBER, "--db", db, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["subject"]["numbers"] == [NUMBER] and manifest["tool_version"]
    urls = {p["url"] for p in manifest["pages"]}
    # Every spam page advertising the number, on both sites, and nothing else.
    expected = {u for u, v in verdicts.items() if v in ("hotline_spam", "seo_spam")}
    assert urls == expected
    assert {a.url("/s1.html"), a.url("/s2.html"), b.url("/s1.html"), b.url("/s2.html"),
            a.url("/hidden.html")} <= urls
    # The WARC: warcio reads it; each page has a response whose payload hash is its content hash.
    digests: dict[str, str] = {}
    ids: set[str] = set()
    with open(out / "evidence.warc.gz", "rb") as f:
        for record in ArchiveIterator(f):
            if record.rec_type == "response":
                payload = record.content_stream().read()
                digests[record.rec_headers.get_header("WARC-Record-ID")] = \
                    hashlib.sha256(payload).hexdigest()
                assert record.rec_headers.get_header("WARC-Payload-Digest").startswith("sha256:")
            ids.add(record.rec_headers.get_header("WARC-Record-ID"))
    for page in manifest["pages"]:
        assert page["sha256"] == hashes[page["url"]]
        assert digests[page["record_id"]] == hashes[page["url"]], page["url"]
        assert page["profile"] == "visitor" and page["reached"]["referer_sent"]
        assert E164 in page["numbers"] and page["verdict"] in ("hotline_spam", "seo_spam")
    hidden = next(p for p in manifest["pages"] if p["url"] == a.url("/hidden.html"))
    assert hidden["cloaking"]["kinds"] == ["referer"]
    assert {r["profile"] for r in hidden["warc"]} >= {"visitor", "spider", "mobile", "direct"}
    # SHA256SUMS verifies every file.
    listed = {}
    for line in (out / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert {"manifest.json", "evidence.warc.gz", "report.txt", "report.html"} <= set(listed)
    if Path("/usr/bin/chromium").exists():  # optional: rendered from the archive, offline
        assert all(p.get("screenshot") in listed for p in manifest["pages"])
    else:
        assert any("screenshots skipped" in n for n in manifest["notes"])
    # The reports name every URL, the number and the brand.
    text = (out / "report.txt").read_text(encoding="utf-8")
    page_html = (out / "report.html").read_text(encoding="utf-8")
    for url in urls:
        assert url in text and url in page_html
    assert E164 in text and "澜拓净水器" in text and "举报" in text
    assert "Noto Sans CJK SC" in page_html
    # The HTML report one forwards: number verdicts, blocklist with examples, cloaking, hours.
    report = tmp_path / "r.html"
    proc = run_triage("report", "--db", db, "--html", str(report))
    assert proc.returncode == 0, proc.stderr
    page = report.read_text(encoding="utf-8")
    for heading in ("Number verdicts", "Blocklist", "New since the last run", "Cloaking found",
                    "Errors (latest run)", "Pages fetched and spam found per hour"):
        assert heading in page, heading
    assert "referer: 2 page(s)" in page and a.url("/hidden.html") in page
    assert E164 in page and a.url("/s1.html") in page


def test_evidence_by_url_and_domain_and_errors(tmp_path: Path) -> None:
    from db.store import Store
    from tests.test_db_store import page_item

    db = str(tmp_path / "e.db")
    store = Store(make_engine(db))
    store.save_pages(store.start_run("hotlines", {}), [page_item("http://x.example.com/p")])
    store.engine.dispose()
    out = tmp_path / "p"
    proc = run_triage("evidence", "--url", "http://x.example.com/p", "--db", db, "--out", str(out),
                      "--no-screenshots")
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [p["url"] for p in manifest["pages"]] == ["http://x.example.com/p"]
    assert any("not archived" in n for n in manifest["notes"])
    proc = run_triage("evidence", "--db", db, "--out", str(out))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    proc = run_triage("evidence", "--number", "hello", "--db", db, "--out", str(out))
    assert proc.returncode == 2 and "not a phone number" in proc.stderr
    proc = run_triage("evidence", "--operation", "nope", "--db", db, "--out", str(out))
    assert proc.returncode == 2 and "operation" in proc.stderr


def test_archive_writer_rotates_and_reads_back(tmp_path: Path) -> None:
    import subprocess
    import sys

    from pipelines.items.warc import ArchiveWriter, read_body

    writer = ArchiveWriter(tmp_path, max_bytes=2000)
    http = {"method": "GET", "request_headers": [("User-Agent", "test-agent")],
            "response_headers": [("Content-Type", "text/html; charset=utf-8"),
                                 ("Content-Encoding", "gzip"), ("Content-Length", "12")]}
    locations = []
    for i in range(6):
        body = f"<html><body>页面 {i} 400-612-77{i:02d}</body></html>".encode() * 20
        locations.append((body, writer.write(url=f"http://a.example/{i}", status=200, body=body,
                                              http=http, fetched_at="2026-12-07T01:00:00+00:00")))
    writer.close()
    files = sorted(p.name for p in tmp_path.glob("*.warc.gz"))
    assert len(files) > 1  # rotated by size
    for body, loc in locations:
        got, headers = read_body(tmp_path, loc["warc_file"], loc["offset"])
        assert got == body and loc["payload_sha256"] == hashlib.sha256(body).hexdigest()
        assert headers["X-Archive-Orig-Content-Encoding"] == "gzip"
        assert headers["Content-Length"] == str(len(body))
    # warcio's own checker verifies every record's digests.
    check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v",
                            *[str(tmp_path / f) for f in files]], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "digest pass" in check.stdout
