"""Throw-away databases on the local PostgreSQL (127.0.0.1:5432, trust auth) for tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

PG_ADMIN = os.environ.get("TRIAGE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def pg_unavailable() -> str | None:
    """None when the server answers, else the one-line reason tests skip with."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "no server to test on"
        return f"PostgreSQL not reachable at {PG_ADMIN}: {str(exc).splitlines()[0]}"


@contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """A new empty database (its postgresql:// URL), dropped afterwards whatever happens."""
    import psycopg

    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
