"""Which numbering plan a page's national-format numbers belong to: mainland, Hong Kong, Taiwan, Macau.

Why: the Chinese-language web is four numbering plans. ``(02)2630-5151`` is a Taipei number on a
Taiwanese page and an (old-style) Tianjin one nowhere; ``2728 8333`` is a Hong Kong line on a
Hong Kong page and a mainland number without its area code elsewhere. Numbers written with
``+852``/``+886``/``+853`` need no help; this module answers for the others.

:func:`page_region` weighs what a reader would notice: the domain (``.hk``, ``.com.tw``,
``.gov.mo``, decisive), explicit country codes in the text, currencies, place names, and the
script (traditional script lowers the evidence needed; a simplified page needs several signals,
because mainland pages name 香港/台湾/澳门 in region lists and news). :func:`nearby_region`
reads a place name right before one number, for the odd Hong Kong line on a mainland page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from pipelines.phones.context import acceptable, cued
from pipelines.phones.groups import SEP_EXT, Group
from pipelines.phones.numbers import Number, classify_foreign
from pipelines.t2s import _traditional

__all__ = ["REGIONS", "hk_mo_line", "nearby_region", "page_region", "traditional_script", "tw_area"]

REGIONS = ("CN", "HK", "TW", "MO")
_TLD = {"hk": "HK", "tw": "TW", "mo": "MO"}
# Country codes written as such: +852, 00852, (852) before a number.
_CODE = r"(?:[+＋]\s?|00|[(（]\s?)(?P<code>852|853|886)(?=[\s)）\-]?\d)"
_CODE_REGION = {"852": "HK", "886": "TW", "853": "MO"}
_CURRENCY = {
    "HK": r"HK\$|HKD|港[币幣元]",
    "TW": r"NT\$|TWD|新[台臺][币幣]",
    "MO": r"MOP|澳[门門][币幣元]|葡[币幣]",
}
_PLACES = {
    "HK": r"香港|九[龙龍](?!坡)|新界|港[岛島]|旺角|尖沙咀|[铜銅][锣鑼][湾灣]|荃[湾灣]|[观觀]塘|元朗|屯[门門]",
    "TW": r"[台臺][湾灣北]|臺[中南東]|新北市|高雄|桃[园園]|新竹|基隆|嘉[义義]|彰化|屏[东東]|宜[兰蘭]|花[莲蓮]|苗栗",
    "MO": r"澳[门門]|氹仔|路[环環]",
}
# Mainland provinces and big cities: a page naming many of them (a region list, a converted
# mainland page) is not made foreign by a few Hong Kong or Taiwan names.
_MAINLAND = re.compile(
    r"北京|上海|天津|重[庆慶]|河北|山西|[辽遼]宁|[辽遼]寧|吉林|黑[龙龍]江|江[苏蘇]|浙江|安徽|福建|江西|"
    r"山[东東]|河南|湖北|湖南|[广廣][东東]|[广廣]西|海南|四川|[贵貴]州|[云雲]南|[陕陝]西|甘[肃肅]|"
    r"青海|[宁寧]夏|新疆|[内內][蒙]古|深圳|[广廣]州|成都|武[汉漢]|杭州|南京"
)
# Substrings without which no code or currency is there (cheaper than any regex on long pages).
_STRONG_KEYS = ("852", "853", "886", "HK", "NT$", "TWD", "MOP", "港币", "港幣", "港元", "台币",
                "台幣", "臺幣", "澳门币", "澳門幣", "澳门元", "澳門元", "葡币", "葡幣")
# Codes, currencies and place names, in one pass over the page.
_CUES = re.compile(
    "|".join([_CODE, *(f"(?P<cur_{r}>{p})" for r, p in _CURRENCY.items()),
              *(f"(?P<place_{r}>{p})" for r, p in _PLACES.items())])
)
_PLACE_RE = {r: re.compile(p) for r, p in _PLACES.items()}
_WEIGHT = {"code": 3, "cur": 2, "place": 1}
_MOST = {"code": 4, "cur": 2, "place": 4}  # occurrences of one kind of cue counted at most
_NEAR = 24


def traditional_script(text: str, *, sample: int = 2000) -> bool:
    """Whether ``text`` is written in traditional script (by distinct traditional characters)."""
    trad = _traditional()
    part = text[:sample]
    cjk = sum(1 for c in set(part) if "\u4e00" <= c <= "\u9fff")
    hits = len(trad.intersection(part))
    return hits >= 5 and hits * 8 >= cjk


def _host_region(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""
    return _TLD.get(host.rsplit(".", 1)[-1], "") if host else ""


def page_region(url: str, text: str, *, traditional: bool | None = None) -> str:
    """``CN``, ``HK``, ``TW`` or ``MO``: the plan a national-format number on this page is in.

    ``traditional``: whether the page is in traditional script, when the caller knows already.
    """
    by_host = _host_region(url)
    if by_host:
        return by_host
    if traditional is None:
        traditional = traditional_script(text)
    if not traditional and not any(k in text for k in _STRONG_KEYS):
        return "CN"  # place names alone never make a simplified page foreign (region lists)
    counts: dict[tuple[str, str], int] = {}
    for m in _CUES.finditer(text):
        kind, _, r = (m.lastgroup or "").partition("_")
        if kind == "code":
            r = _CODE_REGION[m.group("code")]
        counts[kind, r] = counts.get((kind, r), 0) + 1
    scores = dict.fromkeys(REGIONS[1:], 0)
    for (kind, r), n in counts.items():
        scores[r] += _WEIGHT[kind] * min(n, _MOST[kind])
    best = max(scores, key=lambda r: scores[r])
    if scores[best] == 0:
        return "CN"
    # A page in simplified script is mainland unless several signals say otherwise.
    need = 2 if traditional else 5
    rivals = sorted(scores.values(), reverse=True)
    if scores[best] < need or scores[best] <= rivals[1]:
        return "CN"
    strong = sum(_WEIGHT[k] * min(n, _MOST[k]) for (k, r), n in counts.items()
                 if r == best and k != "place")
    if strong:
        return best
    mainland = 0
    for mainland, _ in enumerate(_MAINLAND.finditer(text), start=1):
        if mainland >= scores[best]:
            return "CN"
    return best


def nearby_region(text: str, start: int) -> str:
    """A region named just before a number (``香港分店电话: 2345 6789``), else ``""``."""
    before = text[max(0, start - _NEAR) : start]
    found = ""
    at = -1
    for r, places in _PLACE_RE.items():
        for m in places.finditer(before):
            if m.start() > at:
                found, at = r, m.start()
    return found


def tw_area(groups: list[Group], sep_kinds: list[int], i: int) -> bool:
    """``02-2630-5151``, ``(04) 3706 1349``: a two-digit area code, which only Taiwan has
    (mainland codes are 010, 02x and 0xxx)."""
    g = groups[i].digits
    return (
        len(g) == 2
        and g[1] in "2345678"
        and i + 1 < len(groups)
        and sep_kinds[i] < SEP_EXT  # an extension or a break: no subscriber number follows
        and len(groups[i + 1].digits) >= 3
    )


def hk_mo_line(
    text: str, groups: list[Group], i: int, j: int, digits: str, region: Callable[[], str],
    previous_end: int | None,
) -> Number | None:
    """An 8-digit Hong Kong or Macau line on a page of that region (or right after its name),
    next to a phone cue or written as two groups of four (``2728 8333``)."""
    if len(digits) != 8:
        return None
    start, end = groups[i].start, groups[j].end
    where = region()
    if where not in ("HK", "MO") and (where := nearby_region(text, start)) not in ("HK", "MO"):
        return None
    number = classify_foreign(digits, where)
    if number is None or not acceptable(text, start, end, lead_ok=False):
        return None
    four_four = j == i + 1 and len(groups[i].digits) == 4
    return number if four_four or cued(text, start, end, previous_end) else None
