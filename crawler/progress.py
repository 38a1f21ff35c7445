"""Live crawl progress for ``triage crawl``: a rich panel on a terminal, plain lines otherwise.

Figures come from the crawl's stats (``triage/*`` keys set by the pipelines and the safety
middleware), read from a display thread, so the reactor does no display work.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, TextIO

from rich.console import Console
from rich.live import Live
from rich.table import Table


@dataclass(frozen=True)
class Snapshot:
    """The figures shown while crawling and in the summary."""

    pages: int = 0
    spam: int = 0
    numbers: int = 0
    errors: int = 0
    blocked: int = 0
    stored: int = 0
    elapsed: float = 0.0

    @property
    def rate(self) -> float:
        return self.pages / self.elapsed if self.elapsed > 0 else 0.0

    def line(self) -> str:
        return (f"{self.pages} pages ({self.rate:.1f}/s), {self.spam} spam, {self.numbers} numbers, "
                f"{self.errors} errors ({self.blocked} blocked)")


def snapshot(stats: dict[str, Any] | None, elapsed: float) -> Snapshot:
    s = stats or {}
    return Snapshot(pages=int(s.get("triage/pages", 0)), spam=int(s.get("triage/spam", 0)),
                    numbers=int(s.get("triage/numbers", 0)), errors=int(s.get("triage/errors", 0)),
                    blocked=int(s.get("triage/blocked", 0)), stored=int(s.get("triage/stored", 0)),
                    elapsed=elapsed)


def _copy(stats: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of the live stats, read from the display thread while the reactor writes them
    (a dict copied during an insert raises; the next try sees it settled)."""
    for _ in range(5):
        try:
            return dict(stats) if stats else None
        except RuntimeError:  # dictionary changed size during iteration
            time.sleep(0.001)
    return None


class CrawlProgress:
    """Shows a crawl's progress until :meth:`stop`; attach it to the crawler before it runs."""

    def __init__(self, *, console: Console | None = None, stream: TextIO | None = None,
                 live: bool | None = None, interval: float = 2.0) -> None:
        self.console = console or Console(file=stream, stderr=stream is None)
        self.live = self.console.is_terminal if live is None else live
        self.interval = interval
        self.crawler: Any = None
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._live: Live | None = None

    def attach(self, crawler: Any) -> None:
        self.crawler = crawler

    def current(self) -> Snapshot:
        crawler_stats = getattr(self.crawler, "stats", None)
        stats = crawler_stats.get_stats() if crawler_stats else None
        return snapshot(_copy(stats), time.monotonic() - self._started)

    def _render(self) -> Table:
        snap = self.current()
        table = Table.grid(padding=(0, 2))
        for _ in ("pages", "spam", "numbers", "errors", "blocked"):
            table.add_column(justify="right")
        table.add_row("[bold]pages", "[bold red]spam", "[bold]numbers", "[bold yellow]errors", "blocked")
        table.add_row(f"{snap.pages} ({snap.rate:.1f}/s)", str(snap.spam), str(snap.numbers),
                      str(snap.errors), str(snap.blocked))
        return table

    def start(self) -> None:
        self._started = time.monotonic()
        if self.live:
            # Started before Scrapy installs its log handler, so log lines print above the panel.
            self._live = Live(get_renderable=self._render, console=self.console,
                              refresh_per_second=4, transient=True, redirect_stderr=True)
            self._live.start()
        else:
            self._thread = threading.Thread(target=self._plain_loop, daemon=True, name="progress")
            self._thread.start()

    def _plain_loop(self) -> None:
        last = None
        while not self._stop.wait(self.interval):
            snap = self.current()
            if snap.pages != last:
                self.console.print(f"crawling: {snap.line()}", highlight=False, soft_wrap=True)
                last = snap.pages

    def stop(self) -> Snapshot:
        self._stop.set()
        if self._live is not None:
            self._live.stop()
        if self._thread is not None:
            self._thread.join(timeout=2)
        return self.current()
