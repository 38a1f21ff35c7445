"""Learning from analysts (issue 10), end to end: crawl a local site, label some pages,
``triage train``, ``triage reanalyze``: labelled pages and similar unlabelled ones follow the
labels, numbers and padding do not change; later crawls analyse with the trained model."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_triage
from tests.httpserver import LocalServer, html
from tests.learning_pages import policy_page, site

LABELLED_CLEAN = ("/policy0.html", "/policy1.html", "/policy2.html")


def triage(*args: str) -> str:
    done = run_triage(*args)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert "Traceback" not in done.stderr
    return done.stdout


def pages(db: str) -> dict[str, dict[str, Any]]:
    out = triage("export", "pages", "--db", db)
    return {r["url"].split("/", 3)[3]: r for r in map(json.loads, out.splitlines())}


def evidence(rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What re-scoring must never change: numbers, padding and brands of every page."""
    return {u: (r["numbers"], r["padding"], r["brands"]) for u, r in rows.items()}


def crawl(server: LocalServer, db: str, path: str = "/", mode: str = "inline") -> None:
    triage("crawl", server.url(path), "--db", db, "--allow-private", f"127.0.0.1:{server.port}",
           "-s", f"TRIAGE_ANALYSIS_MODE={mode}", "-s", "TRIAGE_ANALYSIS_WORKERS=1")


def test_labels_train_reanalyze_end_to_end(server: LocalServer, tmp_path: Path) -> None:
    for path, text in site().items():
        server.routes[path] = html(text)
    db = str(tmp_path / "t.db")
    crawl(server, db)
    before = pages(db)
    policy = [u for u in before if u.startswith("policy")]
    spam = [u for u in before if u.startswith("spam")]
    assert len(policy) == 8 and len(spam) == 6
    # The shipped model is wrong on this family: it calls a brand's own policy page a fake.
    assert all(before[u]["model_verdict"] == "hotline_spam" for u in policy)
    assert all(before[u]["verdict"] == "hotline_spam" for u in spam)
    # Re-scoring with the same (shipped) model changes nothing: stored features are exact.
    assert "0 verdicts changed" in triage("reanalyze", "--db", db)

    for path in LABELLED_CLEAN:
        triage("review", "label", "page", server.url(path), "not_spam", "--reviewer", "t",
               "--db", db)
    triage("review", "label", "page", server.url("/shop.html"), "not_spam", "--reviewer", "t",
           "--db", db)
    cluster = before["spam0.html"]["cluster"]
    assert cluster is not None  # the farm pages share a template: one label for all of them
    triage("review", "label", "cluster", str(cluster), "spam", "--reviewer", "t", "--db", db)
    labelled = pages(db)
    assert all(labelled[u.lstrip("/")]["verdict"] == "clean" for u in LABELLED_CLEAN)
    assert labelled["policy0.html"]["model_verdict"] == "hotline_spam"  # not re-scored yet
    assert labelled["policy5.html"]["verdict"] == "hotline_spam"

    out = triage("train", "--db", db, "--no-bundled")
    assert "database: " in out and "stored as model version 1" in out, out
    out = triage("reanalyze", "--db", db)
    assert "trained model version 1" in out and "hotline_spam → clean" in out, out
    after = pages(db)
    assert evidence(after) == evidence(before)  # numbers, padding, brands untouched
    for u in policy:  # the labelled ones and their unlabelled siblings
        assert (after[u]["verdict"], after[u]["model_verdict"]) == ("clean", "clean"), u
    for u in spam:
        assert after[u]["model_verdict"] == after[u]["verdict"] == "hotline_spam", u
    assert after["notice.html"]["model_verdict"] == "clean"
    with sqlite3.connect(db) as conn:
        changed = conn.execute("select count(*) from page_history where field = 'verdict' "
                               "and old = 'hotline_spam' and new = 'clean'").fetchone()[0]
        assert changed == len(policy)
        assert conn.execute("select version, active from models").fetchall() == [(1, 1)]

    # A later crawl (worker processes this time) analyses new pages with the trained model.
    new_page, _ = policy_page(random.Random(99))
    server.routes["/new.html"] = html(new_page)
    crawl(server, db, "/new.html", mode="process")
    assert pages(db)["new.html"]["model_verdict"] == "clean"

    # Back to the shipped model: the model's verdicts return, a labelled page keeps its label.
    assert "back to the shipped model" in triage("train", "--db", db, "--reset")
    triage("reanalyze", "--db", db, "--verdict", "clean")
    reset = pages(db)
    assert reset["policy5.html"]["model_verdict"] == reset["policy5.html"]["verdict"] == \
        "hotline_spam"
    assert (reset["policy0.html"]["verdict"], reset["policy0.html"]["model_verdict"]) == \
        ("clean", "hotline_spam")
    assert evidence({u: reset[u] for u in before}) == evidence(before)


def test_train_without_scikit_learn_is_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT, child_env

    code = ("import sys; sys.modules['sklearn'] = None\n"
            "from triage.cli import main\n"
            f"main(['train', '--db', {str(tmp_path / 'x.db')!r}])")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=child_env(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "hotline-triage[train]" in lines[0], done.stderr


def test_train_without_labels_says_what_to_do(tmp_path: Path) -> None:
    from db.engine import make_engine
    from db.store import Store

    db = str(tmp_path / "e.db")
    engine = make_engine(db)
    Store(engine).start_run("test", {})  # a crawl, nothing labelled
    engine.dispose()
    done = run_triage("train", "--db", db, "--no-bundled")
    assert done.returncode == 1
    assert done.stderr.strip() == f"Error: {db}: no labelled pages in the database: label " \
        "pages, clusters or domains first (`triage review label`, or the review UI)"


@pytest.mark.parametrize("flag", ["--since", "--verdict"])
def test_reanalyze_refuses_bad_filters(flag: str, tmp_path: Path) -> None:
    done = run_triage("reanalyze", "--db", str(tmp_path / "n.db"), flag, "yesterday-ish")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def _store_site(db_url: str) -> Any:
    """Policy and farm pages on their own domains, analysed and stored (no crawl)."""
    from db.engine import make_engine
    from db.store import Store
    from pipelines.analyze import analyze
    from triage.demo import farm

    rng = random.Random(5)
    engine = make_engine(db_url)
    store = Store(engine)
    run_id = store.start_run("test", {})
    items = []
    for d in range(4):
        for k in range(2):
            items.append((f"http://policy{d}.example/p{k}.html", policy_page(rng)[0]))
            items.append((f"http://farm{d}.example/p{k}.html", farm.spam_page(rng, places=24).html))
    store.save_pages(run_id, [
        {"url": url, "final_url": url, "status": 200, "fetched_at": "2026-12-01T08:00:00+00:00",
         "content_hash": str(i), "analysis": analyze(body, url=url)}
        for i, (url, body) in enumerate(items)])
    return engine


def test_train_and_reanalyze_on_postgresql() -> None:
    from sqlalchemy import select

    from db.labels import add_label
    from db.models import PageHistory
    from db.queries import iter_pages
    from investigate.reanalyze import reanalyze
    from investigate.train import train
    from tests.pg import pg_unavailable, throwaway_database

    if (why := pg_unavailable()) is not None:
        pytest.skip(why)
    with throwaway_database("train") as url:
        engine = _store_site(url)
        for d in range(3):  # three groups of each class: calibrated, with the grouped report
            add_label(engine, "page", f"http://policy{d}.example/p0.html", "not_spam",
                      reviewer="t")
            add_label(engine, "domain", f"farm{d}.example", "spam", reviewer="t")
        with engine.connect() as conn:
            before = {r["url"]: r for r in iter_pages(conn)}
        assert {r["model_verdict"] for u, r in before.items() if "policy" in u} == \
            {"hotline_spam"}
        trained = train(engine, None, seeds=(0,))
        assert trained.data["calibrated"] and trained.report["grouped_cv"] is not None
        assert trained.data["via"] == {"page": 3, "domain": 6}
        summary = reanalyze(engine)
        assert summary.pages == 16 and summary.from_text == 0
        with engine.connect() as conn:
            after = {r["url"]: r for r in iter_pages(conn)}
            history = conn.execute(select(PageHistory.field, PageHistory.new)).all()
        assert evidence(after) == evidence(before)
        policy = [u for u in after if "policy" in u]
        assert all(after[u]["model_verdict"] == "clean" for u in policy)  # policy3: unlabelled
        assert all(after[u]["model_verdict"] == "hotline_spam" for u in after if "farm" in u)
        assert history == [("verdict", "clean")] * len(policy)
        engine.dispose()
