"""Find enumerations of Chinese administrative divisions (region-list padding) in page text.

Spam hotline pages pad themselves with long lists such as "中山市石岐街道、广元市青川县、…" so
that they rank for every town. Each list item is a chain of division names (province →
prefecture → county → town, with or without suffixes); a list is at least ``min_places``
consecutive such items. The gazetteer (``data/gazetteer.tsv.gz``, built by
``scripts/build_gazetteer.py``) is loaded once, lazily.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate, compress, pairwise, repeat
from operator import is_, itemgetter
from typing import cast

from pipelines.gazetteer import STRONG, TOWN, Gazetteer, divisions, load, place_names
from pipelines.places import WHITESPACE as _WHITESPACE

__all__ = ["RegionRun", "divisions", "find_region_lists", "is_place", "place_names"]

# Longest list item worth decomposing; a run-on sentence is not a list item.
_MAX_ITEM = 64
# Items are separated by list punctuation or whitespace; sentence ends break a run.
_SEPS = r"、，,;；\s|/:：。！？!?()（）【】\[\]<>《》「」\"'“”"
# ``[...][...]*``, not ``[...]+``: a pattern opening with a character class has ``re`` scan for
# that class, where one opening with a repeat is tried at every position (a fifth faster).
_SEP_CLASS = "[" + _SEPS.replace(r"\s", re.escape(_WHITESPACE)) + "]"
_SPLIT = re.compile(f"({_SEP_CLASS}{_SEP_CLASS}*)")
_TOKEN = re.compile(f"[^{_SEPS}]+")
_LAST_TOKEN = re.compile(f"[^{_SEPS}]+$")
# An item glued to prose at a list's edge ("确定固安县、…、景县等20个县") is cut out of it only
# when list punctuation joins it to the list.
_EDGE_SEP = "、，,"
_BREAK = re.compile(r"[。！？!?]")
_BREAKS = frozenset("。！？!?")
_GROUP = re.compile(rb"[^\x00]+")  # items naming places: their counts, one byte each
_HEAD = itemgetter(slice(0, 2))  # an item's first two characters
# Numbering and bullets ("1.", "(2)", "③") neither count as places nor break a list.
_NEUTRAL = re.compile(r"[\d.．#*\-·•①-⑳]+")
# A list header alone on its line between two parts of one list ("华南地区", "更多城市").
_HEADER_MAX = 20
# Items remembered between calls (about 100 bytes each).
_MEMO_MAX = 50_000
# One item the gazetteer does not know (an old or misspelt name) inside an enumeration.
_ODD_ITEM = re.compile(r"\s*([、，,;；])\s*[^、，,;；\n。！？!?]{1,12}\s*\1\s*")


@dataclass(frozen=True, slots=True)
class RegionRun:
    """A span of text that enumerates ``places`` administrative divisions."""

    start: int
    end: int
    places: int


def _chain(token: str, gaz: Gazetteer, start_kind: int = TOWN) -> list[int] | None:
    """Level masks of a decomposition of ``token`` into division names, or None.

    Longest names first, with backtracking (failed positions are remembered, so this is
    linear in practice). The first name must be of kind ``start_kind`` or stronger; weak names
    only follow another name.
    """
    n = len(token)
    names, lengths = gaz.names, gaz.lengths
    masks: list[int] = []
    i = 0
    while i < n:  # greedy longest match first: right for nearly every real item
        for size in lengths.get(token[i : i + 2], ()):
            hit = names.get(token[i : i + size]) if i + size <= n else None
            if hit is not None and (i or hit[1] <= start_kind):
                masks.append(hit[0])
                i += size
                break
        else:
            break
    if i == n:
        return masks
    if not masks:
        return None
    failed: set[int] = set()

    def walk(i: int) -> list[int] | None:
        for size in lengths.get(token[i : i + 2], ()):
            j = i + size
            if j > n or j in failed:
                continue
            hit = names.get(token[i:j])
            if hit is None or (i == 0 and hit[1] > start_kind):
                continue
            if j == n:
                return [hit[0]]
            rest = walk(j)
            if rest is not None:
                rest.append(hit[0])
                return rest
        failed.add(i)
        return None

    found = walk(0)
    if found is not None:
        found.reverse()
    return found


def _count_places(masks: list[int]) -> int:
    """How many places a chain names: a new one starts whenever the chain stops going deeper.

    广东省深圳市南山区 and 平乐县平乐 are one place each, 北京上海广州 three.
    """
    return 1 + sum(not _DEEPER[prev][cur] for prev, cur in pairwise(masks))


def _deeper(prev: int, cur: int) -> bool:
    """Can a name with level bits ``cur`` sit below one with ``prev`` in one address?

    Bits: 1 province, 2 prefecture, 4 county, 8 town, 16 municipality (北京市).
    """
    if not prev & 0b0110 or (cur & 0b0010 and not prev & 0b0100):
        # A town follows a prefecture or a county; after a prefecture, a name that is
        # also a prefecture's (杭州南京) is read as the prefecture, after a county as a town.
        cur &= ~0b1000
    if prev & 0b10000:
        cur &= ~0b0010  # a municipality has counties, not prefectures
    return (cur & 0b1111).bit_length() > (prev & -prev).bit_length()


_DEEPER = [[_deeper(prev, cur) for cur in range(32)] for prev in range(32)]


def is_place(token: str) -> bool:
    """Can ``token`` be read entirely as a chain of division names (内蒙古锡林郭勒盟苏尼特右旗)?"""
    token = token.strip()
    if not 2 <= len(token) <= _MAX_ITEM:
        return False
    gaz = load()
    return token[:2] in gaz.starts and _chain(token, gaz) is not None


def find_region_lists(text: str, *, min_places: int = 5) -> list[RegionRun]:
    """Spans of ``text`` that enumerate at least ``min_places`` administrative divisions.

    Items are split on list punctuation (、，,;；/|) and whitespace; consecutive items that are
    all place chains form a run; runs separated only by blank lines or a short header line are
    merged. Every span starts and ends on a place name.
    """
    gaz = load()
    # One C-level split gives items and the separators between them; offsets come from a
    # running sum, so Python only looks at items that could be place names.
    parts = _SPLIT.split(text)
    offsets = list(accumulate(map(len, parts), initial=0))
    items, seps = parts[0::2], parts[1::2]
    starts, ends = gaz.starts, gaz.ends
    # Places per item: remembered items in one C-level pass, the rest looked at in Python.
    found: list[int | None] = list(map(gaz.memo.get, items))
    if None in found:
        # The others, found in C too: most open with no name's first two characters (0 places).
        new = list(compress(range(len(found)), map(is_, found, repeat(None))))
        for k in new:
            found[k] = 0
        for k in compress(new, map(starts.__contains__, map(_HEAD, map(items.__getitem__, new)))):
            item = items[k]
            if len(item) <= _MAX_ITEM and item[-2:] in ends:
                found[k] = _item_places(item, gaz)
    # Consecutive place items, found in C over one byte per item; Python sees each group once.
    raw: list[RegionRun] = []
    first = last = -1
    count = 0
    # Every count fits a byte: an item of at most _MAX_ITEM characters names at most half as many.
    for m in _GROUP.finditer(bytes(cast(list[int], found))):
        for a, b in _unbroken(m.start(), m.end() - 1, seps):
            if count:
                last, count = _variants_after(items, seps, last, a, count, gaz)
                if not _continues(items, seps, last, a):
                    raw.append(RegionRun(offsets[2 * first], offsets[2 * last + 1], count))
                    count = 0
            if not count:
                first = a
            last, count = b, count + sum(found[a : b + 1])  # type: ignore[arg-type]
    if count:
        last, count = _variants_after(items, seps, last, len(items), count, gaz)
        raw.append(RegionRun(offsets[2 * first], offsets[2 * last + 1], count))
    raw = [_widen(text, r, gaz) if r.places > 1 else r for r in raw]
    runs = [r for r in _merge(text, raw) if r.places >= min_places]
    # Five county names that are everyday words (和平、友好、合作、互助、富裕) are prose.
    return [r for r in runs if not _everyday(text, r, gaz.everyday)]


def _everyday(text: str, run: RegionRun, everyday: frozenset[str]) -> bool:
    """Is every item of ``run`` an everyday word? Its first item mostly tells already."""
    first = _TOKEN.search(text, run.start, run.end)
    if first is not None and first.group() not in everyday:
        return False
    return everyday.issuperset(_TOKEN.findall(text, run.start, run.end))


def _item_places(item: str, gaz: Gazetteer) -> int:
    """Places named by one list item (0 if it is not a chain of names); remembered per item.

    Most items are one name or two (广元市青川县), tried directly before the general search.
    The caller has checked the item's length and its first and last two characters.
    """
    names = gaz.names
    found = 0
    hit = names.get(item)
    if hit is not None:
        found = 1 if hit[1] <= TOWN else 0
    else:
        n = len(item)
        tails = gaz.ends[item[-2:]]
        for size in gaz.lengths.get(item[:2], ()):
            if n - size not in tails:
                continue
            head = names.get(item[:size])
            if head is not None and head[1] <= TOWN:
                tail = names.get(item[size:])
                if tail is not None:
                    found = 1 if _DEEPER[head[0]][tail[0]] else 2
                    break
        else:
            masks = _chain(item, gaz)
            found = _count_places(masks) if masks else 0
    memo = gaz.memo
    if len(memo) >= _MEMO_MAX:
        memo.clear()
    memo[item] = found
    return found


def _unbroken(a: int, b: int, seps: list[str]) -> list[tuple[int, int]]:
    """Split the item group ``a..b`` where a sentence ends between two items (rare). Only
    separators can hold a sentence end (items are cut at them): their characters, joined, are
    searched, not the whole span of the list."""
    if a == b or not _BREAK.search("".join(seps[a:b])):
        return [(a, b)]
    out, start = [], a
    for i in range(a, b):
        if not _BREAKS.isdisjoint(seps[i]):
            out.append((start, i))
            start = i + 1
    out.append((start, b))
    return out


def _continues(items: list[str], seps: list[str], last: int, k: int) -> bool:
    """Do items ``last`` and ``k`` belong to one run (only numbering between, no sentence end)?"""
    if any(not _BREAKS.isdisjoint(seps[i]) for i in range(last, k)):
        return False
    return all(_NEUTRAL.fullmatch(items[i]) for i in range(last + 1, k))


def _variants_after(
    items: list[str], seps: list[str], last: int, limit: int, count: int, gaz: Gazetteer
) -> tuple[int, int]:
    """Extend a run past ``last`` over items in variant characters (臺州 for 台州, 黃巖)."""
    while last + 1 < limit and _BREAKS.isdisjoint(seps[last]):
        item = items[last + 1]
        simple = item.translate(gaz.t2s) if 2 <= len(item) <= _MAX_ITEM else item
        masks = _chain(simple, gaz) if simple != item and simple[:2] in gaz.starts else None
        if not masks:
            break
        last, count = last + 1, count + _count_places(masks)
    return last, count


def _widen(text: str, run: RegionRun, gaz: Gazetteer) -> RegionRun:
    """Take in a place that ends the item before the run or starts the item after it."""
    start, end, places = run.start, run.end, run.places
    if start > 1 and text[start - 1] in _EDGE_SEP:
        m = _LAST_TOKEN.search(text, max(0, start - 1 - _MAX_ITEM), start - 1)
        if m:
            tok = m.group()
            for i in range(1, len(tok) - 1):  # longest suffix first
                masks = _chain(tok[i:], gaz, STRONG) if tok[i : i + 2] in gaz.starts else None
                if masks:
                    start, places = m.start() + i, places + _count_places(masks)
                    break
    if end < len(text) - 1 and text[end] in _EDGE_SEP:
        m = _TOKEN.match(text, end + 1)
        if m and m.end() - m.start() <= _MAX_ITEM:
            tok = m.group()
            for j in range(len(tok) - 1, 1, -1):  # longest prefix first
                masks = _chain(tok[:j], gaz, STRONG)
                if masks:
                    end, places = m.start() + j, places + _count_places(masks)
                    break
    return RegionRun(start, end, places)


def _merge(text: str, runs: list[RegionRun]) -> list[RegionRun]:
    """Join runs of one list that a line break or a header line interrupts."""
    out: list[RegionRun] = []
    for run in runs:
        if out and _joinable(text[out[-1].end : run.start]):
            prev = out[-1]
            out[-1] = RegionRun(prev.start, run.end, prev.places + run.places)
        else:
            out.append(run)
    return out


def _joinable(gap: str) -> bool:
    """Is ``gap`` only separators, one unknown item ("、旧县名、") or a header line ("\\n华南：\\n")?"""
    if not _TOKEN.search(gap):
        return not _BREAK.search(gap)
    if _ODD_ITEM.fullmatch(gap):
        return True
    lines = gap.split("\n")
    if len(lines) < 2 or _TOKEN.search(lines[0]) or _BREAK.search(gap):
        return False  # text after the last place on its line: prose, a table row, ...
    middle = [ln.strip() for ln in lines[1:] if ln.strip()]
    return len(middle) <= 2 and all(len(ln) <= _HEADER_MAX for ln in middle)
