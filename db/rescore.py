"""Reading stored pages to score them again, and writing the new verdicts (``triage
reanalyze``, issue 10). Only ``verdict``, ``score``, ``reasons`` and ``spam_class`` change:
numbers, padding, brands and texts stay as the analysis stored them. A changed verdict is kept in
``page_history`` (``field = 'verdict'``, no crawl run), as a re-crawl would keep it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update

from db.models import Page, PageHistory, utcnow
from db.values import clean

CHUNK = 500
SCORING_COLUMNS = (Page.id, Page.url, Page.final_url, Page.verdict, Page.score, Page.reasons, Page.spam_class,
                   Page.text, Page.visible_chars, Page.features, Page.model_input)


@dataclass(frozen=True)
class Rescored:
    """One page's new verdict (and what it had, for the history)."""

    page_id: int
    old_verdict: str | None
    verdict: str
    score: float
    reasons: Sequence[str]
    spam_class: str


def _where(verdict: str | None, since: datetime | None) -> list[Any]:
    cond: list[Any] = [Page.verdict.is_not(None), Page.text.is_not(None)]
    if verdict is not None:
        cond.append(Page.verdict == verdict)
    if since is not None:
        cond.append(Page.fetched_at >= since)
    return cond


def count_pages(conn: Connection, verdict: str | None = None,
                since: datetime | None = None) -> int:
    """How many pages :func:`iter_pages` will give (for the progress line)."""
    return int(conn.execute(select(func.count()).select_from(Page)
                            .where(*_where(verdict, since))).scalar_one())


def iter_pages(engine: Engine, verdict: str | None = None, since: datetime | None = None,
               chunk: int = CHUNK) -> Iterator[Sequence[Any]]:
    """Analysed pages in id order, ``chunk`` at a time, each chunk read in its own short
    transaction (the writes in between never wait on an open cursor, on SQLite or PostgreSQL).
    The filter is fixed at the first chunk's highest id, so pages re-scored meanwhile (whose
    verdict changed) are not read twice nor skipped."""
    with engine.connect() as conn:
        top = conn.execute(select(func.max(Page.id))).scalar_one() or 0
    last = 0
    while last < top:
        with engine.connect() as conn:
            rows = conn.execute(select(*SCORING_COLUMNS).where(
                Page.id > last, Page.id <= top, *_where(verdict, since))
                .order_by(Page.id).limit(chunk)).all()
        if not rows:
            return
        last = rows[-1].id
        yield rows


def save_scores(engine: Engine, pages: Sequence[Rescored]) -> int:
    """Write new verdicts, scores and reasons in one transaction; returns how many verdicts
    changed (each one a ``page_history`` row)."""
    if not pages:
        return 0
    now = utcnow()
    with engine.execution_options(sqlite_write=True).begin() as conn:
        conn.execute(update(Page).where(Page.id == bindparam("pid")).values(
            verdict=bindparam("v"), score=bindparam("s"), reasons=bindparam("r"),
            spam_class=bindparam("c")), [
            {"pid": p.page_id, "v": p.verdict, "s": float(p.score),
             "r": [clean(r) for r in p.reasons], "c": p.spam_class or None} for p in pages])
        history = [{"page_id": p.page_id, "field": "verdict", "old": p.old_verdict,
                    "new": p.verdict, "changed_at": now, "run_id": None}
                   for p in pages if p.old_verdict != p.verdict]
        if history:
            conn.execute(insert(PageHistory), history)
    return len(history)
