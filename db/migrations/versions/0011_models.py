"""Learning from analysts (issue 10): ``models`` (verdict models fitted on this database's
labels, one active at most), and on pages the engine's spam class and the model input the
stored features lack, so that stored pages can be scored again without their HTML.

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0011"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("spam_class", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("model_input", sa.LargeBinary(), nullable=True))
    op.create_table(
        "models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("figures", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_models")),
        sa.UniqueConstraint("version", name=op.f("uq_models_version")),
    )
    with op.batch_alter_table("models") as batch:
        batch.create_index(batch.f("ix_models_active"), ["active"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("models")
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("model_input")
        batch.drop_column("spam_class")
