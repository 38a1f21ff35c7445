"""Number reputation: how likely a phone number belongs to a fake-hotline operation.

The evidence is a graph: numbers appear on pages, pages live on domains and claim brands. We
follow the co-occurrence idea of Li et al. (AAAI 2014): a number inherits suspicion from what it
appears with. Concretely, each number gets a prior from its own mentions, then fraud and trust
flow between numbers, pages and domains until they settle (label propagation with clamped
seeds):

- Seeds: official numbers (``triage import-official``) are clamped to 0, known fraud numbers to
  1. An official number stays clean whoever quotes it: news warnings, fraud pages.
- Pages start from the engine's spam probability (``pages.score``); a page that advertises a
  fraud number becomes more suspect, and so does its domain.
- Search results (``triage discover``/``pivot``) whose snippet shows numbers count as small
  pages (``PageFacts.snippet``) with a mild prior of their own: numbers co-occurring in one
  snippet pull on each other, and a number in snippets for several brands' queries is
  "advertised for k brands", as Li et al. did with search-result pages.
- A number's prior: advertised by pages claiming several unrelated brands (counted at most one
  per page, so a multi-brand repair shop page does not count); advertised by a spam page about
  one brand whose official numbers are known and do not include it (impersonation); quoted
  inside a scam warning.

Every number ends with a fraud score in [0, 1] (1 = surely fraud) and a verdict: ``official``,
``fraud`` (seed or score >= 0.7), ``suspicious`` (>= 0.5) or ``clean``, with its reasons.

Pure: plain records in, scores out; the database glue is :mod:`investigate.reputation`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pipelines.types import SPAM_VERDICTS

__all__ = ["FRAUD_AT", "SNIPPET_PRIOR", "SUSPICIOUS_AT", "Mention", "NumberReputation", "PageFacts",
           "operation_suspects", "score_numbers"]

FRAUD_AT = 0.7
SUSPICIOUS_AT = 0.5
ITERATIONS = 30
SNIPPET_PRIOR = 0.4  # a search result not crawled: below "suspicious" on its own
PAGE_PRIOR_WEIGHT = 2.0  # the engine's verdict counts as much as two advertised numbers
NUMBER_PRIOR_WEIGHT = 1.0  # a number with evidence of its own
NEUTRAL_PRIOR_WEIGHT = 0.25  # a number with none: its pages decide
QUOTED_WEIGHT = 0.2  # a number only mentioned (not advertised) on a page
DOMAIN_SHARE = 0.3  # how much of a page's pull on its numbers comes from its whole domain
# Log-odds added to a number's prior by each kind of own evidence.
MULTI_BRAND_LOGIT = 1.5  # per doubling of distinct brands beyond the first
MISMATCH_LOGIT = 1.5  # per brand whose known official numbers do not include it (capped)
WARNING_LOGIT = 1.5  # per scam warning quoting it (capped)
CAP = 3


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What reputation needs of a page: ``score`` is the engine's spam probability."""

    id: int
    domain: str
    verdict: str | None
    score: float
    brands: tuple[str, ...] = ()
    warning: bool = False  # the page warns about scams (news, notices)
    snippet: bool = False  # a search result's title and snippet, not a crawled page


@dataclass(frozen=True, slots=True)
class Mention:
    """A number on a page; ``advertised``: presented as the number to call."""

    page: int
    number: str
    advertised: bool
    kind: str = ""  # the number's kind; ``malformed`` (a mistyped number) is never scored


@dataclass(frozen=True, slots=True)
class NumberReputation:
    e164: str
    score: float
    verdict: str
    reasons: tuple[str, ...]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def _page_prior(p: PageFacts) -> float:
    if p.snippet:
        return SNIPPET_PRIOR
    if p.verdict is None:
        return 0.5
    score = min(max(float(p.score), 0.0), 1.0)
    # Keep verdict and score consistent even for engines whose score is a confidence.
    return max(score, 0.5) if p.verdict in SPAM_VERDICTS else min(score, 0.5)


def _priors(pages: Mapping[int, PageFacts], mentions: Iterable[Mention],
            official: Mapping[str, frozenset[str]]) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Each number's prior fraud probability from its own mentions, with reasons."""
    official_of_brand: dict[str, set[str]] = defaultdict(set)
    for e164, brands in official.items():
        for b in brands:
            official_of_brand[b].add(e164)
    brands_of: dict[str, set[str]] = defaultdict(set)
    branded_pages: dict[str, int] = defaultdict(int)
    mismatched: dict[str, set[str]] = defaultdict(set)
    warned: dict[str, int] = defaultdict(int)
    numbers: set[str] = set()
    for m in mentions:
        numbers.add(m.number)
        page = pages.get(m.page)
        if page is None:
            continue
        if not m.advertised:
            if page.warning:
                warned[m.number] += 1
            continue
        if page.warning or not page.brands:
            continue
        brands_of[m.number].update(page.brands)
        branded_pages[m.number] += 1
        # Impersonation: a spam page for one brand (two names at most: brand and brand +
        # product), not a shop naming many brands.
        if page.verdict in SPAM_VERDICTS and len(page.brands) <= 2:
            for brand in page.brands:
                known = official_of_brand.get(brand)
                if known and m.number not in known:
                    mismatched[m.number].add(brand)
    priors: dict[str, float] = {}
    reasons: dict[str, list[str]] = defaultdict(list)
    for n in numbers:
        logit = 0.0
        # Brands over the pages advertising it, at most one per page: a repair shop's page
        # naming four brands is one page, a farm's forty pages for forty brands are forty.
        k = min(len(brands_of.get(n, ())), branded_pages.get(n, 0))
        if k >= 2:
            logit += MULTI_BRAND_LOGIT * math.log2(k)
            reasons[n].append(f"advertised for {k} brands")
        if mismatched.get(n):
            logit += MISMATCH_LOGIT * min(len(mismatched[n]), CAP)
            reasons[n].append("not the official number of " + ", ".join(sorted(mismatched[n])[:3]))
        if warned.get(n):
            logit += WARNING_LOGIT * min(warned[n], CAP)
            reasons[n].append(f"quoted in {warned[n]} scam warning(s)")
        priors[n] = _sigmoid(logit)
    return priors, reasons


def score_numbers(pages: Iterable[PageFacts], mentions: Iterable[Mention], *,
                  official: Mapping[str, Iterable[str]] | None = None,
                  fraud: Iterable[str] = ()) -> dict[str, NumberReputation]:
    """Fraud score and verdict of every number mentioned on ``pages``.

    ``official`` maps an official E.164 to the brands publishing it; ``fraud`` lists numbers
    known to be fraudulent. Seeds that are never mentioned are scored too.
    """
    page_by_id = {p.id: p for p in pages}
    mentions = [m for m in mentions if m.page in page_by_id and m.kind != "malformed"
                and not m.number.startswith("raw:")]
    official_sets = {e: frozenset(b) for e, b in (official or {}).items()}
    fraud_set = set(fraud) - set(official_sets)
    priors, reasons = _priors(page_by_id, mentions, official_sets)
    for n in (*official_sets, *fraud_set):
        priors.setdefault(n, 0.5)

    # Edges: page <-> number, weighted; warnings carry no pull (their number is accused, the
    # page itself is clean), they only fed the prior.
    by_page: dict[int, list[tuple[str, float]]] = defaultdict(list)
    by_number: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for m in mentions:
        page = page_by_id[m.page]
        if not m.advertised and page.warning:
            continue
        w = 1.0 if m.advertised else QUOTED_WEIGHT
        by_page[m.page].append((m.number, w))
        by_number[m.number].append((m.page, w))
    pages_of_domain: dict[str, list[int]] = defaultdict(list)
    for p in page_by_id.values():
        pages_of_domain[p.domain].append(p.id)

    page_prior = {pid: _page_prior(p) for pid, p in page_by_id.items()}
    x_num = dict(priors)
    for n in official_sets:
        x_num[n] = 0.0
    for n in fraud_set:
        x_num[n] = 1.0
    x_page = dict(page_prior)
    for _ in range(ITERATIONS):
        for pid, on_page in by_page.items():
            total = PAGE_PRIOR_WEIGHT * page_prior[pid] + sum(w * x_num[n] for n, w in on_page)
            x_page[pid] = total / (PAGE_PRIOR_WEIGHT + sum(w for _, w in on_page))
        x_dom = {d: (1.0 + sum(x_page[p] for p in ids)) / (2.0 + len(ids))
                 for d, ids in pages_of_domain.items()}
        new: dict[str, float] = {}
        for n, prior in priors.items():
            edges = by_number.get(n, [])
            weight = NUMBER_PRIOR_WEIGHT if n in reasons else NEUTRAL_PRIOR_WEIGHT
            total = weight * prior
            for pid, w in edges:
                pull = (1 - DOMAIN_SHARE) * x_page[pid] + \
                    DOMAIN_SHARE * x_dom[page_by_id[pid].domain]
                total += w * pull
                weight += w
            new[n] = total / weight
        for n in official_sets:
            new[n] = 0.0
        for n in fraud_set:
            new[n] = 1.0
        delta = max((abs(new[n] - x_num[n]) for n in new), default=0.0)
        x_num = new
        if delta < 1e-6:
            break

    return _verdicts(x_num, reasons, by_number, page_by_id, official_sets, fraud_set)


def operation_suspects(result: Mapping[str, NumberReputation],
                       operations: Mapping[int, Iterable[str]]) -> dict[str, NumberReputation]:
    """Issue 14: a number in an operation with fraud numbers is suspect. Returns the numbers
    whose verdict this raises from ``clean`` to ``suspicious`` (score at least SUSPICIOUS_AT),
    each with the reason naming the operation and one of its fraud numbers."""
    out: dict[str, NumberReputation] = {}
    for op, numbers in sorted(operations.items()):
        numbers = sorted(set(numbers))
        fraud = [n for n in numbers if n in result and result[n].verdict == "fraud"]
        if not fraud:
            continue
        for n in numbers:
            rep = result.get(n)
            if rep is None or rep.verdict != "clean" or n in out:
                continue
            why = f"in operation {op} with fraud number {fraud[0]}" + (
                f" and {len(fraud) - 1} more" if len(fraud) > 1 else "")
            out[n] = NumberReputation(n, max(rep.score, SUSPICIOUS_AT), "suspicious",
                                      (why, *rep.reasons))
    return out


def _verdicts(x_num: Mapping[str, float], reasons: Mapping[str, list[str]],
              by_number: Mapping[str, list[tuple[int, float]]], page_by_id: Mapping[int, PageFacts],
              official_sets: Mapping[str, frozenset[str]], fraud_set: set[str]
              ) -> dict[str, NumberReputation]:
    """Each number's settled score as a verdict with its reasons."""
    out: dict[str, NumberReputation] = {}
    for n, score in x_num.items():
        why = list(reasons.get(n, ()))
        spam_pages = sum(1 for pid, w in by_number.get(n, ()) if w == 1.0
                         and page_by_id[pid].verdict in SPAM_VERDICTS)
        if spam_pages:
            why.insert(0, f"advertised on {spam_pages} spam page(s)")
        if n in official_sets:
            verdict, why = "official", [f"official number of {', '.join(sorted(official_sets[n])[:3])}"]
        elif n in fraud_set:
            verdict, why = "fraud", ["known fraud number", *why]
        elif score >= FRAUD_AT:
            verdict = "fraud"
        elif score >= SUSPICIOUS_AT:
            verdict = "suspicious"
        else:
            verdict = "clean"
        out[n] = NumberReputation(n, round(score, 4), verdict, tuple(why))
    return out
