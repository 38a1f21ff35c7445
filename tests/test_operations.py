"""Operations (issue 14) on a generated web served locally and crawled for real: each operation
recovered whole and apart, legitimate sites on the same sold kit never merged, every operation's
links naming what its sites share, ids kept when an operation grows, and the review UI, report
and exports showing them."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from db.engine import make_engine
from db.models import Label
from investigate.operations import operation_pages
from pipelines.operations import WEAK_WEIGHTS
from tests.conftest import run_triage
from triage.demo.operations_web import KIT_CHAT, KIT_CNZZ, OperationsWebServer, build_operations_web
from triage.web.app import create_app

# What each operation's links must name (kinds of strong ties).
EXPECTED_TIES = {0: {"baidu_tongji"}, 1: {"icp", "chat"}, 2: {"number"},
                 3: {"cnzz", "qq", "wechat", "email"}, 4: {"google_analytics", "la51"}}


def crawl(server: OperationsWebServer, db: Path, urls: list[str]) -> None:
    args = ["crawl", *urls, "--db", str(db), "--depth", "2", "-s", "TRIAGE_ANALYSIS_MODE=inline"]
    for domain in server.domain.values():
        args += ["--allow-private", domain]
    done = run_triage(*args, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def export(kind: str, db: Path) -> list[dict[str, Any]]:
    done = run_triage("export", kind, "--db", str(db))
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    web = build_operations_web(extra=1)
    db = tmp_path_factory.mktemp("operations") / "ops.db"
    with OperationsWebServer(web) as server:
        first = [u for n, u in zip(server.domain, server.start_urls, strict=True)
                 if not n.startswith("late")]
        crawl(server, db, first)
        before = export("operations", db)
        crawl(server, db, [f"http://{server.domain['late00']}/"])
        after = export("operations", db)
        yield {"web": web, "db": db, "site_of": server.site_of, "domain": server.domain,
               "before": before, "after": after}


def _truth(web: Any, *, late: bool) -> dict[int, set[str]]:
    ops: dict[int, set[str]] = defaultdict(set)
    for name, op in web.truth.items():
        if op >= 0 and (late or not name.startswith("late")):
            ops[op].add(name)
    return ops


def _sites(op: dict[str, Any], site_of: dict[str, str]) -> set[str]:
    return {site_of[d] for d in op["domains"]}


def test_each_operation_is_recovered_whole_and_apart(crawled: dict[str, Any]) -> None:
    found = sorted(sorted(_sites(op, crawled["site_of"])) for op in crawled["before"])
    truth = sorted(sorted(s) for s in _truth(crawled["web"], late=False).values())
    assert found == truth
    assert not any(s.startswith("shop") for sites in found for s in sites)  # legitimate kit sites


def test_links_name_what_the_sites_share(crawled: dict[str, Any]) -> None:
    truth = crawled["web"].truth
    for op in crawled["before"]:
        sites = _sites(op, crawled["site_of"])
        (true_op,) = {truth[s] for s in sites}
        strong = [ln for ln in op["links"] if ln["kind"] not in
                  ("cluster", "brand", "favicon_mmh3", "server_ip")]
        assert {ln["kind"] for ln in strong} == EXPECTED_TIES[true_op], op["links"]
        # The strong links alone connect every site of the operation.
        reach, todo = {op["domains"][0]}, True
        while todo:
            todo = False
            for ln in strong:
                if (ln["a"] in reach) != (ln["b"] in reach):
                    reach |= {ln["a"], ln["b"]}
                    todo = True
        assert reach == set(op["domains"])
        assert all(ln["value"] not in (KIT_CNZZ, f"53kf:{KIT_CHAT.lower()}") for ln in op["links"])
        for field in ("operation", "domains", "pages", "numbers", "brands", "identifiers",
                      "first_seen", "last_seen", "links"):
            assert field in op
        assert op["pages"] == 3 * len(sites) and op["numbers"]


def test_ids_are_kept_when_an_operation_grows(crawled: dict[str, Any]) -> None:
    site_of = crawled["site_of"]
    before = {frozenset(_sites(op, site_of)): op["operation"] for op in crawled["before"]}
    after = {op["operation"]: _sites(op, site_of) for op in crawled["after"]}
    assert sorted(map(sorted, after.values())) == sorted(
        map(sorted, _truth(crawled["web"], late=True).values()))
    for sites, op_id in before.items():
        assert sites <= after[op_id]  # same id, same sites or more
    grown = [op for op in crawled["after"] if "late00" in _sites(op, site_of)]
    assert grown[0]["operation"] == before[frozenset(_truth(crawled["web"], late=False)[0])]
    assert grown[0]["new"] is False


def test_pages_export_and_pivot_list_carry_identifiers(crawled: dict[str, Any]) -> None:
    pages = export("pages", crawled["db"])
    kinds = {i["kind"] for p in pages for i in p["identifiers"]}
    assert kinds >= {"icp", "baidu_tongji", "cnzz", "la51", "google_analytics", "chat", "qq",
                     "wechat", "email", "favicon_mmh3", "favicon_sha256", "server_ip"}
    pivots = {(r["kind"], r["value"]): r for r in export("identifiers", crawled["db"])}
    kit = pivots[("cnzz", KIT_CNZZ)]
    assert len(kit["domains"]) >= 9 and kit["pages"] > kit["spam_pages"] > 0
    assert all(set(r) >= {"kind", "value", "pages", "domains", "first_seen", "last_seen"}
               for r in pivots.values())


def test_report_and_review_ui_show_operations(crawled: dict[str, Any]) -> None:
    done = run_triage("report", "--db", str(crawled["db"]), "--limit", "3")
    assert done.returncode == 0 and "Top operations" in done.stdout
    engine = make_engine(str(crawled["db"]))
    try:
        client = TestClient(create_app(engine, allowed_hosts=None, reviewer="ann"))
        op = next(o for o in crawled["after"] if "late00" in _sites(o, crawled["site_of"]))
        html = client.get(f"/operation/{op['operation']}").text
        assert "Why these sites belong together" in html and "Baidu Tongji id" in html
        assert all(d in html for d in op["domains"]) and op["numbers"][0] in html
        with engine.connect() as conn:
            first = operation_pages(conn, op["operation"])
        assert {p["domain"] for p in first} == set(op["domains"])
        page_html = client.get(f"/page/{first[0]['id']}").text
        assert f'href="/operation/{op["operation"]}"' in page_html
        number_html = client.get(f"/number/{op['numbers'][0]}").text
        assert f'href="/operation/{op["operation"]}"' in number_html
        csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
        sent = client.post("/label", data={"csrf": csrf, "target_type": "operation",
                                           "target": str(op["operation"]), "label": "spam",
                                           "reviewer": "ann", "next": "/"},
                           follow_redirects=False)
        assert sent.status_code == 303
        with engine.connect() as conn:
            labelled = set(conn.execute(select(Label.target).where(
                Label.target_type == "domain", Label.label == "spam")).scalars())
        assert labelled == set(op["domains"])
        assert client.get("/operation/9999").status_code == 404
    finally:
        engine.dispose()


def _stored_operations(db: Path) -> dict[int, tuple[tuple[str, ...], frozenset[Any]]]:
    from db.models import OperationDomain, OperationLink

    engine = make_engine(str(db))
    with engine.connect() as conn:
        domains: dict[int, list[str]] = defaultdict(list)
        for op, d in conn.execute(select(OperationDomain.operation_id, OperationDomain.domain)):
            domains[op].append(d)
        links: dict[int, set[Any]] = defaultdict(set)
        for op, a, b, kind, value, w in conn.execute(
                select(OperationLink.operation_id, OperationLink.a, OperationLink.b,
                       OperationLink.kind, OperationLink.value, OperationLink.weight)):
            # A weak tie's weight follows how many domains share its value anywhere: after a
            # crawl only the region's links are weighed again (the full run weighs them all).
            links[op].add((a, b, kind, value, None if kind in WEAK_WEIGHTS else round(w, 6)))
    engine.dispose()
    return {op: (tuple(sorted(ds)), frozenset(links[op])) for op, ds in domains.items()}


def test_operations_after_a_crawl_are_the_full_recompute(crawled: dict[str, Any],
                                                          tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The second crawl recomputed only the operations near its domain; a full recompute
    gives the same operations, ids and links (strong ties with their weights), and recomputing that region again reads the
    region only (no fall-back to the full run) and changes nothing."""
    import shutil

    from investigate import operations_local
    from investigate.operations import update_operations
    from investigate.reputation import latest_run

    stored = _stored_operations(crawled["db"])
    assert len(stored) == len(crawled["after"]) >= 5
    full_db = tmp_path / "full.db"
    shutil.copy(crawled["db"], full_db)
    engine = make_engine(str(full_db))
    update_operations(engine)
    engine.dispose()
    assert _stored_operations(full_db) == stored
    local_db = tmp_path / "local.db"
    shutil.copy(crawled["db"], local_db)

    def no_full(engine: Any) -> None:
        raise AssertionError("fell back to the full recompute")

    monkeypatch.setattr(operations_local, "update_operations", no_full)
    engine = make_engine(str(local_db))
    run = latest_run(engine)
    assert run is not None
    summary = operations_local.update_operations_after(engine, run)
    engine.dispose()
    assert 1 <= summary.operations < len(stored)  # the region, not every operation
    assert _stored_operations(local_db) == stored
