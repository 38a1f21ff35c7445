"""The verdict model's named numeric features: how each is read off a page's features
(counts log-scaled, ratios clipped, so no page can push a value out of range) and how its
contribution is worded in a reason. Split from :mod:`pipelines.model` (the scoring)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any


def _log(v: float) -> float:
    return math.log1p(max(0.0, min(float(v), 1e9)))


def _clip(v: float, hi: float) -> float:
    return max(0.0, min(float(v), hi))


# Numeric features: name -> (value from the features dict, reason template with {v} and the page's
# own facts). Counts are log1p-scaled and clipped, so 50,000 numbers weigh like a few dozen.
def _top(f: Mapping[str, Any]) -> tuple[str, int, str]:
    ads = f.get("advertised") or ()
    return max(ads, key=lambda a: a[1]) if ads else ("", 0, "")


def _url(f: Mapping[str, Any], value: float) -> float | None:
    """An address feature, or None (weighs nothing) for a page analysed without its URL."""
    return value if f.get("url_text") else None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


_PAID = ("shared_cost", "toll_free")


def _advertised(f: Mapping[str, Any], kind: str) -> str:
    shown, n, _ = _top(f)
    return f"{shown} advertised{kind}" + (f", number repeated {n} times" if n > 1 else ", once")


NUMERIC: dict[
    str, tuple[Callable[[Mapping[str, Any]], float | None], Callable[[Mapping[str, Any]], str]]
] = {
    "advertised_paid": (
        lambda f: float(_top(f)[2] in _PAID),
        lambda f: _advertised(f, " (a 400/800 number)"),
    ),
    "advertised_mobile": (
        lambda f: float(_top(f)[2] == "mobile"),
        lambda f: _advertised(f, " (a mobile)"),
    ),
    "advertised_other": (
        lambda f: float(bool(f.get("advertised")) and _top(f)[2] not in (*_PAID, "mobile")),
        lambda f: _advertised(f, ""),
    ),
    "repeat": (lambda f: _log(_top(f)[1]), lambda f: f"number repeated {_top(f)[1]} times"),
    "advertised_distinct": (
        lambda f: _log(len(f.get("advertised") or ())),
        lambda f: f"{len(f['advertised'])} different advertised numbers",
    ),
    "numbers_total": (
        lambda f: _log(f["numbers_total"]),
        lambda f: _plural(int(f["numbers_total"]), "number"),
    ),
    "short_codes": (
        lambda f: _log(f["short_codes"]),
        lambda f: f"{f['short_codes']} official short service codes",
    ),
    "brand_claims": (
        lambda f: _log(f["brand_claims"]),
        lambda f: f"{f['brand_claims']} service claims for {f.get('brand') or 'a brand'}",
    ),
    "title_claim": (
        lambda f: float(f["title_claim"]),
        lambda f: f"title claims after-sales service for {f.get('brand') or 'a brand'}",
    ),
    "claim_phrases": (
        lambda f: _log(f["claim_phrases"]),
        lambda f: f"{f['claim_phrases']} hotline claim phrases",
    ),
    "template_phrases": (
        lambda f: _log(f["template_phrases"]),
        lambda f: f"{f['template_phrases']} template phrases",
    ),
    "region_places": (
        lambda f: _log(f["region_places"]),
        lambda f: f"list of {f['region_places']} places",
    ),
    "filler_chars": (
        lambda f: _log(f["filler_chars"] / 50),
        lambda f: f"{f['filler_chars']} characters of service-promise filler",
    ),
    "stuffing_lines": (
        lambda f: _log(f["stuffing_lines"]),
        lambda f: f"{f['stuffing_lines']} keyword-stuffed lines",
    ),
    "scraped_chars": (
        lambda f: _log(f["scraped_chars"] / 100),
        lambda f: f"unrelated article of {f['scraped_chars']} characters",
    ),
    "padding_ratio": (
        lambda f: _clip(f["padding_ratio"], 1.0),
        lambda f: f"{f['padding_ratio']:.0%} of the text is padding",
    ),
    "warning_hits": (
        lambda f: _log(f["warning_hits"]),
        lambda f: f"news or scam-warning context ({f['warning_hits']:.0f} warning words)",
    ),
    "warning_with_number": (
        lambda f: _log(f["warning_with_number"]),
        lambda f: f"{f['warning_with_number']:.0f} warning words beside the advertised number",
    ),
    "warning_elsewhere": (
        lambda f: _log(f["warning_elsewhere"]),
        lambda f: (
            f"scam-warning voice ({f['warning_elsewhere']:.0f} warning words away from numbers)"
        ),
    ),
    "news_hits": (
        lambda f: _log(f["news_hits"]),
        lambda f: f"{f['news_hits']} news or official-notice words",
    ),
    "news_body": (
        lambda f: _log(f["news_body"]),
        lambda f: f"news reporting in body sentences ({f['news_body']:.0f})",
    ),
    "news_short": (
        lambda f: _log(f["news_short"]),
        lambda f: f"news names only in short lines ({f['news_short']:.0f})",
    ),
    "notice_markers": (
        lambda f: _log(f["notice_markers"]),
        lambda f: f"official-notice structure ({f['notice_markers']:.0f} markers)",
    ),
    "qa_markers": (
        lambda f: _log(f["qa_markers"]),
        lambda f: f"question-and-answer structure ({f['qa_markers']:.0f} markers)",
    ),
    "service_topics": (
        lambda f: _log(f["service_topics"]),
        lambda f: (
            f"{f['service_topics']:.0f} consumer-service topics (refunds, accounts, complaints)"
        ),
    ),
    "service_topic_title": (
        lambda f: float(f["service_topic_title"] > 0),
        lambda f: "title about a refund, account or complaint service",
    ),
    "dates": (lambda f: _log(f["dates"]), lambda f: f"{f['dates']:.0f} dates"),
    "questions": (lambda f: _log(f["questions"]), lambda f: f"{f['questions']:.0f} question marks"),
    "injection_hits": (
        lambda f: _log(f["injection_hits"]),
        lambda f: f"{f['injection_hits']} injected gambling/porn keywords",
    ),
    "content_farm_hits": (
        lambda f: _log(f["content_farm_hits"]),
        lambda f: f"{f['content_farm_hits']} content-farm markers",
    ),
    "after_sales_title": (
        lambda f: float(f["after_sales_title"]),
        lambda f: "title about a brand's after-sales service",
    ),
    "seo_title": (lambda f: float(f["seo_title"]), lambda f: "click-bait title wording"),
    "product_title": (
        lambda f: float(f["product_title"]),
        lambda f: "title names a product category",
    ),
    "placeholder_numbers": (
        lambda f: _log(f["placeholder_numbers"]),
        lambda f: "placeholder hotline number (400-XXX-XXXX)",
    ),
    "service_density": (
        lambda f: _clip(f["service_density"], 30.0) / 10,
        lambda f: f"service-promise vocabulary at {f['service_density']:.1f} per 100 characters",
    ),
    "pinyin_distinct": (
        lambda f: _log(f["pinyin_distinct"]),
        lambda f: f"{f['pinyin_distinct']:.0f} different pinyin-annotated characters",
    ),
    "pinyin_many": (
        lambda f: float(f["pinyin_distinct"] >= 5),
        lambda f: "pinyin annotation throughout the text",
    ),
    "injected_title": (
        lambda f: float(f["injection_hits"] >= 3),
        lambda f: "gambling/porn keyword list in the title",
    ),
    "repeated_3": (
        lambda f: float(_top(f)[1] >= 3),
        lambda f: f"number repeated {_top(f)[1]} times",
    ),
    "place_list": (
        lambda f: float(f["region_places"] >= 10),
        lambda f: f"list of {f['region_places']} places",
    ),
    "pinyin_hits": (
        lambda f: _log(f["pinyin_hits"]),
        lambda f: f"{f['pinyin_hits']} pinyin annotations in all",
    ),
    "trad_ratio": (
        lambda f: _clip(f["trad_ratio"], 1.0),
        lambda f: f"traditional script ({f['trad_ratio']:.0%} of characters)",
    ),
    "interleaved_hits": (
        lambda f: _log(f["interleaved_hits"]),
        lambda f: "keyword interleaved with '+' signs",
    ),
    "number_lines": (
        lambda f: _log(f["number_lines"]),
        lambda f: f"{f['number_lines']:.0f} lines with a number",
    ),
    "ad_lines": (
        lambda f: _log(f["ad_lines"]),
        lambda f: f"{f['ad_lines']:.0f} lines present the number",
    ),
    "visible_chars": (
        lambda f: _log(min(f["visible_chars"], 2000) / 100),
        lambda f: f"{f['visible_chars']} characters of text",
    ),
    "head_lines": (
        lambda f: _log(f["head_lines"]),
        lambda f: f"{f['head_lines']:.0f} lines in the first 2,000 characters",
    ),
    "official_host": (
        lambda f: _url(f, float(f["official_host"])),
        lambda f: "government, school or organisation domain",
    ),
    "digit_host": (lambda f: _url(f, float(f["digit_host"])), lambda f: "digits in the host name"),
    "unreadable_host": (
        lambda f: _url(f, 1.0 - _clip(f.get("readable_host", 1.0), 1.0)),
        lambda f: f"a site name that reads as no word ({1 - f.get('readable_host', 1.0):.0%} random letters)",
    ),
    "injection_title": (
        lambda f: _log(f.get("injection_title", 0)),
        lambda f: f"{f.get('injection_title', 0)} injected gambling/porn keywords in the title",
    ),
    "guide_title": (
        lambda f: _log(f.get("guide_title", 0)),
        lambda f: f"a generated guide's title ({f.get('guide_title', 0)} guide words)",
    ),
    "article_voice": (
        lambda f: _log(f.get("article_voice", 0)),
        lambda f: f"{f.get('article_voice', 0)} stock phrases of a generated article",
    ),
    "own_site": (
        lambda f: _url(f, float(f.get("own_site", False))),
        lambda f: "on the claimed brand's own site",
    ),
    "file_address": (
        lambda f: _url(f, float(f.get("file_address", False))),
        lambda f: "a web page at a file's address (.xml, .pdf)",
    ),
    "random_slug": (
        lambda f: _url(f, float(f["random_slug"])),
        lambda f: "random mixed-case slug in the address",
    ),
    "host_labels": (
        lambda f: _url(f, _log(f["host_labels"])),
        lambda f: f"{f['host_labels']:.0f}-part host name",
    ),
    "ad_after_sales": (
        lambda f: float(
            bool(f.get("advertised")) and bool(f["title_claim"] or f["after_sales_title"])
        ),
        lambda f: "a number to call on an after-sales page",
    ),
    "claim_no_number": (
        lambda f: float(
            not f.get("advertised")
            and bool(f["title_claim"] or f["brand_claims"] >= 2 or f["after_sales_title"])
        ),
        lambda f: "after-sales article without a number to call",
    ),
}
ABSENT = {
    "warning_hits": "scam-warning words",
    "warning_elsewhere": "scam-warning voice",
    "news_hits": "news words",
    "news_body": "news reporting",
    "news_short": "news bylines",
    "notice_markers": "official-notice structure",
    "qa_markers": "question-and-answer structure",
    "claim_phrases": "hotline claim phrases",
    "brand_claims": "brand service claims",
    "title_claim": "after-sales claim in the title",
    "after_sales_title": "after-sales title",
    "seo_title": "click-bait title",
    "numbers_total": "phone numbers",
    "advertised_paid": "advertised 400/800 number",
    "advertised_mobile": "advertised mobile number",
    "advertised_other": "other advertised number",
    "repeat": "repeated number",
    "repeated_3": "repeated number",
    "short_codes": "official short codes",
    "template_phrases": "template phrases",
    "dates": "dates",
    "questions": "question marks",
    "official_host": "government or organisation domain",
    "injection_title": "injected keywords in the title",
    "guide_title": "guide-style title",
    "unreadable_host": "random-letter site name",
    "scraped_chars": "unrelated pasted article",
    "region_places": "place list",
    "place_list": "place list",
    "ad_after_sales": "number to call on an after-sales page",
    "claim_no_number": "number-less after-sales article",
}
