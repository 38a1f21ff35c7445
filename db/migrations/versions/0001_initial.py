"""Initial schema: crawl runs, pages, numbers, brands, padding segments, page history.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "brands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_brands")),
        sa.UniqueConstraint("name", name=op.f("uq_brands_name")),
    )
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spider", sa.String(length=100), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stats", sa.JSON(), nullable=True),
        sa.Column("outcome", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_runs")),
    )
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crawl_runs_started_at"), ["started_at"], unique=False)

    op.create_table(
        "numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("e164", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("carrier", sa.String(length=100), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["first_run_id"], ["crawl_runs.id"], name=op.f("fk_numbers_first_run_id_crawl_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_numbers")),
        sa.UniqueConstraint("e164", name=op.f("uq_numbers_e164")),
    )
    with op.batch_alter_table("numbers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_numbers_first_run_id"), ["first_run_id"], unique=False)

    op.create_table(
        "pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=False),
        sa.Column("domain", sa.String(length=255), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("depth", sa.Integer(), nullable=True),
        sa.Column("referrer", sa.Text(), nullable=True),
        sa.Column("content_type", sa.String(length=255), nullable=True),
        sa.Column("etag", sa.String(length=255), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("verdict", sa.String(length=32), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=True),
        sa.Column("padding_ratio", sa.Float(), nullable=True),
        sa.Column("encoding", sa.String(length=40), nullable=True),
        sa.Column("visible_chars", sa.Integer(), nullable=True),
        sa.Column("features", sa.JSON(), nullable=True),
        sa.Column("cluster", sa.Integer(), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("first_run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["first_run_id"], ["crawl_runs.id"], name=op.f("fk_pages_first_run_id_crawl_runs")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_runs.id"], name=op.f("fk_pages_run_id_crawl_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pages")),
        sa.UniqueConstraint("url", name=op.f("uq_pages_url")),
    )
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pages_cluster"), ["cluster"], unique=False)
        batch_op.create_index(batch_op.f("ix_pages_content_hash"), ["content_hash"], unique=False)
        batch_op.create_index("ix_pages_domain_verdict", ["domain", "verdict"], unique=False)
        batch_op.create_index(batch_op.f("ix_pages_first_run_id"), ["first_run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pages_run_id"), ["run_id"], unique=False)
        batch_op.create_index("ix_pages_verdict_score", ["verdict", "score"], unique=False)

    op.create_table(
        "padding_segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["page_id"],
            ["pages.id"],
            name=op.f("fk_padding_segments_page_id_pages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_padding_segments")),
    )
    with op.batch_alter_table("padding_segments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_padding_segments_page_id"), ["page_id"], unique=False)

    op.create_table(
        "page_brands",
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_page_brands_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["page_id"], ["pages.id"], name=op.f("fk_page_brands_page_id_pages"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("page_id", "brand_id", name=op.f("pk_page_brands")),
    )
    with op.batch_alter_table("page_brands", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_page_brands_brand_id"), ["brand_id"], unique=False)

    op.create_table(
        "page_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["page_id"],
            ["pages.id"],
            name=op.f("fk_page_history_page_id_pages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_runs.id"], name=op.f("fk_page_history_run_id_crawl_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_history")),
    )
    with op.batch_alter_table("page_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_page_history_changed_at"), ["changed_at"], unique=False
        )
        batch_op.create_index(
            "ix_page_history_page_id_changed_at", ["page_id", "changed_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_page_history_run_id"), ["run_id"], unique=False)

    op.create_table(
        "page_numbers",
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("number_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("advertised", sa.Boolean(), nullable=False),
        sa.Column("obfuscated", sa.Boolean(), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["number_id"],
            ["numbers.id"],
            name=op.f("fk_page_numbers_number_id_numbers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["page_id"],
            ["pages.id"],
            name=op.f("fk_page_numbers_page_id_pages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("page_id", "number_id", name=op.f("pk_page_numbers")),
    )
    with op.batch_alter_table("page_numbers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_page_numbers_number_id"), ["number_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("page_numbers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_page_numbers_number_id"))

    op.drop_table("page_numbers")
    with op.batch_alter_table("page_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_page_history_run_id"))
        batch_op.drop_index("ix_page_history_page_id_changed_at")
        batch_op.drop_index(batch_op.f("ix_page_history_changed_at"))

    op.drop_table("page_history")
    with op.batch_alter_table("page_brands", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_page_brands_brand_id"))

    op.drop_table("page_brands")
    with op.batch_alter_table("padding_segments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_padding_segments_page_id"))

    op.drop_table("padding_segments")
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_index("ix_pages_verdict_score")
        batch_op.drop_index(batch_op.f("ix_pages_run_id"))
        batch_op.drop_index(batch_op.f("ix_pages_first_run_id"))
        batch_op.drop_index("ix_pages_domain_verdict")
        batch_op.drop_index(batch_op.f("ix_pages_content_hash"))
        batch_op.drop_index(batch_op.f("ix_pages_cluster"))

    op.drop_table("pages")
    with op.batch_alter_table("numbers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_numbers_first_run_id"))

    op.drop_table("numbers")
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crawl_runs_started_at"))

    op.drop_table("crawl_runs")
    op.drop_table("brands")
