"""Incremental investigation (issue 12): pages signed by the analysis workers are never signed
again, the kept LSH index gives the clusters a full run gives, a changed page leaves its
cluster, and reputation after a crawl re-scores the numbers that crawl touched."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from db.engine import make_engine
from db.models import MinhashBand, Number, Page
from db.store import Store
from investigate.clusters import assign_clusters
from investigate.reputation import update_reputation
from investigate.run import after_crawl
from pipelines.templates import band_keys, sign_page
from tests.pg import pg_unavailable, throwaway_database
from triage.demo.farm_ops import make_farm, page_items


@pytest.fixture(scope="module")
def signed_items() -> list[dict[str, Any]]:
    farm = make_farm(23, operations=6, pages_per_operation=8, brands=8, news=4)
    items = page_items(farm.pages)
    return [{**it, "analysis": sign_page(it["analysis"])} for it in items]


def _clusters(engine: Any) -> dict[str, int | None]:
    with engine.connect() as conn:
        return dict(conn.execute(select(Page.url, Page.cluster)).all())


def test_worker_signatures_are_stored_with_places_and_never_redone(
        tmp_path: Path, signed_items: list[dict[str, Any]]) -> None:
    engine = make_engine(str(tmp_path / "a.db"))
    store = Store(engine)
    store.save_pages(store.start_run("t", {}), signed_items)
    with engine.connect() as conn:
        page = conn.execute(select(Page.minhash, Page.spans, Page.banded)).first()
    assert page is not None and page.minhash and page.banded is None
    assert "places" in page.spans and "phones" in page.spans
    summary = assign_clusters(engine)
    assert summary.signed == 0 and summary.pages == len(signed_items)
    with engine.connect() as conn:
        bands = conn.execute(select(func.count()).select_from(MinhashBand)).scalar_one()
        unbanded = conn.execute(select(func.count()).select_from(Page)
                                .where(Page.banded.is_(None))).scalar_one()
    assert unbanded == 0
    assert bands == sum(len(set(band_keys(_values(it)))) for it in signed_items)
    again = assign_clusters(engine)
    assert (again.pages, again.signed, again.changed) == (0, 0, 0)
    engine.dispose()


def _values(item: dict[str, Any]) -> Any:
    import numpy as np

    return np.frombuffer(bytes.fromhex(item["analysis"].minhash)[1:], dtype="<u4").astype(np.uint64)


def test_incremental_batches_give_the_full_clusters(tmp_path: Path,
                                                    signed_items: list[dict[str, Any]]) -> None:
    items = list(signed_items)
    random.Random(5).shuffle(items)
    engine = make_engine(str(tmp_path / "b.db"))
    store = Store(engine)
    for start in range(0, len(items), 9):  # nine pages per "crawl", clustered after each
        store.save_pages(store.start_run("t", {}), items[start:start + 9])
        assign_clusters(engine)
    incremental = _clusters(engine)
    full = assign_clusters(engine, full=True)
    assert full.changed == 0  # the full run agrees page for page
    assert _clusters(engine) == incremental
    assert len(set(incremental.values())) < len(items) / 3  # and it did cluster
    engine.dispose()


def test_a_changed_page_leaves_its_cluster(tmp_path: Path,
                                           signed_items: list[dict[str, Any]]) -> None:
    engine = make_engine(str(tmp_path / "c.db"))
    store = Store(engine)
    store.save_pages(store.start_run("t", {}), signed_items)
    assign_clusters(engine)
    before = _clusters(engine)
    with engine.connect() as conn:
        ids = dict(conn.execute(select(Page.url, Page.id)).all())
    sizes: dict[int | None, int] = {}
    for c in before.values():
        sizes[c] = sizes.get(c, 0) + 1
    member = next(u for u, c in sorted(before.items()) if sizes[c] > 2 and c != ids[u])
    # The page now carries another template: a news page's body.
    news = next(it for it in signed_items if "news" in it["domain"])
    moved = {**news, "url": member, "content_hash": "ab" * 32,
             "analysis": replace(news["analysis"], url=member)}
    store.save_pages(store.start_run("t", {}), [moved])
    summary = assign_clusters(engine)
    assert summary.pages == 1 and summary.signed == 0
    after = _clusters(engine)
    assert after[member] != before[member]
    assert after[member] == after[news["url"]]  # it joined the news template's cluster
    assert assign_clusters(engine, full=True).changed == 0
    engine.dispose()


def _two_crawls(engine: Any, items: list[dict[str, Any]]) -> int:
    """Half the pages crawled and investigated, then the other half stored by a second crawl
    (its after-crawl jobs left to the test): the second run's id."""
    store = Store(engine)
    half = len(items) // 2
    first = store.start_run("t", {})
    store.save_pages(first, items[:half])
    after_crawl(engine, run_id=first)
    second = store.start_run("t", {})
    store.save_pages(second, items[half:])
    return second


def test_reputation_after_a_crawl_scores_what_it_touched(
        tmp_path: Path, signed_items: list[dict[str, Any]]) -> None:
    engine = make_engine(str(tmp_path / "d.db"))
    half = len(signed_items) // 2
    second = _two_crawls(engine, signed_items)
    with engine.connect() as conn:
        scored = dict(conn.execute(select(Number.e164, Number.score)
                                   .where(Number.first_run_id == second - 1)).all())
    _, rep = after_crawl(engine, run_id=second)
    with engine.connect() as conn:
        now = dict(conn.execute(select(Number.e164, Number.score)).all())
    assert all(v is not None for v in now.values())
    new_numbers = {p.e164 for it in signed_items[half:] for p in it["analysis"].numbers}
    assert rep.numbers >= len(new_numbers - set(scored))
    # The incremental scores are the full computation's for the numbers the crawl touched.
    full = update_reputation(engine)
    with engine.connect() as conn:
        exact = dict(conn.execute(select(Number.e164, Number.score)).all())
    assert full.numbers == len(exact)
    for e164 in new_numbers:
        assert now[e164] == pytest.approx(exact[e164], abs=0.02), e164
    engine.dispose()


def test_capped_neighbourhood_closely_matches_the_full_scores(
        tmp_path: Path, signed_items: list[dict[str, Any]]) -> None:
    """Each number of a crawl pulls from only its 2 newest other pages (numbers of the farm
    recur on 8 pages): the scores written still match a full recompute within a few hundredths,
    with the same verdicts, and the part of the graph read is smaller than uncapped."""
    from investigate.reputation import touched

    engine = make_engine(str(tmp_path / "e.db"))
    second = _two_crawls(engine, signed_items)
    capped_numbers, capped_pages = touched(engine, second, cap=2)
    all_numbers, all_pages = touched(engine, second, cap=None)
    assert capped_numbers == all_numbers
    assert len(capped_pages) < len(all_pages)
    update_reputation(engine, run_id=second, neighbours=2)
    with engine.connect() as conn:
        capped = {e: (s, v) for e, s, v in conn.execute(
            select(Number.e164, Number.score, Number.verdict).where(
                Number.id.in_(sorted(all_numbers))))}
    update_reputation(engine)
    with engine.connect() as conn:
        exact = {e: (s, v) for e, s, v in conn.execute(
            select(Number.e164, Number.score, Number.verdict).where(
                Number.id.in_(sorted(all_numbers))))}
    assert capped.keys() == exact.keys() and len(exact) > 10
    for e164, (score, verdict) in exact.items():
        assert capped[e164][0] == pytest.approx(score, abs=0.05), e164
        assert capped[e164][1] == verdict, e164
    engine.dispose()


def _anchor_case(engine: Any, items: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept index's bucket anchors, asked for in chunks of several sizes (the last one
    ragged) and mixed with buckets nobody is in, equal each bucket's smallest member computed
    here from every row of the index."""
    from investigate import lsh

    store = Store(engine)
    store.save_pages(store.start_run("t", {}), items)
    assign_clusters(engine)
    with engine.connect() as conn:
        rows = conn.execute(select(MinhashBand.bucket, MinhashBand.page_id)).all()
        expected: dict[int, int] = {}
        for bucket, pid in rows:
            expected[bucket] = min(pid, expected.get(bucket, pid))
        shared = sum(1 for b in expected if sum(1 for r in rows if r[0] == b) > 1)
        assert shared > 20  # buckets holding several pages, not only singletons
        rng = random.Random(3)
        absent = {rng.randrange(-2**63, 2**63) for _ in range(250)} - expected.keys()
        asked = [*expected, *absent, *list(expected)[:40]]  # duplicates are asked once
        assert len(set(asked)) > 2 * lsh.ANCHOR_CHUNK  # three statements, the last one ragged
        assert lsh.bucket_anchors(conn, asked) == expected
        for chunk in (1, 7, 64):
            monkeypatch.setattr(lsh, "ANCHOR_CHUNK", chunk)
            assert lsh.bucket_anchors(conn, rng.sample(asked, len(asked))) == expected
        assert lsh.bucket_anchors(conn, []) == {}
    engine.dispose()


def test_bucket_anchors_are_each_buckets_smallest_page(
        tmp_path: Path, signed_items: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    _anchor_case(make_engine(str(tmp_path / "f.db")), signed_items, monkeypatch)


@pytest.mark.skipif(pg_unavailable() is not None, reason=str(pg_unavailable()))
def test_bucket_anchors_are_each_buckets_smallest_page_postgresql(
        signed_items: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    with throwaway_database("triage_anchors") as url:
        _anchor_case(make_engine(url), signed_items, monkeypatch)
