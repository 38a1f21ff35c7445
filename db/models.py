"""SQLAlchemy 2 models: the schema every crawl writes and every review reads.

The schema is created and changed only by the Alembic migrations in ``db/migrations``; a test
checks that the migrations at head match these models. Columns meant for later features
(``cluster``, ``flags``, ``features``) are here from the first schema on so that those features
add data, not schema churn.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy import (
    text as sql,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names: Alembic needs them to alter tables (SQLite batch mode included).
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend.

    SQLite has no time zones and hands back naive datetimes; this type stores UTC and always
    returns aware UTC values so comparisons and ISO output are the same on SQLite and PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class CompressedText(TypeDecorator[str]):
    """Text stored zlib-compressed (UTF-8) in a binary column: page texts are most of a page's
    row, and farm pages compress to about a third. Readers get ``str`` back, so the review UI
    and the exports are unchanged; a value written before compression (``str``) reads as is."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        return zlib.compress(value.encode("utf-8"), LEVEL)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return decode_text(value)


LEVEL = 6  # zlib: 9 saves another 1-2 % at twice the time


def decode_text(value: Any) -> str | None:
    """A stored page text as ``str`` (the one decode helper; raw SQL readers call it too)."""
    if value is None or isinstance(value, str):
        return value
    return zlib.decompress(bytes(value)).decode("utf-8")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy's declarative configuration
        dict[str, Any]: JSON(none_as_null=True),
        list[Any]: JSON(none_as_null=True),
        datetime: UTCDateTime,
    }


class CrawlRun(Base):
    """One crawl (a spider run): what was asked, when, and how it ended."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    spider: Mapped[str] = mapped_column(String(100))
    args: Mapped[dict[str, Any]] = mapped_column(default=dict)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    stats: Mapped[dict[str, Any] | None]
    outcome: Mapped[str | None] = mapped_column(String(100))


class Page(Base):
    """One URL as last fetched, with the engine's verdict and evidence."""

    __tablename__ = "pages"
    __table_args__ = (
        Index("ix_pages_verdict_score", "verdict", "score"),
        Index("ix_pages_domain_verdict", "domain", "verdict"),
        # Issue 12: the analysed pages whose signature is not in minhash_bands yet (small).
        Index("ix_pages_unbanded", "id", sqlite_where=sql("banded IS NULL AND verdict IS NOT "
                                                           "NULL"),
              postgresql_where=sql("banded IS NULL AND verdict IS NOT NULL")),
        # Issue 12: analysed pages by score (the least-sure-first queue walks it both ways from
        # the threshold, db.queue_index) and spam pages by score (the review backlog).
        Index("ix_pages_analysed_score", "score", "id", sqlite_where=sql("verdict IS NOT NULL"),
              postgresql_where=sql("verdict IS NOT NULL")),
        Index("ix_pages_spam_score", "score", "id",
              sqlite_where=sql("verdict IN ('hotline_spam', 'seo_spam')"),
              postgresql_where=sql("verdict IN ('hotline_spam', 'seo_spam')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    final_url: Mapped[str] = mapped_column(Text, default="")
    domain: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    fetched_at: Mapped[datetime | None]
    depth: Mapped[int | None]
    referrer: Mapped[str | None] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(String(255))
    etag: Mapped[str | None] = mapped_column(String(255))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    content_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    # Analysis: NULL verdict means "never analysed" (fetch error, blocked, binary body).
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(CompressedText)  # issue 12: zlib, read as str
    verdict: Mapped[str | None] = mapped_column(String(32))
    score: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[list[Any] | None]
    padding_ratio: Mapped[float | None] = mapped_column(Float)
    encoding: Mapped[str | None] = mapped_column(String(40))
    visible_chars: Mapped[int | None]
    features: Mapped[dict[str, Any] | None]
    # Later features: template cluster id (issue 5) and flags such as "cloaking".
    cluster: Mapped[int | None] = mapped_column(index=True)
    flags: Mapped[list[Any]] = mapped_column(default=list)
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    first_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    # Issue 5: MinHash signature of the masked text (investigate.clusters), NULL until clustered.
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Where the analysis found things in ``text``: {"phones": [[start, end, e164], ...]}.
    spans: Mapped[dict[str, Any] | None]
    # Issue 13: the client profile of the crawl's fetch (crawler/profiles.py), the Referer it
    # sent, and what kinds of cloaking the matrix found (user_agent, referer, mobile, redirect).
    profile: Mapped[str | None] = mapped_column(String(20))
    referer_sent: Mapped[str | None] = mapped_column(Text)
    cloaking_kinds: Mapped[list[Any] | None]
    # Issue 12: true once ``minhash`` is in ``minhash_bands`` and the page clustered; the store
    # resets it to NULL whenever it writes another signature.
    banded: Mapped[bool | None] = mapped_column(Boolean)
    # Issue 10: the engine's spam class whatever the verdict (what an analyst's "spam" label
    # resolves to), and what ``features`` lacks to score the page again (JSON, zlib).
    spam_class: Mapped[str | None] = mapped_column(String(32))
    model_input: Mapped[str | None] = mapped_column(CompressedText)


class Number(Base):
    """One phone number (E.164) across all pages."""

    __tablename__ = "numbers"

    id: Mapped[int] = mapped_column(primary_key=True)
    e164: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(40), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    carrier: Mapped[str] = mapped_column(String(100), default="")
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    first_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    # Issue 5: reputation (investigate.reputation): fraud score in [0, 1] and verdict, NULL until scored.
    score: Mapped[float | None] = mapped_column(Float)
    verdict: Mapped[str | None] = mapped_column(String(32), index=True)


class PageNumber(Base):
    """A number as it appears on one page (replaced whenever the page is re-analysed)."""

    __tablename__ = "page_numbers"
    # Issue 12: a number's pages newest first without reading the rows (after-crawl sweeps).
    __table_args__ = (Index("ix_page_numbers_number_id_page_id", "number_id", "page_id"),)

    page_id: Mapped[int] = mapped_column(
        ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True
    )
    number_id: Mapped[int] = mapped_column(
        ForeignKey("numbers.id", ondelete="CASCADE"), primary_key=True
    )
    count: Mapped[int] = mapped_column(default=1)
    advertised: Mapped[bool] = mapped_column(Boolean, default=False)
    obfuscated: Mapped[bool] = mapped_column(Boolean, default=False)
    context: Mapped[str] = mapped_column(Text, default="")


class Brand(Base):
    """A brand name a page claims to serve."""

    __tablename__ = "brands"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class PageBrand(Base):
    __tablename__ = "page_brands"

    page_id: Mapped[int] = mapped_column(
        ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True
    )
    brand_id: Mapped[int] = mapped_column(
        ForeignKey("brands.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class PaddingSegment(Base):
    """A padding span (character offsets into ``pages.text``)."""

    __tablename__ = "padding_segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    start: Mapped[int]
    end: Mapped[int]
    detail: Mapped[str] = mapped_column(Text, default="")


class PageHistory(Base):
    """One changed field of a page between two analyses: ``numbers``, ``verdict`` or
    ``content_hash``. ``numbers`` values are JSON arrays of sorted E.164 strings."""

    __tablename__ = "page_history"
    __table_args__ = (Index("ix_page_history_page_id_changed_at", "page_id", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(40))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)


class OfficialNumber(Base):
    """A number a brand publishes as its own (``triage import-official``): a trust seed."""

    __tablename__ = "official_numbers"
    __table_args__ = (UniqueConstraint("brand", "e164"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand: Mapped[str] = mapped_column(String(200))
    e164: Mapped[str] = mapped_column(String(32), index=True)
    source: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class FraudNumber(Base):
    """A number known to be used by a fraud operation (``triage import-fraud``): a distrust seed."""

    __tablename__ = "fraud_numbers"

    id: Mapped[int] = mapped_column(primary_key=True)
    e164: Mapped[str] = mapped_column(String(32), unique=True)
    source: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class PageVersion(Base):
    """A page as one kind of client saw it (``crawler`` = search-engine spider, ``browser``),
    kept for cloaking evidence."""

    __tablename__ = "page_versions"
    __table_args__ = (UniqueConstraint("page_id", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"))
    variant: Mapped[str] = mapped_column(String(20))
    status: Mapped[int] = mapped_column(default=0)
    final_url: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(CompressedText)
    verdict: Mapped[str | None] = mapped_column(String(32))
    score: Mapped[float | None] = mapped_column(Float)
    numbers: Mapped[list[Any] | None]
    redirect: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    brands: Mapped[list[Any] | None]  # issue 13: the brands this client was shown


class Label(Base):
    """An analyst's label on a page (URL), number (E.164), domain or template cluster (id).

    Labels are never updated or deleted: each review adds a row, and a target's current label
    is its latest row (highest id), so who said what and when is always kept (``db.labels``).
    """

    __tablename__ = "labels"
    __table_args__ = (
        Index("ix_labels_target_type_target", "target_type", "target"),
        CheckConstraint("target_type IN ('page', 'number', 'domain', 'cluster')",
                        name="target_type"),
        CheckConstraint("label IN ('spam', 'not_spam', 'official')", name="label"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


# Tables of later features, in their own modules (imported here so one import of db.models
# registers every table with the metadata the migrations compare against).
from db.models_clusters import MinhashBand  # noqa: E402
from db.models_discovery import DiscoveryRun, SerpResult  # noqa: E402
from db.models_evidence import PageArchive  # noqa: E402
from db.models_operations import (  # noqa: E402
    Operation,
    OperationDomain,
    OperationLink,
    PageIdentifier,
)
from db.models_summaries import (  # noqa: E402
    BrandDomain,
    BrandStat,
    ClusterVerdict,
    DomainVerdict,
    NumberBrand,
    NumberDomain,
    NumberStat,
)
from db.models_training import VerdictModel  # noqa: E402

__all__ = [
    "Base", "Brand", "BrandDomain", "BrandStat", "ClusterVerdict", "CompressedText",
    "CrawlRun", "DiscoveryRun", "DomainVerdict", "FraudNumber", "Label", "MinhashBand",
    "Number", "NumberBrand", "NumberDomain", "NumberStat", "OfficialNumber", "Operation",
    "OperationDomain", "OperationLink", "PaddingSegment", "Page", "PageArchive", "PageBrand",
    "PageHistory", "PageIdentifier", "PageNumber", "PageVersion", "SerpResult", "UTCDateTime",
    "VerdictModel", "decode_text", "utcnow",
]
