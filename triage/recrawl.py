"""Re-crawls of known pages (``triage crawl --recrawl``) and what changed (``triage export changes``).

``--recrawl`` takes its start URLs from the database: every stored page, or those last fetched
before ``--older-than`` ago and/or with ``--verdict``. They are fetched again with conditional
requests (:mod:`pipelines.items.conditional`): an unchanged page answers 304 or the same
body and keeps its analysis; a changed one is analysed again, and the store records what
changed (numbers, verdict, content hash) in ``page_history``, which ``triage export changes``
lists, newest changes last.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)


def parse_duration(text: str) -> timedelta:
    """``90s``, ``30m``, ``12h``, ``7d``, ``2w`` -> timedelta; ValueError with one line otherwise."""
    match = _DURATION.match(text or "")
    if not match:
        raise ValueError(f"bad duration {text!r}: expected a number and a unit, e.g. 30m, 12h, "
                         "7d or 2w")
    return timedelta(seconds=float(match.group(1)) * UNITS[match.group(2).lower()])


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """An ISO date or time (UTC unless it says otherwise), or a duration meaning "that long ago"."""
    now = now or datetime.now(UTC)
    try:
        return now - parse_duration(text)
    except ValueError:
        pass
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"bad --since {text!r}: expected a date (2026-11-30), a time "
                         "(2026-11-30T08:00:00Z) or a duration (7d, 12h)") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def known_urls(conn: Connection, *, older_than: timedelta | None = None,
               verdict: str | None = None, now: datetime | None = None) -> list[str]:
    """URLs of stored pages to visit again, oldest fetch first."""
    from db.models import Page

    query = select(Page.url).order_by(Page.fetched_at, Page.id)
    if older_than is not None:
        cutoff = (now or datetime.now(UTC)) - older_than
        query = query.where((Page.fetched_at < cutoff) | Page.fetched_at.is_(None))
    if verdict is not None:
        query = query.where(Page.verdict == verdict)
    return list(conn.execute(query).scalars())


def iter_changes(conn: Connection, verdict: str | None = None, *,
                 since: datetime | None = None) -> Iterator[dict[str, Any]]:
    """``triage export changes`` records: url, field, old, new, at (and run_id).

    With ``verdict``, only changes of pages that have that verdict now.
    """
    from db import queries
    from db.models import Page

    urls: set[str] | None = None
    if verdict is not None:
        urls = set(conn.execute(select(Page.url).where(Page.verdict == verdict)).scalars())
    for change in queries.page_changes(conn, since):
        if urls is None or change["url"] in urls:
            yield change


CHANGE_COLUMNS = ("url", "field", "old", "new", "at", "run_id")
