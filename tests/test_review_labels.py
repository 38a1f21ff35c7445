"""Labels (db.labels) and ``triage review`` on a real crawled SQLite database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from db import labels, review
from db.engine import make_engine
from db.models import Label
from tests.review_data import LANTO, WOTING, review_db_copy_fixture, review_db_fixture  # noqa: F401
from triage.cli import main

LANTO_PAGE = "http://lanto-fix0.example.test/shouhou/0.html"


@pytest.fixture
def db(review_db_copy: str) -> str:
    return review_db_copy


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "200"})


def test_labels_are_kept_and_the_latest_counts(db: str) -> None:
    engine = make_engine(db)
    first = labels.add_label(engine, "page", LANTO_PAGE, "spam", reviewer="ann", note="farm")
    second = labels.add_label(engine, "page", LANTO_PAGE, "not_spam", reviewer="bob")
    with engine.connect() as conn:
        rows = labels.history(conn, "page", LANTO_PAGE)
        assert [(r["label"], r["reviewer"], r["note"]) for r in rows] == \
            [("spam", "ann", "farm"), ("not_spam", "bob", "")]
        assert rows[0]["created_at"] <= rows[1]["created_at"]
        assert labels.current(conn, "page", [LANTO_PAGE])[LANTO_PAGE]["id"] == second["id"]
        assert conn.execute(select(func.count()).select_from(Label)).scalar_one() == 2
    assert first["id"] < second["id"]
    engine.dispose()


def test_a_cluster_label_applies_to_its_pages_until_a_page_says_otherwise(db: str) -> None:
    engine = make_engine(db)
    with engine.connect() as conn:
        before = review.queue(conn, review.QueueFilter(unreviewed=True))["total"]
    labels.add_label(engine, "cluster", "1", "spam", reviewer="ann")
    with engine.connect() as conn:
        cluster = review.queue(conn, review.QueueFilter(cluster=1))["rows"]
        assert len(cluster) == 6
        assert {(r["label"]["label"], r["label"]["via"]) for r in cluster} == {("spam", "cluster")}
        after = review.queue(conn, review.QueueFilter(unreviewed=True))["total"]
        assert after == before - 6
        assert all(r["url"] not in {c["url"] for c in cluster}
                   for r in labels.unreviewed_pages(conn, limit=100))
    labels.add_label(engine, "page", LANTO_PAGE, "not_spam", reviewer="bob")
    with engine.connect() as conn:
        found = labels.page_labels(conn, [(LANTO_PAGE, 1)])[LANTO_PAGE]
        assert (found["label"], found["via"]) == ("not_spam", "page")
    engine.dispose()


@pytest.mark.parametrize(("target_type", "target", "key"), [
    ("number", "400-6318-227", LANTO[1]),
    ("number", LANTO[1], LANTO[1]),
    ("domain", "Lanto-Fix1.example.test.", "lanto-fix1.example.test"),
    ("cluster", " 2 ", "2"),
])
def test_targets_are_normalised(db: str, target_type: str, target: str, key: str) -> None:
    engine = make_engine(db)
    saved = labels.add_label(engine, target_type, target, "spam", reviewer="ann")
    assert saved["target"] == key
    engine.dispose()


@pytest.mark.parametrize(("args", "message"), [
    (("page", "http://nowhere.example.test/", "spam"), "no page with URL"),
    (("number", "12345", "spam"), "no number 12345"),
    (("domain", "nowhere.example.test", "spam"), "no pages of domain"),
    (("cluster", "77", "spam"), "no cluster 77"),
    (("cluster", "abc", "spam"), "cluster must be a number"),
    (("page", LANTO_PAGE, "maybe"), "unknown label 'maybe'"),
    (("site", LANTO_PAGE, "spam"), "unknown target type"),
])
def test_bad_labels_are_refused_and_nothing_is_written(db: str, args: tuple[str, str, str],
                                                       message: str) -> None:
    engine = make_engine(db)
    with pytest.raises(labels.LabelError, match=message):
        labels.add_label(engine, *args, reviewer="ann")
    with pytest.raises(labels.LabelError, match="needs a reviewer"):
        labels.add_label(engine, "page", LANTO_PAGE, "spam", reviewer="  ")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Label)).scalar_one() == 0
    engine.dispose()


def test_review_cli_label_list_history(db: str) -> None:
    result = run("review", "label", "page", LANTO_PAGE, "spam", "--note", "template A",
                 "--reviewer", "ann", "--db", db)
    assert result.exit_code == 0, result.output
    assert f"labelled page {LANTO_PAGE} spam" in result.output
    assert run("review", "label", "cluster", "1", "not_spam", "--reviewer", "bob",
               "--db", db).exit_code == 0
    assert run("review", "label", "number", "400-9152-604", "spam", "--reviewer", "cy",
               "--db", db).exit_code == 0

    listed = run("review", "list", "--format", "jsonl", "--db", db)
    current = [json.loads(line) for line in listed.output.splitlines()]
    assert [(c["target_type"], c["target"], c["label"]) for c in current] == [
        ("number", WOTING[1], "spam"), ("cluster", "1", "not_spam"),
        ("page", LANTO_PAGE, "spam")]

    history = run("review", "history", LANTO_PAGE, "--format", "jsonl", "--db", db)
    rows = [json.loads(line) for line in history.output.splitlines()]
    assert [(r["target_type"], r["label"], r["reviewer"]) for r in rows] == [
        ("page", "spam", "ann"), ("cluster", "not_spam", "bob")]

    todo = run("review", "list", "--unreviewed", "--format", "jsonl", "--limit", "100",
               "--db", db)
    urls = [json.loads(line)["url"] for line in todo.output.splitlines()]
    assert LANTO_PAGE not in urls and not any("lanto-fix" in u for u in urls)
    assert any("woting-fix" in u for u in urls) and "http://down.example.test/" not in urls

    table = run("review", "list", "--db", db)
    assert table.exit_code == 0 and "template A" in table.output


def test_review_cli_errors_are_one_line(db: str, tmp_path: Path) -> None:
    result = run("review", "label", "cluster", "42", "spam", "--reviewer", "ann", "--db", db)
    assert result.exit_code == 1 and result.output.strip().count("\n") == 0
    assert "no cluster 42" in result.output
    missing = run("review", "list", "--db", str(tmp_path / "nope.db"))
    assert missing.exit_code == 1 and "no database at" in missing.output
    assert not (tmp_path / "nope.db").exists()
