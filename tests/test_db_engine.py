"""make_engine / open_existing: SQLite settings, clear one-line errors, migrations = models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from db.engine import (
    DatabaseError,
    alembic_config,
    head_revision,
    make_engine,
    open_existing,
    to_url,
)
from db.models import Base
from db.store import Store
from tests.test_db_store import db_url, page_item, pg_url  # noqa: F401 - shared fixtures


def test_sqlite_file_is_created_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "sub.db"
    engine = make_engine(str(path))  # a bare path means a SQLite file
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()
    engine.dispose()
    assert path.exists()
    make_engine(f"sqlite:///{path}").dispose()  # opening again is a no-op upgrade


def test_postgres_urls_use_psycopg3() -> None:
    assert to_url("postgresql://postgres@127.0.0.1/x").drivername == "postgresql+psycopg"
    assert to_url("triage.db").database.endswith("/triage.db")


@pytest.mark.parametrize("db, expected", [
    ("{tmp}/no/such/dir/triage.db", "directory"),
    ("foo://user@host/db", "unknown database type 'foo'"),
    ("postgresql://user@host:notaport/db", "malformed database URL"),
    ("://nothing", "malformed database URL"),
    ("postgresql://postgres:secret@127.0.0.1:1/x", "cannot use database"),
])
def test_bad_db_gives_one_clear_line(tmp_path: Path, db: str, expected: str) -> None:
    with pytest.raises(DatabaseError) as err:
        make_engine(db.format(tmp=tmp_path))
    message = str(err.value)
    assert expected in message and "\n" not in message
    assert "secret" not in message  # passwords never reach the terminal


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database at all, just some text " * 100)
    with pytest.raises(DatabaseError, match="cannot use database .*notes.txt"):
        make_engine(str(junk))
    assert junk.read_text().startswith("not a database")  # untouched


def test_reading_commands_never_create_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    with pytest.raises(DatabaseError, match="no database at"):
        open_existing(str(missing))
    assert not missing.exists()
    make_engine(str(missing)).dispose()  # schema, but no crawl yet
    with pytest.raises(DatabaseError, match="holds no crawl yet"):
        open_existing(str(missing))
    other = tmp_path / "other.db"
    with create_engine(f"sqlite:///{other}").begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x)")
    with pytest.raises(DatabaseError, match="not a triage database"):
        open_existing(str(other))
    assert inspect(create_engine(f"sqlite:///{other}")).get_table_names() == ["t"]


def test_migrations_at_head_match_the_models(db_url: str) -> None:  # noqa: F811
    engine = make_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
    engine.dispose()
    assert diff == []


def test_migrations_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    engine = make_engine(str(path))
    store = Store(engine)
    store.save_pages(store.start_run("hotlines", {}), [page_item("http://fix0.example.test/")])
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()
    engine = make_engine(str(path))
    assert {"pages", "numbers", "page_history"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_a_schema_newer_than_the_code(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    make_engine(str(path)).dispose()
    raw = create_engine(f"sqlite:///{path}")
    with raw.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    raw.dispose()
    with pytest.raises(DatabaseError, match="cannot migrate database .*upgrade hotline-triage"):
        make_engine(str(path))


def test_migration_0010_compresses_stored_texts_and_back(db_url: str) -> None:  # noqa: F811
    """Texts stored before issue 12 are compressed by the upgrade and read back unchanged; the
    downgrade gives plain text again."""
    import zlib

    from sqlalchemy import select
    from sqlalchemy import text as sql

    from db.models import Page

    engine = make_engine(db_url)
    store = Store(engine)
    store.save_pages(store.start_run("hotlines", {}), [page_item("http://fix0.example.test/")])
    with engine.connect() as conn:
        before = conn.execute(select(Page.text)).scalar_one()
    assert before and "售后" in before
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    with engine.connect() as conn:
        assert conn.execute(sql("SELECT text FROM pages")).scalar_one() == before
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.connect() as conn:
        raw = conn.execute(sql("SELECT text FROM pages")).scalar_one()
        assert zlib.decompress(bytes(raw)).decode("utf-8") == before
        assert conn.execute(select(Page.text)).scalar_one() == before
    engine.dispose()
