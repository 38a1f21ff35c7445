"""Cloaking: a page that shows search engines one thing and people another.

Fake-hotline farms feed the hotline page to Baidu's spider so that it ranks, and send visitors
arriving from the results elsewhere (a script or meta redirect), or the other way round: a
harmless page for the spider and the hotline page for people. We fetch a page twice, as the
spider and as a browser coming from a search-results page, and call the difference material
when

- the page is spam (``hotline_spam``/``seo_spam``) for one and clean for the other, or
- service numbers are advertised to one and none to the other, or
- one is sent to another site (HTTP, meta refresh or script redirect) and the other is not, or
  to a different site.

The matrix (issue 13) compares the crawl's own fetch with other client profiles
(``visitor``, ``direct``, ``spider``, ``mobile``; see ``crawler/profiles.py``) and names the kind
of cloaking from which pairs differ (:func:`cloaking_kinds`):

- ``user_agent``: Baidu's spider and a desktop browser (neither with a Referer) are shown
  different things;
- ``referer``: a phone with a search-results Referer and the same phone without one differ;
- ``mobile``: a phone and a desktop browser (neither with a Referer) differ;
- ``redirect``: any of those differences is that one client is sent to another site.

Pure: responses in, a :class:`Variant` each and a list of differences out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from pipelines.redirects import find_redirect
from pipelines.types import SPAM_VERDICTS, PageAnalysis

__all__ = ["BROWSER", "CLOAKING_KINDS", "CRAWLER", "Variant", "cloaking_kinds", "compare",
           "differences", "find_redirect", "variant"]

CRAWLER, BROWSER = "crawler", "browser"
CLOAKING_KINDS = ("user_agent", "referer", "mobile", "redirect")
# Which pair of profiles tells which kind (the first differing from the second).
KIND_PAIRS = {"user_agent": ("spider", "direct"), "referer": ("visitor", "mobile"),
              "mobile": ("mobile", "direct")}


@dataclass(frozen=True)
class Variant:
    """One fetch of a page: what a client of one kind was shown."""

    name: str  # crawler / browser
    status: int
    final_url: str
    content_hash: str = ""
    title: str = ""
    text: str = ""
    verdict: str | None = None
    score: float | None = None
    numbers: tuple[str, ...] = ()  # advertised E.164
    redirect: str = ""  # absolute URL it is sent to by HTTP, meta refresh or script
    fetched_at: str = ""
    brands: tuple[str, ...] = ()
    error: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def spam(self) -> bool:
        return self.verdict in SPAM_VERDICTS

    def to_row(self) -> dict[str, Any]:
        """The ``page_versions`` columns."""
        return {"variant": self.name, "status": self.status, "final_url": self.final_url,
                "content_hash": self.content_hash, "title": self.title, "text": self.text,
                "verdict": self.verdict, "score": self.score, "numbers": list(self.numbers),
                "redirect": self.redirect or None, "brands": list(self.brands)}


def variant(name: str, *, url: str, status: int, final_url: str, body: bytes,
            location: str = "", analysis: PageAnalysis | None = None, fetched_at: str = "",
            error: str = "") -> Variant:
    """A :class:`Variant` from one response (``location``: its Location header, if any)."""
    redirect = urljoin(final_url or url, location) if location and 300 <= status < 400 else ""
    if not redirect and analysis is not None:
        redirect = urljoin(final_url or url, analysis.redirect) if analysis.redirect else ""
    elif not redirect and body:  # not analysed (e.g. a type the engine does not read)
        redirect = find_redirect(body.decode("utf-8", "replace"), final_url or url)
    numbers: tuple[str, ...] = ()
    if analysis is not None:
        numbers = tuple(sorted({p.e164 for p in analysis.numbers if p.advertised}))
    return Variant(
        name=name, status=status, final_url=final_url,
        content_hash=hashlib.sha256(body).hexdigest() if body else "",
        title=analysis.title if analysis else "", text=analysis.text if analysis else "",
        verdict=analysis.verdict if analysis else None,
        score=round(float(analysis.score), 4) if analysis else None,
        numbers=numbers, redirect=redirect, fetched_at=fetched_at, error=error,
        brands=tuple(analysis.brands) if analysis else ())


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def differences(a: Variant, b: Variant, page_url: str,
                same_site: Callable[[str, str], bool] | None = None) -> list[str]:
    """Why ``a`` and ``b`` (two fetches of ``page_url``) differ materially; [] when they don't.

    ``same_site(url1, url2)`` decides what an off-site redirect is (default: same host).
    """
    return compare(a, b, page_url, same_site)[0]


def compare(a: Variant, b: Variant, page_url: str,
            same_site: Callable[[str, str], bool] | None = None) -> tuple[list[str], bool]:
    """:func:`differences` and whether one of them is a redirect to another site.

    Material: spam for one and not the other; numbers advertised to one and none to the other
    (two different non-empty sets are a farm rotating numbers, not cloaking); brands claimed
    to one and none or others to the other, when one side is spam; an off-site redirect for one
    and not the other, or to another site.
    """
    same = same_site or (lambda u, v: _host(u) == _host(v))
    if a.error or b.error:
        return [], False  # a failed fetch proves nothing
    out: list[str] = []
    if a.verdict is not None and b.verdict is not None and a.spam != b.spam:
        spam, clean = (a, b) if a.spam else (b, a)
        out.append(f"{spam.verdict} only for the {spam.name}, {clean.verdict} for the "
                   f"{clean.name}")
    read = a.verdict is not None and b.verdict is not None  # both analysed
    if read and bool(a.numbers) != bool(b.numbers):
        shown = a if a.numbers else b
        out.append(f"numbers {', '.join(shown.numbers[:3])} advertised only to the {shown.name}")
    if read and (a.spam or b.spam) and (a.brands or b.brands) and not set(a.brands) & set(b.brands):
        for v in (a, b):
            if v.brands:
                out.append(f"the {v.name} is shown the brand {v.brands[0]}")

    def away(v: Variant) -> str:
        target = v.redirect or (v.final_url if v.final_url and not same(v.final_url, page_url)
                                else "")
        return target if target and not same(target, page_url) else ""

    ra, rb = away(a), away(b)
    redirect = bool((ra or rb) and not (ra and rb and same(ra, rb)))
    if redirect:
        for v, target in ((a, ra), (b, rb)):
            if target:
                out.append(f"the {v.name} is sent to {target}")
    return out, redirect


def cloaking_kinds(versions: dict[str, Variant], page_url: str,
                   same_site: Callable[[str, str], bool] | None = None
                   ) -> tuple[list[str], list[str]]:
    """The kinds of cloaking (:data:`CLOAKING_KINDS`) the profile ``versions`` show, and the
    reasons (each prefixed by its kind). A pair missing from ``versions`` tells nothing."""
    kinds: list[str] = []
    reasons: list[str] = []
    redirect = False
    for kind, (x, y) in KIND_PAIRS.items():
        if x not in versions or y not in versions:
            continue
        found, sent = compare(versions[x], versions[y], page_url, same_site)
        if found:
            kinds.append(kind)
            reasons += [f"{kind}: {r}" for r in found]
            redirect |= sent
    if redirect:
        kinds.append("redirect")
    return kinds, reasons
