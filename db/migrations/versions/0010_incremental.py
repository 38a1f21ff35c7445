"""Incremental investigation (issue 12): the kept LSH index (``minhash_bands``), the page flag
``banded`` saying a page's signature is in it, and the indexes the million-page queries need.

Revision ID: 0010
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNBANDED = "banded IS NULL AND verdict IS NOT NULL"


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("banded", sa.Boolean(), nullable=True))
    op.create_index("ix_pages_unbanded", "pages", ["id"], unique=False,
                    sqlite_where=sa.text(UNBANDED), postgresql_where=sa.text(UNBANDED))
    op.create_table(
        "minhash_bands",
        sa.Column("bucket", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"],
                                name=op.f("fk_minhash_bands_page_id_pages"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("bucket", "page_id", name=op.f("pk_minhash_bands")),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f("ix_minhash_bands_page_id"), "minhash_bands", ["page_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f("ix_minhash_bands_page_id"), table_name="minhash_bands")
    op.drop_table("minhash_bands")
    op.drop_index("ix_pages_unbanded", table_name="pages")
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("banded")
