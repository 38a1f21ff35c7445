"""Identifiers and operations (issue 14): ``page_identifiers`` (analytics ids, filings, chat
accounts, favicon hashes, server addresses per page) and the operations joining spam domains
(``operations``, ``operation_domains``, ``operation_links``).

Revision ID: 0008
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "page_identifiers",
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], ondelete="CASCADE",
                                name=op.f("fk_page_identifiers_page_id_pages")),
        sa.PrimaryKeyConstraint("page_id", "kind", "value", name=op.f("pk_page_identifiers")),
    )
    op.create_index("ix_page_identifiers_kind_value", "page_identifiers", ["kind", "value"])
    op.create_table(
        "operations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_run_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations")),
    )
    op.create_index(op.f("ix_operations_first_run_id"), "operations", ["first_run_id"])
    op.create_table(
        "operation_domains",
        sa.Column("domain", sa.String(length=255), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["operation_id"], ["operations.id"], ondelete="CASCADE",
                                name=op.f("fk_operation_domains_operation_id_operations")),
        sa.PrimaryKeyConstraint("domain", name=op.f("pk_operation_domains")),
    )
    op.create_index(op.f("ix_operation_domains_operation_id"), "operation_domains",
                    ["operation_id"])
    op.create_table(
        "operation_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("a", sa.String(length=255), nullable=False),
        sa.Column("b", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["operation_id"], ["operations.id"], ondelete="CASCADE",
                                name=op.f("fk_operation_links_operation_id_operations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_links")),
    )
    op.create_index(op.f("ix_operation_links_operation_id"), "operation_links", ["operation_id"])


def downgrade() -> None:
    """Downgrade schema."""
    for name in ("operation_links", "operation_domains", "operations", "page_identifiers"):
        op.drop_table(name)
