"""Every command on PostgreSQL (the real server on 127.0.0.1:5432, a new database per test),
and two crawl processes writing overlapping pages into one database at the same time."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, text

from db.engine import head_revision
from tests.farmsite import FarmServer
from tests.scaleutil import crawl_args, farm_site, pg_db, row_counts, stored, triage, triage_bg

__all__ = ["farm_site", "pg_db"]  # fixtures


def test_crawl_export_report_on_postgres(farm_site: FarmServer, pg_db: str) -> None:
    proc = triage(*crawl_args(farm_site, pg_db))
    assert proc.returncode == 0, proc.stderr[-2000:]
    engine = create_engine(pg_db.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    engine.dispose()
    assert version == head_revision()
    pages = [json.loads(line) for line in triage("export", "pages", "--db", pg_db).stdout.splitlines()]
    assert {p["url"] for p in pages} == farm_site.all_urls()
    assert sum(p["verdict"] == "hotline_spam" for p in pages) == 40
    numbers = triage("export", "numbers", "--db", pg_db, "--format", "csv").stdout.splitlines()
    assert numbers[0].startswith("e164,") and len(numbers) > 40
    report = triage("report", "--db", pg_db)
    assert report.returncode == 0 and "hotline_spam" in report.stdout


def test_two_processes_write_overlapping_pages_once(farm_site: FarmServer, pg_db: str,
                                                   tmp_path: object) -> None:
    """Both crawls store all 60 pages, at the same time: rows end up exactly once each."""
    procs = [triage_bg(*crawl_args(farm_site, pg_db, "-s", "TRIAGE_BATCH_SIZE=7"))
             for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert all(h == 2 for h in farm_site.hits.values()), "each process fetched every page once"
    counts = row_counts(pg_db, "pages", "numbers", "crawl_runs", "page_history")
    assert counts["pages"] == 60 and counts["crawl_runs"] == 2
    assert counts["page_history"] == 0  # same bodies: nothing changed between the two writes
    single = f"sqlite:///{tmp_path}/single.db"
    assert triage(*crawl_args(farm_site, single)).returncode == 0
    assert stored(pg_db) == stored(single)
    assert counts["numbers"] == row_counts(single, "numbers")["numbers"]
