"""``triage crawl URL...``: crawl, analyse and store, with live progress and a summary.

Everything that can be wrong before crawling (no URLs, an unreadable URL file, a bad
``--allow-private`` entry, an unusable ``--db``) is checked first and reported in one line with
exit status 2. A crawl that runs to its end exits 0 however many pages failed: failures are
results, stored with their error. A crawl stopped by a signal keeps every page it fetched and
exits 130 (Ctrl-C), 143 (SIGTERM) or 129 (SIGHUP): see crawler/interrupts.py.
"""

from __future__ import annotations

import sys

import click

from triage.cli.common import DB_OPTION, fail
from triage.cli.crawl_scale import lock_database, scale_options  # --job-dir, --recrawl


def gather_urls(urls: tuple[str, ...], urls_file: str | None, verb: str = "crawl") -> list[str]:
    """URL arguments plus the URL file's lines; exits with one line if unreadable or empty."""
    from crawler.spiders.base import read_urls_file

    start = list(urls)
    if urls_file:
        try:
            start += read_urls_file(urls_file)
        except ValueError as exc:
            fail(str(exc))
    if not start:
        fail(f"no URLs to {verb}: pass URL arguments or --urls-file FILE")
    from triage.cli.crawl_failures import check_start_urls

    problem = check_start_urls(start)
    if problem:
        fail(problem)
    return start


def check_allow_private(entries: tuple[str, ...]) -> None:
    """Exit with one line on the first malformed ``--allow-private`` entry."""
    from crawler.netsafety import parse_allow_entry

    for entry in entries:
        try:
            parse_allow_entry(entry)
        except ValueError as exc:
            fail(str(exc))


def scrapy_settings(overrides: tuple[str, ...], verbose: bool) -> dict[str, str]:
    """Settings for the crawl process: the log level and ``-s NAME=VALUE`` overrides."""
    settings = {"LOG_LEVEL": "INFO" if verbose else "WARNING"}
    if not verbose:  # "Gave up retrying ...": the summary lists failed URLs with the fix
        import logging

        # A filter, not a level: Scrapy's logging set-up resets the levels of child loggers.
        logging.getLogger("scrapy.downloadermiddlewares.retry").addFilter(
            lambda record: not record.getMessage().startswith("Gave up retrying"))
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            fail(f"bad -s {item!r}: expected NAME=VALUE")
        settings[name.strip()] = value
    return settings


def check_database(db: str) -> None:
    """Open (create, migrate) the database once, so a bad ``--db`` fails before crawling."""
    from db.engine import DatabaseError, make_engine

    try:
        make_engine(db).dispose()
    except DatabaseError as exc:
        fail(str(exc))
    except Exception as exc:  # noqa: BLE001 - a broken migration must still be one line
        fail(f"cannot prepare database {db}: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}")


def start_workers(db: str, settings: dict[str, str]) -> None:
    """Start the crawl's analysis workers now, so that they import the engine while this
    process imports Scrapy (about a second each on a small machine); the crawl's pipeline takes
    them if its settings and model match (:func:`pipelines.items.analyze.prestart`)."""
    from crawler import settings as defaults

    if settings.get("TRIAGE_ANALYSIS_MODE", defaults.TRIAGE_ANALYSIS_MODE) != "process":
        return
    try:
        workers = int(settings.get("TRIAGE_ANALYSIS_WORKERS", defaults.TRIAGE_ANALYSIS_WORKERS))
    except ValueError:
        return  # the pipeline reports the bad setting
    from db.engine import make_engine
    from db.verdict_models import active_artefact
    from pipelines.items.analyze import default_workers, prestart

    try:
        engine = make_engine(db)
        try:
            with engine.connect() as conn:
                found = active_artefact(conn)
        finally:
            engine.dispose()
    except Exception:  # noqa: BLE001 - the crawl's own model read reports it, in one line
        return
    prestart(workers or default_workers(), found[1] if found is not None else None)


@click.command()
@scale_options
@click.argument("urls", nargs=-1)
@click.option("--urls-file", "urls_file", type=click.Path(dir_okay=False),
              help="File with start URLs, one per line (# comments allowed).")
@DB_OPTION
@click.option("--depth", default=2, show_default=True, type=click.IntRange(0),
              help="Links to follow away from a start URL (0: start URLs only).")
@click.option("--max-pages", default=0, show_default=True, type=click.IntRange(0),
              help="Stop after trying this many URLs (0: no limit).")
@click.option("--follow-external", is_flag=True,
              help="Also follow links to other sites (default: the start URLs' sites only).")
@click.option("--allow-private", "allow_private", multiple=True, metavar="HOST[:PORT]",
              help="Allow fetching this private/local target (repeatable).")
@click.option("--spider", type=click.Choice(["hotlines", "sitemap"]), default="hotlines",
              show_default=True, help="hotlines follows links; sitemap reads sitemaps.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting (repeatable), e.g. -s DOWNLOAD_TIMEOUT=10.")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log (INFO level).")
@click.option("--archive", "archive", type=click.Path(file_okay=False), default=None,
              help="WARC archive directory (default: triage-archive/ beside the SQLite file).")
def crawl(urls: tuple[str, ...], urls_file: str | None, db: str, depth: int, max_pages: int,
          follow_external: bool, allow_private: tuple[str, ...], spider: str,
          overrides: tuple[str, ...], verbose: bool, archive: str | None) -> None:
    """Crawl from URLS, triage every page and store the results in --db."""
    start = gather_urls(urls, urls_file)
    check_allow_private(allow_private)
    settings = scrapy_settings(overrides, verbose)
    if archive:
        settings["TRIAGE_ARCHIVE_DIR"] = archive
    check_database(db)
    lock_database(db)  # a second crawl into the same SQLite file is refused
    start_workers(db, settings)

    from crawler.progress import CrawlProgress
    from crawler.runner import run_crawl

    outcome = run_crawl(spider, {
        "start_urls": start, "db": db, "depth": depth, "max_pages": max_pages,
        "follow_external": follow_external, "allow_private": list(allow_private),
    }, settings=settings, progress=CrawlProgress())
    print_summary(outcome, db)
    if outcome.error:
        fail(f"the crawl could not run: {outcome.error}")
    if outcome.exit_code == 0 and start_urls_all_failed(outcome, db, start):
        fail("no start URL could be fetched (see the failures above)", code=1)
    sys.exit(outcome.exit_code)


def _run_failures(outcome: object, db: str) -> tuple[object, int] | None:
    run_id = getattr(outcome, "stats", {}).get("triage/run_id")
    if run_id is None:
        return None
    from db.engine import make_engine

    return make_engine(db), int(run_id)


def start_urls_all_failed(outcome: object, db: str, start: list[str]) -> bool:
    found = _run_failures(outcome, db)
    if found is None:
        return False
    from triage.cli.crawl_failures import none_fetched

    engine, run_id = found
    try:
        return none_fetched(engine, run_id, start)  # type: ignore[arg-type]
    finally:
        engine.dispose()  # type: ignore[attr-defined]


def print_summary(outcome: object, db: str) -> None:
    """The end-of-crawl lines: what was found, how it ended, where to look next."""
    from crawler.runner import CrawlOutcome

    assert isinstance(outcome, CrawlOutcome)
    snap = outcome.summary
    click.echo(f"Crawl {outcome.how()} in {snap.elapsed:.1f} s: {snap.line()}.")
    if outcome.stats.get("triage/stored") is not None:
        click.echo(f"Stored {outcome.stats['triage/stored']} pages in {db}. Next: "
                   f"triage report --db {db}  |  triage export pages --db {db}")
    unanalysed = int(outcome.stats.get("triage/not_analysed", 0))
    if unanalysed:
        click.echo(f"{unanalysed} of them were fetched but not analysed (stopped twice); the "
                   "next crawl of these URLs analyses them.")
    found = _run_failures(outcome, db)
    if found is not None:
        from triage.cli.crawl_failures import failure_lines

        engine, run_id = found
        try:
            lines = failure_lines(engine, run_id)  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - the summary must not fail the crawl
            lines = []
        finally:
            engine.dispose()  # type: ignore[attr-defined]
        if lines:
            click.echo("URLs that got no response:")
            click.echo("\n".join(lines))
    lost = int(outcome.stats.get("triage/store_failed", 0))
    if lost:
        click.echo(f"{lost} fetched pages could not be stored (see the log above).")
