"""Crash-safe crawl jobs (``triage crawl --job-dir DIR``, setting ``TRIAGE_JOB_DIR``).

Scrapy's own ``JOBDIR`` writes its queue on a clean stop only; here the frontier and the seen
set live in a SQLite file in the job directory (:mod:`crawler.jobdir.state`), written as the
crawl goes, so a crawl stopped by Ctrl-C, SIGTERM or ``kill -9`` resumes with the same command
and ends with the same pages. The pieces: :class:`~crawler.jobdir.scheduler.JobScheduler`
(the queue), :class:`~crawler.jobdir.middleware.FrontierMiddleware` (records requests as the
spider yields them, and when a callback is over), and
:class:`~crawler.jobdir.pipeline.JobStorePipeline` (marks pages stored once committed).
:class:`pipelines.items.addon.ScaleAddon` switches them on when a job directory is given.
"""

from __future__ import annotations

from typing import Any

from crawler.jobdir.state import JobState


def job_state(crawler: Any) -> JobState:
    """The crawl's job state, opened on first use (one per crawler)."""
    state = getattr(crawler, "triage_job_state", None)
    if state is None:
        directory = crawler.settings.get("TRIAGE_JOB_DIR")
        if not directory:
            raise RuntimeError("TRIAGE_JOB_DIR is not set")
        state = JobState(directory)
        crawler.triage_job_state = state
    return state
