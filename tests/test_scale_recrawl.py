"""Incremental re-crawl: known pages are asked for conditionally, unchanged ones keep their
analysis (304, or the same body analysed not again), changed ones make history rows that
``triage export changes`` lists."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.farmsite import FarmServer
from tests.scaleutil import FAST, crawl_args, farm_site, stored, triage
from triage.recrawl import parse_duration, parse_since

__all__ = ["farm_site"]  # fixture


def recrawl(site: FarmServer, db: Path, *extra: str) -> None:
    proc = triage("crawl", "--recrawl", "--db", str(db), "--allow-private",
                  f"127.0.0.1:{site.port}", *FAST, *extra)
    assert proc.returncode == 0, proc.stdout[-1500:] + proc.stderr[-1500:]


def last_run_stats(db: Path) -> dict[str, int]:
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        stats = conn.execute(text("SELECT stats FROM crawl_runs ORDER BY id DESC")).scalar()
    engine.dispose()
    return json.loads(stats or "{}")


def changes(db: Path, *extra: str) -> list[dict[str, str]]:
    proc = triage("export", "changes", "--db", str(db), *extra)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def without_status(rows: dict[str, tuple]) -> dict[str, tuple]:  # type: ignore[type-arg]
    return {url: row[1:] for url, row in rows.items()}


def test_recrawl_asks_conditionally_and_lists_what_changed(farm_site: FarmServer,
                                                          tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    assert triage(*crawl_args(farm_site, str(db))).returncode == 0
    before = stored(str(db))
    swapped = {farm_site.url("/p4.html"), farm_site.url("/p7.html")}  # two spam pages

    farm_site.hits.clear()
    farm_site.version, farm_site.changed = 1, {4, 7}  # their number (and text) swapped
    recrawl(farm_site, db)
    assert set(farm_site.hits) == {f"/p{i}.html" for i in range(60)}  # known pages, once each
    assert set(farm_site.hits.values()) == {1}
    assert sum(farm_site.conditional.values()) == 60
    assert sum(farm_site.not_modified.values()) == 58
    after = stored(str(db))
    assert {u: r for u, r in without_status(after).items() if u not in swapped} == \
        {u: r for u, r in without_status(before).items() if u not in swapped}
    assert {after[u][0] for u in after if u not in swapped} == {304}
    assert all(after[u][2] != before[u][2] for u in swapped), "the new numbers are stored"

    listed = changes(tmp_path / "r.db")
    assert {(c["url"], c["field"]) for c in listed} >= {(u, f) for u in swapped
                                                        for f in ("numbers", "content_hash")}
    assert {c["url"] for c in listed} == swapped
    numbers = next(c for c in listed if c["field"] == "numbers")
    assert json.loads(numbers["old"]) == list(before[numbers["url"]][2])
    assert json.loads(numbers["new"]) == list(after[numbers["url"]][2])
    assert changes(db, "--since", "1h") == listed
    assert changes(db, "--since", "2099-01-01") == []
    csv = triage("export", "changes", "--db", str(db), "--format", "csv").stdout.splitlines()
    assert csv[0] == "url,field,old,new,at,run_id" and len(csv) == len(listed) + 1


def tree_depth(i: int, fanout: int) -> int:
    return 0 if i == 0 else 1 + tree_depth((i - 1) // fanout, fanout)


def test_a_second_crawl_follows_links_and_asks_only_leaves_conditionally(
        farm_site: FarmServer, tmp_path: Path) -> None:
    """A 304 has no links: pages the crawl follows links from are fetched in full (and their
    unchanged bodies are not analysed again), the deepest ones are asked for conditionally."""
    db = tmp_path / "s.db"
    assert triage(*crawl_args(farm_site, str(db))).returncode == 0
    before = stored(str(db))
    farm_site.hits.clear()
    assert triage(*crawl_args(farm_site, str(db))).returncode == 0
    assert len(farm_site.hits) == 60 and set(farm_site.hits.values()) == {1}
    leaves = {f"/p{i}.html" for i in range(60) if tree_depth(i, 4) == farm_site.depth}
    assert {path for path, n in farm_site.conditional.items() if n} == leaves
    assert {path for path, n in farm_site.not_modified.items() if n} == leaves
    stats = last_run_stats(db)
    assert stats["triage/unchanged"] == 60 - len(leaves) and "triage/analysed" not in stats
    assert without_status(stored(str(db))) == without_status(before)


def test_same_body_without_validators_is_not_analysed_again(farm_site: FarmServer,
                                                            tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    farm_site.validators = False
    assert triage(*crawl_args(farm_site, str(db))).returncode == 0
    before = stored(str(db))
    farm_site.hits.clear()
    recrawl(farm_site, db, "--verdict", "hotline_spam", "--older-than", "0s")
    assert len(farm_site.hits) == 40 and sum(farm_site.conditional.values()) == 0
    stats = last_run_stats(db)
    assert stats["triage/unchanged"] == 40 and "triage/analysed" not in stats
    assert stored(str(db)) == before and changes(db) == []


def test_durations_and_since() -> None:
    assert parse_duration("90s").total_seconds() == 90
    assert parse_duration("7d").days == 7
    assert parse_since("2026-11-30").isoformat() == "2026-11-30T00:00:00+00:00"
    for bad in ("7", "d7", "7 days"):
        try:
            parse_duration(bad)
        except ValueError as exc:
            assert "expected a number and a unit" in str(exc)
        else:
            raise AssertionError(bad)
    proc = triage("crawl", "--verdict", "clean", "--db", "x.db")
    assert proc.returncode == 2 and "add --recrawl" in proc.stderr
