"""``triage demo``: crawl a bundled synthetic farm on 127.0.0.1 and show what triage finds.

Works offline: the demo web (:mod:`triage.demo.site`) is served from this process on random
free ports, and only those ports are allowed past the private-address guard; the farm's links
to 127.0.0.1 on another port, to ``localhost`` and to a cloud metadata address are refused and
show up as blocked pages. Re-running the demo starts its database afresh (the ports, and so the
URLs, change between runs); a database holding other crawls is never deleted.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import click

from triage.cli.common import fail

DEFAULT_DEMO_DB = "triage-demo.db"


def reset_demo_database(db: str) -> None:
    """Delete a SQLite database left by an earlier demo; refuse one holding other crawls."""
    from db.engine import DatabaseError, to_url

    try:
        url = to_url(db)
    except DatabaseError as exc:
        fail(str(exc))
    path = Path(url.database or "") if url.get_backend_name() == "sqlite" else None
    if path is None or not path.is_file():
        return
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            runs = [json.loads(args or "{}") for (args,) in conn.execute("select args from crawl_runs")]
    except (sqlite3.Error, ValueError):
        runs = [{}]
    if not all(isinstance(r, dict) and r.get("demo") for r in runs):
        fail(f"{path} holds data that is not from the demo; pass another --db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)



@click.command()
@click.option("--db", default=DEFAULT_DEMO_DB, show_default=True,
              help="Database for the demo crawl: a file path or a SQLAlchemy URL.")
def demo(db: str) -> None:
    """Crawl a bundled synthetic web of fake-hotline farms and print the report."""
    from rich.console import Console

    from crawler.progress import CrawlProgress
    from crawler.runner import run_crawl
    from triage.cli.crawl import check_database, print_summary
    from triage.demo.site import DemoSite

    reset_demo_database(db)
    check_database(db)
    with DemoSite() as site:
        click.echo(f"Serving the demo web on {len(site.allow_private)} local sites; crawling "
                   f"from {site.start_url}")
        outcome = run_crawl("hotlines", {
            "start_urls": [site.start_url], "db": db, "depth": 3, "follow_external": True,
            "allow_private": site.allow_private, "demo": "1",
        }, settings={"LOG_LEVEL": "ERROR"}, progress=CrawlProgress())
    print_summary(outcome, db)
    if not outcome.ran_to_end:
        fail(f"the demo crawl did not finish ({outcome.error or outcome.finish_reason})")
    click.echo()
    print_report_for(db, Console())
    click.echo("\nLook further:")
    for command in (f"triage report --db {db}",
                    f"triage export pages --db {db} --verdict hotline_spam",
                    f"triage export numbers --db {db} --format csv",
                    f"sqlite3 {db} 'select url, verdict, error from pages'"):
        click.echo(f"  {command}")


def print_report_for(db: str, console: object) -> None:
    from db.engine import make_engine
    from triage.cli.report import print_report

    engine = make_engine(db)
    try:
        print_report(engine, console)  # type: ignore[arg-type]
    finally:
        engine.dispose()
