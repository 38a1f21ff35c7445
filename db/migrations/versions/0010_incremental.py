"""Issue 12: the kept LSH index (``minhash_bands``), the page flag ``banded`` saying a page's
signature is in it, page texts zlib-compressed (``pages.text``, ``page_versions.text``: binary
columns read through ``db.models.CompressedText``), and the indexes the million-page queries
need. Compressing an existing database rewrites every text; SQLite gives the space back to the
file system only after ``VACUUM``.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import zlib

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNBANDED = "banded IS NULL AND verdict IS NOT NULL"


CHUNK = 1000
TEXTS = ("pages", "page_versions")


def _recode(table: str, change: object) -> None:
    """Rewrite every ``text`` of ``table`` through ``change`` (bytes or str in, value out)."""
    conn = op.get_bind()
    t = sa.table(table, sa.column("id", sa.Integer), sa.column("text", sa.LargeBinary))
    last = 0
    while True:
        rows = conn.execute(sa.select(t.c.id, t.c.text).where(t.c.id > last, t.c.text.is_not(None))
                            .order_by(t.c.id).limit(CHUNK)).all()
        if not rows:
            return
        conn.execute(sa.update(t).where(t.c.id == sa.bindparam("tid"))
                     .values(text=sa.bindparam("value")),
                     [{"tid": r.id, "value": change(r.text)} for r in rows])  # type: ignore[operator]
        last = rows[-1].id


def _compress(value: bytes | str) -> bytes:
    raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return zlib.compress(raw, 6)


def _decompress(value: bytes | str) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else zlib.decompress(bytes(value))


def upgrade() -> None:
    """Upgrade schema."""
    for table in TEXTS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("text", type_=sa.LargeBinary(), existing_type=sa.Text(),
                               postgresql_using="convert_to(text, 'UTF8')")
        _recode(table, _compress)
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
    for table in TEXTS:
        _recode(table, _decompress)
        with op.batch_alter_table(table) as batch:
            batch.alter_column("text", type_=sa.Text(), existing_type=sa.LargeBinary(),
                               postgresql_using="convert_from(text, 'UTF8')")
