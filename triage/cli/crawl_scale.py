"""The ``triage crawl`` options for scheduled and large crawls, as one decorator.

- ``--job-dir DIR``: a crash-safe job (:mod:`crawler.jobdir`); the same command resumes it
  after Ctrl-C, SIGTERM or ``kill -9``.
- ``--recrawl [--older-than DURATION] [--verdict V]``: visit the pages already in ``--db``
  again (start URLs from the database, conditional requests; links are not followed unless
  ``--depth`` is given).

The job directory is locked here, before anything starts, and a SQLite ``--db`` by
:func:`lock_database` once the command has checked its arguments, so a second crawl on either
is refused with one line. The wrapped command receives plain ``urls`` and ``-s`` overrides, so
it needs to know nothing about these options.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from pipelines.types import VERDICTS
from triage.cli.common import fail


def _recrawl_urls(db: str, older_than: str | None, verdict: str | None) -> list[str]:
    from db.engine import DatabaseError, open_existing
    from triage.recrawl import known_urls, parse_duration

    try:
        age = parse_duration(older_than) if older_than else None
    except ValueError as exc:
        fail(str(exc))
    try:
        engine = open_existing(db)
    except DatabaseError as exc:
        fail(str(exc))
    try:
        with engine.connect() as conn:
            urls = known_urls(conn, older_than=age, verdict=verdict)
    finally:
        engine.dispose()
    if not urls:
        fail(f"nothing to re-crawl in {db}: no stored page matches --older-than/--verdict")
    return urls


def lock_database(db: str) -> None:
    """Take the lock on a SQLite ``--db`` (after the command's own checks), or fail in one line."""
    from crawler.jobdir.state import JobError
    from pipelines.items.addon import lock_database as lock

    try:
        lock(db)
    except JobError as exc:
        fail(str(exc))


def lock_job(job_dir: str) -> None:
    """Take the lock on a job directory (creating it), or fail in one line."""
    from pathlib import Path

    from crawler.jobdir.state import JobError, acquire_lock, check_job_dir

    try:
        path = Path(job_dir).expanduser()
        path.mkdir(parents=True, exist_ok=True)
        acquire_lock(path / "lock", f"job directory {path}")
        check_job_dir(path)
    except JobError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot use job directory {job_dir}: {exc.strerror}; pass another --job-dir")


def scale_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --job-dir/--recrawl/--older-than/--verdict to a crawl command function."""

    @functools.wraps(command)
    def wrapper(*args: Any, job_dir: str | None, recrawl: bool, older_than: str | None,
                verdict: str | None, **kwargs: Any) -> Any:
        if (older_than or verdict) and not recrawl:
            fail("--older-than and --verdict select pages to re-crawl: add --recrawl")
        overrides = list(kwargs.get("overrides") or ())
        for item in overrides:
            if item.partition("=")[0].strip() == "TRIAGE_JOB_DIR":
                job_dir = job_dir or item.partition("=")[2]
        db = kwargs["db"]
        if recrawl:
            kwargs["urls"] = tuple(kwargs.get("urls") or ()) + tuple(
                _recrawl_urls(db, older_than, verdict))
            ctx = click.get_current_context()
            if ctx.get_parameter_source("depth") == click.core.ParameterSource.DEFAULT:
                kwargs["depth"] = 0
        if job_dir:
            lock_job(job_dir)
            overrides.append(f"TRIAGE_JOB_DIR={job_dir}")
        kwargs["overrides"] = tuple(overrides)
        return command(*args, **kwargs)

    options = [
        click.option("--job-dir", "job_dir", type=click.Path(file_okay=False), default=None,
                     help="Keep the crawl's frontier here; the same command resumes it after "
                     "Ctrl-C, SIGTERM or a crash."),
        click.option("--recrawl", is_flag=True,
                     help="Visit the pages already in --db again (conditional requests; "
                     "links are not followed unless --depth is given)."),
        click.option("--older-than", "older_than", metavar="DURATION", default=None,
                     help="With --recrawl: only pages last fetched longer ago (30m, 12h, 7d)."),
        click.option("--verdict", type=click.Choice(VERDICTS), default=None,
                     help="With --recrawl: only pages with this verdict."),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper
