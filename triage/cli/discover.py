"""``triage discover``: search a SearXNG instance for candidate pages, keep every results page,
and with ``--crawl`` crawl what was found in the same run.

Queries come from ``--query`` (repeatable), ``--queries-file`` (one a line) or ``--brands-file``
(``brand`` or ``brand<TAB>category`` a line, expanded through the query templates of
:mod:`pipelines.discovery`, or ``--templates-file``). Every results page is stored in
``serp_results`` (``triage export serps``). Engines that stop answering are reported and
skipped; the run exits 0 with what it got. ``triage pivot`` (:mod:`triage.cli.pivot`) shares
the backend and crawl options defined here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from triage.cli.common import DB_OPTION, fail
from triage.cli.crawl import check_allow_private, check_database, print_summary, scrapy_settings


def backend_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--db, --searxng, --engines, --language, --pages, --delay and the --crawl options."""
    options = [
        DB_OPTION,
        click.option("--searxng", default=None, envvar="TRIAGE_SEARXNG_URL", metavar="URL",
                     help="The SearXNG instance (or setting/env TRIAGE_SEARXNG_URL)."),
        click.option("--engines", default="", metavar="LIST",
                     help="Comma-separated SearXNG engines (default: the instance's own)."),
        click.option("--language", default="zh-CN", show_default=True,
                     help="Search language sent to SearXNG ('' for the instance default)."),
        click.option("--pages", default=2, show_default=True, type=click.IntRange(1, 50),
                     help="Result pages to ask for per query."),
        click.option("--delay", default=2.0, show_default=True, type=click.FloatRange(0),
                     help="Seconds to wait between two calls to the instance."),
        click.option("--crawl", "do_crawl", is_flag=True,
                     help="Crawl the result URLs in the same run (those showing a number first)."),
        click.option("--depth", default=1, show_default=True, type=click.IntRange(0),
                     help="With --crawl: links to follow away from a result URL."),
        click.option("--max-pages", default=0, show_default=True, type=click.IntRange(0),
                     help="With --crawl: stop after trying this many URLs (0: no limit)."),
        click.option("--job-dir", "job_dir", type=click.Path(file_okay=False), default=None,
                     help="With --crawl: keep the crawl's frontier here (resumable)."),
        click.option("--allow-private", "allow_private", multiple=True, metavar="HOST[:PORT]",
                     help="Allow fetching this private/local target (repeatable)."),
        click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
                     help="Override a Scrapy setting for the crawl (repeatable)."),
        click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log (INFO level)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def searxng_url(given: str | None, overrides: Sequence[str]) -> str:
    """--searxng, else the TRIAGE_SEARXNG_URL setting (-s or crawler/settings.py)."""
    if given:
        url = given
    else:
        settings = dict(item.partition("=")[::2] for item in overrides)
        url = settings.get("TRIAGE_SEARXNG_URL", "")
        if not url:
            from crawler.settings import TRIAGE_SEARXNG_URL

            url = TRIAGE_SEARXNG_URL
    if not url:
        fail("no SearXNG instance: pass --searxng URL or set TRIAGE_SEARXNG_URL")
    if not url.lower().startswith(("http://", "https://")):
        fail(f"bad --searxng {url!r}: expected an http:// or https:// URL")
    return url


def read_lines(path: str, what: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        fail(f"cannot read {what} {path}: {reason}")


def run_discovery(kind: str, jobs: Sequence[Any], opts: dict[str, Any]) -> None:
    """Search every job, store the answers, report, and with --crawl crawl what was found."""
    from triage.cli.crawl_scale import lock_database, lock_job

    base = searxng_url(opts["searxng"], opts["overrides"])
    check_allow_private(opts["allow_private"])
    settings = scrapy_settings(opts["overrides"], opts["verbose"])
    db = opts["db"]
    check_database(db)
    if opts["do_crawl"]:  # a search alone writes a few short transactions: no lock needed
        lock_database(db)
    if opts["do_crawl"] and opts["job_dir"]:
        lock_job(opts["job_dir"])
        settings["TRIAGE_JOB_DIR"] = opts["job_dir"]

    from db.engine import make_engine
    from triage.searxng import DiscoveryError, Searcher

    engine = make_engine(db)
    engines = [e.strip() for e in opts["engines"].split(",") if e.strip()]
    searcher = Searcher(engine, base, engines, language=opts["language"], pages=opts["pages"],
                        delay=opts["delay"], say=lambda line: click.echo(line, err=True))
    args = {"searxng": base, "engines": engines, "pages": opts["pages"],
            "queries": [j.query for j in jobs][:1000], "crawl": opts["do_crawl"]}
    try:
        summary = searcher.run(kind, jobs, args)
    except DiscoveryError as exc:
        fail(str(exc), 1)
    finally:
        engine.dispose()
    click.echo(f"Searched {summary.queries} queries ({summary.calls} calls): {summary.results} "
               f"results, {len(summary.urls)} distinct URLs, {summary.with_numbers} showing a "
               f"number; stored as run {summary.run_id} in {db}.")
    if summary.refusals:
        dead = ", ".join(f"{k} ({v or 'no reason'})" for k, v in summary.dead_engines.items())
        click.echo(f"{len(summary.refusals)} refusals"
                   + (f"; engines that stopped answering: {dead}" if dead else "")
                   + (f"; stopped early: {summary.stopped}" if summary.stopped else "")
                   + f". See: triage export serps --db {db}")
    if not opts["do_crawl"] or not summary.urls:
        sys.exit(0)
    from crawler.progress import CrawlProgress
    from crawler.runner import run_crawl

    outcome = run_crawl("hotlines", {
        "start_urls": summary.crawl_order(), "db": db, "depth": opts["depth"],
        "max_pages": opts["max_pages"], "follow_external": False,
        "allow_private": list(opts["allow_private"]),
    }, settings=settings, progress=CrawlProgress())
    print_summary(outcome, db)
    if outcome.error:
        fail(f"the crawl could not run: {outcome.error}")
    sys.exit(0 if outcome.ran_to_end else 1)


def brand_jobs(path: str, templates_file: str | None, cities: int, seed: int) -> list[Any]:
    from pipelines.discovery import (
        QUERY_TEMPLATES,
        expand_brand,
        parse_brand_lines,
        parse_templates,
    )
    from triage.searxng import Job

    templates: Sequence[str] = QUERY_TEMPLATES
    if templates_file:
        try:
            templates = parse_templates(read_lines(templates_file, "templates file"))
        except ValueError as exc:
            fail(f"{templates_file}: {exc}")
        if not templates:
            fail(f"no templates in {templates_file}: one template a line, with {{brand}}")
    lines = parse_brand_lines(read_lines(path, "brands file"))
    if not lines:
        fail(f"no brands in {path}: one brand a line, optionally a tab and a category")
    jobs: dict[str, Job] = {}
    for line in lines:
        for query in expand_brand(line, templates=templates, n_cities=cities, seed=seed):
            jobs.setdefault(query, Job(query, brand=line.brand))
    return list(jobs.values())


@click.command()
@backend_options
@click.option("--query", "queries", multiple=True, metavar="Q", help="A query (repeatable).")
@click.option("--queries-file", type=click.Path(dir_okay=False), default=None,
              help="File with one query a line (# comments allowed).")
@click.option("--brands-file", type=click.Path(dir_okay=False), default=None,
              help="File with one brand a line, optionally TAB category: expanded through "
              "the query templates.")
@click.option("--templates-file", type=click.Path(dir_okay=False), default=None,
              help="With --brands-file: templates to use instead of the built-in list "
              "({brand}, {category}, {city}).")
@click.option("--cities", default=3, show_default=True, type=click.IntRange(0),
              help="With --brands-file: cities sampled from the gazetteer per brand.")
@click.option("--seed", default=0, show_default=True, type=int,
              help="With --brands-file: the city sample's seed (same seed, same cities).")
def discover(queries: tuple[str, ...], queries_file: str | None, brands_file: str | None,
             templates_file: str | None, cities: int, seed: int, **opts: Any) -> None:
    """Search SearXNG for candidate pages, store every result, optionally crawl them."""
    from triage.searxng import Job

    if sum(bool(x) for x in (queries, queries_file, brands_file)) != 1:
        fail("give exactly one of --query Q..., --queries-file F or --brands-file F")
    if brands_file:
        jobs = brand_jobs(brands_file, templates_file, cities, seed)
    else:
        lines = list(queries) or [line.strip() for line in read_lines(
            str(queries_file), "queries file")]
        jobs = list({q: Job(q) for q in lines if q and not q.startswith("#")}.values())
        if not jobs:
            fail(f"no queries in {queries_file}: one query a line")
    run_discovery("discover", jobs, opts)

