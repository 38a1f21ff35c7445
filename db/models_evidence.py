"""Where fetched responses are archived (issue 13): WARC locations per page and profile."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, utcnow


class PageArchive(Base):
    """Where a fetched version of a page lies in the WARC archive (issue 13).

    One row per archived response: the crawl's own fetch (``profile`` = the crawl's profile) or a
    cloaking version (``profile`` = the other client). ``payload_sha256`` is the SHA-256 of the
    body, equal to ``pages.content_hash`` for the crawl's fetch. ``offset``/``length`` are the
    gzip member(s) of the request and response records in ``warc_file`` (relative to the
    archive directory ``archive_dir``)."""

    __tablename__ = "page_archives"
    __table_args__ = (Index("ix_page_archives_page_id", "page_id", "archived_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"))
    profile: Mapped[str] = mapped_column(String(20), default="")
    url: Mapped[str] = mapped_column(Text, default="")
    archive_dir: Mapped[str] = mapped_column(Text, default="")
    warc_file: Mapped[str] = mapped_column(Text)
    offset: Mapped[int] = mapped_column(BigInteger)
    length: Mapped[int] = mapped_column(BigInteger)
    record_id: Mapped[str] = mapped_column(String(64))
    payload_sha256: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[int] = mapped_column(default=0)
    fetched_at: Mapped[datetime | None]
    archived_at: Mapped[datetime] = mapped_column(default=utcnow)
