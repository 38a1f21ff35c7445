"""The default review queue (least sure first) read from the score index, for a million pages.

Sorting every analysed page by its distance to the threshold costs the whole table on each
screen. That distance grows with the score above the threshold and falls with it below, so
the order is a merge of two index walks: scores from the threshold up, and from the threshold
down (plus pages without a score, at distance 0). A screen reads ``offset + size`` rows from
each walk; a step to the next or previous page seeks each walk once. Labelled pages (few) come
after all the others, as in :func:`db.review.queue`. The keys are the SQL expressions that
order, so pages come in exactly the order the full sort gives.
"""

from __future__ import annotations

import heapq
import itertools
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, func, or_, select

from db import labels
from db.models import Page

EPS = 1e-9  # slack on the score bounds that turn a distance into an index range
Key = tuple[float, int]  # (distance to the threshold, page id)


def clamped(threshold: float) -> float:
    return min(max(threshold, 1e-6), 1.0 - 1e-6)


def margin_sql(threshold: float) -> ColumnElement[Any]:
    """1 - uncertainty, in SQL: the queue's order after "labelled last"."""
    t = clamped(threshold)
    score = func.coalesce(Page.score, t)
    return case((score >= t, (score - t) / (1.0 - t)), else_=(t - score) / t)


def applies(f: Any) -> bool:
    """Whether the queue ``f`` (a :class:`db.review.QueueFilter`) is one this module reads:
    least sure first, filtered at most to unreviewed pages."""
    return (f.sort == "uncertain" and not (f.verdict or f.domain or f.brand or f.number)
            and f.cluster is None)


class Walks:
    """The three index walks of one queue (threshold ``t``), labelled pages left out."""

    def __init__(self, conn: Connection, threshold: float) -> None:
        self.conn = conn
        self.t = clamped(threshold)
        self.margin = margin_sql(threshold)
        self.base = select(self.margin, Page.id).where(
            Page.verdict.is_not(None), Page.id.not_in(labels.labelled_pages()))

    def _up(self) -> Any:
        return self.base.where(Page.score >= self.t)

    def _down(self) -> Any:
        return self.base.where(Page.score < self.t)

    def _none(self) -> Any:
        return self.base.where(Page.score.is_(None))

    def _rows(self, query: Any, limit: int) -> list[Key]:
        return [(float(m), int(i)) for m, i in self.conn.execute(query.limit(limit))]

    def first(self, k: int) -> list[Key]:
        """The first ``k`` keys in queue order."""
        sides = [self._rows(self._up().order_by(Page.score, Page.id), k),
                 self._rows(self._down().order_by(Page.score.desc(), Page.id), k),
                 self._rows(self._none().order_by(Page.id), k)]
        return list(itertools.islice(heapq.merge(*sides), k))

    def after(self, key: Key) -> Key | None:
        """The first key after ``key`` in queue order."""
        m, pid = key
        later = or_(self.margin > m, and_(self.margin == m, Page.id > pid))
        found = self._rows(self._up().where(Page.score >= self.t + m * (1 - self.t) - EPS,
                                            later).order_by(Page.score, Page.id), 1)
        found += self._rows(self._down().where(Page.score <= self.t - m * self.t + EPS, later)
                            .order_by(Page.score.desc(), Page.id), 1)
        found += self._rows(self._none().where(later).order_by(Page.id), 1)
        return min(found, default=None)

    def before(self, key: Key | None) -> Key | None:
        """The last key before ``key`` in queue order (``None``: the last key of all)."""
        up, down, none = self._up(), self._down(), self._none()
        if key is not None:
            m, pid = key
            earlier = or_(self.margin < m, and_(self.margin == m, Page.id < pid))
            up = up.where(Page.score <= self.t + m * (1 - self.t) + EPS, earlier)
            down = down.where(Page.score >= self.t - m * self.t - EPS, earlier)
            none = none.where(earlier)
        found = self._rows(up.order_by(Page.score.desc(), Page.id.desc()), 1)
        found += self._rows(down.order_by(Page.score, Page.id.desc()), 1)
        found += self._rows(none.order_by(Page.id.desc()), 1)
        return max(found, default=None)


def _labelled(conn: Connection, f: Any) -> list[Key]:
    """The labelled pages in queue order (none when the queue is of unreviewed pages)."""
    if f.unreviewed:
        return []
    return sorted((float(m), int(i)) for m, i in conn.execute(
        select(margin_sql(f.threshold), Page.id).where(
            Page.verdict.is_not(None), Page.id.in_(labels.labelled_pages()))))


def screen(conn: Connection, f: Any, offset: int, size: int) -> list[int]:
    """The page ids of one queue screen."""
    k = offset + size
    order = Walks(conn, f.threshold).first(k)
    if len(order) < k:
        order += _labelled(conn, f)
    return [pid for _, pid in order[offset:k]]


def neighbours(conn: Connection, f: Any, here: tuple[int, float, int]) -> dict[str, int | None]:
    """The pages before and after the page whose queue key is ``here`` (labelled, distance,
    id), as :func:`db.review.neighbours` answers them."""
    reviewed, m, pid = here
    walks = Walks(conn, f.threshold)
    if not reviewed:
        nxt = walks.after((m, pid))
        if nxt is None:
            nxt = next(iter(_labelled(conn, f)), None)
        prev = walks.before((m, pid))
        return {"prev": prev[1] if prev else None, "next": nxt[1] if nxt else None}
    marked = _labelled(conn, f)
    later = [k for k in marked if k > (m, pid)]
    earlier = [k for k in marked if k < (m, pid)]
    last = earlier[-1] if earlier else walks.before(None)
    return {"prev": last[1] if last else None, "next": later[0][1] if later else None}
