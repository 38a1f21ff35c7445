"""The blocklist: numbers to report to carriers and platforms, each with its evidence and reason.

A number is listed only with evidence of its own:

- **spam pages advertising it**: pages whose current analysis is a spam verdict and that present
  the number as the one to call (``page_numbers.advertised``), not scam warnings; or
- an analyst's ``spam`` label on the number; or
- a known fraud number (``fraud_numbers``, ``triage import-fraud``).

Never listed: a number whose pages are all clean, one that is on no current page (its reputation
is cleared by ``triage reputation``; a label or a fraud seed still lists it), one labelled
``not_spam`` or ``official``, an official number (``official_numbers`` or the shipped seed list
the caller passes, :func:`pipelines.official.official_map`; an analyst's ``spam`` overrides it),
and mistyped numbers (kind ``malformed``). When the number reputation has run it must agree
(``fraud`` or ``suspicious``), unless every page advertising the number is spam.

Pages that only mention the number (scam warnings, news, clean pages quoting it) are kept apart
as ``mentioned_on`` and never count as evidence. Each row's ``reason`` says why it is listed, e.g.
"advertised on 14 spam pages on 6 domains for 5 brands; labelled spam by lin".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, case, func, select

from db import labels
from db.models import (
    Brand,
    FraudNumber,
    Label,
    Number,
    NumberBrand,
    NumberStat,
    OfficialNumber,
    Page,
    PageBrand,
    PageNumber,
)
from db.queries import iso
from pipelines.types import MALFORMED, SPAM_VERDICTS

LISTED_VERDICTS = ("fraud", "suspicious")
EXAMPLES = 3
COLUMNS = ("number", "verdict", "score", "source", "label", "evidence", "reason", "domains",
           "pages", "brands", "kind", "place", "first_seen", "last_seen", "example_urls",
           "mentions", "mentioned_on")


@dataclass
class _Seen:
    """What the current pages show of one number."""

    evidence: list[tuple[float, str, str, int]] = field(default_factory=list)  # spam, advertised
    mentions: list[str] = field(default_factory=list)  # warnings, news, quotes: not evidence
    clean_ads: int = 0  # clean, non-warning pages advertising it (a shop, the brand itself)
    pages: int = 0


def _is_warning(verdict: str | None, features: Any) -> bool:
    return verdict == "clean" and float((features or {}).get("warning_hits", 0) or 0) >= 1


def _seen(conn: Connection, page_verdicts: tuple[str, ...],
          numbers: Sequence[int] | None = None) -> dict[int, _Seen]:
    """What the pages show of every number (or of the ids ``numbers``)."""
    seen: dict[int, _Seen] = defaultdict(_Seen)
    # Only a clean page can be a warning: the features of spam pages are not read (decoded).
    features = case((Page.verdict == "clean", Page.features), else_=None)
    query = (select(PageNumber.number_id, Page.id, Page.url, Page.domain, Page.verdict,
                    Page.score, features, PageNumber.advertised)
             .join(Page, Page.id == PageNumber.page_id).where(Page.verdict.is_not(None)))
    if numbers is not None:
        query = query.where(PageNumber.number_id.in_(list(numbers)))
    for nid, pid, url, domain, verdict, score, features, advertised in conn.execute(query):
        s = seen[nid]
        s.pages += 1
        warning = _is_warning(verdict, features)
        if advertised and not warning and verdict in page_verdicts:
            s.evidence.append((-(score or 0.0), url, domain, pid))
        elif advertised and not warning and verdict not in SPAM_VERDICTS:
            s.clean_ads += 1
            s.mentions.append(url)
        elif not advertised or warning:
            s.mentions.append(url)
    return seen


def _brands_of_pages(conn: Connection, ids: set[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    if not ids:
        return out
    wanted = sorted(ids)
    for i in range(0, len(wanted), 500):
        for pid, name in conn.execute(select(PageBrand.page_id, Brand.name)
                                      .join(Brand, Brand.id == PageBrand.brand_id)
                                      .where(PageBrand.page_id.in_(wanted[i:i + 500]))):
            out[pid].add(name)
    return out


def _reason(evidence: int, domains: int, brands: int, label: dict[str, Any] | None,
            seed: str | None, reputation: str | None, score: float | None) -> str:
    parts = []
    if evidence:
        part = f"advertised on {evidence} spam page{'s' * (evidence != 1)} on {domains} " \
               f"domain{'s' * (domains != 1)}"
        if brands:
            part += f" for {brands} brand{'s' * (brands != 1)}"
        parts.append(part)
    if label:
        parts.append(f"labelled spam by {label.get('reviewer') or 'an analyst'}"
                     + (f" ({label['note']})" if label.get("note") else ""))
    if seed is not None:
        parts.append(f"known fraud number ({seed or 'import-fraud'})")
    if reputation in LISTED_VERDICTS and score is not None:
        parts.append(f"reputation {reputation} ({score:.2f})")
    return "; ".join(parts)


def iter_blocklist(conn: Connection, verdict: str | None = None, *,
                   also_official: Iterable[str] = (), min_evidence: int = 0
                   ) -> Iterator[dict[str, Any]]:
    """Blocklisted numbers, most evidence first. ``verdict`` counts only pages with that page
    verdict as evidence (default: both spam verdicts); ``also_official`` are official numbers
    known outside the database (the shipped seed list); ``min_evidence`` drops rows with fewer
    spam pages advertising the number.

    By default the order comes from the summary ``number_stats`` (spam pages advertising each
    number, and their domains) and the pages are read a few numbers at a time, so the first
    rows stream out at once; with ``verdict`` every page is read first."""
    lists = _Lists(conn, also_official)
    if verdict is not None:
        seen = _seen(conn, (verdict,))
        numbers = list(conn.execute(select(Number)))
        rows = [r for r in lists.rows(conn, numbers, seen, min_evidence) if r is not None]
        rows.sort(key=lambda r: (-r["evidence"], -r["domains"], r["number"]))
        yield from rows
        return
    for batch in _ordered_batches(conn, lists):
        numbers = list(conn.execute(select(Number).where(Number.id.in_(batch))))
        by_id = {n.id: n for n in numbers}
        seen = _seen(conn, tuple(sorted(SPAM_VERDICTS)), batch)
        # Brands of a number's evidence (spam pages advertising it): the summary's count.
        brands = dict(conn.execute(
            select(NumberBrand.number_id, func.count()).where(
                NumberBrand.number_id.in_(batch), NumberBrand.spam_advertised > 0)
            .group_by(NumberBrand.number_id)).all())
        listed = lists.rows(conn, [by_id[i] for i in batch if i in by_id], seen, min_evidence,
                            brands)
        yield from (r for r in listed if r is not None)


def _ordered_batches(conn: Connection, lists: _Lists, pages: int = 2000) -> Iterator[list[int]]:
    """Number ids in blocklist order, in batches of about ``pages`` pages: numbers advertised
    on spam pages (most, then most domains, then by number), then those listed with none
    (labelled spam or a fraud seed)."""
    ranked = sorted(conn.execute(
        select(NumberStat.number_id, NumberStat.spam_pages, NumberStat.spam_domains,
               Number.e164).join(Number, Number.id == NumberStat.number_id)
        .where(NumberStat.spam_pages > 0)).all(), key=lambda r: (-r[1], -r[2], r[3]))
    with_evidence = {r[0] for r in ranked}
    batch: list[int] = []
    held = 0
    for nid, n, _, _ in ranked:
        if batch and held + n > pages:
            yield batch
            batch, held = [], 0
        batch.append(nid)
        held += n
    if batch:
        yield batch
    rest = [nid for nid, _ in sorted(
        conn.execute(select(Number.id, Number.e164).where(Number.e164.in_(
            sorted(lists.spam_labelled | set(lists.seeds))))).all(), key=lambda r: r[1])
        if nid not in with_evidence]
    for i in range(0, len(rest), 500):
        yield rest[i:i + 500]


class _Lists:
    """The lists a listing decision reads besides the pages: official numbers, fraud seeds and
    numbers whose current label is spam."""

    def __init__(self, conn: Connection, also_official: Iterable[str]) -> None:
        self.official = set(conn.execute(select(OfficialNumber.e164)).scalars()) | set(
            also_official)
        self.seeds = dict(conn.execute(select(FraudNumber.e164, FraudNumber.source)).all())
        latest: dict[str, tuple[int, str]] = {}
        for lid, target, label in conn.execute(select(Label.id, Label.target, Label.label)
                                               .where(Label.target_type == "number")):
            if target not in latest or lid > latest[target][0]:
                latest[target] = (lid, label)
        self.spam_labelled = {t for t, (_, label) in latest.items() if label == "spam"}

    def rows(self, conn: Connection, numbers: Sequence[Any], seen: dict[int, _Seen],
             min_evidence: int, brands: dict[int, int] | None = None
             ) -> list[dict[str, Any] | None]:
        """The blocklist row of each of ``numbers`` (None: not listed), in their order;
        ``brands``: each number's count of brands on its evidence, else read from the pages."""
        judged = labels.current(conn, "number", [n.e164 for n in numbers])
        if brands is None:
            page_brands = _brands_of_pages(conn, {e[3] for n in numbers
                                                  for e in seen.get(n.id, _Seen()).evidence})
            brands = {n.id: len(set().union(*(page_brands.get(e[3], set())
                                              for e in seen.get(n.id, _Seen()).evidence)))
                      for n in numbers}
        return [self._row(n, seen.get(n.id) or _Seen(), judged.get(n.e164),
                          brands.get(n.id, 0), min_evidence) for n in numbers]

    def _row(self, n: Any, s: _Seen, label_row: dict[str, Any] | None, brands: int,
             min_evidence: int) -> dict[str, Any] | None:
        label = (label_row or {}).get("label")
        if label in ("not_spam", "official") or (n.e164 in self.official and label != "spam"):
            return None
        if n.kind == MALFORMED or len(s.evidence) < min_evidence:
            return None
        reputation, score = getattr(n, "verdict", None), getattr(n, "score", None)
        agrees = reputation is None or reputation in LISTED_VERDICTS or not s.clean_ads
        seeds = self.seeds
        if label != "spam" and n.e164 not in seeds and not (s.evidence and agrees):
            return None
        pages = sorted(s.evidence)
        domains = len({d for _, _, d, _ in pages})
        source = ("analyst" if label == "spam" else "seed" if n.e164 in seeds
                  else "reputation" if reputation in LISTED_VERDICTS else "pages")
        listed = "fraud" if source in ("analyst", "seed") else (
            reputation if reputation in LISTED_VERDICTS else "suspicious")
        return {
            "number": n.e164, "verdict": listed, "score": score, "source": source,
            "label": label or "",
            "reason": _reason(len(pages), domains, brands, label_row if label == "spam" else None,
                              seeds.get(n.e164) if n.e164 in seeds else None, reputation, score),
            "evidence": len(pages), "domains": domains, "pages": s.pages, "brands": brands,
            "kind": n.kind, "place": n.place,
            "first_seen": iso(n.first_seen), "last_seen": iso(n.last_seen),
            "example_urls": [u for _, u, _, _ in pages[:EXAMPLES]],
            "mentions": len(s.mentions), "mentioned_on": sorted(s.mentions)[:EXAMPLES],
        }
