"""What the verdict looks at: :class:`Features`, built from one page's extracted evidence.

:func:`pipelines.analyze.analyze` reads the page (text, numbers, brands, padding) and hands the
pieces to :func:`build_features`; the verdict model (:mod:`pipelines.verdict`) scores the result.
Counts here describe the genre (claims, template phrases, warnings, news, injected keywords),
never a particular site, brand or number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit

from pipelines.brands import BrandClaim
from pipelines.genre import claim_text, genre_signals, lines_at, readable_host
from pipelines.hacked import gambling_title, injected_lines
from pipelines.lexicon import (
    AFTER_SALES,
    CALL_BUTTON,
    CATEGORY_RE,
    GAMBLING_TITLE,
    GUIDE_RE,
    INJECTION_RE,
    PLACEHOLDER_NUMBER,
    TITLE_SEO,
)
from pipelines.official import is_official
from pipelines.padding import Line, lines_with
from pipelines.provenance import article_voice, file_address, own_site
from pipelines.regions import RegionRun
from pipelines.t2s import simplified_view
from pipelines.types import PaddingSpan, Phone, PhoneHit
from pipelines.wordscan import (
    CONTENT_FARM_WORDS,
    NEWS,
    SERVICE_PROMISE_WORDS,
    TEMPLATES,
    WARNINGS,
    WEAK_WARNINGS,
    interleaved,
    pinyin_annotations,
)

CLAIM = re.compile(
    r"(?:售后|维修|客服|报修|保修|服务)[\u4e00-\u9fff0-9]{0,6}?(?:热线|电话|号码|专线|受理中心|服务中心|网点)"
)
BODY_CHARS = 600  # what the model reads of the page's own wording (hashed n-grams)
SERVICE_KINDS = frozenset({"shared_cost", "toll_free", "mobile", "fixed_line", "fixed_line_or_mobile",
                           "voip", "personal_number", "uan", "unknown"})


@dataclass(frozen=True)
class Features:
    """Everything the verdict looks at."""

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
    injection_title: int = 0  # distinct injected gambling/porn keywords in the title lines
    guide_title: int = 0  # distinct "guide" words in the title (揭秘, 攻略, 必看)
    gambling_title: int = 0  # a betting title over a page about something else (pipelines.hacked)
    injected_lines: int = 0  # keyword lines cut into sentences (pipelines.hacked)
    readable_host: float = 1.0  # share of the site's name that reads as pinyin or English words
    article_voice: int = 0  # a generated article's stock phrases (pipelines.provenance)
    own_site: bool = False  # the site's registered name is the claimed brand's Latin name
    file_address: bool = False  # a web page at a file's address (.xml, .pdf: a parasite page)
    call_buttons: int = 0  # click-to-call buttons standing in for a number (lexicon.CALL_BUTTON)
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


@dataclass(frozen=True)
class PageEvidence:
    """What :func:`pipelines.analyze.analyze` found on a page, as :func:`build_features` reads it."""

    url: str
    original: str  # the page's text as written
    visible: str  # the same, read in simplified script (same offsets)
    title: str  # simplified
    headings: tuple[str, ...]
    from_text: bool  # plain-text input: no <title>, the title may follow a site name
    phones: Sequence[Phone]
    visible_hits: Sequence[PhoneHit]
    brands: Sequence[BrandClaim]
    lines: Sequence[Line]
    regions: Sequence[RegionRun]
    filler: Sequence[PaddingSpan]
    stuffing: Sequence[PaddingSpan]
    scraped: Sequence[PaddingSpan]
    padding: Sequence[PaddingSpan]
    padding_ratio: float
    service_words: int | None = None  # service-promise words in ``visible``, when counted already


def display_number(p: Phone) -> str:
    """How an analyst would write the number: 400-1865-909, 138-0013-8000, else E.164."""
    if p.e164.startswith("+86"):
        national = p.e164[3:]
        if national[:3] in ("400", "800") and len(national) == 10:
            return f"{national[:3]}-{national[3:7]}-{national[7:]}"
        if national[:1] == "1" and len(national) == 11:
            return f"{national[:3]}-{national[3:7]}-{national[7:]}"
    return p.e164


def _outside(text: str, spans: Sequence[PaddingSpan]) -> str:
    if not spans:
        return text
    parts, pos = [], 0
    for s in spans:
        parts.append(text[pos : s.start])
        pos = max(pos, s.end)
    parts.append(text[pos:])
    return "\n".join(parts)


def _title_area(e: PageEvidence, title_line: str) -> str:
    """Where the title is: the <title> and first heading, or for plain text its first three
    lines (a site name or a tagline may come first), each cut short."""
    if e.from_text:
        return "\n".join(line[:60] for line in e.visible.split("\n", 3)[:3])
    return f"{title_line}\n{e.headings[0]}" if e.headings else title_line


def _lexicon_counts(e: PageEvidence, own_text: str, title_line: str, warnings: int,
                    claims: int) -> dict[str, Any]:
    """Counts of the genre's word lists (lexicon.py) in the page's own voice (``warnings``:
    the warning words in it, ``claims``: the :data:`CLAIM` phrases of the visible text)."""
    head = (e.title + "\n" + e.visible[:300])[:400]
    first, _, rest = e.visible.partition("\n")
    vis_len = len(e.visible)
    return {
        "warning_hits": warnings + 0.3 * len(WEAK_WARNINGS.findall(own_text)),
        "news_hits": len(set(NEWS.findall(own_text))),
        "injection_hits": len({w.lower() for w in INJECTION_RE.findall(head)})
        + 3 * bool(GAMBLING_TITLE.search(title_line)),
        "content_farm_hits": len(set(CONTENT_FARM_WORDS.findall(e.visible))),
        "service_density": 100 * (len(SERVICE_PROMISE_WORDS.findall(e.visible))
                                  if e.service_words is None else e.service_words) / max(vis_len, 1),
        "placeholder_numbers": len(PLACEHOLDER_NUMBER.findall(e.visible)),  # gated by its characters
        "pinyin_hits": len(pinyin_annotations(e.visible)),
        "interleaved_hits": interleaved(e.visible),
        "claim_phrases": claims,
        "guide_title": len(set(GUIDE_RE.findall(title_line[:200]))),
        # Hacked sites put the keyword list in the title, or in the first line of the text.
        "injection_title": len({w.lower() for w in INJECTION_RE.findall(
            title_line[:200] + "\n" + first[:200])}),
        "template_phrases": len(set(TEMPLATES.findall(e.visible))),
        "gambling_title": gambling_title(f"{title_line[:200]}\n{first}", rest),
        "injected_lines": injected_lines(e.visible),
    }


def build_features(e: PageEvidence) -> Features:
    """The verdict's input for one page."""
    # Warning words inside a pasted article say nothing about the page's own voice.
    own_text = _outside(e.visible, [s for s in e.padding if s.kind == "scraped_article"])
    ad_phones = [p for p in e.phones if p.advertised and p.kind in SERVICE_KINDS]
    top = e.brands[0] if e.brands else None
    title_line = e.title or e.visible.split("\n", 1)[0]
    title_area = _title_area(e, title_line)
    topic_named = bool(CATEGORY_RE.search(title_area) or (
        top and any(f in title_area for f in (top.name, *top.forms))))
    parts = urlsplit(e.url)
    ad_set = {p.e164 for p in ad_phones}
    warnings = len(WARNINGS.findall(own_text))
    # One pass each for what several signals read: the lines with a number, the claim phrases
    # (none crosses a line: their lines are the lines a claim is in).
    number_lines = lines_with(e.lines, e.visible_hits)
    claim_starts = [m.start() for m in CLAIM.finditer(e.visible)]
    genre = genre_signals(
        original=e.original, visible=e.visible, lines=e.lines, hits=e.visible_hits,
        advertised_hits=[h for h in e.visible_hits if h.e164 in ad_set], warnings=warnings,
        host=parts.hostname or "", path=parts.path, title=e.title or e.visible[:60],
        number_lines=number_lines,
    )
    counts = _lexicon_counts(e, own_text, title_line, warnings, len(claim_starts))
    return Features(
        visible_chars=len(e.visible),
        advertised=tuple((display_number(p), p.count, p.kind) for p in ad_phones),
        numbers_total=len(e.phones),
        brand=top.name if top else "",
        brand_claims=top.count if top else 0,
        title_claim=bool(top and top.in_title and CLAIM.search(title_line + e.visible[:80])),
        region_places=sum(r.places for r in e.regions),
        filler_chars=sum(s.end - s.start for s in e.filler),
        stuffing_lines=len(e.stuffing),
        scraped_chars=sum(s.end - s.start for s in e.scraped),
        padding_ratio=e.padding_ratio,
        after_sales_title=bool(AFTER_SALES.search(title_area))
        and (topic_named or bool(TITLE_SEO.search(title_area))),
        seo_title=bool(TITLE_SEO.search(title_area)),
        product_title=bool(CATEGORY_RE.search(title_area)),
        short_codes=sum(1 for p in e.phones if p.kind == "short_code"),
        # The claimed brand's own published number (海尔 4006-999-999) is no fake hotline for it.
        official_advertised=sum(1 for p in ad_phones if is_official(p.e164, top.name)) if top else 0,
        title_text=title_area[:120],
        claim_text=claim_text(e.lines, e.visible_hits, CLAIM, number_lines=number_lines,
                              claim_lines=lines_at(e.lines, claim_starts)),
        body_text=body_of(e.visible),
        url_text=f"{parts.hostname or ''}{parts.path}"[:120],
        readable_host=readable_host(parts.hostname or ""),
        article_voice=article_voice(e.visible),
        own_site=own_site(parts.hostname or "", top.name if top else ""),
        file_address=file_address(parts.path),
        call_buttons=len(CALL_BUTTON.findall(e.visible)),
        **counts,
        **genre,
    )


# Issue 10: scoring a stored page again (retraining, ``triage reanalyze``) needs the features
# exactly as the analysis had them. The numeric ones are stored (``Features.as_dict``); what they
# lack is kept beside them (:func:`model_input`), except the page's opening, which is re-read
# from the stored text (the same for every page, so not stored twice).
TEXT_INPUTS = ("brand", "title_text", "claim_text", "url_text")
_CAST = {"int": int, "float": float, "bool": bool}
# Computed in rebuild() when a stored page lacks them (features added after it was stored).
_LATER = ("article_voice", "own_site", "file_address", "call_buttons")


def body_of(visible: str) -> str:
    """What the model reads of the page's own wording: the opening of its visible text."""
    return visible[:BODY_CHARS]


def model_input(f: Features) -> dict[str, Any]:
    """What :meth:`Features.as_dict` drops and the verdict needs: the advertised numbers and the
    short texts the model hashes (the page's opening is re-read from its text)."""
    return {"advertised": [list(a) for a in f.advertised],
            **{k: getattr(f, k) for k in TEXT_INPUTS}}


def rebuild(numeric: Mapping[str, Any], inputs: Mapping[str, Any], text: str,
            visible_chars: int, url: str = "") -> Features | None:
    """A stored page's :class:`Features` from its numeric features, its :func:`model_input` and
    its stored text (visible text first, as ``PageAnalysis.text``); None when a field is missing
    (a page analysed before model inputs were kept, or by an engine with other features).
    ``url``, the address the page was analysed at, gives the address features a page stored
    before them lacks (``url_text`` is cut at 120 characters: a long path loses its ending)."""
    visible = simplified_view(text[:visible_chars])
    values: dict[str, Any] = {
        "advertised": tuple((str(d), int(n), str(k)) for d, n, k in inputs.get("advertised", ())),
        "body_text": body_of(visible),
    }
    for fd in fields(Features):
        if fd.name in values:
            continue
        if fd.name in TEXT_INPUTS:
            if fd.name not in inputs:
                return None
            values[fd.name] = str(inputs[fd.name])
        elif fd.name in numeric and numeric[fd.name] is not None:
            values[fd.name] = _CAST[str(fd.type)](numeric[fd.name])
        elif fd.name not in _LATER:
            return None
    # Features added after a page was stored are worked out again from what was stored.
    values.setdefault("article_voice", article_voice(visible))
    values.setdefault("call_buttons", len(CALL_BUTTON.findall(visible)))
    if url:  # as build_features reads it
        parts = urlsplit(url)
        host, path = parts.hostname or "", parts.path
    else:
        host, _, rest = values["url_text"].partition("/")
        path = "/" + rest
    values.setdefault("own_site", own_site(host, values["brand"]))
    values.setdefault("file_address", file_address(path))
    return Features(**values)
