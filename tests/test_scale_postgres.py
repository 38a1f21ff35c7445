"""Every command on PostgreSQL (the real server on 127.0.0.1:5432, a new database per test),
after two crawl processes wrote overlapping pages into it at the same time."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, text

from db.engine import head_revision
from tests.farmsite import FarmServer
from tests.scaleutil import crawl_args, farm_site, pg_db, row_counts, stored, triage, triage_bg

__all__ = ["farm_site", "pg_db"]  # fixtures


def test_two_crawls_into_one_postgres_then_every_command(farm_site: FarmServer, pg_db: str,
                                                         tmp_path: Path) -> None:
    """Both crawls store all 60 pages, at the same time: rows end up exactly once each."""
    procs = [triage_bg(*crawl_args(farm_site, pg_db, "-s", "TRIAGE_BATCH_SIZE=7"))
             for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert set(farm_site.hits.values()) == {2}, "each process fetched every page once"
    counts = row_counts(pg_db, "pages", "numbers", "crawl_runs", "page_history")
    assert counts["pages"] == 60 and counts["crawl_runs"] == 2
    assert counts["page_history"] == 0  # same bodies: nothing changed between the two writes
    engine = create_engine(pg_db.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        dupes = conn.execute(text("SELECT count(*) FROM (SELECT e164 FROM numbers GROUP BY e164 "
                                  "HAVING count(*) > 1) d")).scalar_one()
    engine.dispose()
    assert version == head_revision() and dupes == 0

    single = f"sqlite:///{tmp_path}/single.db"
    assert triage(*crawl_args(farm_site, single)).returncode == 0
    assert stored(pg_db) == stored(single)
    assert counts["numbers"] == row_counts(single, "numbers")["numbers"]

    pages = [json.loads(line) for line in triage("export", "pages", "--db", pg_db).stdout.splitlines()]
    assert {p["url"] for p in pages} == farm_site.all_urls()
    assert sum(p["verdict"] == "hotline_spam" for p in pages) == 40
    numbers = triage("export", "numbers", "--db", pg_db, "--format", "csv").stdout.splitlines()
    assert numbers[0].startswith("e164,") and len(numbers) == counts["numbers"] + 1
    report = triage("report", "--db", pg_db)
    assert report.returncode == 0 and "hotline_spam" in report.stdout
    for command in (("export", "changes"), ("export", "clusters"), ("export", "blocklist"),
                    ("cluster",), ("reputation",), ("review", "list")):
        proc = triage(*command, "--db", pg_db)
        assert proc.returncode == 0, (command, proc.stderr[-1000:])
