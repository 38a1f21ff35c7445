"""The blocklist: numbers to report to carriers and platforms, with the evidence behind each.

A number is listed when an analyst labelled it ``spam``, or, without an analyst's word, when its
reputation (``numbers.verdict``, issue 5) is ``fraud`` or ``suspicious``. Numbers never scored
fall back to the page verdicts: advertised on a spam page makes them ``suspicious``. An analyst's
``not_spam`` or ``official`` label, or a listing in ``official_numbers`` or among the ``official``
numbers the caller passes (the shipped seed list, :func:`pipelines.official.official_map`), keeps
a number off. Evidence is the spam pages advertising the number. Numbers of kind ``malformed``
(mistyped, kept as written) are never listed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, select

from db import labels
from db.models import Number, OfficialNumber, Page, PageNumber
from db.queries import iso
from pipelines.types import MALFORMED, SPAM_VERDICTS

LISTED_VERDICTS = ("fraud", "suspicious")
EXAMPLES = 3
COLUMNS = ("number", "verdict", "score", "source", "label", "evidence", "domains", "kind",
           "place", "first_seen", "last_seen", "example_urls")


def iter_blocklist(conn: Connection, verdict: str | None = None, *,
                   also_official: Iterable[str] = ()) -> Iterator[dict[str, Any]]:
    """Blocklisted numbers, most evidence first. ``verdict`` counts only pages with that page
    verdict as evidence (default: both spam verdicts); ``also_official`` are official numbers
    known outside the database (the shipped seed list)."""
    page_verdicts = (verdict,) if verdict else tuple(sorted(SPAM_VERDICTS))
    evidence: dict[int, list[tuple[float, str, str]]] = defaultdict(list)
    for nid, score, url, domain in conn.execute(
            select(PageNumber.number_id, Page.score, Page.url, Page.domain)
            .join(Page, Page.id == PageNumber.page_id)
            .where(PageNumber.advertised.is_(True), Page.verdict.in_(page_verdicts))):
        evidence[nid].append((-(score or 0.0), url, domain))
    numbers = {r.id: r for r in conn.execute(select(Number))}
    judged = labels.current(conn, "number", [n.e164 for n in numbers.values()])
    official = set(conn.execute(select(OfficialNumber.e164)).scalars()) | set(also_official)
    rows: list[dict[str, Any]] = []
    for nid, n in numbers.items():
        label = judged.get(n.e164, {}).get("label")
        reputation = getattr(n, "verdict", None)
        if reputation:
            number_verdict, source = reputation, "reputation"
        else:
            number_verdict = "suspicious" if nid in evidence else "clean"
            source = "pages"
        if label in ("not_spam", "official") or (n.e164 in official and label != "spam"):
            continue
        if n.kind == MALFORMED:  # a mistyped number is nobody's number: never listed
            continue
        if label != "spam" and number_verdict not in LISTED_VERDICTS:
            continue
        pages = sorted(evidence.get(nid, []))
        rows.append({
            "number": n.e164, "verdict": "fraud" if label == "spam" else number_verdict,
            "score": getattr(n, "score", None), "source": "analyst" if label else source,
            "label": label or "", "evidence": len(pages),
            "domains": len({d for _, _, d in pages}), "kind": n.kind, "place": n.place,
            "first_seen": iso(n.first_seen), "last_seen": iso(n.last_seen),
            "example_urls": [u for _, u, _ in pages[:EXAMPLES]],
        })
    rows.sort(key=lambda r: (-r["evidence"], -r["domains"], r["number"]))
    yield from rows
