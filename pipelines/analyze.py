"""Entry point of the triage engine: one page in, one :class:`PageAnalysis` out.

Pure: no network, no Scrapy, no database. The same function serves ``triage analyze``, the
crawl's item pipeline and the tests. The page is read here (text, numbers, brands, padding);
:mod:`pipelines.features` turns that into the verdict's input, :mod:`pipelines.verdict` decides.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urljoin

from pipelines.brands import find_brands
from pipelines.features import Features, PageEvidence, build_features, model_input
from pipelines.html_text import extract_page_text
from pipelines.identifiers import find_identifiers
from pipelines.model import Model
from pipelines.padding import (
    find_filler,
    find_hidden_stuffing,
    find_scraped_article,
    find_stuffing,
    hit_lines,
    merge_spans,
    padded_chars,
    split_lines,
)
from pipelines.phones import MAX_NUMBERS, extract_phones
from pipelines.phones.region import page_region
from pipelines.regions import find_region_lists
from pipelines.t2s import simplified_view, to_simplified
from pipelines.types import PaddingSpan, PageAnalysis, PageText
from pipelines.verdict import judge
from pipelines.wordscan import SERVICE_PROMISE_WORDS

_TEXT_WS = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


def page_from_text(text: str) -> PageText:
    """A :class:`PageText` for input that is already plain text (e.g. a JSONL record)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(s for s in (_TEXT_WS.sub(" ", ln).strip() for ln in text.split("\n")) if s)
    first = text.split("\n", 1)[0]
    return PageText(text=text, title=first if len(first) <= 120 else "")


def analyze(
    html: bytes | str | None = None,
    *,
    url: str = "",
    text: str | None = None,
    content_type: str | None = None,
    model: Model | None = None,
) -> PageAnalysis:
    """Analyse one page given as HTML (bytes, decoded as a browser would, or str) or plain text.

    ``model`` replaces the shipped verdict model (e.g. one refitted on analysts' labels).
    Raises :class:`pipelines.encoding.DecodeError` for binary bodies.
    """
    features, parts = _examine(html, url=url, text=text, content_type=content_type)
    d = judge(features, model)
    return PageAnalysis(url=url, verdict=d.verdict, score=d.score,
                        reasons=tuple(with_notes(d.reasons, features)),
                        features=features.as_dict(), spam_class=d.spam_class,
                        model_input=model_input(features), **parts)


def with_notes(reasons: list[str], features: Features) -> list[str]:
    """The verdict's reasons and what the reader must know of the analysis itself."""
    if features.numbers_total >= MAX_NUMBERS:  # the phone finder stops reading new numbers there
        return [*reasons, f"{MAX_NUMBERS} or more distinct numbers: the first {MAX_NUMBERS} listed"]
    return reasons


def page_features(
    html: bytes | str | None = None, *, url: str = "", text: str | None = None,
    content_type: str | None = None,
) -> Features:
    """The verdict's input for one page, without the verdict (what the model is fitted on)."""
    return _examine(html, url=url, text=text, content_type=content_type)[0]


def _examine(
    html: bytes | str | None, *, url: str, text: str | None, content_type: str | None
) -> tuple[Features, dict[str, Any]]:
    page = (page_from_text(text) if text is not None
            else extract_page_text(html or "", content_type=content_type))
    # Reason on simplified script; offsets are unchanged, so spans point into the page's text.
    original = page.text
    visible = simplified_view(original)
    hidden_text = simplified_view("\n".join(page.hidden))
    full = f"{visible}\n{hidden_text}" if hidden_text else visible
    hidden_start = len(visible) + 1 if hidden_text else len(full)

    phones, hits = extract_phones(
        full, tel_links=page.tel_links, script_strings=page.script_strings,
        attributes=page.attributes,
        # The page's numbering plan (+852/+886/+853), worked out only if a number needs it.
        region_hint=lambda: page_region(url, original, traditional=visible is not original),
    )
    title_s = to_simplified(page.title)
    brand_claims = find_brands(visible, title_s, numbers=[p.e164 for p in phones])
    brands = [b.name for b in brand_claims]
    # Padding detectors look for the brand as written (工行), not only its canonical name.
    brand_forms = list(dict.fromkeys([*brands, *(f for b in brand_claims for f in b.forms)]))

    lines = split_lines(visible)
    regions = find_region_lists(visible)
    region_spans = [PaddingSpan("region_list", r.start, r.end, f"{r.places} places")
                    for r in regions]
    visible_hits = sorted((h for h in hits if h.start < len(visible)), key=lambda h: h.start)
    # Read once for the padding detectors and the features: the lines a number is on, the
    # service-promise words of the page.
    on_hit = hit_lines(lines, visible_hits)
    cues = SERVICE_PROMISE_WORDS.spans(visible)
    filler = find_filler(lines, visible_hits, brand_forms, cues=cues, covered_lines=on_hit)
    stuffing = find_stuffing(lines, visible_hits, brand_forms, covered_lines=on_hit) + \
        find_hidden_stuffing(full, hidden_start, brand_forms)
    taken = [(s.start, s.end) for s in region_spans + filler + stuffing]
    scraped = find_scraped_article(lines, visible_hits, brand_forms, taken=taken,
                                   covered_lines=on_hit)
    padding = merge_spans(region_spans + filler + stuffing + scraped)
    vis_len = len(visible)
    ratio = padded_chars(padding, vis_len) / vis_len if vis_len else 0.0

    features = build_features(PageEvidence(
        url=url, original=original, visible=visible, title=title_s,
        headings=tuple(to_simplified(h) for h in page.headings[:1]), from_text=text is not None,
        phones=phones, visible_hits=visible_hits, brands=brand_claims, lines=lines,
        regions=regions, filler=filler, stuffing=stuffing, scraped=scraped, padding=padding,
        padding_ratio=ratio, service_words=len(cues)))
    return features, {
        "numbers": tuple(phones), "brands": tuple(brands), "padding": tuple(padding),
        "padding_ratio": ratio, "title": page.title,
        "text": f"{original}\n{chr(10).join(page.hidden)}" if hidden_text else original,
        "visible_chars": vis_len, "encoding": page.encoding,
        "encoding_problem": page.encoding_problem,
        "redirect": urljoin(url, page.redirect) if page.redirect else "",
        "hits": tuple(sorted(hits, key=lambda h: h.start)),
        # Issue 14: from the markup as decoded once (scripts included) and the text.
        "identifiers": find_identifiers(page.markup, page.text),
    }
