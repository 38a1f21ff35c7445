"""``triage report``: what the database holds, as readable tables.

The numbers come from :mod:`db.queries`; this module only lays them out with rich, so
``triage demo`` can print the same report through :func:`print_report`. Crawled text (brands,
domains, URLs) is shown as plain text, never interpreted as rich markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy import Engine

from db import queries
from db.serps import new_in_latest_discovery
from db.training import label_overrides
from triage.cli.common import DB_OPTION, open_db


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold")
    for i, col in enumerate(columns):
        table.add_column(col, justify="right" if i and isinstance(
            rows[0][i] if rows else "", int) else "left")
    for row in rows:
        table.add_row(*(Text(", ".join(v) if isinstance(v, list) else
                             "" if v is None else str(v)) for v in row))
    return table


def _section(console: Console, title: str, columns: Sequence[str],
             rows: Sequence[Sequence[Any]], empty: str) -> None:
    if rows:
        console.print(_table(title, columns, rows))
    else:
        console.print(Text(f"{title}: {empty}", style="bold"))
    console.print()


def print_report(engine: Engine, console: Console, limit: int = 10) -> None:
    """Print the whole report for the database behind ``engine``."""
    with engine.connect() as conn:
        totals = queries.totals(conn)
        verdicts = queries.verdict_counts(conn)
        labelled, overridden = label_overrides(conn)
        numbers = queries.top_numbers(conn, limit)
        brands = queries.top_brands(conn, limit)
        domains = queries.top_domains(conn, limit)
        new = queries.new_in_latest_run(conn, limit)
        found = new_in_latest_discovery(conn, limit)
    console.print(Text(
        f"{totals['pages']} pages on {totals['domains']} domains, {totals['numbers']} numbers, "
        f"{totals['brands']} brands, {totals['runs']} crawl runs", style="bold"))
    console.print()
    _section(console, "Verdicts", ("verdict", "pages"), verdicts, "no pages")
    if labelled:  # the counts are the model's; exports show a labelled page's label
        console.print(Text(f"Analysts' labels: {labelled} pages labelled (page, cluster or "
                           f"domain), {overridden} against the model's verdict; exports show "
                           "the label, `triage train` learns from them"))
        console.print()
    _section(console, "Top advertised numbers (by domains)",
             ("number", "kind", "place", "domains", "pages", "brands"),
             [(n["e164"], n["kind"], n["place"], n["domains"], n["pages"], n["brands"])
              for n in numbers], "no advertised numbers on spam pages")
    _section(console, "Brands impersonated", ("brand", "spam pages", "domains", "numbers"),
             [(b["brand"], b["pages"], b["domains"], b["numbers"]) for b in brands],
             "no brands on spam pages")
    _section(console, "Top domains (by spam pages)",
             ("domain", "spam pages", "pages", "numbers"),
             [(d["domain"], d["spam_pages"], d["pages"], d["numbers"]) for d in domains],
             "no spam pages")
    _print_operations(engine, console, limit)
    if new is not None:
        _print_new(console, new)
    if found is not None:
        _print_discovery(console, found)


def top_operations(engine: Engine, limit: int) -> list[dict[str, Any]]:
    """Issue 14: the largest operations (as ``triage export operations``), most domains first."""
    from investigate.operations import iter_operations

    with engine.connect() as conn:
        out = []
        for rec in iter_operations(conn):
            out.append(rec)
            if len(out) >= limit:
                break
    return out


def tie_line(ties: dict[str, int]) -> str:
    """What ties an operation, strong ties first: "2 advertised number, 1 ICP filing"."""
    from pipelines.operations import KIND_NAMES, WEAK_WEIGHTS

    order = sorted(ties, key=lambda k: (k in WEAK_WEIGHTS, -ties[k], k))
    return ", ".join(f"{ties[k]} {KIND_NAMES.get(k, k)}" for k in order)


def _print_operations(engine: Engine, console: Console, limit: int) -> None:
    ops = top_operations(engine, limit)
    _section(console, "Top operations (spam domains tied by shared numbers and identifiers)",
             ("operation", "domains", "pages", "numbers", "brands", "tied by", "new"),
             [(f"#{o['operation']}", len(o["domains"]), o["pages"], o["numbers"][:4]
               + (["…"] if len(o["numbers"]) > 4 else []), o["brands"][:3]
               + (["…"] if len(o["brands"]) > 3 else []), tie_line(o["ties"]),
               "new" if o["new"] else "") for o in ops],
             "none (no two spam domains share a number or an identifier)")


def _when(iso: str | None) -> str:
    return f"{iso[:16].replace('T', ' ')} UTC" if iso else "?"


def _print_new(console: Console, new: dict[str, Any]) -> None:
    run, prev = new["run"], new["previous"]
    since = (f"since run #{prev['id']} ({_when(prev['started_at'])})" if prev
             else "(first crawl run: everything is new)")
    console.print(Text(f"New in run #{run['id']} ({run['spider']}, {_when(run['started_at'])}, "
                       f"{run['outcome'] or 'unfinished'}) {since}", style="bold"))
    changes = ", ".join(f"{n} {field}" for field, n in new["changes"].items()) or "none"
    console.print(Text(
        f"  {new['new_numbers_total']} new numbers, {new['new_spam_pages_total']} new spam "
        f"pages, {len(new['new_spam_domains'])} new spam domains; changes on known pages: "
        f"{changes}"))
    if new["new_spam_domains"]:
        console.print(Text("  new spam domains: " + ", ".join(new["new_spam_domains"][:20])))
    console.print()
    if new["new_numbers"]:
        _section(console, "New numbers", ("number", "kind", "place", "domains"),
                 [(n["e164"], n["kind"], n["place"], n["domains"]) for n in new["new_numbers"]],
                 "")


def _print_discovery(console: Console, found: dict[str, Any]) -> None:
    run, prev = found["run"], found["previous"]
    since = (f"since discovery run #{prev['id']} ({_when(prev['started_at'])})" if prev
             else "(first discovery run: everything is new)")
    console.print(Text(
        f"Discovery run #{run['id']} ({run['kind']}, {_when(run['started_at'])}, "
        f"{run['outcome'] or 'unfinished'}: {run['queries'] or 0} queries, "
        f"{run['results'] or 0} results, {run['refusals']} refusals) found new {since}: "
        f"{found['new_urls_total']} URLs, {found['new_domains_total']} domains, "
        f"{found['new_numbers_total']} numbers", style="bold"))
    for label, key in (("new domains", "new_domains"), ("new numbers", "new_numbers"),
                       ("new URLs", "new_urls")):
        if found[key]:
            console.print(Text(f"  {label}: " + ", ".join(found[key])))
    console.print()


@click.command()
@DB_OPTION
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1),
              help="Rows per table.")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write a self-contained HTML report with charts to this file instead.")
def report(db: str, limit: int, html_file: str | None) -> None:
    """Summarise the database: verdicts, numbers, brands, domains, what is new."""
    engine = open_db(db, read_only=True)  # reads only: an archived copy opens
    try:
        if html_file:
            from triage.report import write_report

            try:
                click.echo(write_report(engine, html_file, limit))
            except OSError as exc:
                raise click.ClickException(f"cannot write {html_file}: {exc.strerror or exc}; "
                                           "pass another --html FILE") from None
            return
        print_report(engine, Console(), limit)
    finally:
        engine.dispose()
