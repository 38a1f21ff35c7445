"""Template clusters: masking, signatures, and clusters of a generated farm stored in a real
database, exported through the CLI."""

from __future__ import annotations

import csv
import io
import json
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from db.engine import make_engine
from db.models import Page
from db.store import Store
from investigate.clusters import assign_clusters
from pipelines.analyze import analyze
from pipelines.templates import cluster_signatures, jaccard, signature, template_text
from tests.test_db_store import db_url, pg_url  # noqa: F401
from triage.cli import main
from triage.demo.farm_ops import Farm, make_farm, page_items, template_page

FARM_ARGS = {"operations": 5, "pages_per_operation": 8, "brands": 8, "news": 4}


@pytest.fixture(scope="module")
def farm() -> Farm:
    return make_farm(11, **FARM_ARGS)


@pytest.fixture(scope="module")
def items(farm: Farm) -> list[dict[str, Any]]:
    return page_items(farm.pages)


def _template(html: str) -> str:
    a = analyze(html)
    return template_text(a.text, brands=a.brands,
                         drop=[(s.start, s.end) for s in a.padding if s.kind == "scraped_article"])


def test_template_text_masks_what_a_template_swaps() -> None:
    text = "澜拓净水器售后电话400-612-3456,杭州市西湖区、成都市武侯区上门,30分钟到达。今日新闻"
    out = template_text(text, brands=["澜拓净水器"], drop=[(len(text) - 4, len(text))])
    assert "澜拓" not in out and "4006" not in out and "西湖" not in out and "新闻" not in out
    assert out.startswith("Ⓑ售后电话☎") and "0分钟到达" in out


def test_same_template_is_similar_other_templates_are_not() -> None:
    rng = random.Random(3)
    a = signature(_template(template_page(rng, 1, "澜拓净水器", "400-612-3456")))
    b = signature(_template(template_page(rng, 1, "铂雅燃气灶", "400-901-2378")))
    c = signature(_template(template_page(rng, 2, "澜拓净水器", "400-612-3456")))
    assert jaccard(a, b) >= 0.7
    assert jaccard(a, c) < 0.3
    assert cluster_signatures({5: a, 9: b, 2: c}) == {5: 5, 9: 5, 2: 2}


def _purity(truth: dict[int, Any], found: dict[int, int]) -> tuple[float, float]:
    def score(a: dict[int, Any], b: dict[int, Any]) -> float:
        groups: dict[Any, Counter[Any]] = defaultdict(Counter)
        for k, g in a.items():
            groups[g][b[k]] += 1
        return sum(c.most_common(1)[0][1] for c in groups.values()) / len(a)

    return score(found, truth), score(truth, found)  # purity, completeness


def test_farm_clusters_follow_templates_and_are_stable(db_url: str, farm: Farm,  # noqa: F811
                                                       items: list[dict[str, Any]]) -> None:
    engine = make_engine(db_url)
    store = Store(engine)
    store.save_pages(store.start_run("hotlines", {}), items)
    summary = assign_clusters(engine)
    assert summary.pages == summary.signed == len(items)
    with engine.connect() as conn:
        rows = {r.url: (r.id, r.cluster) for r in conn.execute(select(Page.url, Page.id,
                                                                      Page.cluster))}
    truth, found = {}, {}
    for item, page in zip(items, farm.pages, strict=True):
        pid, cluster = rows[item["url"]]
        truth[pid] = (page.template, page.label, "news" in page.domain)
        found[pid] = cluster
    purity, completeness = _purity(truth, found)
    assert purity == 1.0 and completeness >= 0.95
    members: dict[int, list[int]] = defaultdict(list)
    for pid, cluster in found.items():
        members[cluster].append(pid)
    assert all(cluster == min(ids) for cluster, ids in members.items())  # oldest page names it

    again = assign_clusters(engine)
    assert (again.signed, again.changed) == (0, 0)
    # A page re-crawled with other content is signed again; the others keep their signatures.
    spam_url = items[-1 - FARM_ARGS["news"]]["url"]
    store.save_pages(store.start_run("hotlines", {}), [{**items[0], "url": spam_url}])
    third = assign_clusters(engine)
    assert third.signed == 1
    with engine.connect() as conn:
        moved = conn.execute(select(Page.cluster).where(Page.url == spam_url)).scalar_one()
    assert moved == found[rows[items[0]["url"]][0]]
    engine.dispose()


def _cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def test_cluster_command_and_exports(tmp_path: Path, farm: Farm,
                                     items: list[dict[str, Any]]) -> None:
    db = str(tmp_path / "t.db")
    engine = make_engine(db)
    store = Store(engine)
    store.save_pages(store.start_run("hotlines", {}), items)
    result = _cli("cluster", "--db", db)
    assert result.exit_code == 0, result.output
    assert "template clusters" in result.output
    out = _cli("export", "clusters", "--db", db)
    assert out.exit_code == 0, out.output
    clusters = [json.loads(line) for line in out.output.splitlines()]
    assert {"cluster", "pages", "domains", "numbers", "brands", "example_url"} <= set(clusters[0])
    spam = [c for c in clusters if c["spam_pages"]]
    # 5 operations on 4 templates: operations 0 and 4 share one template (and cluster). A page
    # whose pasted article the engine misses may stay alone.
    sizes = sorted(c["pages"] for c in spam)
    assert len(sizes) == 4 and sizes[-1] == 16 and sum(sizes) >= 5 * 8 - 2
    biggest = spam[0]
    assert len(biggest["domains"]) == 6
    ops = {farm.fraud[n] for n in biggest["numbers"]}
    assert ops == {0, 4} and len(biggest["brands"]) >= 4
    pages = [json.loads(line) for line in _cli("export", "pages", "--db", db).output.splitlines()]
    example = next(p for p in pages if p["url"] == biggest["example_url"])
    assert example["cluster"] == biggest["cluster"]
    assert sum(p["cluster"] == biggest["cluster"] for p in pages) == 16
    rows = list(csv.DictReader(io.StringIO(
        _cli("export", "clusters", "--db", db, "--format", "csv").output)))
    assert json.loads(rows[0]["domains"]) == biggest["domains"]
    # Unclustered pages (NULL) are in no cluster record; ids wiped by hand are outside what the
    # incremental run looks at (nothing new was stored), and --full brings them back.
    with engine.begin() as conn:
        conn.execute(update(Page).values(cluster=None))
    assert _cli("export", "clusters", "--db", db).output == ""
    again = _cli("cluster", "--db", db)
    assert again.exit_code == 0 and again.output.startswith("0 new or changed pages")
    assert _cli("export", "clusters", "--db", db).output == ""
    assert _cli("cluster", "--db", db, "--full").exit_code == 0
    assert len(_cli("export", "clusters", "--db", db).output.splitlines()) == len(clusters)
    engine.dispose()


def test_cluster_command_on_a_missing_database(tmp_path: Path) -> None:
    result = _cli("cluster", "--db", str(tmp_path / "nope.db"))
    assert result.exit_code == 1
    assert "no database at" in result.output and "Traceback" not in result.output


def test_a_crawl_clusters_and_scores_by_itself(tmp_path: Path) -> None:
    """Two sites (two local servers) run one template with shared numbers: after `triage crawl`
    alone, the cluster spans both and the numbers are scored."""
    from tests.conftest import FAST, run_triage
    from tests.httpserver import LocalServer, html

    farm = make_farm(31, operations=5, pages_per_operation=6, brands=6, news=2)
    ops = [p for p in farm.pages if p.operation in (0, 4)]  # one template, two operations
    servers = [LocalServer().start() for _ in range(2)]
    try:
        starts = []
        for k, server in enumerate(servers):
            mine = ops[k::2]
            server.routes["/"] = html("<html><body>" + "".join(
                f"<a href='/{i}.html'>{p.brand}售后</a>" for i, p in enumerate(mine))
                + "</body></html>")
            server.routes.update({f"/{i}.html": html(p.html) for i, p in enumerate(mine)})
            starts.append(f"http://127.0.0.1:{server.server_port}/")
        db = str(tmp_path / "crawl.db")
        args = ["crawl", *starts, "--db", db, "--depth", "1"]
        for server in servers:
            args += ["--allow-private", f"127.0.0.1:{server.server_port}"]
        for key, value in {**FAST, "TRIAGE_CLOAKING": "off"}.items():
            args += ["-s", f"{key}={value}"]
        proc = run_triage(*args)
        assert proc.returncode == 0, proc.stderr[-2000:]
    finally:
        for server in servers:
            server.stop()
    out = _cli("export", "clusters", "--db", db).output
    spam = [c for c in map(json.loads, out.splitlines()) if c["numbers"]]  # not the indexes
    assert len(spam) == 1 and spam[0]["pages"] == spam[0]["spam_pages"] == len(ops)
    assert len(spam[0]["domains"]) == 2
    assert set(spam[0]["numbers"]) == {n for p in ops for n in p.advertised}
    numbers = list(map(json.loads, _cli("export", "numbers", "--db", db).output.splitlines()))
    assert numbers and all(n["verdict"] == "fraud" for n in numbers)


def test_stored_phone_spans_mask_what_a_scan_would(tmp_path: Path) -> None:
    """Occurrence spans are stored with the page (``pages.spans``) and clustering masks the
    same template with them as the engine's phone finder would find by scanning again."""
    html = template_page(random.Random(5), 0, "瑞沐", "400-600-1122")
    a = analyze(html.encode("utf-8"), url="http://farm.example.cn/1.html")
    assert a.hits and all(a.text[h.start:h.end] for h in a.hits)
    spans = [(h.start, h.end) for h in a.hits]
    assert template_text(a.text, brands=a.brands, phones=spans) == template_text(a.text, brands=a.brands)
    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    try:
        store = Store(engine)
        run = store.start_run("test", {})
        store.save_pages(run, [{"url": a.url, "status": 200, "analysis": a}])
        with engine.connect() as conn:
            stored = conn.execute(select(Page.spans)).scalar_one()
    finally:
        engine.dispose()
    assert stored == {"phones": [[h.start, h.end, h.e164] for h in a.hits]}
