"""A million pages (issue 12): summary tables kept by triggers, and the indexes the reads need.

``domain_verdicts``, ``number_domains``, ``number_stats``, ``number_brands``, ``brand_domains``,
``brand_stats`` and ``cluster_verdicts`` (see ``db/models_summaries.py``), filled from the pages
already stored and kept by the triggers of ``db/summaries.py``; ``page_numbers`` indexed by
(number, page) for the after-crawl sweeps; analysed and spam pages indexed by score (the least-sure-first
queue, the review backlog).

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db import summaries

# revision identifiers, used by Alembic.
revision: str = "0013"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SPAM_PAGES = "verdict IN ('hotline_spam', 'seo_spam')"
ANALYSED = "verdict IS NOT NULL"


def _counts(*names: str) -> list[sa.Column[int]]:
    return [sa.Column(n, sa.Integer(), nullable=False) for n in names]


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "domain_verdicts",
        sa.Column("domain", sa.String(length=255), nullable=False),
        sa.Column("verdict", sa.String(length=32), nullable=False),
        *_counts("pages"),
        sa.Column("first_run_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("domain", "verdict", name=op.f("pk_domain_verdicts")),
    )
    op.create_table(
        "number_domains",
        sa.Column("number_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("domain", sa.String(length=255), nullable=False),
        *_counts("pages", "advertised", "spam", "spam_advertised"),
        sa.PrimaryKeyConstraint("number_id", "domain", name=op.f("pk_number_domains")),
    )
    op.create_index("ix_number_domains_domain", "number_domains", ["domain"], unique=False)
    op.create_table(
        "number_stats",
        sa.Column("number_id", sa.Integer(), autoincrement=False, nullable=False),
        *_counts("spam_domains", "spam_pages"),
        sa.PrimaryKeyConstraint("number_id", name=op.f("pk_number_stats")),
    )
    op.create_index("ix_number_stats_spam_domains_spam_pages", "number_stats",
                    ["spam_domains", "spam_pages"], unique=False)
    op.create_table(
        "number_brands",
        sa.Column("number_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("brand_id", sa.Integer(), autoincrement=False, nullable=False),
        *_counts("pages", "spam_advertised"),
        sa.PrimaryKeyConstraint("number_id", "brand_id", name=op.f("pk_number_brands")),
    )
    op.create_index("ix_number_brands_brand_id_spam_advertised", "number_brands",
                    ["brand_id", "spam_advertised"], unique=False)
    op.create_table(
        "brand_domains",
        sa.Column("brand_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("domain", sa.String(length=255), nullable=False),
        *_counts("pages", "spam_pages"),
        sa.PrimaryKeyConstraint("brand_id", "domain", name=op.f("pk_brand_domains")),
    )
    op.create_table(
        "brand_stats",
        sa.Column("brand_id", sa.Integer(), autoincrement=False, nullable=False),
        *_counts("spam_pages", "spam_domains"),
        sa.PrimaryKeyConstraint("brand_id", name=op.f("pk_brand_stats")),
    )
    op.create_index("ix_brand_stats_spam_pages_spam_domains", "brand_stats",
                    ["spam_pages", "spam_domains"], unique=False)
    op.create_table(
        "cluster_verdicts",
        sa.Column("cluster", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("verdict", sa.String(length=32), nullable=False),
        *_counts("pages"),
        sa.PrimaryKeyConstraint("cluster", "verdict", name=op.f("pk_cluster_verdicts")),
    )
    op.create_index("ix_cluster_verdicts_verdict_pages", "cluster_verdicts",
                    ["verdict", "pages"], unique=False)
    op.drop_index("ix_page_numbers_number_id", table_name="page_numbers")
    op.create_index("ix_page_numbers_number_id_page_id", "page_numbers",
                    ["number_id", "page_id"], unique=False)
    op.create_index("ix_pages_analysed_score", "pages", ["score", "id"], unique=False,
                    sqlite_where=sa.text(ANALYSED), postgresql_where=sa.text(ANALYSED))
    op.create_index("ix_pages_spam_score", "pages", ["score", "id"], unique=False,
                    sqlite_where=sa.text(SPAM_PAGES), postgresql_where=sa.text(SPAM_PAGES))
    conn = op.get_bind()
    summaries.rebuild(conn)
    summaries.create_triggers(conn)


def downgrade() -> None:
    """Downgrade schema."""
    summaries.drop_triggers(op.get_bind())
    op.drop_index("ix_pages_spam_score", table_name="pages")
    op.drop_index("ix_pages_analysed_score", table_name="pages")
    op.drop_index("ix_page_numbers_number_id_page_id", table_name="page_numbers")
    op.create_index("ix_page_numbers_number_id", "page_numbers", ["number_id"], unique=False)
    for table in ("cluster_verdicts", "brand_stats", "brand_domains", "number_brands",
                  "number_stats", "number_domains", "domain_verdicts"):
        op.drop_table(table)
