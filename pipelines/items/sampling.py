"""Which pages the cloaking matrix checks (``TRIAGE_CLOAKING=sample``).

Cloaking is decided by a site's server, per site and per template, so the matrix checks:

- the first ``first`` analysed pages of each site (``TRIAGE_CLOAKING_SAMPLE``, default 3);
- the first page of each new *page shape* anywhere in the crawl, at most
  ``templates_per_site`` of them per site (``TRIAGE_CLOAKING_TEMPLATES_PER_SITE``). The real
  template clusters (MinHash, :mod:`investigate.clusters`) are computed after the crawl; during
  it, a page's shape is what the engine already said: its verdict, its padding kinds, whether
  it advertises a number and whether it redirects to another site. A farm of uniform sites has
  a handful of shapes, so it costs a few checks in all, not one per page;
- every page of a site found cloaking: later pages as they come, earlier ones (up to
  ``BACKLOG`` per site, remembered by URL only) when the finding is made.

``everything`` (``TRIAGE_CLOAKING=all``) checks every analysed page.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

from pipelines.types import SPAM_VERDICTS, PageAnalysis

BACKLOG = 200  # unchecked URLs remembered per site, for when the site is found cloaking
MAX_SHAPES = 10_000


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def page_shape(analysis: PageAnalysis, page_url: str) -> tuple[object, ...]:
    """What a page looks like to the engine, the stand-in for its template during a crawl."""
    kinds = tuple(sorted({p.kind for p in analysis.padding}))
    advertised = any(p.advertised for p in analysis.numbers)
    away = bool(analysis.redirect) and _host(analysis.redirect) not in ("", _host(page_url))
    return (analysis.verdict in SPAM_VERDICTS, kinds, advertised, away)


class Sampler:
    def __init__(self, *, first: int = 3, templates_per_site: int = 3,
                 everything: bool = False) -> None:
        self.first = max(0, first)
        self.templates_per_site = max(0, templates_per_site)
        self.everything = everything
        self.checked: defaultdict[str, int] = defaultdict(int)  # site -> pages checked
        self.shape_checks: defaultdict[str, int] = defaultdict(int)
        self.shapes: set[tuple[object, ...]] = set()
        self.cloaking_sites: set[str] = set()
        self.backlog: defaultdict[str, list[str]] = defaultdict(list)

    def wanted(self, site: str, analysis: PageAnalysis, page_url: str, url: str = "") -> bool:
        """Whether to check this page; an unchecked page's URL joins its site's backlog."""
        shape = page_shape(analysis, page_url)
        new_shape = shape not in self.shapes and len(self.shapes) < MAX_SHAPES
        take = (self.everything or site in self.cloaking_sites
                or self.checked[site] < self.first
                or (new_shape and self.shape_checks[site] < self.templates_per_site))
        if not take:
            if len(self.backlog[site]) < BACKLOG:
                self.backlog[site].append(url or page_url)
            return False
        self.checked[site] += 1
        if new_shape:
            self.shapes.add(shape)
            self.shape_checks[site] += 1
        return True

    def found(self, site: str) -> list[str]:
        """The site is cloaking: from now on every page is checked; the URLs passed unchecked
        so far, to check now (each once)."""
        self.cloaking_sites.add(site)
        return self.backlog.pop(site, [])
