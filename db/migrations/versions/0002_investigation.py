"""Investigation (issue 5): number reputation, official and fraud numbers, page versions for
cloaking, MinHash signatures for template clusters.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "fraud_numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("e164", sa.String(length=32), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fraud_numbers")),
        sa.UniqueConstraint("e164", name=op.f("uq_fraud_numbers_e164")),
    )
    op.create_table(
        "official_numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand", sa.String(length=200), nullable=False),
        sa.Column("e164", sa.String(length=32), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_official_numbers")),
        sa.UniqueConstraint("brand", "e164", name=op.f("uq_official_numbers_brand_e164")),
    )
    with op.batch_alter_table("official_numbers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_official_numbers_e164"), ["e164"], unique=False)

    op.create_table(
        "page_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("variant", sa.String(length=20), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("verdict", sa.String(length=32), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("numbers", sa.JSON(), nullable=True),
        sa.Column("redirect", sa.Text(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["page_id"], ["pages.id"], name=op.f("fk_page_versions_page_id_pages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_versions")),
        sa.UniqueConstraint("page_id", "variant", name=op.f("uq_page_versions_page_id_variant")),
    )
    with op.batch_alter_table("numbers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("score", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("verdict", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_numbers_verdict"), ["verdict"], unique=False)

    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("minhash", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_column("minhash")

    with op.batch_alter_table("numbers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_numbers_verdict"))
        batch_op.drop_column("verdict")
        batch_op.drop_column("score")

    op.drop_table("page_versions")
    with op.batch_alter_table("official_numbers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_official_numbers_e164"))

    op.drop_table("official_numbers")
    op.drop_table("fraud_numbers")
