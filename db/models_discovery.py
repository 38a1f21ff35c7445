"""Search results kept by discovery (issue 15): runs and SERP snapshot rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, utcnow


class DiscoveryRun(Base):
    """One ``triage discover`` or ``triage pivot`` run: what was asked and what answered."""

    __tablename__ = "discovery_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # discover | pivot
    args: Mapped[dict[str, Any]] = mapped_column(default=dict)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    # {"queries": n, "calls": n, "results": n, "refusals": [{"query", "page", "engine", "reason"}]}
    stats: Mapped[dict[str, Any] | None]
    outcome: Mapped[str | None] = mapped_column(String(100))


class SerpResult(Base):
    """One search result as the search backend returned it (a SERP snapshot row).

    ``engine`` is the engines that returned it, comma-joined; ``numbers`` the E.164 numbers in
    its title and snippet. ``brand`` is the brand the query was made for, ``pivot`` the number
    a ``triage pivot`` searched (empty otherwise). Pages crawled from a result are found by
    ``url`` (``triage export pages`` field ``found_by``).
    """

    __tablename__ = "serp_results"
    __table_args__ = (Index("ix_serp_results_run_id_query", "run_id", "query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("discovery_runs.id", ondelete="CASCADE"))
    query: Mapped[str] = mapped_column(Text)
    engine: Mapped[str] = mapped_column(String(255), default="")
    page: Mapped[int] = mapped_column(default=1)
    rank: Mapped[int] = mapped_column(default=0)
    url: Mapped[str] = mapped_column(Text, index=True)
    domain: Mapped[str] = mapped_column(String(255), default="", index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    snippet: Mapped[str] = mapped_column(Text, default="")
    numbers: Mapped[list[Any]] = mapped_column(default=list)
    brand: Mapped[str] = mapped_column(String(200), default="")
    pivot: Mapped[str] = mapped_column(String(32), default="", index=True)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
