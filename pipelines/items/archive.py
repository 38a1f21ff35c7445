"""``ArchivePipeline``: WARC records of the responses worth keeping, written off the reactor.

Placed after the analysis and the cloaking matrix (it needs the verdict and the versions) and
before storage. ``TRIAGE_ARCHIVE``:

- ``spam`` (default): the crawl's fetch of pages the engine calls spam or scores at least
  ``TRIAGE_CLOAKING_MIN_SCORE`` (suspicious) or that the matrix found cloaking, and every
  version of a cloaked page (one per profile);
- ``all``: every fetched response with a body, and cloaked versions;
- ``off``.

When on, it asks AnalyzePipeline to leave ``item["body"]`` on the item
(``CrawlContext.keep_bodies``) and drops it itself once decided, so at most the items in flight
hold a body. Records go to rotating gzip WARC files (:class:`pipelines.items.warc.ArchiveWriter`)
under ``TRIAGE_ARCHIVE_DIR`` (``triage crawl --archive DIR``; default ``triage-archive/`` beside
the SQLite file, else ``./triage-archive/``), written by one worker thread in arrival order.
Each written fetch adds its location to ``item["archive"]``; the store pipeline puts them in
``page_archives`` (:func:`db.archive.save_archives`).

:func:`read_archived_body` reads a page's archived body back (for ``triage reanalyze`` and the
evidence packets). Stats: ``triage/archive/records``, ``triage/archive/bytes``,
``triage/archive/failed``.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from scrapy.exceptions import NotConfigured
from sqlalchemy import Engine

from crawler.context import crawl_context
from pipelines.items.database import crawl_db
from pipelines.items.warc import ArchiveWriter, read_body
from pipelines.types import SPAM_VERDICTS, PageAnalysis

log = logging.getLogger(__name__)

MODES = ("spam", "all", "off")
DIRNAME = "triage-archive"


def default_archive_dir(db: str) -> Path:
    """``triage-archive/`` beside a SQLite file, else in the working directory."""
    path = db[len("sqlite:///"):] if db.startswith("sqlite:///") else db
    if "://" in path or not path or path == ":memory:":
        return Path(DIRNAME)
    return Path(path).resolve().parent / DIRNAME


class ArchivePipeline:
    def __init__(self, crawler: Any, mode: str, directory: Path, max_bytes: int,
                 min_score: float) -> None:
        self.crawler = crawler
        self.mode = mode
        self.directory = directory
        self.min_score = min_score
        self.writer = ArchiveWriter(directory, max_bytes)
        self.executor: ThreadPoolExecutor | None = None
        crawl_context(crawler).keep_bodies = True

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchivePipeline:
        s = crawler.settings
        mode = str(s.get("TRIAGE_ARCHIVE", "spam")).strip().lower()
        if mode not in MODES:
            raise ValueError(f"TRIAGE_ARCHIVE must be one of {', '.join(MODES)}, got {mode!r}")
        if mode == "off":
            raise NotConfigured
        directory = Path(s.get("TRIAGE_ARCHIVE_DIR") or default_archive_dir(crawl_db(crawler)))
        return cls(crawler, mode, directory.resolve(), s.getint("TRIAGE_ARCHIVE_MAX_BYTES",
                                                                100 * 1024 * 1024),
                   s.getfloat("TRIAGE_CLOAKING_MIN_SCORE", 0.3))

    def open_spider(self) -> None:
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="warc")
        log.info("archiving %s responses under %s", self.mode, self.directory)

    def close_spider(self) -> None:
        if self.executor is not None:
            self.executor.submit(self.writer.close)
            self.executor.shutdown(wait=True)
            self.executor = None

    def keep(self, item: dict[str, Any]) -> bool:
        """Whether the crawl's own fetch of this page is worth keeping."""
        if not item.get("body") or not item.get("status"):
            return False
        if self.mode == "all":
            return True
        reasons: tuple[str, ...] = getattr(item.get("cloaking"), "reasons", ())
        if reasons:
            return True
        analysis = item.get("analysis")
        return isinstance(analysis, PageAnalysis) and (
            analysis.verdict in SPAM_VERDICTS or analysis.score >= self.min_score)

    def _fetches(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        if self.keep(item):
            out.append({"page_url": item["url"], "profile": item.get("profile") or "",
                        "url": item.get("final_url") or item["url"],
                        "status": int(item["status"]), "body": item["body"],
                        "http": item.get("http") or {}, "fetched_at": item.get("fetched_at")})
        for key in ("cloaking_responses", "cloaking_late_responses"):
            for r in item.pop(key, None) or ():
                out.append(r | {"page_url": r["url"]})
        return out

    def _write_all(self, fetches: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """In the writer thread: the records, and their locations."""
        locations = []
        for f in fetches:
            loc = self.writer.write(url=f["url"], status=f["status"], body=f["body"],
                                    http=f["http"], fetched_at=str(f.get("fetched_at") or ""))
            locations.append(loc | {"page_url": f["page_url"], "profile": f["profile"],
                                    "url": f["url"], "archive_dir": str(self.directory),
                                    "fetched_at": f.get("fetched_at")})
        return locations

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        fetches = self._fetches(item)
        item.pop("body", None)
        if not fetches or self.executor is None:
            return item
        stats = self.crawler.stats
        try:
            locations = await asyncio.wrap_future(self.executor.submit(self._write_all, fetches))
        except OSError as exc:
            stats.inc_value("triage/archive/failed", len(fetches))
            log.error("could not archive %s under %s: %s", item.get("url"), self.directory, exc)
            return item
        item["archive"] = locations
        stats.inc_value("triage/archive/records", len(locations))
        stats.inc_value("triage/archive/bytes", sum(loc["length"] for loc in locations))
        return item


def read_archived_body(engine: Engine, url: str, profile: str | None = None
                       ) -> tuple[bytes, dict[str, Any]] | None:
    """The newest archived body of the page at ``url`` (of ``profile`` if given) and its
    ``page_archives`` row, or None when the page was never archived. Raises ``OSError`` when
    the archive file is missing."""
    from db.archive import latest_archive

    with engine.connect() as conn:
        row = latest_archive(conn, url, profile)
    if row is None:
        return None
    body, _ = read_body(row["archive_dir"], row["warc_file"], int(row["offset"]))
    return body, row
