"""``triage review label|list|history``: analyst labels from the command line.

Labels are added, never overwritten (see :mod:`db.labels`): ``history`` shows every label a
target was given, with who and when.
"""

from __future__ import annotations

import getpass
import json
import re
from collections.abc import Sequence
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from db import labels
from pipelines.types import VERDICTS
from triage.cli.common import DB_OPTION, open_db


def _default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def guess_type(target: str) -> str:
    """What a bare TARGET names: a URL is a page, digits are a cluster, a phone-like string a
    number, anything else a domain."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", target, re.IGNORECASE):
        return "page"
    if target.isdigit() and len(target) < 7:
        return "cluster"
    if re.fullmatch(r"[+\d][\d\s()-]{5,}", target):
        return "number"
    return "domain"


def _print(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, title: str) -> None:
    if fmt == "jsonl":
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
        return
    console = Console()
    if not rows:
        console.print(Text(f"{title}: none"))
        return
    table = Table(title=title, title_justify="left")
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*(Text("" if r.get(c) is None else
                             f"{r[c]:.3f}" if isinstance(r[c], float) else str(r[c]))
                        for c in columns))
    console.print(table)


@click.group()
def review() -> None:
    """Label pages, numbers, domains and clusters; list and trace labels."""


@review.command("label")
@click.argument("target_type", type=click.Choice(labels.TARGET_TYPES))
@click.argument("target")
@click.argument("label", type=click.Choice(labels.LABELS))
@click.option("--note", default="", help="Why (kept with the label).")
@click.option("--reviewer", default=_default_reviewer, envvar="TRIAGE_REVIEWER",
              show_default="your login name", help="Who is labelling.")
@DB_OPTION
def label_cmd(target_type: str, target: str, label: str, note: str, reviewer: str,
              db: str) -> None:
    """Label TARGET (a page URL, number, domain or cluster id) as LABEL.

    A cluster label applies to every page of the cluster. Earlier labels are kept.
    """
    engine = open_db(db)
    try:
        saved = labels.add_label(engine, target_type, target, label, reviewer=reviewer,
                                 note=note)
    except labels.LabelError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
    click.echo(f"labelled {target_type} {saved['target']} {label} (#{saved['id']}, "
               f"{saved['reviewer']}, {saved['created_at']})")


@review.command("list")
@click.option("--unreviewed", is_flag=True,
              help="Analysed pages nobody labelled (directly or via their cluster), highest "
                   "score first.")
@click.option("--type", "target_type", type=click.Choice(labels.TARGET_TYPES), default=None,
              help="Only current labels of this kind of target.")
@click.option("--verdict", type=click.Choice(VERDICTS),
              default=None, help="With --unreviewed: only pages with this verdict.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table",
              show_default=True)
@DB_OPTION
def list_cmd(unreviewed: bool, target_type: str | None, verdict: str | None, limit: int,
             fmt: str, db: str) -> None:
    """Current labels (the latest per target), or with --unreviewed the pages still to do."""
    engine = open_db(db, read_only=True)
    try:
        with engine.connect() as conn:
            if unreviewed:
                rows = labels.unreviewed_pages(conn, verdict, limit)
                _print(rows, ("score", "verdict", "cluster", "domain", "url"), fmt,
                       "Unreviewed pages")
            else:
                rows = labels.latest_labels(conn, target_type, limit)
                _print(rows, ("created_at", "target_type", "target", "label", "reviewer",
                              "note"), fmt, "Current labels")
    finally:
        engine.dispose()


@review.command("history")
@click.argument("target")
@click.option("--type", "target_type", type=click.Choice(labels.TARGET_TYPES), default=None,
              help="What TARGET is (guessed when omitted: URL, cluster id, number, domain).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table",
              show_default=True)
@DB_OPTION
def history_cmd(target: str, target_type: str | None, fmt: str, db: str) -> None:
    """Every label TARGET was given, oldest first (for a page, also its cluster's)."""
    target_type = target_type or guess_type(target)
    engine = open_db(db, read_only=True)
    try:
        with engine.connect() as conn:
            try:
                key = labels.resolve_target(conn, target_type, target)
            except labels.LabelError as exc:
                raise click.ClickException(str(exc)) from None
            rows = labels.history(conn, target_type, key)
            if target_type == "page":
                cluster = labels.page_cluster(conn, key)
                if cluster is not None:
                    rows = sorted(rows + labels.history(conn, "cluster", str(cluster)),
                                  key=lambda r: r["id"])
    finally:
        engine.dispose()
    _print(rows, ("created_at", "target_type", "target", "label", "reviewer", "note"), fmt,
           f"Labels of {target_type} {key}")
