"""What a new crawl reads of earlier ones: stored validators and content hashes of known
pages (conditional re-visits), and the domains and brands of stored spam pages (focused
crawling). Small indexed reads, each safe to run in a worker thread."""

from __future__ import annotations

from sqlalchemy import Connection, select

from db.models import Brand, Page, PageBrand
from pipelines.types import SPAM_VERDICTS


def has_pages(conn: Connection) -> bool:
    """Whether the database holds any page (a first crawl skips every lookup)."""
    return conn.execute(select(Page.id).limit(1)).first() is not None


def validators(conn: Connection, url: str) -> tuple[str | None, str | None, str] | None:
    """``(etag, last_modified, content_hash)`` stored for ``url``, or None for a new URL."""
    row = conn.execute(select(Page.etag, Page.last_modified, Page.content_hash)
                       .where(Page.url == url)).first()
    return (row[0], row[1], row[2] or "") if row is not None else None


def spam_priors(conn: Connection, *, limit: int = 5000) -> tuple[set[str], frozenset[str]]:
    """Domains and brands (two characters or more) of stored spam pages."""
    spam = Page.verdict.in_(sorted(SPAM_VERDICTS))
    domains = set(conn.execute(select(Page.domain).where(spam).distinct().limit(limit))
                  .scalars())
    brands = conn.execute(
        select(Brand.name).join(PageBrand, PageBrand.brand_id == Brand.id)
        .join(Page, Page.id == PageBrand.page_id).where(spam).distinct().limit(limit)).scalars()
    return domains, frozenset(b for b in brands if len(b) >= 2)
