"""``triage import-official FILE`` and ``triage import-fraud FILE``: reputation seeds from CSV.

``import-official`` reads ``brand,number[,source]`` rows, ``import-fraud`` ``number[,source]``
rows (UTF-8, a header row is allowed, ``#`` lines are skipped). Numbers may be written as people
write them (``400-6xx-xxxx``, ``(010) 8xxx xxxx``); they are stored as E.164. A file with a bad
row imports nothing and names the rows to fix, unless ``--skip-bad``. Numbers are re-scored
right after an import.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click

from triage.cli.investigate import DB_OPTION

MAX_ERRORS_SHOWN = 5


def _read_rows(path: str) -> list[list[str]]:
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise click.ClickException(f"cannot read {path}: {reason}; pass a UTF-8 CSV "
                                   "file") from None


def _run(path: str, db: str, skip_bad: bool, *, official: bool) -> None:
    from db.engine import DatabaseError, make_engine
    from investigate.reputation import (
        import_fraud,
        import_official,
        parse_seed_rows,
        update_reputation,
    )

    seeds, errors = parse_seed_rows(_read_rows(path), with_brand=official, source=Path(path).name)
    if errors and not skip_bad:
        shown = "; ".join(errors[:MAX_ERRORS_SHOWN])
        more = f" (and {len(errors) - MAX_ERRORS_SHOWN} more)" if len(errors) > MAX_ERRORS_SHOWN else ""
        click.echo(f"Error: {path}: {shown}{more}; nothing imported: fix these rows or pass "
                   "--skip-bad", err=True)
        sys.exit(2)
    if not seeds:
        raise click.ClickException(f"{path} holds no numbers to import")
    try:
        engine = make_engine(db)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        new = import_official(engine, seeds) if official else import_fraud(engine, seeds)
        summary = update_reputation(engine)
    finally:
        engine.dispose()
    kind = "official" if official else "known fraud"
    skipped = f", skipped {len(errors)} bad rows" if errors else ""
    click.echo(f"Imported {len(seeds)} {kind} numbers ({new} new){skipped} into {db}; "
               f"{summary.line()}.")


SKIP_BAD = click.option("--skip-bad", is_flag=True,
                        help="Import the good rows and only report the bad ones.")


@click.command("import-official")
@click.argument("file", type=click.Path(dir_okay=False))
@DB_OPTION
@SKIP_BAD
def import_official(file: str, db: str, skip_bad: bool) -> None:
    """Load official numbers (CSV: brand,number[,source]) as trusted reputation seeds."""
    _run(file, db, skip_bad, official=True)


@click.command("import-fraud")
@click.argument("file", type=click.Path(dir_okay=False))
@DB_OPTION
@SKIP_BAD
def import_fraud(file: str, db: str, skip_bad: bool) -> None:
    """Load known fraud numbers (CSV: number[,source]) as distrusted reputation seeds."""
    _run(file, db, skip_bad, official=False)
