"""Page identifiers (issue 14): the rows the writer stores and the pivot list analysts export.

``identifier_rows`` turns one analysed item into ``page_identifiers`` rows (the engine's
identifiers, the per-site ones the crawl adds, the server's address); ``iter_identifiers`` is
``triage export identifiers``: one record per (kind, value) with its pages, domains and first
and last seen; ``identifiers_of_pages`` feeds ``triage export pages``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from db.models import Page, PageIdentifier
from pipelines.types import SPAM_VERDICTS, Identifier, PageAnalysis

CHUNK = 500


def _clean(value: str) -> str:
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def identifier_rows(analysis: PageAnalysis, item: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """(kind, value) -> detail for one analysed item: the page's identifiers, the per-site ones
    the crawl put on it (``site_identifiers``) and the address the server answered from."""
    found = [*analysis.identifiers,
             *(i for i in item.get("site_identifiers") or () if isinstance(i, Identifier))]
    if item.get("server_ip"):
        found.append(Identifier("server_ip", str(item["server_ip"])))
    out: dict[tuple[str, str], str] = {}
    for i in found:
        key = (_clean(i.kind)[:40], _clean(i.value)[:255])
        if key[1] and not out.get(key):
            out[key] = _clean(i.detail)
    return out


def identifiers_of_pages(conn: Connection, page_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """page id -> its identifiers as ``{kind, value[, detail]}``, by kind then value."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for i in range(0, len(page_ids), CHUNK):
        rows = conn.execute(select(PageIdentifier.page_id, PageIdentifier.kind,
                                   PageIdentifier.value, PageIdentifier.detail).where(
            PageIdentifier.page_id.in_(page_ids[i:i + CHUNK])).order_by(
            PageIdentifier.page_id, PageIdentifier.kind, PageIdentifier.value))
        for r in rows:
            rec = {"kind": r.kind, "value": r.value}
            if r.detail:
                rec["detail"] = r.detail
            out[r.page_id].append(rec)
    return out


def iter_identifiers(conn: Connection, verdict: str | None = None) -> Iterator[dict[str, Any]]:
    """``triage export identifiers``: kind, value, pages, domains (sorted), spam_pages,
    first_seen, last_seen; most domains first. ``verdict``: only pages with that verdict."""
    from db.queries import iso

    query = (select(PageIdentifier.kind, PageIdentifier.value, Page.domain, Page.verdict,
                    Page.first_seen, Page.last_seen)
             .join(Page, Page.id == PageIdentifier.page_id))
    if verdict is not None:
        query = query.where(Page.verdict == verdict)
    agg: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, value, domain, page_verdict, first, last in conn.execute(query):
        rec = agg.setdefault((kind, value), {"kind": kind, "value": value, "pages": 0,
                                             "spam_pages": 0, "domains": set(),
                                             "first_seen": first, "last_seen": last})
        rec["pages"] += 1
        rec["spam_pages"] += page_verdict in SPAM_VERDICTS
        rec["domains"].add(domain)
        rec["first_seen"] = min(rec["first_seen"], first)
        rec["last_seen"] = max(rec["last_seen"], last)
    for rec in sorted(agg.values(), key=lambda r: (-len(r["domains"]), r["kind"], r["value"])):
        yield rec | {"domains": sorted(rec["domains"]), "first_seen": iso(rec["first_seen"]),
                     "last_seen": iso(rec["last_seen"])}


def identifier_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(PageIdentifier)).scalar_one())
