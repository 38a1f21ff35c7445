"""The shipped ``db/datasette.yaml`` on a crawled ``triage.db``: every stored query runs in
Datasette (in-process client) and answers what it promises."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from db.engine import make_engine
from db.labels import add_label
from tests.review_data import LANTO, WOTING, XSS_NUMBER, build_review_db

datasette_app = pytest.importorskip("datasette.app", reason="datasette is not installed")
yaml = pytest.importorskip("yaml", reason="PyYAML (a datasette dependency) is not installed")

CONFIG = Path(__file__).resolve().parent.parent / "db" / "datasette.yaml"
PARAMS = {"cluster_pages": {"cluster": "1"}, "operation_ties": {"op": "1"}}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = build_review_db(tmp_path_factory.mktemp("datasette") / "triage.db")
    engine = make_engine(str(path))
    add_label(engine, "cluster", "2", "spam", reviewer="ann", note="farm B")
    add_label(engine, "number", LANTO[0], "spam", reviewer="ann")
    add_label(engine, "number", LANTO[0], "official", reviewer="bob", note="brand says so")
    engine.dispose()
    config = yaml.safe_load(CONFIG.read_text())
    names = list(config["databases"]["triage"]["queries"])

    async def run() -> dict[str, Any]:
        ds = datasette_app.Datasette(files=[str(path)], config=config)
        await ds.invoke_startup()
        out: dict[str, Any] = {"names": names, "path": path}
        for name in names:
            query = "&".join(f"{k}={v}" for k, v in PARAMS.get(name, {}).items())
            response = await ds.client.get(f"/triage/{name}.json?_shape=array&{query}")
            assert response.status_code == 200, (name, response.text[:300])
            out[name] = response.json()
            page = await ds.client.get(f"/triage/{name}?{query}")
            assert page.status_code == 200, name
        other = await ds.client.get("/triage/cluster_pages.json?_shape=array&cluster=2")
        out["cluster_2"] = other.json()
        return out

    return asyncio.run(run())


def test_every_stored_query_runs_and_finds_rows(results: dict[str, Any]) -> None:
    assert set(results["names"]) >= {"numbers_on_most_domains", "numbers_new_this_week",
                                     "most_impersonated_brands", "cluster_pages",
                                     "unreviewed_high_score_pages", "current_labels"}
    for name in results["names"]:
        assert results[name], f"{name} returned no rows"


def test_numbers_on_most_domains(results: dict[str, Any]) -> None:
    rows = results["numbers_on_most_domains"]
    assert [(r["number"], r["domains"], r["spam_pages"]) for r in rows[:2]] == [
        (LANTO[1], 3, 6), (WOTING[1], 2, 4)]
    assert rows[0]["brands"] == "澜拓净水器"


def test_numbers_new_this_week(results: dict[str, Any]) -> None:
    rows = results["numbers_new_this_week"]
    week_ago = (datetime.now(UTC) - timedelta(days=7)).strftime("%Y-%m-%d %H:%M:%S")
    assert all(r["first_seen"] >= week_ago for r in rows)
    numbers = {r["number"] for r in rows}
    assert XSS_NUMBER[1] in numbers  # first seen two hours ago
    assert LANTO[1] not in numbers  # first seen 15 days ago by the farm's oldest page


def test_most_impersonated_brands(results: dict[str, Any]) -> None:
    rows = results["most_impersonated_brands"]
    assert (rows[0]["brand"], rows[0]["spam_pages"], rows[0]["numbers"]) == ("澜拓净水器", 7, 2)
    assert {r["brand"] for r in rows} >= {"沃霆热水器", "科赛恩指纹锁"}


def test_cluster_pages_with_labels(results: dict[str, Any]) -> None:
    assert len(results["cluster_pages"]) == 6
    assert {r["label"] for r in results["cluster_pages"]} == {None}
    assert len(results["cluster_2"]) == 4
    assert {r["label"] for r in results["cluster_2"]} == {"spam"}


def test_unreviewed_high_score_pages_and_current_labels(results: dict[str, Any]) -> None:
    urls = {r["url"] for r in results["unreviewed_high_score_pages"]}
    assert not any("woting-fix" in u for u in urls)  # cluster 2 was labelled
    assert any("lanto-fix" in u for u in urls) and any("kesai-fix" in u for u in urls)
    assert all(r["score"] >= 0.8 for r in results["unreviewed_high_score_pages"])
    current = {(r["target_type"], r["target"]): r["label"] for r in results["current_labels"]}
    assert current == {("cluster", "2"): "spam", ("number", LANTO[1]): "official"}


def test_operations_by_domains_names_the_shared_number(results: dict[str, Any]) -> None:
    """Issue 14: the lanto farm's three domains advertise one number: one operation."""
    top = results["operations_by_domains"][0]
    assert top["domains"] == 3 and "lanto-fix0.example.test" in top["sites"]
    assert f"number {LANTO[1]}" in top["ties"]
    assert {r["kind"] for r in results["operation_ties"]} >= {"number"}
def test_triage_datasette_serves_the_queries_for_any_file_name(tmp_path: Path) -> None:
    """``triage datasette --db evidence-copy.db``: the stored queries under that file's name,
    in Datasette, with the file opened immutable."""
    from triage.cli.datasette import datasette_config

    path = build_review_db(tmp_path / "evidence-copy.db")
    config = datasette_config(path)
    assert list(config["databases"]) == ["evidence-copy"]

    async def run() -> tuple[int, list[Any], int]:
        ds = datasette_app.Datasette(immutables=[str(path)], config=config)
        await ds.invoke_startup()
        got = await ds.client.get("/evidence-copy/numbers_on_most_domains.json?_shape=array")
        old = await ds.client.get("/triage/numbers_on_most_domains.json")
        return got.status_code, got.json(), old.status_code

    status, rows, old = asyncio.run(run())
    assert status == 200 and rows and old == 404
    assert any(r.get("number") == LANTO[1] or LANTO[1] in str(r) for r in rows)


def test_triage_datasette_print_config_and_errors(tmp_path: Path) -> None:
    from tests.conftest import run_triage

    path = build_review_db(tmp_path / "triage-demo.db")
    done = run_triage("datasette", "--db", str(path), "--print-config")
    assert done.returncode == 0 and "triage-demo:" in done.stdout, done.stderr
    missing = run_triage("datasette", "--db", str(tmp_path / "nope.db"))
    assert missing.returncode == 1 and len(missing.stderr.strip().splitlines()) == 1


# What the two summary-table queries answered when they aggregated the pages themselves.
FROM_PAGES = {
    "numbers_on_most_domains": """
        select n.e164 as number, n.kind, n.place, count(distinct p.domain) as domains,
          count(distinct p.id) as spam_pages,
          (select group_concat(name, ', ') from (
            select distinct b.name from page_numbers pn2
            join page_brands pb on pb.page_id = pn2.page_id join brands b on b.id = pb.brand_id
            where pn2.number_id = n.id order by b.name)) as brands, n.first_seen, n.last_seen
        from numbers n
        join page_numbers pn on pn.number_id = n.id and pn.advertised
        join pages p on p.id = pn.page_id and p.verdict in ('hotline_spam', 'seo_spam')
        group by n.id order by domains desc, spam_pages desc, n.e164 limit 200""",
    "most_impersonated_brands": """
        select b.name as brand, count(distinct p.id) as spam_pages,
          count(distinct p.domain) as domains,
          count(distinct case when pn.advertised then pn.number_id end) as numbers
        from brands b join page_brands pb on pb.brand_id = b.id
        join pages p on p.id = pb.page_id and p.verdict in ('hotline_spam', 'seo_spam')
        left join page_numbers pn on pn.page_id = p.id
        group by b.id order by spam_pages desc, domains desc, b.name limit 200""",
}


def test_summary_queries_answer_what_the_pages_say(results: dict[str, Any]) -> None:
    import sqlite3

    with sqlite3.connect(results["path"]) as conn:
        conn.row_factory = sqlite3.Row
        for name, sql in FROM_PAGES.items():
            expected = [dict(r) for r in conn.execute(sql)]
            assert expected and results[name] == expected, name
