"""``ScaleAddon``: switches on what scheduled and large crawls need, from settings or spider
arguments, so ``triage crawl``, ``scrapy crawl -a ...`` and Scrapyd jobs get the same crawl.

- ``TRIAGE_JOB_DIR`` (spider argument ``job_dir``; ``triage crawl --job-dir``): a crash-safe
  job (:mod:`crawler.jobdir`): the SQLite frontier as scheduler, the frontier middleware, the
  job-aware store pipeline, and exclusive locks (``flock``) on the job directory and on a
  SQLite ``TRIAGE_DB`` file, so a second crawl on either is refused. (``triage crawl`` takes
  the database lock for every crawl; Redis workers take none: several may share a database.)
- ``TRIAGE_CONDITIONAL`` (default on): re-visits of known pages are conditional requests and an
  unchanged body is not analysed again (:mod:`pipelines.items.conditional`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.jobdir.state import JobError, acquire_lock, lock_sqlite_database

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

STORE = "pipelines.items.store.StorePipeline"
JOB_STORE = "pipelines.items.jobstore.JobStorePipeline"


class ScaleAddon:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScaleAddon:
        return cls(crawler)

    def update_settings(self, settings: Settings) -> None:
        spider = self.crawler.spider
        job_dir = getattr(spider, "job_dir", None)
        if job_dir:
            settings.set("TRIAGE_JOB_DIR", str(job_dir), priority="spider")
        job_dir = settings.get("TRIAGE_JOB_DIR")
        if job_dir:
            self._job(settings, str(job_dir))
        if settings.getbool("TRIAGE_CONDITIONAL", True):
            settings["DOWNLOADER_MIDDLEWARES"]["pipelines.items.conditional."
                                               "ConditionalMiddleware"] = 560
            settings["ITEM_PIPELINES"]["pipelines.items.unchanged.SkipUnchangedPipeline"] = 250

    def _job(self, settings: Settings, job_dir: str) -> None:
        from pathlib import Path

        from crawler.jobdir import job_state

        try:
            Path(job_dir).expanduser().mkdir(parents=True, exist_ok=True)
            acquire_lock(Path(job_dir).expanduser() / "lock", f"job directory {job_dir}")
            lock_sqlite_database(settings.get("TRIAGE_DB") or "")
        except OSError as exc:
            raise JobError(f"cannot use job directory {job_dir}: {exc.strerror}") from None
        job_state(self.crawler)  # opens (and checks) the state file now, not mid-crawl
        settings.set("SCHEDULER", "crawler.jobdir.scheduler.JobScheduler", priority="spider")
        settings["SPIDER_MIDDLEWARES"]["crawler.jobdir.middleware.FrontierMiddleware"] = 10
        pipelines = settings["ITEM_PIPELINES"]
        order = pipelines.get(STORE)
        if order is not None:
            pipelines[STORE] = None
            pipelines[JOB_STORE] = order
