"""``triage analyze`` through the real console script: files, directories, JSONL, errors."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from triage.demo import farm

TRIAGE = shutil.which("triage", path=str(Path(sys.executable).parent))


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [TRIAGE, *args] if TRIAGE else [sys.executable, "-m", "triage.cli", *args]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120)


def records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    rng = random.Random(5)
    d = tmp_path_factory.mktemp("pages")
    (d / "b_spam.html").write_bytes(farm.spam_page(rng, brand="瑞沐", category="冰箱").html.encode("gbk"))
    (d / "a_official.htm").write_text(farm.official_page(rng).html, encoding="utf-8")
    (d / "c_notes.txt").write_text("not html", encoding="utf-8")
    (d / "d_image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    return d


def test_directory_sorted_html_only(site):
    r = run("analyze", str(site))
    assert r.returncode == 0, r.stderr
    recs = records(r.stdout)
    assert [Path(x["url"]).name for x in recs] == ["a_official.htm", "b_spam.html", "d_image.html"]
    official, spam, image = recs
    assert official["verdict"] == "clean"
    assert spam["verdict"] == "hotline_spam" and spam["brands"][0] == "瑞沐冰箱"
    for key in ("verdict", "score", "reasons", "numbers", "brands", "padding", "padding_ratio", "url"):
        assert key in spam
    n = spam["numbers"][0]
    assert {"e164", "kind", "place", "count", "advertised", "obfuscated"} <= set(n)
    assert {"kind", "start", "end"} <= set(spam["padding"][0])
    assert set(image) == {"id", "url", "error"} and "binary" in image["error"]


def test_files_and_missing_path_keep_order(site):
    r = run("analyze", str(site / "b_spam.html"), str(site / "nope.html"), str(site / "a_official.htm"))
    recs = records(r.stdout)
    assert r.returncode == 0
    assert [x.get("verdict", "error") for x in recs] == ["hotline_spam", "error", "clean"]
    assert "nope.html" in recs[1]["url"] and recs[1]["error"]


def test_jsonl_from_stdin_echoes_ids_and_reports_bad_lines():
    rng = random.Random(9)
    lines = [
        json.dumps({"id": "p1", "url": "http://x.test/1", "html": farm.spam_page(rng).html}, ensure_ascii=False),
        "this is not json",
        json.dumps({"id": 7, "url": "http://x.test/2", "text": "老街面馆 订餐电话:028-85551234"}, ensure_ascii=False),
        json.dumps({"id": "p3", "url": "http://x.test/3"}),
    ]
    r = run("analyze", "--jsonl", "-", stdin="\n".join(lines) + "\n")
    assert r.returncode == 0, r.stderr
    recs = records(r.stdout)
    assert len(recs) == 4
    assert recs[0]["id"] == "p1" and recs[0]["verdict"] == "hotline_spam"
    assert "error" in recs[1] and "line 2" in recs[1]["error"]
    assert recs[2]["id"] == 7 and recs[2]["url"] == "http://x.test/2" and recs[2]["verdict"] == "clean"
    assert recs[2]["numbers"][0]["e164"] == "+862885551234"
    assert recs[3]["id"] == "p3" and "neither" in recs[3]["error"]


def test_usage_errors_are_one_line():
    r = run("analyze")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    r = run("analyze", "--jsonl", "/nonexistent/file.jsonl")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "cannot read --jsonl" in r.stderr
