"""What the ``triage`` commands share: the ``--db`` option, opening the database, failing in
one line."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

import click

from db.engine import DEFAULT_DB

if TYPE_CHECKING:
    from sqlalchemy import Engine

DB_HELP = "Database: a file path or a SQLAlchemy URL (sqlite:///F, postgresql://...)."
DB_OPTION = click.option("--db", default=DEFAULT_DB, show_default=True, envvar="TRIAGE_DB",
                         help=DB_HELP)


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, then exit (2: the command was used wrongly or cannot start)."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def open_db(db: str, *, create: bool = False, read_only: bool = False) -> Engine:
    """The engine of ``--db``, migrated; an existing database only unless ``create``.
    ``read_only``: opened without writing or migrating (commands that only read).

    A database that cannot be used ends the command with its one-line reason (exit 1).
    """
    from db.engine import DatabaseError, make_engine, open_existing

    try:
        return make_engine(db) if create else open_existing(db, read_only=read_only)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from None
