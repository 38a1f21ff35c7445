"""Summary tables (issue 12): the triggers keep them equal to counts made from the pages, through
the store's writes (new pages, re-analysed pages whose verdict, numbers and brands change),
clustering and a deleted page, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, text, update

from db.engine import make_engine
from db.models import Page
from db.store import Store
from db.summaries import SUMMARY_TABLES, rebuild
from investigate.clusters import assign_clusters
from tests.pg import pg_unavailable, throwaway_database
from triage.demo.farm_ops import make_farm, page_items


def _tables(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {t: sorted(tuple(r) for r in conn.execute(text(f"SELECT * FROM {t}")))
                for t in SUMMARY_TABLES}


def _rebuilt(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """The summaries made from the pages, in a transaction rolled back afterwards."""
    with engine.connect() as conn:
        from db.summaries import drop_triggers

        trans = conn.begin()
        drop_triggers(conn)
        rebuild(conn)
        out = {t: sorted(tuple(r) for r in conn.execute(text(f"SELECT * FROM {t}")))
               for t in SUMMARY_TABLES}
        trans.rollback()
    return out


# Table -> (key columns, count columns), in column order.
SHAPE = {"domain_verdicts": (2, 1), "number_domains": (2, 4), "number_stats": (1, 2),
         "number_brands": (2, 2), "brand_domains": (2, 2), "brand_stats": (1, 2),
         "cluster_verdicts": (2, 1)}


def _nonzero(tables: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """Rows with a count left (the triggers keep rows that fell to 0; a rebuild has none)."""
    return {t: [r for r in rows if any(r[SHAPE[t][0]:sum(SHAPE[t])])]
            for t, rows in tables.items()}


def _exercise(engine: Engine) -> None:
    farm = make_farm(31, operations=5, pages_per_operation=6, brands=6, news=3)
    items = page_items(farm.pages)
    store = Store(engine)
    first = store.start_run("t", {})
    store.save_pages(first, items)
    assert _nonzero(_tables(engine)) == _nonzero(_rebuilt(engine))
    rng = random.Random(5)
    changed = []
    for it in rng.sample(items, len(items) // 2):  # re-analysed: verdicts, numbers, brands move
        other = rng.choice(items)["analysis"]
        verdict = rng.choice(["clean", "hotline_spam", "seo_spam"])
        analysis = replace(it["analysis"], verdict=verdict, numbers=other.numbers,
                           brands=other.brands)
        changed.append({**it, "analysis": analysis})
    second = store.start_run("t", {})
    store.save_pages(second, changed)
    assign_clusters(engine, full=True)
    with engine.begin() as conn:
        some = conn.execute(text("SELECT min(id), max(id) FROM pages")).one()
        conn.execute(update(Page).where(Page.id == some[1]).values(domain="moved.example"))
        conn.execute(delete(Page).where(Page.id == some[0]))


def test_triggers_keep_the_summaries_equal_to_the_pages_sqlite(tmp_path: Path) -> None:
    engine = make_engine(str(tmp_path / "s.db"))
    _exercise(engine)
    kept = _tables(engine)
    assert sum(len(rows) for rows in kept.values()) > 50
    assert _nonzero(kept) == _nonzero(_rebuilt(engine))
    engine.dispose()


@pytest.mark.skipif(pg_unavailable() is not None, reason=str(pg_unavailable()))
def test_triggers_keep_the_summaries_equal_to_the_pages_postgresql() -> None:
    with throwaway_database("triage_summaries") as url:
        engine = make_engine(url)
        _exercise(engine)
        assert _nonzero(_tables(engine)) == _nonzero(_rebuilt(engine))
        engine.dispose()


def test_blocklist_streamed_in_summary_order_equals_the_one_from_every_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The blocklist read a few numbers at a time in ``number_stats`` order (batches of one
    number here) is the one made from every page at once and sorted, labels and fraud seeds
    included."""
    from sqlalchemy import insert, select

    from db import blocklist
    from db.blocklist import _Lists, _seen, iter_blocklist

    monkeypatch.setattr(blocklist._ordered_batches, "__defaults__", (1,))
    from db.labels import add_label
    from db.models import FraudNumber, Number
    from pipelines.types import SPAM_VERDICTS

    engine = make_engine(str(tmp_path / "b.db"))
    _exercise(engine)
    with engine.begin() as conn:
        e164s = list(conn.execute(select(Number.e164).order_by(Number.id)).scalars())
        conn.execute(insert(FraudNumber), [{"e164": e164s[-1], "source": "test"}])
    add_label(engine, "number", e164s[-2], "spam", reviewer="t")
    add_label(engine, "number", e164s[0], "not_spam", reviewer="t")
    with engine.connect() as conn:
        streamed = list(iter_blocklist(conn))
        lists = _Lists(conn, ())
        everything = lists.rows(conn, list(conn.execute(select(Number))),
                                _seen(conn, tuple(sorted(SPAM_VERDICTS))), 0)
    expected = sorted((r for r in everything if r is not None),
                      key=lambda r: (-r["evidence"], -r["domains"], r["number"]))
    assert len(expected) >= 5 and streamed == expected
    assert {"analyst", "seed"} <= {r["source"] for r in streamed}
    engine.dispose()


def test_clusters_come_largest_first_across_keyset_pages(tmp_path: Path) -> None:
    """More clusters than one read of the size index holds: every cluster of 2+ pages once,
    largest first, then by id, as sorting the pages' clusters gives."""
    from collections import Counter

    from sqlalchemy import insert

    from investigate.clusters import _largest_first

    engine = make_engine(str(tmp_path / "c.db"))
    rng = random.Random(9)
    clusters = [rng.randrange(1, 1600) for _ in range(4000)]
    with engine.begin() as conn:
        conn.execute(insert(Page), [{"url": f"http://c.example/{i}", "domain": "c.example",
                                     "verdict": "seo_spam", "cluster": c}
                                    for i, c in enumerate(clusters)])
    sizes = Counter(clusters)
    expected = sorted(((c, n) for c, n in sizes.items() if n > 1), key=lambda cn: (-cn[1], cn[0]))
    with engine.connect() as conn:
        got = [(s.cluster, s.n) for s in _largest_first(conn, None)]
        spam = [(s.cluster, s.n) for s in _largest_first(conn, "seo_spam")]
    assert len(expected) > 1000 and got == expected == spam
    engine.dispose()
