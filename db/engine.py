"""Engine factory: turn ``--db`` (a path or a SQLAlchemy URL) into a ready, migrated Engine.

Every entry point (CLI, Scrapy pipeline, Scrapyd jobs, tests) goes through :func:`make_engine`,
so SQLite always runs in WAL mode with a busy timeout and foreign keys on, and the schema is
always at the newest migration. Any problem with ``--db`` becomes a :class:`DatabaseError`
carrying one line a user can act on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

DEFAULT_DB = "sqlite:///triage.db"
SQLITE_BUSY_TIMEOUT_MS = 30_000
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Any constant: serialises concurrent ``upgrade head`` runs of workers sharing one PostgreSQL.
_PG_MIGRATION_LOCK = 0x7472_6961_6765  # "triage"


class DatabaseError(Exception):
    """A database that cannot be used, with a one-line message for the user."""


def to_url(db: str) -> URL:
    """Parse ``--db``: a SQLAlchemy URL, or a filesystem path meaning a SQLite file."""
    db = (db or DEFAULT_DB).strip()
    if "://" not in db:
        return URL.create("sqlite", database=str(Path(db).expanduser().resolve()))
    try:
        url = make_url(db)
    except (ArgumentError, ValueError):
        raise DatabaseError(
            f"malformed database URL {db!r}: pass a file path, sqlite:///FILE or "
            "postgresql://USER@HOST/NAME"
        ) from None
    if url.drivername in ("postgresql", "postgres"):  # psycopg 3 is the driver we ship for
        url = url.set(drivername="postgresql+psycopg")
    return url


def describe(url: URL) -> str:
    """The URL as shown to users: never with its password."""
    return url.render_as_string(hide_password=True)


def _check_sqlite_target(url: URL, *, create: bool, read_only: bool = False) -> None:
    path = url.database or ""
    if path in ("", ":memory:") or path.startswith("file:"):
        return
    file = Path(path)
    if file.exists():
        if read_only and not os.access(file, os.R_OK):
            raise DatabaseError(f"cannot open database {file}: no read permission; fix its "
                                "permissions or pass another --db")
        if not read_only and not os.access(file, os.R_OK | os.W_OK):
            raise DatabaseError(f"cannot open database {file}: no read/write permission; "
                                "fix its permissions or pass another --db")
        return
    if not create:
        raise DatabaseError(f"no database at {file}: run `triage crawl ... --db {file}` first "
                            "or pass the right --db")
    parent = file.parent
    if not parent.is_dir():
        raise DatabaseError(f"cannot create database {file}: directory {parent} does not exist; "
                            "create it or pass another --db")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise DatabaseError(f"cannot create database {file}: directory {parent} is not "
                            "writable; pass a --db in a writable directory")


def _read_only_sqlite(url: URL) -> dict[str, Any]:
    """``create_engine`` arguments opening a SQLite file without writing to it.

    ``mode=ro`` still needs the ``-wal``/``-shm`` files of a WAL database, so a file that cannot
    be written, or in a directory that cannot be (a read-only mount, an archived evidence copy),
    is opened ``immutable=1``: SQLite then reads the file as it is, taking no locks.
    """
    import sqlite3
    from urllib.parse import quote

    file = Path(url.database or "").resolve()
    writable = os.access(file, os.W_OK) and os.access(file.parent, os.W_OK | os.X_OK)
    uri = f"file:{quote(str(file))}?{'mode=ro' if writable else 'immutable=1'}"
    return {"creator": lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)}


def _check_revision(engine: Engine, where: str) -> None:
    """A read-only open cannot migrate: the schema must already be this code's."""
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current != head_revision():
        raise DatabaseError(f"database {where} has schema {current or 'none'}, this version "
                            f"reads {head_revision()}: open it once without --read-only (or a "
                            "writable copy) to upgrade it")


def _sqlite_pragmas(engine: Engine, *, read_only: bool = False) -> None:
    """WAL, busy timeout and foreign keys on each connection; explicit BEGIN for writers.

    pysqlite's implicit transactions start on the first write, so a read-then-write transaction
    can fail with "database is locked" without waiting. Connections opened with the execution
    option ``sqlite_write=True`` (the Store's) take the write lock up front (BEGIN IMMEDIATE),
    which makes concurrent writers queue on the busy timeout instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if not read_only:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")  # safe with WAL, much faster commits
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("sqlite_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def alembic_config() -> Config:
    """Alembic configuration pointing at the migrations shipped inside the package."""
    cfg = Config()
    from db.packaged import migrations_dir  # the scripts, also from a zipped egg (Scrapyd)

    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(engine: Engine) -> None:
    """Run ``alembic upgrade head`` on ``engine`` (a no-op when already at head)."""
    cfg = alembic_config()
    with engine.connect() as conn:
        if MigrationContext.configure(conn).get_current_revision() == head_revision():
            return
    with engine.execution_options(sqlite_write=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


def make_engine(db: str = DEFAULT_DB, *, create: bool = True, read_only: bool = False,
                **kwargs: Any) -> Engine:
    """Open ``db`` (a path or SQLAlchemy URL) and bring its schema to the newest migration.

    With ``create=False`` (export, report) a SQLite file must already exist and hold a triage
    schema: reading commands must not leave empty database files behind on a typo.
    With ``read_only`` nothing is written (SQLite ``mode=ro``/``immutable=1``, PostgreSQL
    read-only transactions) and nothing is migrated: for reading archived evidence copies.
    Raises :class:`DatabaseError` with a one-line message on any unusable ``db``.
    """
    url = to_url(db)
    where = describe(url)
    if url.get_backend_name() == "sqlite":
        _check_sqlite_target(url, create=create and not read_only, read_only=read_only)
        if read_only and url.database not in (None, "", ":memory:"):
            kwargs.update(_read_only_sqlite(url))
    elif read_only and url.get_backend_name() == "postgresql":
        kwargs.setdefault("connect_args", {})["options"] = "-c default_transaction_read_only=on"
    try:
        engine = create_engine(url, **kwargs)
    except NoSuchModuleError:
        raise DatabaseError(
            f"unknown database type {url.drivername!r} in --db {where}: use a file path, "
            "sqlite:///FILE or postgresql://USER@HOST/NAME"
        ) from None
    except (ModuleNotFoundError, ImportError) as exc:
        raise DatabaseError(f"no driver for {url.drivername} ({exc.name or exc}): install it, "
                            "e.g. pip install 'psycopg[binary]' for PostgreSQL") from None
    except (ArgumentError, TypeError, ValueError) as exc:
        raise DatabaseError(f"bad database URL {where}: {exc}; check --db") from None
    if engine.dialect.name == "sqlite":
        _sqlite_pragmas(engine, read_only=read_only)
    try:
        if not create and not _has_schema(engine):
            raise DatabaseError(f"{where} is not a triage database (no tables): run "
                                "`triage crawl ... --db` into it first or pass the right --db")
        if read_only:
            _check_revision(engine, where)
        else:
            upgrade(engine)
    except DatabaseError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseError(f"cannot use database {where}: {_first_line(exc)}; check --db "
                            "and that the server is running") from None
    except CommandError as exc:  # e.g. a schema revision newer than this code knows
        engine.dispose()
        raise DatabaseError(f"cannot migrate database {where}: {_first_line(exc)}; upgrade "
                            "hotline-triage or use another --db") from None
    return engine


def _has_schema(engine: Engine) -> bool:
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    return "alembic_version" in tables or "pages" in tables


def open_existing(db: str = DEFAULT_DB, *, read_only: bool = False) -> Engine:
    """An engine on a database a crawl has already written to (for export, report, review).

    Raises :class:`DatabaseError` when the database is missing, not a triage database, or holds
    no crawl yet, so reading commands fail with one line instead of printing nothing.
    """
    from db.queries import is_empty  # queries import the models; keep this module light

    engine = make_engine(db, create=False, read_only=read_only)
    with engine.connect() as conn:
        empty = is_empty(conn)
    if empty:
        engine.dispose()
        where = describe(to_url(db))
        raise DatabaseError(f"database {where} holds no crawl yet: run `triage crawl URL... "
                            f"--db {db}` (or `triage demo`) first")
    return engine


def sqlite_file(db: str) -> str | None:
    """The file of a SQLite ``--db`` that a crawl should lock, or None (other backends, memory,
    URI filenames, a directory that does not exist: the database check words those itself)."""
    try:
        url = to_url(db)
    except DatabaseError:
        return None
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    database = str(url.database)
    path = Path(database)
    if database.startswith("file:") or not path.parent.is_dir() or (
            path.exists() and not path.is_file()):
        return None
    return database
