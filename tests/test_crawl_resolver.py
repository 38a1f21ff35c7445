"""The connection-time check on its own: with the request-time middleware switched off, every
address a name resolves to is still checked before connecting, so the trap stays untouched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import by_url, run_scrapy
from tests.httpserver import LocalServer, html, redirect
from tests.test_crawl_hostile import trap_targets

NO_GUARD = {"crawler.middlewares.netguard.PrivateAddressMiddleware": None}


@pytest.fixture(scope="module")
def crawl(trap: LocalServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    site = LocalServer().start()
    targets = trap_targets(trap.port)
    site.routes["/redirect"] = redirect(targets["localhost"] + "-redirect")
    site.routes["/ok"] = html("<p>fine</p>")
    links = "".join(f"<a href='{u}'>x</a>" for u in [*targets.values(), "/redirect", "/ok"])
    site.routes["/"] = html(f"<html><body>{links}</body></html>")
    out = tmp_path_factory.mktemp("resolver") / "items.jsonl"
    items, proc = run_scrapy(
        "hotlines", {"start_urls": site.url("/"), "follow_external": "1", "depth": "1"},
        {"DOWNLOADER_MIDDLEWARES": NO_GUARD, "TRIAGE_ALLOW_PRIVATE": f"127.0.0.1:{site.port}",
         "ITEM_PIPELINES": {"pipelines.items.analyze.AnalyzePipeline": 300}}, out=out)
    site.stop()
    return {"items": by_url(items), "proc": proc, "site": site, "targets": targets, "trap": trap}


def test_request_time_guard_is_really_off(crawl: dict[str, Any]) -> None:
    assert crawl["proc"].returncode == 0, crawl["proc"].stderr[-3000:]
    assert "triage/blocked" not in crawl["proc"].stderr


def test_trap_receives_nothing(crawl: dict[str, Any]) -> None:
    assert crawl["trap"].log == []


def test_allowed_site_is_still_fetched(crawl: dict[str, Any]) -> None:
    assert crawl["items"][crawl["site"].url("/ok")]["status"] == 200


@pytest.mark.parametrize("name", sorted(trap_targets(1)))
def test_every_spelling_is_refused_at_connection_time(crawl: dict[str, Any], name: str) -> None:
    [item] = [i for u, i in crawl["items"].items() if u.endswith(f"/{name}")]
    assert item["status"] == 0 and item["error"].startswith("blocked: "), item
    assert "address" in item["error"]  # the resolved address, not a name rule


def test_names_resolving_to_loopback_are_refused(crawl: dict[str, Any]) -> None:
    [item] = [i for u, i in crawl["items"].items() if u.endswith("/localhost")]
    assert item["error"] == "blocked: localhost resolves to loopback address 127.0.0.1"


def test_redirect_to_a_name_resolving_to_loopback_is_refused(crawl: dict[str, Any]) -> None:
    item = crawl["items"][crawl["site"].url("/redirect")]
    assert item["error"].startswith("blocked: localhost resolves to loopback"), item
    assert "redirected to" in item["error"]


def test_guard_installs_the_resolver_when_settings_do_not(trap: LocalServer, tmp_path: Path) -> None:
    """Run with Scrapy's stock resolver configured (as a foreign reactor setup would): the
    middleware puts the safe resolver in place before the first connection."""
    site = LocalServer().start()
    site.routes["/"] = html(f"<a href='http://127.0.0.1:{trap.port}/x'>x</a><a href='/ok'>ok</a>")
    site.routes["/ok"] = html("<p>fine</p>")
    try:
        items, proc = run_scrapy(
            "hotlines", {"start_urls": site.url("/"), "follow_external": "1",
                         "allow_private": f"127.0.0.1:{site.port}"},
            {"TWISTED_DNS_RESOLVER": "scrapy.resolver.CachingThreadedResolver",
             "ITEM_PIPELINES": {"pipelines.items.analyze.AnalyzePipeline": 300}},
            out=tmp_path / "items.jsonl")
    finally:
        site.stop()
    assert "installed the connection-time private-address check" in proc.stderr
    got = by_url(items)
    assert got[site.url("/ok")]["status"] == 200
    assert trap.log == []
