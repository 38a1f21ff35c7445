"""The benchmarks that read ../shared/data skip cleanly where it is absent (CI, users)."""

from __future__ import annotations

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
