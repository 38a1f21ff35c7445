"""The least-sure-first queue read from the score index (issue 12, a million pages) gives the
very order and the next/previous steps of the full sort: scores on both sides of the
threshold, ties across the two sides and within one, pages without a score, labelled pages
(own and cluster labels) last, and the unreviewed-only queue."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import insert

from db import queue_index
from db.engine import make_engine
from db.labels import add_label
from db.models import Page
from db.review import QueueFilter, neighbours, queue

T = 0.75  # ties across sides: 0.5 and 0.875 are both 1/3 from the threshold


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Any:
    engine = make_engine(str(tmp_path_factory.mktemp("queue") / "q.db"))
    rng = random.Random(3)
    choices = [0.0, 0.25, 0.5, 0.75, 0.875, 1.0, None]
    rows = [{"url": f"http://s{i % 7}.example/p{i}", "domain": f"s{i % 7}.example",
             "verdict": "clean" if i % 3 == 0 else "seo_spam", "cluster": i % 5,
             "score": rng.choice(choices) if i % 2 else rng.random()} for i in range(240)]
    with engine.begin() as conn:
        conn.execute(insert(Page), rows)
    for i in range(0, 240, 17):
        add_label(engine, "page", rows[i]["url"], "spam", reviewer="t")
    add_label(engine, "cluster", "3", "not_spam", reviewer="t")
    yield engine
    engine.dispose()


def _full_sort(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue_index, "applies", lambda f: False)


@pytest.mark.parametrize("unreviewed", [False, True])
def test_screens_and_steps_are_the_full_sorts(engine: Any, monkeypatch: pytest.MonkeyPatch,
                                              unreviewed: bool) -> None:
    f = QueueFilter(threshold=T, unreviewed=unreviewed)
    assert queue_index.applies(f)
    with engine.connect() as conn:
        total = queue(conn, f)["total"]
        fast = [[r["id"] for r in queue(conn, QueueFilter(threshold=T, unreviewed=unreviewed,
                                                           page=p), size=16)["rows"]]
                for p in range(1, 18)]
        steps = {pid: neighbours(conn, f, pid) for pid in range(1, 241)}
        with monkeypatch.context() as m:
            _full_sort(m)
            full = [[r["id"] for r in queue(conn, QueueFilter(threshold=T, unreviewed=unreviewed,
                                                               page=p), size=16)["rows"]]
                    for p in range(1, 18)]
            full_steps = {pid: neighbours(conn, f, pid) for pid in range(1, 241)}
    assert fast == full
    assert len({i for s in full for i in s}) == sum(map(len, full)) == total > 150
    assert steps == full_steps
