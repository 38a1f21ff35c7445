"""``triage export`` and ``triage report`` through click's CliRunner on a real SQLite file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from db import queries
from db.engine import make_engine
from db.store import Store
from pipelines.types import Phone
from tests.test_db_store import HOTLINE, MOBILE, OTHER, farm, page_item, phone
from triage.cli import main

NEW_NUMBER = "+864006339102"


def build_farm_db(path: Path) -> Path:
    """Two crawl runs: a farm, legitimate pages and a blocked URL; then a re-crawl where one
    page swapped its number and a new domain appeared for a second brand."""
    engine = make_engine(str(path))
    store = Store(engine)
    run = store.start_run("hotlines", {"start_urls": "http://fix0.example.test/"})
    news = page_item("http://news.example.test/warning.html", verdict="clean",
                     numbers=(phone(OTHER, count=1, advertised=False),))
    store.save_pages(run, [*farm(12), news, page_item("http://news.example.test/", verdict="clean", numbers=()), page_item("http://192.168.1.1/", status=0, error="blocked: private address", analysis=None), page_item("http://fix0.example.test/[bold]x[/bold].html", brands=("[red]假品牌[/red]",), numbers=(phone(HOTLINE),))])
    store.finish_run(run, {"triage/stored": 16}, "finished")
    run2 = store.start_run("hotlines", {})
    swapped = page_item("http://fix1.example.test/shouhou/1.html", body_hash="f" * 64,
                        numbers=(phone(OTHER),))
    fresh = [page_item(f"http://fix9.example.test/{i}.html", brands=("雅澄热水器",),
                       numbers=(phone(NEW_NUMBER, obfuscated=True),)) for i in range(3)]
    store.save_pages(run2, [swapped, *fresh])
    store.finish_run(run2, {"triage/stored": 4}, "finished")
    engine.dispose()
    return path


@pytest.fixture(scope="module")
def farm_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(build_farm_db(tmp_path_factory.mktemp("export") / "triage.db"))


def run(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args), env={"COLUMNS": "200"})
    return result


def test_export_pages_jsonl(farm_db: str) -> None:
    result = run("export", "pages", "--db", farm_db)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == 19 and len({r["url"] for r in records}) == 19
    by_url = {r["url"]: r for r in records}
    swapped = by_url["http://fix1.example.test/shouhou/1.html"]
    assert [n["e164"] for n in swapped["numbers"]] == [OTHER]
    assert set(swapped["numbers"][0]) == set(Phone(e164="x", kind="y").to_dict())
    assert swapped["brands"] == ["澜拓净水器"] and swapped["verdict"] == "hotline_spam"
    assert swapped["padding_ratio"] == 0.41 and swapped["reasons"][0] == "号码重复出现 5 次"
    assert swapped["fetched_at"] == "2026-11-02T08:00:00Z" and swapped["flags"] == []
    blocked = by_url["http://192.168.1.1/"]
    assert (blocked["status"], blocked["verdict"], blocked["numbers"]) == (0, None, [])
    assert blocked["error"] == "blocked: private address"


def test_export_pages_csv_with_verdict(farm_db: str) -> None:
    result = run("export", "pages", "--db", farm_db, "--format", "csv", "--verdict", "clean")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert sorted(r["url"] for r in rows) == ["http://news.example.test/",
                                              "http://news.example.test/warning.html"]
    warning = next(r for r in rows if r["url"].endswith("warning.html"))
    numbers = json.loads(warning["numbers"])
    assert numbers[0]["e164"] == OTHER and numbers[0]["advertised"] is False
    assert json.loads(warning["brands"]) == [] and warning["verdict"] == "clean"
    assert warning["cluster"] == ""


def test_export_numbers(farm_db: str) -> None:
    result = run("export", "numbers", "--db", farm_db)
    assert result.exit_code == 0, result.output
    numbers = {r["e164"]: r for r in map(json.loads, result.output.splitlines())}
    assert set(numbers) == {HOTLINE, MOBILE, OTHER, NEW_NUMBER}
    hot = numbers[HOTLINE]
    assert hot["pages"] == 12  # 11 farm pages left with it + the markup page
    assert hot["domains"] == ["fix0.example.test", "fix1.example.test", "fix2.example.test"]
    assert hot["brands"] == ["[red]假品牌[/red]", "澜拓净水器"] and hot["advertised"] is True
    assert numbers[NEW_NUMBER]["brands"] == ["雅澄热水器"]
    assert numbers[OTHER]["domains"] == ["fix1.example.test", "news.example.test"]
    assert set(hot) >= {"e164", "kind", "place", "pages", "domains", "brands", "first_seen",
                        "last_seen"}

    spam_only = run("export", "numbers", "--db", farm_db, "--format", "csv",
                    "--verdict", "clean")
    rows = list(csv.DictReader(io.StringIO(spam_only.output)))
    assert [(r["e164"], r["pages"], json.loads(r["domains"])) for r in rows] == \
           [(OTHER, "1", ["news.example.test"])]


@pytest.mark.parametrize("command", [["export", "pages"], ["report"]])
def test_missing_or_empty_database_is_one_line_and_non_zero(tmp_path: Path,
                                                            command: list[str]) -> None:
    missing = tmp_path / "nope.db"
    result = run(*command, "--db", str(missing))
    assert result.exit_code != 0 and not missing.exists()
    assert result.output.strip().count("\n") == 0 and "no database at" in result.output
    make_engine(str(missing)).dispose()
    result = run(*command, "--db", str(missing))
    assert result.exit_code != 0 and "holds no crawl yet" in result.output


def test_report(farm_db: str) -> None:
    result = run("report", "--db", farm_db)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "19 pages on 6 domains, 4 numbers, 3 brands, 2 crawl runs" in out
    assert "hotline_spam │    16" in out and "clean        │     2" in out
    assert "not analysed │     1" in out
    top = out[out.index("Top advertised numbers"):out.index("Brands impersonated")]
    assert top.index(HOTLINE) < top.index(NEW_NUMBER)  # 3 domains before 1
    assert "[red]假品牌[/red]" in out  # crawled text shown as text, not as markup
    assert "New in run #2" in out and "since run #1" in out
    assert "2 new numbers" not in out and "1 new numbers" in out
    assert "3 new spam pages, 1 new spam domains" in out and "fix9.example.test" in out
    assert "1 content_hash, 1 numbers" in out


def test_queries_on_the_farm(farm_db: str) -> None:
    engine = make_engine(farm_db, create=False)
    with engine.connect() as conn:
        top = queries.top_numbers(conn, 2)
        brands = queries.top_brands(conn)
        domains = queries.top_domains(conn, 1)
        changes = queries.page_changes(conn)
    engine.dispose()
    # ties on domains go to the number on more pages
    assert [(n["e164"], n["domains"], n["pages"]) for n in top] == [(HOTLINE, 3, 12),
                                                                    (NEW_NUMBER, 1, 3)]
    assert brands[0] == {"brand": "澜拓净水器", "pages": 12, "domains": 3, "numbers": 2}
    assert domains == [{"domain": "fix0.example.test", "spam_pages": 5, "pages": 5,
                        "numbers": 2}]
    assert {(c["url"], c["field"]) for c in changes} == {
        ("http://fix1.example.test/shouhou/1.html", "numbers"),
        ("http://fix1.example.test/shouhou/1.html", "content_hash")}
