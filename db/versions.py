"""Cloaking evidence: the versions (one per client profile) of a page (``page_versions``) and its ``cloaking`` flag.

:func:`save_cloaking` runs once the crawl's pages are stored: for each checked page it sets or
clears the ``cloaking`` flag in ``pages.flags`` and, when cloaked, replaces the page's versions.
A page that is not cloaked any more keeps its old versions as history but loses the flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from db.models import Page, PageVersion, utcnow
from db.store import clean, parse_time

FLAG = "cloaking"


@dataclass(frozen=True)
class CloakingCheck:
    """One page fetched as crawler and as browser: the differences and both versions."""

    url: str
    reasons: tuple[str, ...]
    versions: tuple[dict[str, Any], ...]  # page_versions columns, one per variant
    kinds: tuple[str, ...] = ()  # user_agent, referer, mobile, redirect


def _row(page_id: int, v: dict[str, Any]) -> dict[str, Any]:
    return {
        "page_id": page_id, "variant": str(v["variant"])[:20], "status": int(v.get("status") or 0),
        "final_url": clean(v.get("final_url") or ""), "content_hash": v.get("content_hash") or "",
        "title": clean(v.get("title")) or None, "text": clean(v.get("text")) or None,
        "verdict": v.get("verdict"), "score": v.get("score"), "numbers": v.get("numbers") or [],
        "redirect": clean(v.get("redirect")) or None, "brands": list(v.get("brands") or []),
        "fetched_at": parse_time(v.get("fetched_at")) if v.get("fetched_at") else utcnow(),
    }


def save_cloaking(engine: Engine, checks: Iterable[CloakingCheck]) -> int:
    """Store the checks of one crawl; returns how many pages are flagged as cloaking."""
    checks = list(checks)
    if not checks:
        return 0
    flagged = 0
    with engine.execution_options(sqlite_write=True).begin() as conn:
        for check in checks:
            row = conn.execute(select(Page.id, Page.flags, Page.cloaking_kinds)
                               .where(Page.url == check.url)).first()
            if row is None:
                continue
            flags = [f for f in (row.flags or []) if f != FLAG]
            if check.reasons:
                flags.append(FLAG)
                flagged += 1
                conn.execute(delete(PageVersion).where(PageVersion.page_id == row.id))
                conn.execute(insert(PageVersion), [_row(row.id, v) for v in check.versions])
            kinds = sorted(check.kinds) if check.reasons else []
            if flags != list(row.flags or []) or kinds != list(row.cloaking_kinds or []):
                conn.execute(update(Page).where(Page.id == row.id)
                             .values(flags=flags, cloaking_kinds=kinds))
    return flagged


def page_versions(engine: Engine, url: str) -> Sequence[dict[str, Any]]:
    """The stored versions of the page at ``url`` (tests, review)."""
    with engine.connect() as conn:
        rows = conn.execute(select(PageVersion).join(Page, Page.id == PageVersion.page_id)
                            .where(Page.url == url).order_by(PageVersion.variant)).all()
    return [{c: getattr(r, c) for c in ("variant", "status", "final_url", "verdict", "score",
                                        "numbers", "redirect", "title", "brands",
                                        "content_hash")} for r in rows]
