"""Typed results of the triage engine.

Everything the engine returns is a plain frozen dataclass so that the Scrapy item pipelines,
the database layer and the CLI can consume it without knowing how it was computed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# The project's vocabulary, in one place: every module, query and template uses these.
Verdict = Literal["hotline_spam", "seo_spam", "clean"]
VERDICTS: tuple[Verdict, ...] = ("hotline_spam", "seo_spam", "clean")
SPAM_VERDICTS: frozenset[str] = frozenset({"hotline_spam", "seo_spam"})
# A number written with too many or too few digits: kept as written, never advertised or listed.
MALFORMED = "malformed"
PaddingKind = Literal["region_list", "filler", "stuffing", "scraped_article"]
PADDING_KINDS: tuple[PaddingKind, ...] = ("region_list", "filler", "stuffing", "scraped_article")
# How the review UI and the reports name each padding kind.
PADDING_NAMES: dict[str, str] = {
    "region_list": "region list",
    "filler": "service-promise filler",
    "stuffing": "keyword stuffing",
    "scraped_article": "scraped article",
}


@dataclass(frozen=True, slots=True)
class PageText:
    """What a reader (or a search engine) can get out of one HTML page.

    ``text`` is the visible text in document order, one block per line. ``hidden`` holds text a
    visitor does not see (inline ``display:none``/``visibility:hidden``, ``<noscript>``) and is
    appended after the visible text for analysis, so that padding spans can point into it.
    """

    text: str
    title: str = ""
    headings: tuple[str, ...] = ()
    meta_description: str = ""
    meta_keywords: str = ""
    hidden: tuple[str, ...] = ()
    tel_links: tuple[str, ...] = ()
    script_strings: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()
    encoding: str = "utf-8"
    encoding_problem: str = ""  # what is wrong with the declared charset ("" when nothing)
    redirect: str = ""  # where a meta refresh or script sends visitors (as written)
    markup: str = ""  # the document as decoded (identifiers read its scripts); not stored


@dataclass(frozen=True, slots=True)
class PhoneHit:
    """One occurrence of a phone number in a text, with its character span."""

    start: int
    end: int
    raw: str
    e164: str
    obfuscated: bool


@dataclass(frozen=True, slots=True)
class Phone:
    """One distinct phone number found on a page, aggregated over its occurrences."""

    e164: str
    kind: str
    place: str = ""
    carrier: str = ""
    count: int = 1
    advertised: bool = False
    obfuscated: bool = False
    context: str = ""
    # Kind ``malformed`` only: the spelling as on the page (``e164`` is ``raw:`` + its digits).
    raw: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if not self.raw:
            del out["raw"]  # the shape every other number has always had
        return out


@dataclass(frozen=True, slots=True)
class PaddingSpan:
    """A stretch of the analysed text that is there to fill the page, not to inform."""

    kind: PaddingKind
    start: int
    end: int
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "detail": self.detail}


# Issue 14: identifiers operators reuse across domains (pipelines/identifiers.py); the last
# three are per site, added by the crawl (pipelines/items/siteids.py), not read from the page.
IDENTIFIER_KINDS: tuple[str, ...] = (
    "icp", "psb", "baidu_tongji", "cnzz", "la51", "google_analytics", "gtm", "verification",
    "chat", "qq", "wechat", "email", "favicon_mmh3", "favicon_sha256", "server_ip")


@dataclass(frozen=True, slots=True)
class Identifier:
    """One identifier on a page: ``kind`` (``IDENTIFIER_KINDS``), normalised ``value`` and an
    optional ``detail`` (an ICP filing's ``-N`` site suffix: ``site 1``)."""

    kind: str
    value: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = {"kind": self.kind, "value": self.value}
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass(frozen=True, slots=True)
class PageAnalysis:
    """The engine's answer for one page: a verdict a reviewer can check, with its evidence."""

    url: str
    verdict: Verdict
    score: float
    reasons: tuple[str, ...]
    numbers: tuple[Phone, ...]
    brands: tuple[str, ...]
    padding: tuple[PaddingSpan, ...]
    padding_ratio: float
    title: str = ""
    text: str = ""
    visible_chars: int = 0
    encoding: str = "utf-8"
    features: dict[str, float] = field(default_factory=dict)
    encoding_problem: str = ""  # what is wrong with the declared charset ("" when nothing)
    redirect: str = ""  # absolute URL a meta refresh or script sends visitors to ("" when none)
    hits: tuple[PhoneHit, ...] = ()  # every phone-number occurrence, spans into ``text``
    identifiers: tuple[Identifier, ...] = ()  # issue 14: analytics, filings, chat accounts, ...
    # Set by pipelines.templates.sign_page (the crawl's analysis workers), empty otherwise:
    places: tuple[tuple[int, int], ...] = ()  # place-name chains, spans into ``text``
    # Template signature, hex (JSON feeds take it as it is): format byte, uint32 hash values.
    minhash: str = ""
    # Issue 10: the spam class whatever the verdict (what an analyst's "spam" label resolves
    # to), and what the stored features lack to score the page again (features.model_input).
    spam_class: str = ""
    model_input: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, *, with_text: bool = False) -> dict[str, Any]:
        """The JSON shape shared by ``triage analyze`` and ``triage export pages``."""
        out: dict[str, Any] = {
            "url": self.url,
            "title": self.title,
            "verdict": self.verdict,
            "score": round(self.score, 4),
            "reasons": list(self.reasons),
            "numbers": [p.to_dict() for p in self.numbers],
            "brands": list(self.brands),
            "padding": [s.to_dict() for s in self.padding],
            "padding_ratio": round(self.padding_ratio, 4),
            "encoding": self.encoding,
            "identifiers": [i.to_dict() for i in self.identifiers],
        }
        if with_text:
            out["text"] = self.text
        return out
