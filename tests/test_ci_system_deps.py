"""scripts/ci_system_deps.sh: quiet and a no-op when Chromium is already installed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "ci_system_deps.sh"


@pytest.mark.skipif(not (Path("/usr/bin/chromium").exists()
                         and Path("/usr/bin/chromedriver").exists()),
                    reason="Chromium not installed here: the script would run apt-get")
def test_script_is_a_quiet_no_op_when_chromium_is_there() -> None:
    done = subprocess.run(["bash", str(SCRIPT)], check=False, capture_output=True, text=True,
                          timeout=30)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_script_parses() -> None:
    assert subprocess.run(["bash", "-n", str(SCRIPT)], check=False, timeout=30).returncode == 0
