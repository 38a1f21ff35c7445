"""Entry point of the triage engine: one page in, one :class:`PageAnalysis` out.

Pure: no network, no Scrapy, no database. The same function serves ``triage analyze``, the
crawl's item pipeline and the tests.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urljoin

from pipelines.brands import find_brands
from pipelines.html_text import extract_page_text
from pipelines.identifiers import find_identifiers
from pipelines.lexicon import (
    AFTER_SALES,
    CATEGORY_RE,
    CONTENT_FARM_RE,
    GAMBLING_TITLE,
    INJECTION_RE,
    INTERLEAVED,
    NEWS_RE,
    PINYIN_ANNOTATION,
    PLACEHOLDER_NUMBER,
    SERVICE_PROMISE_RE,
    TEMPLATE_RE,
    TITLE_SEO,
    WARNING_RE,
    WEAK_WARNING_RE,
)
from pipelines.official import is_official
from pipelines.padding import (
    find_filler,
    find_hidden_stuffing,
    find_scraped_article,
    find_stuffing,
    merge_spans,
    padded_chars,
    split_lines,
)
from pipelines.phones import MAX_NUMBERS, extract_phones
from pipelines.phones.region import page_region
from pipelines.regions import find_region_lists
from pipelines.t2s import simplified_view, to_simplified
from pipelines.types import Identifier, PaddingSpan, PageAnalysis, PageText, Phone
from pipelines.verdict import Features, decide

_CLAIM = re.compile(
    r"(?:售后|维修|客服|报修|保修|服务)[\u4e00-\u9fff0-9]{0,6}?(?:热线|电话|号码|专线|受理中心|服务中心|网点)"
)
_TEXT_WS = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_SERVICE_KINDS = frozenset({"shared_cost", "toll_free", "mobile", "fixed_line", "fixed_line_or_mobile",
                            "voip", "personal_number", "uan", "unknown"})


def page_from_text(text: str) -> PageText:
    """A :class:`PageText` for input that is already plain text (e.g. a JSONL record)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(s for s in (_TEXT_WS.sub(" ", ln).strip() for ln in text.split("\n")) if s)
    first = text.split("\n", 1)[0]
    return PageText(text=text, title=first if len(first) <= 120 else "")


def _outside(text: str, spans: list[PaddingSpan]) -> str:
    if not spans:
        return text
    parts, pos = [], 0
    for s in spans:
        parts.append(text[pos : s.start])
        pos = max(pos, s.end)
    parts.append(text[pos:])
    return "\n".join(parts)


def _text_title_area(visible: str) -> str:
    """Where a plain-text page's title is: its first three lines (a site name or a tagline may
    come before the title), each cut short so that body text does not count as title."""
    return "\n".join(line[:60] for line in visible.split("\n", 3)[:3])


def display_number(p: Phone) -> str:
    """How an analyst would write the number: 400-1865-909, 138-0013-8000, else E.164."""
    if p.e164.startswith("+86"):
        national = p.e164[3:]
        if national[:3] in ("400", "800") and len(national) == 10:
            return f"{national[:3]}-{national[3:7]}-{national[7:]}"
        if national[:1] == "1" and len(national) == 11:
            return f"{national[:3]}-{national[3:7]}-{national[7:]}"
    return p.e164


def analyze(
    html: bytes | str | None = None,
    *,
    url: str = "",
    text: str | None = None,
    content_type: str | None = None,
) -> PageAnalysis:
    """Analyse one page given as HTML (bytes, decoded as a browser would, or str) or plain text.

    Raises :class:`pipelines.encoding.DecodeError` for binary bodies.
    """
    page = page_from_text(text) if text is not None else extract_page_text(html or "", content_type=content_type)
    # Reason on simplified script; offsets are unchanged, so spans point into the page's text.
    original = page.text
    visible = simplified_view(original)
    hidden_text = simplified_view("\n".join(page.hidden))
    full = f"{visible}\n{hidden_text}" if hidden_text else visible
    hidden_start = len(visible) + 1 if hidden_text else len(full)

    phones, hits = extract_phones(
        full, tel_links=page.tel_links, script_strings=page.script_strings, attributes=page.attributes,
        # issue 10: the page's numbering plan (+852/+886/+853), worked out only if a number needs it
        region_hint=lambda: page_region(url, original, traditional=visible is not original),
    )
    title_s = to_simplified(page.title)
    brand_claims = find_brands(visible, title_s)
    brands = [b.name for b in brand_claims]
    # Padding detectors look for the brand as written (工行), not only its canonical name.
    brand_forms = list(dict.fromkeys([*brands, *(f for b in brand_claims for f in b.forms)]))

    lines = split_lines(visible)
    regions = find_region_lists(visible)
    region_spans = [PaddingSpan("region_list", r.start, r.end, f"{r.places} places") for r in regions]
    visible_hits = sorted((h for h in hits if h.start < len(visible)), key=lambda h: h.start)
    filler = find_filler(lines, visible_hits, brand_forms)
    stuffing = find_stuffing(lines, visible_hits, brand_forms) + find_hidden_stuffing(
        full, hidden_start, brand_forms)
    taken = [(s.start, s.end) for s in region_spans + filler + stuffing]
    scraped = find_scraped_article(lines, visible_hits, brand_forms, taken=taken)
    padding = merge_spans(region_spans + filler + stuffing + scraped)
    vis_len = len(visible)
    ratio = padded_chars(padding, vis_len) / vis_len if vis_len else 0.0

    # Warning words inside a pasted article say nothing about the page's own voice.
    own_text = _outside(visible, [s for s in padding if s.kind == "scraped_article"])
    head = (title_s + "\n" + visible[:300])[:400]
    advertised = tuple(
        (display_number(p), p.count, p.kind) for p in phones if p.advertised and p.kind in _SERVICE_KINDS
    )
    top_brand = brand_claims[0] if brand_claims else None
    # The claimed brand's own published number (海尔 4006-999-999) is no fake hotline for it:
    # how many of the advertised service numbers (those in ``advertised``) are official.
    official_advertised = sum(
        1 for p in phones if p.advertised and p.kind in _SERVICE_KINDS
        and is_official(p.e164, top_brand.name)) if top_brand else 0
    title_line = title_s or visible.split("\n", 1)[0]
    # Without a <title> (plain-text input) the title may follow a site name: look a bit further.
    title_area = _text_title_area(visible) if text is not None else (
        f"{title_line}\n{to_simplified(page.headings[0])}" if page.headings else title_line)
    topic_named = bool(CATEGORY_RE.search(title_area) or (
        top_brand and any(f in title_area for f in (top_brand.name, *top_brand.forms))))
    features = Features(
        visible_chars=vis_len,
        advertised=advertised,
        numbers_total=len(phones),
        brand=top_brand.name if top_brand else "",
        brand_claims=top_brand.count if top_brand else 0,
        title_claim=bool(top_brand and top_brand.in_title and _CLAIM.search(title_line + visible[:80])),
        claim_phrases=len(_CLAIM.findall(visible)),
        template_phrases=len(set(TEMPLATE_RE.findall(visible))),
        region_places=sum(r.places for r in regions),
        filler_chars=sum(s.end - s.start for s in filler),
        stuffing_lines=len(stuffing),
        scraped_chars=sum(s.end - s.start for s in scraped),
        padding_ratio=ratio,
        warning_hits=len(WARNING_RE.findall(own_text)) + 0.3 * len(WEAK_WARNING_RE.findall(own_text)),
        news_hits=len(set(NEWS_RE.findall(own_text))),
        injection_hits=len({w.lower() for w in INJECTION_RE.findall(head)})
        + 3 * bool(GAMBLING_TITLE.search(title_line)),
        content_farm_hits=len(set(CONTENT_FARM_RE.findall(visible))),
        after_sales_title=bool(AFTER_SALES.search(title_area))
        and (topic_named or bool(TITLE_SEO.search(title_area))),
        seo_title=bool(TITLE_SEO.search(title_area)),
        product_title=bool(CATEGORY_RE.search(title_area)),
        service_density=100 * len(SERVICE_PROMISE_RE.findall(visible)) / max(vis_len, 1),
        placeholder_numbers=len(PLACEHOLDER_NUMBER.findall(visible)),
        pinyin_hits=len(PINYIN_ANNOTATION.findall(visible)),
        interleaved_hits=len(INTERLEAVED.findall(visible)),
        short_codes=sum(1 for p in phones if p.kind == "short_code"),
        official_advertised=official_advertised,
    )
    verdict, score, reasons = decide(features)
    identifiers = _identifiers(html, page, text)  # issue 14: a separate hook, not a feature
    if len(phones) >= MAX_NUMBERS:  # issue 10: the phone finder stops reading new numbers there
        reasons = [*reasons, f"{MAX_NUMBERS} or more distinct numbers: the first {MAX_NUMBERS} listed"]
    return PageAnalysis(
        url=url,
        verdict=verdict,
        score=score,
        reasons=tuple(reasons),
        numbers=tuple(phones),
        brands=tuple(brands),
        padding=tuple(padding),
        padding_ratio=ratio,
        title=page.title,
        text=f"{original}\n{chr(10).join(page.hidden)}" if hidden_text else original,
        visible_chars=vis_len,
        encoding=page.encoding,
        features=features.as_dict(),
        encoding_problem=page.encoding_problem,
        redirect=urljoin(url, page.redirect) if page.redirect else "",
        hits=tuple(sorted(hits, key=lambda h: h.start)),
        identifiers=identifiers,
    )


def _identifiers(html: bytes | str | None, page: PageText, text: str | None) -> tuple[Identifier, ...]:
    """Issue 14: the page's identifiers, from its markup as decoded (scripts included) and text."""
    if text is not None or not html:
        return find_identifiers("", page.text)
    markup = html if isinstance(html, str) else html.decode(page.encoding or "utf-8", "replace")
    return find_identifiers(markup, page.text)
