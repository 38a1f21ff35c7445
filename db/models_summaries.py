"""Summary tables (issue 12: a million pages): counts the report, the exports, Datasette and the
after-crawl jobs read instead of aggregating every page.

They are kept by database triggers (:mod:`db.summaries`, created by migration 0013) in the same
transaction as each write of ``pages``, ``page_numbers`` and ``page_brands``, whoever writes
(the store, clustering, bulk SQL), so they are never stale; :func:`db.summaries.rebuild` makes
them again from the pages. ``verdict`` '' stands for a page never analysed (NULL). Rows whose
counts fall to 0 stay; readers filter on the counts.
"""

from __future__ import annotations

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base


class DomainVerdict(Base):
    """Pages per domain and verdict; ``first_run_id``: the first crawl run of its spam pages."""

    __tablename__ = "domain_verdicts"

    domain: Mapped[str] = mapped_column(String(255), primary_key=True)
    verdict: Mapped[str] = mapped_column(String(32), primary_key=True)
    pages: Mapped[int] = mapped_column(default=0)
    first_run_id: Mapped[int | None]


class NumberDomain(Base):
    """Pages of one domain showing one number: all, advertising it, spam, spam advertising it."""

    __tablename__ = "number_domains"
    __table_args__ = (Index("ix_number_domains_domain", "domain"),)

    number_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    domain: Mapped[str] = mapped_column(String(255), primary_key=True)
    pages: Mapped[int] = mapped_column(default=0)
    advertised: Mapped[int] = mapped_column(default=0)
    spam: Mapped[int] = mapped_column(default=0)
    spam_advertised: Mapped[int] = mapped_column(default=0)


class NumberStat(Base):
    """Per number: spam pages advertising it and their domains (the report's ranking)."""

    __tablename__ = "number_stats"
    __table_args__ = (Index("ix_number_stats_spam_domains_spam_pages", "spam_domains",
                            "spam_pages"),)

    number_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    spam_domains: Mapped[int] = mapped_column(default=0)
    spam_pages: Mapped[int] = mapped_column(default=0)


class NumberBrand(Base):
    """Pages showing a number and claiming a brand; ``spam_advertised``: spam pages advertising it."""

    __tablename__ = "number_brands"
    # A brand's numbers advertised on spam pages, counted from the index alone.
    __table_args__ = (Index("ix_number_brands_brand_id_spam_advertised", "brand_id",
                            "spam_advertised"),)

    number_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    brand_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    pages: Mapped[int] = mapped_column(default=0)
    spam_advertised: Mapped[int] = mapped_column(default=0)


class BrandDomain(Base):
    """Pages of one domain claiming one brand: all and spam."""

    __tablename__ = "brand_domains"

    brand_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    domain: Mapped[str] = mapped_column(String(255), primary_key=True)
    pages: Mapped[int] = mapped_column(default=0)
    spam_pages: Mapped[int] = mapped_column(default=0)


class BrandStat(Base):
    """Per brand: spam pages claiming it and their domains (the report's ranking)."""

    __tablename__ = "brand_stats"
    __table_args__ = (Index("ix_brand_stats_spam_pages_spam_domains", "spam_pages",
                            "spam_domains"),)

    brand_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    spam_pages: Mapped[int] = mapped_column(default=0)
    spam_domains: Mapped[int] = mapped_column(default=0)


class ClusterVerdict(Base):
    """Pages per template cluster and verdict, and under verdict '*' all its pages
    (``triage export clusters`` walks the index largest first)."""

    __tablename__ = "cluster_verdicts"
    __table_args__ = (Index("ix_cluster_verdicts_verdict_pages", "verdict", "pages"),)

    cluster: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    verdict: Mapped[str] = mapped_column(String(32), primary_key=True)
    pages: Mapped[int] = mapped_column(default=0)


__all__ = ["BrandDomain", "BrandStat", "ClusterVerdict", "DomainVerdict", "NumberBrand",
           "NumberDomain", "NumberStat"]
