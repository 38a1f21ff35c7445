"""Readings of a digit run that need more than its digits: the words around it (quoted,
short codes, local lines, North American numbers) or the page's numbering plan (foreign
national formats). Split from :mod:`pipelines.phones.scan`, which finds the runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from pipelines.phones.context import (
    DATE,
    NANP,
    NANP_CUE,
    RAW_DATE,
    STRONG_CUE,
    acceptable,
    cued,
    year_span,
)
from pipelines.phones.groups import SEP_PLAIN, Group
from pipelines.phones.numbers import (
    FOREIGN_REGIONS,
    LOCAL_RE,
    SHORT_CODE_RE,
    Number,
    classify_cn,
    classify_cn_loose,
    classify_foreign,
)
from pipelines.phones.region import hk_mo_line


@dataclass(slots=True)
class Found:
    """One occurrence found by :func:`scan` (a :class:`PhoneHit` plus the kind)."""

    start: int
    end: int
    raw: str
    e164: str
    kind: str
    obfuscated: bool


Region = Callable[[], str]  # the page's numbering plan, worked out when first needed


def plan(region: str | Region) -> Region:
    """``region`` as a function called at most once (most pages never need their plan)."""
    return cache(region) if callable(region) else (lambda: region)



def weak_reading(
    text: str,
    groups: list[Group],
    sep_kinds: list[int],
    ends: list[tuple[int, str]],
    i: int,
    found: list[Found],
    region: Region,
) -> tuple[int, Number, str] | None:
    """Readings that need the page or the words around them: foreign, quoted, short, local."""
    previous_end = found[-1].end if found else None
    for j, digits in reversed(ends):
        n = len(digits)
        if n < 3 or n == 4:
            continue
        start, end = groups[i].start, groups[j].end
        if digits[0] == "0" and 9 <= n <= 13:
            if not acceptable(text, start, end, lead_ok=False):
                continue
            if STRONG_CUE.search(text[max(0, start - 12) : start]):
                loose = classify_cn_loose(digits)
                if loose:
                    return j, loose, ""
            # A foreign reading must not swallow groups that go on to spell something else.
            ends_run = j == len(groups) - 1 or sep_kinds[j] != SEP_PLAIN
            if (
                n <= 11
                and ends_run
                and classify_cn(digits) is None
                and classify_cn_loose(digits) is None
            ):
                return j, Number(digits, "unknown"), "foreign"
        elif j == i and n in (3, 5, 6) and SHORT_CODE_RE.fullmatch(digits):
            if cued(text, start, end, previous_end) and acceptable(text, start, end, lead_ok=False):
                return j, Number(digits, "short_code"), ""
        elif j == i and n >= 9 and STRONG_CUE.search(text[max(0, start - 12) : start]):
            # "接到电话26453692544": quoted as a phone number, though no plan owns it.
            if acceptable(text, start, end, lead_ok=False):
                return j, Number(digits, "unknown"), ""
        elif (
            n == 10
            and j - i in (0, 2)
            and NANP.fullmatch(digits)
            and NANP_CUE.search(text[max(0, start - 24) : start])
        ):
            # A North American number written without +1 ("北美服务热线:323 555 0142").
            if acceptable(text, start, end, lead_ok=False):
                return j, Number(digits, "unknown"), ""
        elif (
            n in (7, 8)
            and j - i <= 1
            and all(len(g.digits) >= 3 and not g.odd for g in groups[i : j + 1])
            and LOCAL_RE.fullmatch(digits)
            and not DATE.match(digits)
            and not RAW_DATE.match(text, start, end)
            and not year_span(text, start, end)
            # ``400-1865 90911``: the start of a mistyped 400 number, not a local line.
            and not (digits[:3] in ("400", "800") and j + 1 < len(groups)
                     and sep_kinds[j] == SEP_PLAIN)
        ):
            hk_mo = hk_mo_line(text, groups, i, j, digits, region, previous_end)
            if hk_mo:
                return j, hk_mo, ""
            if cued(text, start, end, previous_end) and acceptable(text, start, end, lead_ok=False):
                return j, Number(digits, "local"), ""
    return None


def resolve_foreign(
    text: str, pending: list[tuple[Found, str, bool]], page_region: str = "CN"
) -> list[Found]:
    """Read national-format numbers as the one foreign region the page points at, if any.

    Candidates that are also (old-style) Chinese numbers stay Chinese unless the region wins.
    A page known to be of Hong Kong, Taiwan or Macau needs no vote.
    """
    scores: dict[str, int] = {}
    if page_region in FOREIGN_REGIONS:
        scores[page_region] = 2
    else:
        for region, words in FOREIGN_REGIONS.items():
            valid = sum(1 for _, d, _ in pending if classify_foreign(d, region))
            if valid:
                scores[region] = valid + (2 if any(w in text for w in words) else 0)
    region = max(scores, key=lambda r: scores[r]) if scores else ""
    if region and scores[region] < 2:
        region = ""
    out = []
    for hit, digits, keep in pending:
        number = region and (
            classify_foreign(digits, region) or classify_foreign(digits, region, loose=not keep)
        )
        if number:
            out.append(Found(hit.start, hit.end, hit.raw, number.e164, number.kind, hit.obfuscated))
        elif keep:
            out.append(hit)
    return out
