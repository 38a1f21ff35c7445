"""AnalyzePipeline on real responses' bodies: analysis set, body dropped, stats counted, and an
engine failure kept on its page."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

import pipelines.analyze
from db.engine import make_engine
from db.verdict_models import reset, save_model
from pipelines import model as M
from pipelines.items.analyze import AnalyzePipeline
from pipelines.types import PageAnalysis

SPAM = ("<html><head><meta charset='gbk'><title>澜拓净水器售后服务电话</title></head><body>"
        "<h1>澜拓净水器全国统一24小时售后维修服务热线</h1>"
        + "<p>澜拓净水器厂家总部售后统一热线:(1)400-612-7788(点击咨询)</p>" * 5
        + "<p>服务区域:杭州市西湖区、宁波市鄞州区、温州市鹿城区、嘉兴市南湖区、湖州市吴兴区</p></body></html>")


def make_item(body: bytes, content_type: str = "text/html; charset=gbk", error: str = "") -> dict[str, Any]:
    return {"url": "http://spam.example.cn/a", "final_url": "http://spam.example.cn/a",
            "status": 200, "error": error, "headers": {"content-type": content_type},
            "body": body, "analysis": None}


def run(pipe: AnalyzePipeline, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    async def go() -> list[dict[str, Any]]:
        await pipe.open_spider()
        try:
            return [await pipe.process_item(i) for i in items]
        finally:
            pipe.close_spider()
    return asyncio.run(go())


@pytest.mark.parametrize("mode", ["inline", "thread", "process"])
def test_analysis_in_every_mode(mode: str) -> None:
    crawler = get_crawler(settings_dict={"TRIAGE_ANALYSIS_MODE": mode, "TRIAGE_ANALYSIS_WORKERS": 1})
    crawler.stats.open_spider()
    pipe = AnalyzePipeline.from_crawler(crawler)
    [item] = run(pipe, [make_item(SPAM.encode("gbk"))])
    assert isinstance(item["analysis"], PageAnalysis) and "body" not in item
    assert item["analysis"].verdict == "hotline_spam"
    assert [p.e164 for p in item["analysis"].numbers] == ["+864006127788"]
    stats = crawler.stats.get_stats()
    assert stats["triage/pages"] == stats["triage/spam"] == stats["triage/numbers"] == 1


def test_binary_and_failed_items_are_passed_through_unanalysed() -> None:
    crawler = get_crawler(settings_dict={"TRIAGE_ANALYSIS_MODE": "inline"})
    crawler.stats.open_spider()
    items = run(AnalyzePipeline.from_crawler(crawler), [
        make_item(b"", "image/png", error="binary body (image/png)"),
        make_item(b"", "", error="blocked: loopback address 127.0.0.1"),
        make_item(b"<?xml version='1.0'?><urlset/>", "application/xml"),
    ])
    assert all(i["analysis"] is None and "body" not in i for i in items)
    assert crawler.stats.get_value("triage/errors") == 2
    assert crawler.stats.get_value("triage/pages") == 3


def test_engine_failure_becomes_the_items_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> PageAnalysis:
        raise RecursionError("maximum recursion depth exceeded\nwhile parsing")

    monkeypatch.setattr(pipelines.analyze, "analyze", broken)  # the engine is the collaborator here
    crawler = get_crawler(settings_dict={"TRIAGE_ANALYSIS_MODE": "inline"})
    crawler.stats.open_spider()
    [item] = run(AnalyzePipeline.from_crawler(crawler), [make_item(b"<p>x</p>", error="http 500")])
    assert item["error"] == "http 500; analysis failed: RecursionError: maximum recursion depth exceeded while parsing"
    assert item["analysis"] is None


def test_unknown_mode_is_one_line() -> None:
    crawler = get_crawler(settings_dict={"TRIAGE_ANALYSIS_MODE": "gpu"})
    with pytest.raises(ValueError, match="bad TRIAGE_ANALYSIS_MODE 'gpu'"):
        AnalyzePipeline.from_crawler(crawler)


@pytest.mark.parametrize("mode", ["inline", "process"])
def test_the_databases_active_model_reaches_the_workers(mode: str, tmp_path: Any) -> None:
    """Issue 10: a crawl writing a database analyses with its active model (here one whose
    spam threshold no page reaches), in the crawl process and in the worker pool alike."""
    db = str(tmp_path / "m.db")
    engine = make_engine(db)
    artefact = json.loads(M.ARTEFACT.read_text(encoding="utf-8"))
    artefact["thresholds"]["spam"] = 1.0
    save_model(engine, artefact, {"rows": 0}, None)
    settings = {"TRIAGE_ANALYSIS_MODE": mode, "TRIAGE_ANALYSIS_WORKERS": 1, "TRIAGE_DB": db,
                "ITEM_PIPELINES": {"pipelines.items.store.StorePipeline": 900}}

    def verdict() -> str:
        crawler = get_crawler(settings_dict=settings)
        crawler.stats.open_spider()
        [item] = run(AnalyzePipeline.from_crawler(crawler), [make_item(SPAM.encode("gbk"))])
        return str(item["analysis"].verdict)

    assert verdict() == "clean"
    reset(engine)  # back to the shipped model
    assert verdict() == "hotline_spam"
    engine.dispose()


def test_the_workers_module_loads_neither_scrapy_nor_the_database() -> None:
    """Analysis workers import this module to run their tasks: with Scrapy and the database
    layer imported there (as a module-level import of the model loader once did), workers
    died on the first Ctrl-C of a crawl instead of ignoring it."""
    import subprocess
    import sys

    code = ("import sys, pipelines.items.analyze\n"
            "print(sorted(m for m in ('scrapy', 'sqlalchemy', 'twisted') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "[]"
