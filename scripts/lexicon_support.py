"""How many labelled operations each hand-written list entry fires in (the lexicon audit).

    python scripts/lexicon_support.py [--data PATH] [--all] [--list NAME]

The verdict's weights are refitted per grouped fold, but the word lists and regex alternations
the features count are fixed across folds: an entry written after reading one labelled page
makes the grouped figure optimistic. For every entry of every list feeding the features (the
lexicon's lists, TITLE_SEO and the other alternations, article-voice phrases, padding and brand
heuristics, the official numbers) this prints its support: distinct operations (``op``) it fires
in, by label, pages, and how many of our synthetic pages it fires on. Only counts are printed,
never page text. ``--all`` prints every entry; by default only those flagged:

- ``one-op``: fires in exactly one operation (the entry may be that page's phrase);
- ``one-kind``: fires in two or more operations, all of one spam label;
- ``dead``: fires in no labelled page (not fitted to the data, but not supported by it either).

Support is read on the whole page text (original and simplified script), an upper bound on
where each feature reads it: an entry flagged here is flagged wherever the feature looks.
Skips cleanly (exit 0) when the data file is absent.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

Matcher = Callable[[str], bool]
LABELS = ("hotline_spam", "seo_spam", "clean")


@dataclass(frozen=True)
class Entry:
    """One entry of one list: what it is called in the table and how it is matched."""

    source: str  # module.LIST
    entry: str  # the word, the regex branch or the number
    where: str  # "text" (page text), "host" (the host name) or "numbers" (labelled numbers)
    match: Matcher


@dataclass(frozen=True)
class Support:
    entry: Entry
    ops: int
    ops_by_label: dict[str, int]
    pages: int
    synthetic: int  # synthetic pages it fires on

    @property
    def flag(self) -> str:
        """``one-op``, ``one-kind``, ``dead`` or "" (see the module docstring)."""
        if self.ops == 0:
            return "dead"
        if self.ops == 1:
            return "one-op"
        kinds = [k for k in LABELS if self.ops_by_label[k]]
        return "one-kind" if len(kinds) == 1 and kinds[0] != "clean" else ""


def _structure(p: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth after it) of a regex source's characters outside escapes
    and character classes: where its alternatives and groups are."""
    depth, i, in_class = 0, 0, False
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += p[i + 1 : i + 2] == "]"  # a "]" right after "[" is a literal
        else:
            depth += (c == "(") - (c == ")")
            yield i, c, depth
        i += 1


def branches(pattern: str) -> list[str]:
    """The top-level alternatives of a regex source (a pattern wrapped in one group, with
    anchors or a quantifier, is opened first): ``^(?:a|b(c|d))+$`` -> ``a``, ``b(c|d)``."""
    p = pattern
    while True:
        core = re.sub(r"(?<!\\)[+*?]$", "", p.removeprefix("^").removesuffix("$"))
        closing = next((i for i, c, d in _structure(core) if c == ")" and d == 0), -1)
        if not core.startswith("(") or closing != len(core) - 1:
            break
        p = core[3:-1] if core.startswith("(?:") else core[1:-1]
    cuts = [i for i, c, d in _structure(p) if c == "|" and d == 0]
    return [b for b in (p[a + 1 : z] for a, z in zip([-1, *cuts], [*cuts, len(p)], strict=True)) if b]


def _word(w: str) -> Matcher:
    if any(c.lower() != c.upper() for c in w):
        low = w.lower()
        return lambda t: low in t.lower()
    return lambda t: w in t


def _regex(branch: str, flags: int) -> Matcher:
    rx = re.compile(branch, flags)
    return lambda t: rx.search(t) is not None


def words(source: str, items: Iterable[str], where: str = "text") -> list[Entry]:
    return [Entry(source, w, where, _word(w)) for w in dict.fromkeys(items)]


def regex(source: str, rx: re.Pattern[str] | str, flags: int = 0) -> list[Entry]:
    pattern, fl = (rx.pattern, rx.flags) if isinstance(rx, re.Pattern) else (rx, flags)
    out = []
    for b in branches(pattern):
        try:
            out.append(Entry(source, b, "text", _regex(b, fl)))
        except re.error:  # a branch needing its neighbours' context: match the whole
            return [Entry(source, pattern, "text", _regex(pattern, fl))]
    return out


def registry() -> list[Entry]:
    """Every list entry feeding the verdict's features, as this checkout defines them."""
    from pipelines import (
        brand_fallback,
        brand_names,
        brands,
        features,
        genre,
        hacked,
        lexicon,
        padding,
        provenance,
    )
    from pipelines.official import seeds

    lx = lexicon
    out: list[Entry] = []
    for name in ("CATEGORIES", "SERVICE_PROMISE", "WARNING_WORDS",
                 "WEAK_WARNING_WORDS", "NEWS_WORDS", "SERVICE_TOPIC_WORDS", "NOTICE_WORDS",
                 "QA_WORDS", "CONTENT_FARM", "INJECTION_WORDS", "GUIDE_WORDS", "TEMPLATE_PHRASES"):
        out += words(f"lexicon.{name}", getattr(lx, name))
    for name in ("AFTER_SALES", "TITLE_SEO", "GAMBLING_TITLE", "PINYIN_ANNOTATION", "INTERLEAVED"):
        out += regex(f"lexicon.{name}", getattr(lx, name))
    out += regex("lexicon.CALL_BUTTON", lx.CALL_BUTTON.pattern)
    out += regex("lexicon.PLACEHOLDER_NUMBER", lx.PLACEHOLDER_NUMBER.pattern)
    out += words("provenance.ARTICLE_PHRASES", provenance.ARTICLE_PHRASES)
    out += regex("features.CLAIM", features.CLAIM)
    out += regex("hacked.GAMBLING_ONLY", hacked.GAMBLING_ONLY)
    out += regex("hacked.GAMBLING_TOPIC", hacked.GAMBLING_TOPIC, re.I)
    out += regex("genre._DATE", genre._DATE)
    out += words("genre._WORDS", genre._WORDS, where="host")
    out += regex("padding._STUFF_WORDS", padding._STUFF_WORDS)
    out += words("padding._TOPIC_STOP", padding._TOPIC_STOP)
    extra = padding._HOTLINE_VOCAB - frozenset(lx.SERVICE_PROMISE) - frozenset(lx.CATEGORIES)
    out += words("padding._HOTLINE_VOCAB", sorted(extra))
    templates = set(lx.TEMPLATE_PHRASES)
    out += [e for e in regex("brand_fallback._LEAD_JUNK", brand_fallback._LEAD_JUNK)
            if re.sub(r"\\(.)", r"\1", e.entry) not in templates]
    for name in ("_SERVICE_START", "_INTRO", "_TRAIL_JUNK", "_SERVICE_WORD", "_WELCOME", "_HAS_SUFFIX"):
        home = brands if hasattr(brands, name) else brand_fallback
        out += regex(f"{home.__name__.split('.')[-1]}.{name}", getattr(home, name))
    listed = {re.escape(w) for w in (*lx.WARNING_WORDS, *lx.WEAK_WARNING_WORDS, *lx.TEMPLATE_PHRASES)}
    out += [e for e in regex("brand_fallback._NOT_A_NAME", brand_fallback._NOT_A_NAME) if e.entry not in listed]
    out += words("brand_fallback._GENERIC", sorted(brand_fallback._GENERIC))
    out += words("lexicon.PRODUCT_NOUNS", lx.PRODUCT_NOUNS)
    cats = set(lx.CATEGORIES)
    out += words("brand_names._AFTER_WORDS",
                 [w for w in brand_names._AFTER_WORDS if w not in cats])
    out += [Entry("official_numbers.csv", f"{s.brand} {s.number}", "numbers",
                  _number(s.number)) for s in seeds()]
    return out


def _number(n: str) -> Matcher:
    return lambda numbers: n in numbers.split("\n")


@dataclass(frozen=True)
class Page:
    """What an entry is matched against, for one page."""

    op: str
    label: str
    text: str  # original and simplified script, one after the other
    host: str
    numbers: str  # labelled numbers, one a line, normalised as the official list is

    def view(self, where: str) -> str:
        return {"text": self.text, "host": self.host, "numbers": self.numbers}[where]


def labelled_pages(rows: Sequence[dict[str, Any]]) -> list[Page]:
    from urllib.parse import urlsplit

    from pipelines.analyze import page_from_text
    from pipelines.official import normalise
    from pipelines.t2s import simplified_view

    out = []
    for r in rows:
        text = page_from_text(r["text"]).text
        simple = simplified_view(text)
        nums = {normalise(n) for n in (*r.get("numbers", ()), *r.get("hotlines", ()))}
        out.append(Page(str(r.get("op") or r.get("domain")), r["label"],
                        text if simple == text else f"{text}\n{simple}",
                        (urlsplit(r.get("url", "")).hostname or "").lower(), "\n".join(sorted(nums))))
    return out


def synthetic_pages(n: int = 60) -> Iterator[Page]:
    """Our generated pages (triage.demo.farm and farm_ops, tests/farmsite.py,
    tests/learning_pages.py, tests/verdict_pages.py), as text."""
    sys.path.insert(0, str(ROOT))
    from pipelines.html_text import extract_page_text
    from pipelines.t2s import simplified_view
    from tests import farmsite, learning_pages
    from tests import verdict_pages as vp
    from triage.demo import farm
    from triage.demo.farm_ops import make_farm

    rng = random.Random(3)
    htmls: list[str] = []
    for i in range(n):
        htmls.append(farm.spam_page(rng, places=rng.choice((0, 24, 120))).html)
        htmls.append(rng.choice((farm.official_page, farm.warning_news_page, farm.gov_notice_page,
                                 farm.shop_page))(rng).html)
        htmls.append(farmsite.page_html(i, 200, 4).decode())
        htmls.append(learning_pages.policy_page(rng)[0])
        htmls.append(rng.choice((vp.brand_policy, vp.bank_notice, vp.heating_hotline, vp.news_quote,
                                 vp.traditional_hospital, vp.fake_code_of_conduct,
                                 vp.numberless_service_centre))(rng))
    htmls += [p.html for p in make_farm(5, operations=6, pages_per_operation=6).pages]
    for h in htmls:
        text = extract_page_text(h).text
        yield Page("synthetic", "", f"{text}\n{simplified_view(text)}", "example.com", "")


def support(entries: Sequence[Entry], pages: Sequence[Page], synthetic: Sequence[Page]) -> list[Support]:
    """Each entry's support on the labelled pages and on the synthetic ones."""
    out = []
    for e in entries:
        fired = [p for p in pages if e.match(p.view(e.where))]
        by_label = {k: len({p.op for p in fired if p.label == k}) for k in LABELS}
        synth = sum(1 for p in synthetic if e.match(p.view(e.where))) if e.where == "text" else 0
        out.append(Support(e, len({p.op for p in fired}), by_label, len(fired), synth))
    return out


def table(rows: Iterable[Support]) -> list[str]:
    lines = [f"{'list':28s} {'flag':8s} {'ops':>4s} {'hot':>4s} {'seo':>4s} {'clean':>5s} "
             f"{'pages':>5s} {'synth':>5s}  entry"]
    for s in rows:
        b = s.ops_by_label
        lines.append(f"{s.entry.source:28s} {s.flag:8s} {s.ops:4d} {b['hotline_spam']:4d} "
                     f"{b['seo_spam']:4d} {b['clean']:5d} {s.pages:5d} {s.synthetic:5d}  {s.entry.entry}")
    return lines


def main() -> int:
    from pipelines.model_train import labelled_data, read_rows

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--all", action="store_true", help="every entry, not only the flagged ones")
    ap.add_argument("--list", default="", help="only lists whose name contains this")
    args = ap.parse_args()
    data = labelled_data(args.data)
    if data is None:
        return 0
    pages = labelled_pages(read_rows(data))
    entries = [e for e in registry() if args.list in e.source]
    result = support(entries, pages, list(synthetic_pages()))
    shown = [s for s in result if args.all or s.flag]
    for line in table(shown):
        print(line)
    counts = {f: sum(1 for s in result if s.flag == f) for f in ("one-op", "one-kind", "dead")}
    print(f"{len(result)} entries over {len({p.op for p in pages})} operations: "
          + ", ".join(f"{n} {f}" for f, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
