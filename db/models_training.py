"""Verdict models fitted on a database's labels (issue 10): ``models``, one row per fit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, utcnow


class VerdictModel(Base):
    """One ``triage train``: the artefact (zlib-compressed JSON, weights and hashing config, no
    page text), what it was fitted on and its grouped-CV figures. At most one row is
    ``active``: the model every later analysis writing this database uses; none active means
    the shipped model (``triage train --reset``)."""

    __tablename__ = "models"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)  # rows, labels, sources, hash
    figures: Mapped[dict[str, Any] | None]  # grouped CV: summary, per seed, per fold
    blob: Mapped[bytes] = mapped_column(LargeBinary)
