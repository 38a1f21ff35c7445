"""Crash-safe crawl jobs (``triage crawl --job-dir DIR``, setting ``TRIAGE_JOB_DIR``).

Scrapy's own ``JOBDIR`` writes its queue on a clean stop only; here the frontier and the seen
set live in a SQLite file in the job directory (:mod:`crawler.jobdir.state`), written as the
crawl goes, so a crawl stopped by Ctrl-C, SIGTERM or ``kill -9`` resumes with the same command
and ends with the same pages. The pieces: :class:`~crawler.jobdir.scheduler.JobScheduler`
(the queue), :class:`~crawler.jobdir.middleware.FrontierMiddleware` (records requests as the
spider yields them, and when a callback is over), and
which also marks pages STORED once the store pipeline has committed them (a stored hook in the
crawl context). :class:`pipelines.items.addon.JobDirAddon` switches them on when a job
directory is given.
"""

from __future__ import annotations

from typing import Any

from crawler.context import crawl_context
from crawler.jobdir.state import JobState


def job_state(crawler: Any) -> JobState:
    """The crawl's job state, opened on first use (one per crawl, kept in its context)."""
    context = crawl_context(crawler)
    if context.job is None:
        directory = crawler.settings.get("TRIAGE_JOB_DIR")
        if not directory:
            raise RuntimeError("TRIAGE_JOB_DIR is not set")
        context.job = JobState(directory)
    state: JobState = context.job
    return state
