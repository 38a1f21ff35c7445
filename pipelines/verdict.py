"""From page features to a verdict, a calibrated score and reasons a reviewer can read.

The weights are learned (:mod:`pipelines.model`, fitted by ``scripts/train_verdict.py`` with
cross-validation grouped by operation), not set by hand: single features are shared with
legitimate pages (an official page lists its hotline, a news story quotes a fake one, a notice
lists counties), and only a fit on labelled pages, judged on operations it has not seen, can
weigh their combination. Each reason is one contribution to the score, with its sign and weight.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines import model as _model

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
    # Genre signals (pipelines.genre) and the text the model reads as hashed n-grams.
    trad_ratio: float = 0.0
    pinyin_distinct: int = 0
    warning_with_number: int = 0
    warning_elsewhere: int = 0
    news_body: int = 0
    news_short: int = 0
    notice_markers: int = 0
    qa_markers: int = 0
    service_topics: int = 0
    service_topic_title: int = 0
    dates: int = 0
    questions: int = 0
    lines: int = 0
    head_lines: int = 0
    number_lines: int = 0
    ad_lines: int = 0
    official_host: bool = False
    digit_host: bool = False
    random_slug: bool = False
    host_labels: int = 0
    title_text: str = ""
    claim_text: str = ""
    body_text: str = ""
    url_text: str = ""

    def as_dict(self) -> dict[str, float]:
        return {k: (len(v) if isinstance(v, tuple) else float(v)) for k, v in self.__dict__.items()
                if not isinstance(v, str)}


def decide(f: Features, model: _model.Model | None = None) -> tuple[str, float, list[str]]:
    """Return (verdict, calibrated spam probability in [0, 1], reasons).

    Spam when the spam model's probability reaches its threshold (chosen on grouped folds,
    precision first); then hotline_spam when the hotline model says the page sells a service to
    call (its number, or a look-alike service-centre whose excerpt shows none), else seo_spam. Reasons are the spam model's contributions, largest first.
    """
    m = model or _model.shipped()
    facts = f.__dict__
    scored = m.score(facts)
    p_spam = m.spam.probability(scored.spam)
    why = _model.reasons(facts, scored.spam, scored.grams)
    if p_spam < m.spam_threshold:
        return "clean", p_spam, why
    p_hot = m.hotline.probability(scored.hotline)
    # A placeholder in place of the number (400-XXX-XXXX) is a template with nothing to call.
    template_only = f.placeholder_numbers > 0 and not f.advertised
    hotline = p_hot >= m.hotline_threshold and not template_only
    return ("hotline_spam" if hotline else "seo_spam"), p_spam, why
