"""Identifiers per page and the operations they tie together (issue 14)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, utcnow


class PageIdentifier(Base):
    """An identifier on one page (issue 14): analytics id, filing, chat account, favicon hash,
    server address, ... (replaced whenever the page is re-analysed)."""

    __tablename__ = "page_identifiers"
    __table_args__ = (Index("ix_page_identifiers_kind_value", "kind", "value"),)

    page_id: Mapped[int] = mapped_column(
        ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(255), primary_key=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class Operation(Base):
    """One operation (issue 14): spam domains tied by what they share. Its id stays while it
    only grows; ``first_run_id`` is the crawl run after which it first appeared."""

    __tablename__ = "operations"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_run_id: Mapped[int | None] = mapped_column(index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class OperationDomain(Base):
    """A domain's operation (recomputed after each crawl)."""

    __tablename__ = "operation_domains"

    domain: Mapped[str] = mapped_column(String(255), primary_key=True)
    operation_id: Mapped[int] = mapped_column(
        ForeignKey("operations.id", ondelete="CASCADE"), index=True)


class OperationLink(Base):
    """One tie between two domains of an operation: what they share (``kind``, ``value``)."""

    __tablename__ = "operation_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(
        ForeignKey("operations.id", ondelete="CASCADE"), index=True)
    a: Mapped[str] = mapped_column(String(255))
    b: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
