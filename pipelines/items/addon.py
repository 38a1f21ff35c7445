"""``JobDirAddon``: a crash-safe crawl job from a setting or a spider argument, so that
``triage crawl --job-dir``, ``scrapy crawl -a job_dir=...`` and Scrapyd jobs get the same crawl.

With ``TRIAGE_JOB_DIR`` (spider argument ``job_dir``) it takes exclusive locks (``flock``) on
the job directory and on a SQLite ``TRIAGE_DB`` file, so a second crawl on either is refused,
opens the job's state now (not mid-crawl) and makes the job's SQLite frontier the scheduler.
The rest of the job's components are in ``SPIDER_MIDDLEWARES`` already and switch themselves
on from the setting (:mod:`crawler.jobdir`). ``triage crawl`` takes the database lock for
every crawl; Redis workers take none: several may share a database.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from crawler.jobdir import job_state
from crawler.jobdir.state import JobError, acquire_lock
from db.engine import sqlite_file

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings


def lock_database(db: str) -> None:
    """Lock a SQLite ``--db`` against a second crawl (a no-op for other backends).

    flock on the database file itself: SQLite locks with fcntl() byte ranges, which flock
    does not touch, and no lock file is left next to the database. Raises :class:`JobError`.
    """
    database = sqlite_file(db)
    if database is not None:
        acquire_lock(database, f"database {database}", note_pid=False)


class JobDirAddon:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobDirAddon:
        return cls(crawler)

    def update_settings(self, settings: Settings) -> None:
        job_dir = getattr(self.crawler.spider, "job_dir", None)
        if job_dir:
            settings.set("TRIAGE_JOB_DIR", str(job_dir), priority="spider")
        job_dir = settings.get("TRIAGE_JOB_DIR")
        if not job_dir:
            return
        path = Path(str(job_dir)).expanduser()
        try:
            path.mkdir(parents=True, exist_ok=True)
            acquire_lock(path / "lock", f"job directory {job_dir}")
            lock_database(settings.get("TRIAGE_DB") or "")
        except OSError as exc:
            raise JobError(f"cannot use job directory {job_dir}: {exc.strerror}") from None
        job_state(self.crawler)
        settings.set("SCHEDULER", "crawler.jobdir.scheduler.JobScheduler", priority="spider")
