"""Discovery (issue 15): search runs and SERP snapshots (``discovery_runs``, ``serp_results``).

Revision ID: 0009
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "discovery_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("args", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stats", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("outcome", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discovery_runs")),
    )
    with op.batch_alter_table("discovery_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_discovery_runs_started_at"), ["started_at"],
                              unique=False)
    op.create_table(
        "serp_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("engine", sa.String(length=255), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("domain", sa.String(length=255), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("snippet", sa.Text(), nullable=False),
        sa.Column("numbers", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("brand", sa.String(length=200), nullable=False),
        sa.Column("pivot", sa.String(length=32), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["discovery_runs.id"],
                                name=op.f("fk_serp_results_run_id_discovery_runs"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_serp_results")),
    )
    with op.batch_alter_table("serp_results", schema=None) as batch_op:
        batch_op.create_index("ix_serp_results_run_id_query", ["run_id", "query"], unique=False)
        batch_op.create_index(batch_op.f("ix_serp_results_url"), ["url"], unique=False)
        batch_op.create_index(batch_op.f("ix_serp_results_domain"), ["domain"], unique=False)
        batch_op.create_index(batch_op.f("ix_serp_results_pivot"), ["pivot"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("serp_results")
    op.drop_table("discovery_runs")
