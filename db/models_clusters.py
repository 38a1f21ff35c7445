"""The kept LSH index of template signatures (issue 12): one row per bucket and page."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    ForeignKey,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base


class MinhashBand(Base):
    """One LSH bucket of one page's signature (``pipelines.templates.band_keys``): the kept
    index that lets clustering look at new pages only (``investigate.lsh``)."""

    __tablename__ = "minhash_bands"
    __table_args__ = ({"sqlite_with_rowid": False},)

    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
