"""The benchmarks that read ../shared/data skip cleanly where it is absent (CI, users)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("script", ["quality.py", "learners.py", "brands.py"])
def test_bench_skips_without_the_labelled_data(tmp_path: Path, script: str) -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--data", str(tmp_path / "absent.jsonl")],
        capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("skipped:"), run.stdout
    assert "Traceback" not in run.stderr


def test_dictionary_file_override_is_what_the_engine_reads(tmp_path: Path) -> None:
    """``DICTIONARY_ENV`` replaces the shipped dictionary for a fresh process (bench --unseen)."""
    tsv = tmp_path / "brands.tsv"
    tsv.write_text("name\taliases\tcategory\tsource\tambiguous\n澜拓\t澜拓电器\tappliance\tcurated\t\n",
                   encoding="utf-8")
    probe = ("from pipelines.brand_names import brand_entry, find_brand_mentions as f;"
             "print([m.name for m in f('澜拓电器海尔空调售后')], brand_entry('海尔'))")
    env = {**os.environ, "TRIAGE_BRANDS_FILE": str(tsv), "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=60, env=env, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["['澜拓']", "None"]


def test_unseen_leaves_out_every_entry_spelling_a_gold_brand(tmp_path: Path) -> None:
    """A gold brand written as an alias or with its category (格力电器, 海尔空调) takes its entry
    out; a gold field naming two brands takes both; other entries stay."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import brands as bench
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from pipelines.lexicon import CATEGORIES
    from pipelines.t2s import to_simplified

    norm = bench.make_normaliser(tuple(CATEGORIES), to_simplified)
    lines = bench._SHIPPED.read_text(encoding="utf-8").splitlines()
    kept, left_out = bench.without_gold(lines, ["格力电器", "海尔空调", "美的, 中国工商银行", ""], norm)
    assert set(left_out) == {"格力", "海尔", "美的", "中国工商银行"}
    assert len(kept) == len(lines) - 4 and kept[0] == lines[0]
