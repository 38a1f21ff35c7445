"""No tracked file holds text copied from the labelled pages (../shared/data/dev.jsonl).

The labelled pages are third-party text the project is fitted and measured on, never copied
into it: fixtures are written by us, comments quote invented examples. A run of 12 characters
of a labelled page's text (at least 6 of them Chinese: a URL, a date or boilerplate punctuation
is no copy) appearing in a tracked text file is reported by file, line and length, never by
its text. Skips without the data.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest

from pipelines.model_train import default_data, read_rows

ROOT = Path(__file__).resolve().parent.parent
RUN = 12  # characters of a copied run
MIN_CJK = 6  # of which Chinese
_CJK = re.compile(r"[\u4e00-\u9fff]")


def windows(texts: Iterable[str], n: int = RUN, min_cjk: int = MIN_CJK) -> frozenset[str]:
    """Every ``n``-character run of ``texts`` holding at least ``min_cjk`` Chinese characters."""
    out: set[str] = set()
    for t in texts:
        cjk = [1 if _CJK.match(c) else 0 for c in t]
        count = sum(cjk[:n])
        for i in range(len(t) - n + 1):
            if i:
                count += cjk[i + n - 1] - cjk[i - 1]
            if count >= min_cjk:
                out.add(t[i : i + n])
    return frozenset(out)


def copied_runs(text: str, runs: frozenset[str], n: int = RUN) -> list[tuple[int, int]]:
    """(line number, length) of each maximal stretch of ``text`` whose ``n``-character windows
    are all in ``runs``: where a labelled page's text is copied, and how much of it."""
    found: list[tuple[int, int]] = []
    i, last = 0, len(text) - n
    while i <= last:
        if text[i : i + n] in runs:
            j = i
            while j + 1 <= last and text[j + 1 : j + 1 + n] in runs:
                j += 1
            found.append((text.count("\n", 0, i) + 1, j - i + n))
            i = j + n
        else:
            i += 1
    return found


def tracked_texts() -> Iterable[tuple[str, str]]:
    """(path, text) of every tracked file that decodes as UTF-8."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    for name in listed.stdout.decode().split("\0"):
        path = ROOT / name
        if not name or not path.is_file():
            continue
        try:
            yield name, path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images, compressed data


def test_copied_runs_finds_a_planted_run_and_nothing_shorter() -> None:
    source = "澜拓净水器客户服务中心位于杭州市西湖区文三路八十八号"
    runs = windows([source])
    planted = "注释里\n" + source[3:20] + "。"
    assert copied_runs(planted, runs) == [(2, 17)]
    assert copied_runs("前言" + source[:RUN - 1] + "后记", runs) == []
    assert windows(["https://www.example.com/a/b"]) == frozenset()  # no Chinese: no copy


def test_no_tracked_file_holds_labelled_text() -> None:
    data = default_data()
    if not data.exists():
        pytest.skip("labelled data not present")
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    runs = windows(r["text"] for r in read_rows(data))
    found = [f"{name}:{line} ({length} characters)"
             for name, text in tracked_texts() for line, length in copied_runs(text, runs)]
    assert not found, "text of a labelled page in tracked files: " + ", ".join(found)
