"""``triage export pages|numbers|clusters|blocklist|serps|operations|identifiers``: stored results
as JSON lines, a JSON array or CSV on stdout.

CSV cells holding lists or objects (``reasons``, ``numbers``, ``brands``, ``domains``, ...) are
JSON-encoded, so nothing is lost and a spreadsheet still shows them readably; booleans are
``true``/``false`` and missing values are empty cells.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any, TextIO

import click
from sqlalchemy import Connection

from db import queries
from pipelines.types import VERDICTS
from triage.cli.common import DB_OPTION, open_db

Exporter = Callable[[Connection, str | None], Iterator[dict[str, Any]]]


def _clusters(conn: Connection, verdict: str | None) -> Iterator[dict[str, Any]]:
    from investigate.clusters import iter_clusters  # numpy and datasketch only when asked for

    return iter_clusters(conn, verdict)


def _blocklist(conn: Connection, verdict: str | None,
               min_evidence: int = 0) -> Iterator[dict[str, Any]]:
    from db.blocklist import iter_blocklist
    from pipelines.official import official_map

    return iter_blocklist(conn, verdict, also_official=official_map(), min_evidence=min_evidence)


def _serps(conn: Connection, verdict: str | None) -> Iterator[dict[str, Any]]:
    from db.serps import iter_serps

    return iter_serps(conn, verdict)


def _changes(conn: Connection, verdict: str | None, since: Any = None) -> Iterator[dict[str, Any]]:
    from triage.recrawl import iter_changes

    return iter_changes(conn, verdict, since=since)


def _operations(conn: Connection, verdict: str | None) -> Iterator[dict[str, Any]]:
    from investigate.operations import iter_operations

    return iter_operations(conn, verdict)


def _identifiers(conn: Connection, verdict: str | None) -> Iterator[dict[str, Any]]:
    from db.identifiers import iter_identifiers

    return iter_identifiers(conn, verdict)


# kind -> (records, CSV columns). Later kinds (changes, clusters, blocklist) are added here.
EXPORTS: dict[str, tuple[Exporter, tuple[str, ...]]] = {
    "pages": (queries.iter_pages, (
        "url", "final_url", "domain", "status", "error", "fetched_at", "title", "verdict",
        "model_verdict", "label", "score", "reasons", "numbers", "brands", "padding_ratio", "padding", "content_hash",
        "cluster", "flags", "first_seen", "last_seen", "found_by", "identifiers",
        # Evidence of a cloaking check: what differed, who we claimed to be, the Referer sent.
        "cloaking_kinds", "profile", "referrer", "referer_sent")),
    "serps": (_serps, (
        "query", "engine", "page", "rank", "url", "title", "snippet", "numbers", "fetched_at",
        "run_id", "domain", "brand", "pivot")),
    "numbers": (queries.iter_numbers, (
        "e164", "kind", "place", "carrier", "pages", "domains", "brands", "advertised",
        "first_seen", "last_seen", "score", "verdict")),
    "clusters": (_clusters, (
        "cluster", "pages", "domains", "numbers", "brands", "example_url", "spam_pages")),
    "changes": (_changes, ("url", "field", "old", "new", "at", "run_id")),
    "blocklist": (_blocklist, (  # db.blocklist.COLUMNS
        "number", "verdict", "score", "source", "label", "evidence", "reason", "domains",
        "pages", "brands", "kind", "place", "first_seen", "last_seen", "example_urls",
        "mentions", "mentioned_on")),
    # Issue 14: operations (spam domains tied by what they share) and the identifier pivot list.
    "operations": (_operations, (
        "operation", "domains", "pages", "numbers", "brands", "identifiers", "first_seen",
        "last_seen", "links", "ties", "new")),
    "identifiers": (_identifiers, (
        "kind", "value", "pages", "spam_pages", "domains", "first_seen", "last_seen")),
}


def csv_cell(value: Any) -> str:
    """One CSV cell: lists and objects as JSON, booleans as true/false, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_records(records: Iterator[dict[str, Any]], columns: tuple[str, ...], fmt: str,
                  out: TextIO) -> int:
    """Write ``records`` as jsonl, json (one array) or csv to ``out``; returns how many were
    written."""
    n = 0
    if fmt == "json":
        out.write("[")
        for rec in records:
            out.write(("," if n else "") + "\n" + json.dumps(rec, ensure_ascii=False))
            n += 1
        out.write("\n]\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for rec in records:
            writer.writerow([csv_cell(rec.get(c)) for c in columns])
            n += 1
    else:
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


@click.command()
@click.argument("kind", type=click.Choice(sorted(EXPORTS)))
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "csv"]), default="jsonl",
              show_default=True, help="jsonl: one JSON object per line; json: one array; csv: a "
              "header row, lists JSON-encoded in their cells.")
@click.option("--verdict", type=click.Choice(VERDICTS), default=None,
              help="Only pages with this verdict (for numbers: numbers seen on such pages).")
@click.option("--since", default=None, metavar="TIME|DURATION",
              help="changes: only those at or after this time (2026-11-30, 2026-11-30T08:00Z) "
              "or this long ago (12h, 7d).")
@click.option("--min-evidence", "min_evidence", type=click.IntRange(0), default=None,
              metavar="N", help="blocklist: only numbers advertised on at least N spam pages.")
def export(kind: str, db: str, fmt: str, verdict: str | None, since: str | None,
           min_evidence: int | None) -> None:
    """Export stored pages, numbers, template clusters, the number blocklist, search results
    (serps), operations or identifiers to stdout."""
    engine = open_db(db, read_only=True)  # reads only: an archived copy opens
    records, columns = EXPORTS[kind]
    if min_evidence is not None:
        from functools import partial

        if kind != "blocklist":
            raise click.UsageError("--min-evidence applies to `triage export blocklist` only")
        records = partial(records, min_evidence=min_evidence)
    if since is not None:
        from functools import partial

        from triage.recrawl import parse_since

        if kind != "changes":
            raise click.UsageError("--since applies to `triage export changes` only")
        try:
            records = partial(records, since=parse_since(since))
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--since") from None
    try:
        with engine.connect() as conn:
            write_records(records(conn, verdict), columns, fmt, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:  # `triage export pages | head`: the reader has had enough
        sys.stderr.close()
    finally:
        engine.dispose()
