"""``JobStorePipeline``: :class:`~pipelines.items.store.StorePipeline` for crash-safe crawl jobs.

Pages are marked STORED in the job's frontier only after the database transaction holding
them has committed, so a page lost with an unwritten batch (``kill -9``) is fetched again on
resume; a page stored but not yet marked is fetched again too, and its row is updated, not
duplicated. Used instead of ``StorePipeline`` when ``TRIAGE_JOB_DIR`` is set.
"""

from __future__ import annotations

from typing import Any

from twisted.internet.defer import Deferred

from crawler.jobdir import job_state
from crawler.jobdir.state import PARSED, STORED, url_key
from pipelines.items.store import StorePipeline


class JobStorePipeline(StorePipeline):
    async def open_spider(self) -> None:
        await super().open_spider()
        assert self.store is not None
        save = self.store.save_pages
        committed: list[list[tuple[str, int]]] = []
        self._committed = committed

        def save_and_note(run_id: int, items: Any) -> int:
            items = list(items)
            n = save(run_id, items)  # returns once the transaction has committed
            committed.append([(str(i.get("url") or ""), int(i.get("status") or 0))
                              for i in items])
            return n

        self.store.save_pages = save_and_note  # type: ignore[method-assign]

    def _flush(self) -> Deferred[Any]:
        d = super()._flush()
        d.addBoth(self._mark_stored)
        return d

    def _mark_stored(self, result: Any) -> Any:
        """On the reactor thread: batches committed since the last call become STORED."""
        state = job_state(self.crawler)
        while self._committed:
            batch = self._committed.pop(0)
            state.mark([url_key(u) for u, _ in batch], STORED)
            # No response, no callback (errback items): nothing left to parse.
            state.mark([url_key(u) for u, status in batch if status == 0], PARSED)
        return result
