"""How ``triage crawl`` and ``triage worker`` stop on a signal, keeping every fetched page.

Scrapy's own handlers (``CrawlerProcess``: first signal graceful, second ``reactor.stop()``)
lose what is still being analysed or waits in the store's batch on the second signal, and do not
handle SIGHUP at all. :class:`Interrupts` replaces them for our runner:

- the first SIGINT, SIGTERM or SIGHUP stops scheduling (Scrapy's graceful stop): requests in
  flight finish, their pages are analysed and stored, the pending batch is flushed, the
  after-crawl jobs run and the run's outcome is recorded (``interrupted: SIGINT``);
- a second signal forces the stop: pages still waiting for analysis are stored as fetched but
  not analysed (so a later crawl analyses them; a job directory fetches them again on resume),
  the after-crawl jobs are skipped if they have not started, and the outcome says
  ``interrupted: SIGINT twice``;
- a third signal exits at once (what a job directory had not stored is fetched again on resume).

The analysis workers ignore these signals (pipelines/items/analyze.py): the crawl process
decides. Exit statuses follow the shell's 128 + signal number (:data:`EXIT_CODES`).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from typing import Any

from crawler.context import crawl_context

log = logging.getLogger(__name__)

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
EXIT_CODES = {"SIGINT": 130, "SIGTERM": 143, "SIGHUP": 129}
NAMES = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM", signal.SIGHUP: "SIGHUP"}


class Interrupts:
    """Our signal handlers for one crawl in this process (install before the reactor runs)."""

    def __init__(self, process: Any, crawler: Any) -> None:
        self.process = process
        self.context = crawl_context(crawler)
        self.received = 0
        self._previous: dict[int, Any] = {}

    def install(self) -> None:
        for signum in SIGNALS:
            self._previous[signum] = signal.signal(signum, self.handle)

    def restore(self) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()

    def handle(self, signum: int, _frame: Any) -> None:
        """In the main thread, between two bytecodes: only flags and ``callFromThread`` here."""
        from twisted.internet import reactor

        self.received += 1
        name = NAMES.get(signum, str(signum))
        if self.received == 1:
            self.context.interrupted = name
            reactor.callFromThread(self._graceful, name)  # type: ignore[attr-defined]
        elif self.received == 2:
            self.context.forced = True
            reactor.callFromThread(self._force, name)  # type: ignore[attr-defined]
        else:
            os.write(2, f"\n{name} a third time: exiting now\n".encode())
            os._exit(EXIT_CODES.get(self.context.interrupted, 128 + signum))

    def _graceful(self, name: str) -> None:
        log.warning("%s: stopping; the pages in flight are finished and stored (send it again "
                    "to store them without analysis)", name)
        sys.stderr.flush()
        self.process.stop()

    def _force(self, name: str) -> None:
        log.warning("%s again: storing the pages not yet analysed as fetched, not analysed", name)
        for hook in self.context.force_hooks:
            try:
                hook()
            except Exception:  # every hook must run
                log.exception("force-stop hook failed")
