"""scripts/lexicon_support.py: regex alternatives are split where the regex splits them, support
is counted per operation, and the script skips cleanly without the labelled data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from lexicon_support import Page, branches, regex, registry, support, words  # noqa: E402


def test_branches_split_only_at_the_top_level() -> None:
    assert branches(r"^(?:a|b(c|d))+$") == ["a", "b(c|d)"]
    assert branches(r"(?:x|y)z|w") == ["(?:x|y)z", "w"]
    assert branches(r"[|a]|b\|c") == ["[|a]", r"b\|c"]
    assert branches("(a)(b)") == ["(a)(b)"]


def test_support_counts_operations_by_label_and_flags_single_ones() -> None:
    pages = [Page("op1", "hotline_spam", "澜拓售后 点击咨询 维修热线", "a.example", ""),
             Page("op1", "hotline_spam", "点击咨询", "a.example", ""),
             Page("op2", "clean", "客服电话 点击咨询", "b.example", ""),
             Page("op3", "seo_spam", "澜拓售后", "c.example", ""),
             Page("op4", "hotline_spam", "维修热线", "d.example", "")]
    entries = [*words("t", ["点击咨询", "客服电话", "不在", "维修热线"]), *regex("r", r"澜拓|售后")]
    got = {s.entry.entry: s for s in support(entries, pages, [pages[2]])}
    assert (got["点击咨询"].ops, got["点击咨询"].pages, got["点击咨询"].flag) == (2, 3, "")
    assert got["点击咨询"].ops_by_label == {"hotline_spam": 1, "seo_spam": 0, "clean": 1}
    assert got["客服电话"].flag == "one-op" and got["客服电话"].synthetic == 1
    assert got["不在"].flag == "dead"
    assert got["维修热线"].ops == 2 and got["维修热线"].flag == "one-kind"  # two ops, both hotline
    assert got["澜拓"].ops == 2 and got["澜拓"].flag == ""  # hotline and seo: two kinds


def test_the_script_skips_without_the_data(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "lexicon_support.py"),
                          "--data", str(tmp_path / "absent.jsonl")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("skipped:"), run.stdout


def test_the_registry_reads_every_list_where_it_lives_now() -> None:
    """Without the data too: a list moved to another module must move in the audit (a missing
    attribute fails here, not only on a machine with the labelled pages)."""
    sources = {e.source for e in registry()}
    assert {"lexicon.PRODUCT_NOUNS", "brand_fallback._NOT_A_NAME", "brands._WELCOME"} <= sources
