"""Where archived responses lie (``page_archives``): written after each batch, read by packets.

:func:`save_archives` takes the locations the archive pipeline attached to items
(``item["archive"]``, a list of dicts: profile, url, archive_dir, warc_file, offset, length,
record_id, payload_sha256, status, fetched_at) and stores them against the page of
``item["url"]``. :func:`archives_of` gives a page's rows, newest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from db.models import Page, PageArchive
from db.store import parse_time

COLUMNS = ("profile", "url", "archive_dir", "warc_file", "offset", "length", "record_id",
           "payload_sha256", "status")


def save_archives(engine: Engine, items: Iterable[Mapping[str, Any]]) -> int:
    """Store the archive locations the items carry; returns how many rows were added."""
    wanted = [(str(loc.get("page_url") or i["url"]), loc) for i in items
              for loc in (i.get("archive") or ())]
    if not wanted:
        return 0
    rows: list[dict[str, Any]] = []
    with engine.execution_options(sqlite_write=True).begin() as conn:
        ids = dict(conn.execute(select(Page.url, Page.id).where(
            Page.url.in_(sorted({u for u, _ in wanted})))).all())
        for url, loc in wanted:
            if url in ids:
                row = {c: loc.get(c) for c in COLUMNS} | {"page_id": ids[url]}
                row["fetched_at"] = parse_time(loc["fetched_at"]) if loc.get("fetched_at") \
                    else None
                rows.append(row)
        if rows:
            conn.execute(insert(PageArchive), rows)
    return len(rows)


def archives_of(conn: Connection, page_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """page id -> its archive rows, newest first (dicts of the ``page_archives`` columns)."""
    out: dict[int, list[dict[str, Any]]] = {}
    if not page_ids:
        return out
    rows = conn.execute(select(PageArchive.__table__)
                        .where(PageArchive.page_id.in_(list(page_ids)))
                        .order_by(PageArchive.page_id, PageArchive.id.desc())).mappings()
    for r in rows:
        out.setdefault(r["page_id"], []).append(dict(r))
    return out


def latest_archive(conn: Connection, url: str, profile: str | None = None) -> dict[str, Any] | None:
    """The newest archive row of the page at ``url`` (of ``profile`` if given), or None."""
    query = (select(PageArchive.__table__).join(Page, Page.id == PageArchive.page_id)
             .where(Page.url == url))
    if profile:
        query = query.where(PageArchive.profile == profile)
    r = conn.execute(query.order_by(PageArchive.id.desc()).limit(1)).mappings().first()
    return dict(r) if r is not None else None
