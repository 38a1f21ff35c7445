"""Headless Chromium (the Debian package) for browser tests and screenshots, and a real
``triage serve`` process to point it at.

Playwright drives the system Chromium (``/usr/bin/chromium``); Playwright's own browser
downloads are never used. :func:`chromium_problem` says why a browser cannot run here, so tests
skip with that reason and nothing else.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("TRIAGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_problem() -> str | None:
    """None when Playwright and the system Chromium can start; else the reason they cannot."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright; no browser download needed)"
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        return (f"no Chromium at {CHROMIUM}: run scripts/ci_system_deps.sh "
                "(apt-get install chromium chromium-driver)")
    return None


@contextmanager
def browser() -> Iterator[Any]:
    """A launched headless Chromium (playwright Browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: Path | str, *extra: str, host: str = "127.0.0.1",
            timeout: float = 20) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``triage serve --db DB`` in a child process; yields (the printed address, process)."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "triage.cli", "serve", "--db", str(db), "--host", host,
         "--port", str(port), *extra], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if " at http" not in line:
            raise RuntimeError(f"triage serve did not start: {line}{proc.stdout.read()}")
        address = line.split(" at ", 1)[1].split(" ", 1)[0]
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("triage serve is not listening") from None
                time.sleep(0.05)
        yield address, proc
    finally:
        proc.terminate()
        try:
            proc.communicate(timeout=10)  # also closes its pipe
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
