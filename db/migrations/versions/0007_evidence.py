"""Evidence (issue 13): client profiles and cloaking kinds on pages, brands on page versions,
and ``page_archives``, where each archived response lies in the WARC files.

Revision ID: 0007
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("profile", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("referer_sent", sa.Text(), nullable=True))
        batch.add_column(sa.Column("cloaking_kinds", sa.JSON(none_as_null=True), nullable=True))
    with op.batch_alter_table("page_versions") as batch:
        batch.add_column(sa.Column("brands", sa.JSON(none_as_null=True), nullable=True))
    op.create_table(
        "page_archives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("profile", sa.String(length=20), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("archive_dir", sa.Text(), nullable=False),
        sa.Column("warc_file", sa.Text(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"],
                                name=op.f("fk_page_archives_page_id_pages"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_archives")),
    )
    with op.batch_alter_table("page_archives") as batch:
        batch.create_index("ix_page_archives_page_id", ["page_id", "archived_at"], unique=False)
        batch.create_index(batch.f("ix_page_archives_payload_sha256"), ["payload_sha256"],
                           unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("page_archives")
    with op.batch_alter_table("page_versions") as batch:
        batch.drop_column("brands")
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("cloaking_kinds")
        batch.drop_column("referer_sent")
        batch.drop_column("profile")
