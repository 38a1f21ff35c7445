"""Shared test fixtures: local HTTP servers and running crawls in a subprocess.

Crawls run in a child process (``scrapy crawl`` or ``python -m triage.cli``) because Twisted's
reactor cannot be restarted inside the pytest process.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.httpserver import LocalServer

ROOT = Path(__file__).resolve().parent.parent
# Settings for crawls of the test servers: inline analysis (no worker start-up), a timeout that
# a loaded machine stays under for local pages.
FAST = {"DOWNLOAD_TIMEOUT": "5", "TRIAGE_ANALYSIS_MODE": "inline", "LOG_LEVEL": "INFO"}


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "SCRAPY_SETTINGS_MODULE"):
        env.pop(name, None)
    return env


def run_triage(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``triage ARGS`` in a child process (not on a TTY)."""
    return subprocess.run([sys.executable, "-m", "triage.cli", *args], cwd=cwd or ROOT,
                          env=child_env(), capture_output=True, text=True, timeout=timeout)


def run_scrapy(spider: str, args: dict[str, Any], settings: dict[str, Any] | None = None, *,
               out: Path, timeout: float = 120) -> tuple[list[dict[str, Any]], subprocess.CompletedProcess[str]]:
    """``scrapy crawl SPIDER -a k=v ... -s K=V ... -O out.jsonl``; returns the items and the run."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider, "-O", str(out)]
    for key, value in args.items():
        cmd += ["-a", f"{key}={value}"]
    for key, value in {**FAST, **(settings or {})}.items():
        cmd += ["-s", f"{key}={json.dumps(value) if isinstance(value, dict) else value}"]
    proc = subprocess.run(cmd, cwd=ROOT, env=child_env(), capture_output=True, text=True,
                          timeout=timeout)
    items = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    return items, proc


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def trap() -> Iterator[LocalServer]:
    """A server that must never be contacted: every address of this machine, IPv4 and IPv6."""
    try:
        server = LocalServer("::").start()
    except OSError:  # no IPv6: IPv4 on all interfaces
        server = LocalServer("0.0.0.0").start()
    yield server
    server.stop()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A fresh allowed server on 127.0.0.1 whose routes the test fills in."""
    s = LocalServer().start()
    yield s
    s.stop()


def by_url(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Items keyed by URL; fails on a URL recorded twice (one item per URL tried)."""
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        assert item["url"] not in out, f"two items for {item['url']}"
        out[item["url"]] = item
    return out
