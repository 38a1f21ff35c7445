"""From page features to a verdict, a score and reasons a reviewer can read.

Each piece of evidence adds a weight (log-odds) and a sentence. Single features are shared with
legitimate pages (an official page lists its hotline, a news story quotes a fake one, a notice
lists counties), so the weights reward the combination: a number presented to call, a brand's
after-sales claim, padding, and the absence of news/warning context.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from pipelines.types import Verdict

HOTLINE_THRESHOLD = 0.5
SEO_THRESHOLD = 0.5


@dataclass
class Evidence:
    """Accumulated weights with the sentence that justifies each."""

    logit: float
    reasons: list[tuple[float, str]] = field(default_factory=list)

    def add(self, weight: float, reason: str) -> None:
        self.logit += weight
        self.reasons.append((weight, reason))

    @property
    def probability(self) -> float:
        return 1.0 / (1.0 + math.exp(-self.logit))


@dataclass(frozen=True)
class Features:
    """Everything the verdict looks at, computed by :func:`pipelines.analyze.analyze`."""

    visible_chars: int
    advertised: tuple[tuple[str, int, str], ...]  # (display, count, kind) of advertised service numbers
    numbers_total: int
    brand: str
    brand_claims: int
    title_claim: bool
    claim_phrases: int
    template_phrases: int
    region_places: int
    filler_chars: int
    stuffing_lines: int
    scraped_chars: int
    padding_ratio: float
    warning_hits: float
    news_hits: int
    injection_hits: int
    content_farm_hits: int
    after_sales_title: bool
    placeholder_numbers: int
    seo_title: bool
    product_title: bool
    service_density: float
    pinyin_hits: int
    interleaved_hits: int
    short_codes: int
    official_advertised: int = 0  # advertised numbers that are the claimed brand's official ones

    def as_dict(self) -> dict[str, float]:
        return {k: (len(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()
                if not isinstance(v, str)}


def decide(f: Features) -> tuple[Verdict, float, list[str]]:
    """Return (verdict, score in [0, 1], reasons)."""
    hot = Evidence(-3.0)
    ctx_penalty = 0.0
    warn = f.warning_hits
    if warn >= 1.5:
        ctx_penalty += min(4.5, 1.2 * warn)
    if f.news_hits >= 1:
        ctx_penalty += min(2.0, 0.7 * f.news_hits)

    if f.advertised:
        top = max(f.advertised, key=lambda a: a[1])
        # Fake after-sales operations buy 400/800 numbers; mobiles and landlines are weaker.
        w = 2.2 if top[2] in ("shared_cost", "toll_free") else 1.5 if top[2] == "mobile" else 1.2
        hot.add(w, f"{top[0]} advertised {top[1]} time{'s' if top[1] != 1 else ''}")
        if top[1] >= 3:
            hot.add(0.8 + min(1.2, 0.1 * top[1]), f"number repeated {top[1]} times")
    if f.brand and f.title_claim:
        hot.add(2.0, f"title claims after-sales service for {f.brand}")
    if f.brand and f.brand_claims >= 2:
        hot.add(min(2.0, 0.5 * f.brand_claims), f"{f.brand_claims} service claims for {f.brand}")
    if f.claim_phrases >= 3:
        hot.add(min(1.5, 0.25 * f.claim_phrases), f"{f.claim_phrases} hotline claim phrases")
    if f.template_phrases:
        hot.add(min(1.5, 0.6 * f.template_phrases), f"{f.template_phrases} template phrases")
    if f.region_places >= 10:
        hot.add(min(2.5, 0.8 + f.region_places / 100), f"list of {f.region_places} places")
    if f.stuffing_lines >= 2:
        hot.add(min(1.5, 0.4 * f.stuffing_lines), f"{f.stuffing_lines} keyword-stuffed lines")
    service_w = 1.5 if f.service_density >= 9 else 1.0 if f.service_density >= 6 else 0.0
    if f.filler_chars >= 80 and service_w < 0.7:
        hot.add(0.7, f"{f.filler_chars} characters of service-promise filler")
    if f.scraped_chars:
        hot.add(1.0, f"unrelated article of {f.scraped_chars} characters")
    if ctx_penalty:
        hot.add(-ctx_penalty, f"news or scam-warning context ({warn:.0f} warning words)")
    if f.short_codes and not f.advertised:
        hot.add(-1.0, "only official short service codes")
    if f.advertised and (f.after_sales_title or f.title_claim):
        hot.add(1.0, "a number to call on an after-sales page")
    if len(f.advertised) >= 4:
        hot.add(-0.5 * (len(f.advertised) - 3), f"{len(f.advertised)} different numbers (a directory)")

    seo = Evidence(-3.0)
    if f.injection_hits >= 3:
        seo.add(min(4.0, 1.0 + 0.4 * f.injection_hits), f"{f.injection_hits} injected gambling/porn keywords")
    if f.pinyin_hits >= 3:
        heavy = f.pinyin_hits * 100 >= 4 * max(f.visible_chars, 1)
        seo.add(3.0 if heavy else 2.0, f"{f.pinyin_hits} pinyin-annotated characters")
    if f.seo_title and f.after_sales_title:
        seo.add(1.0, "click-bait after-sales title")
    if f.product_title and f.after_sales_title and not f.advertised:
        seo.add(0.6, "title about repairing a product category")
    if service_w:
        why = f"service-promise vocabulary at {f.service_density:.1f} per 100 characters"
        seo.add(service_w, why)
        hot.add(service_w, why)
    if f.after_sales_title and not f.advertised:
        seo.add(1.5, "title about a brand's after-sales service")
    if f.content_farm_hits:
        seo.add(min(1.5, 0.8 * f.content_farm_hits), f"{f.content_farm_hits} content-farm markers")
    if f.placeholder_numbers:
        seo.add(2.5, "placeholder hotline number (400-XXX-XXXX)")
    if f.interleaved_hits:
        seo.add(2.0 + f.interleaved_hits, "keyword interleaved with '+' signs")
    if f.brand and (f.title_claim or f.brand_claims >= 2) and not f.advertised:
        seo.add(2.2, f"after-sales article for {f.brand} without an official number")
    if f.template_phrases:
        seo.add(min(1.5, 0.6 * f.template_phrases), f"{f.template_phrases} template phrases")
    if f.short_codes and not f.advertised:
        seo.add(-1.5, "points to an official short service code")
    if f.padding_ratio >= 0.3:
        seo.add(1.5, f"{f.padding_ratio:.0%} of the text is padding")
    if ctx_penalty:
        seo.add(-ctx_penalty, f"news or scam-warning context ({warn:.0f} warning words)")

    if f.official_advertised:
        # The claimed brand's own number: not a fake hotline (all official: below any threshold).
        every = f.official_advertised >= len(f.advertised)
        hot.add(-max(6.0, hot.logit + 2.0) if every else -2.5 * f.official_advertised,
                f"advertises the official number of {f.brand}")
    p_hot, p_seo = hot.probability, seo.probability
    verdict: Verdict
    if p_hot >= HOTLINE_THRESHOLD and f.advertised:
        verdict, score, ev = "hotline_spam", p_hot, hot
    elif max(p_hot, p_seo) >= SEO_THRESHOLD:
        verdict, score = "seo_spam", max(p_hot, p_seo)
        ev = hot if p_hot >= p_seo else seo
    else:
        verdict, score = "clean", max(p_hot, p_seo)
        ev = hot if p_hot >= p_seo else seo
    reasons = [r for w, r in sorted(ev.reasons, key=lambda x: -abs(x[0]))]
    return verdict, score, reasons
