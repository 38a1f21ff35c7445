"""Find enumerations of Chinese administrative divisions (region-list padding) in page text.

Spam hotline pages pad themselves with long lists such as "中山市石岐街道、广元市青川县、…" so
that they rank for every town. Each list item is a chain of division names (province →
prefecture → county → town, with or without suffixes); a list is at least ``min_places``
consecutive such items. The gazetteer (``data/gazetteer.tsv.gz``, built by
``scripts/build_gazetteer.py``) is loaded once, lazily.
"""

from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

__all__ = ["RegionRun", "divisions", "find_region_lists", "is_place", "mask_places", "place_names"]

_DATA = "gazetteer.tsv.gz"

# Name kinds, ordered: a name that is strong for any division is strong.
_STRONG = 0  # full names, and short forms of provinces, prefectures and counties
_TOWN = 1  # short form of a town (石岐 for 石岐街道): may open a list item, never a masked chain
_WEAK = 2  # town short form that is also an everyday word (胜利, 东风): only after a higher name

# Longest list item worth decomposing; a run-on sentence is not a list item.
_MAX_ITEM = 64
# Items are separated by list punctuation or whitespace; sentence ends break a run.
_TOKEN = re.compile(r"[^、，,;；\s|/:：。！？!?()（）【】\[\]<>《》「」\"'“”]+")
_BREAK = re.compile(r"[。！？!?]")
# Numbering and bullets ("1.", "(2)", "③") neither count as places nor break a list.
_NEUTRAL = re.compile(r"[\d.．#*\-·•①-⑳]+")
# A list header alone on its line between two parts of one list ("华南地区", "更多城市").
_HEADER_MAX = 20
# One item the gazetteer does not know (an old or misspelt name) inside an enumeration.
_ODD_ITEM = re.compile(r"\s*([、，,;；])\s*[^、，,;；\n。！？!?]{1,12}\s*\1\s*")


@dataclass(frozen=True, slots=True)
class RegionRun:
    """A span of text that enumerates ``places`` administrative divisions."""

    start: int
    end: int
    places: int


class _Gazetteer:
    """Names → (level bitmask, kind), plus name lengths by first two characters.

    The build script stores this index ready-made (N and P rows) so loading is a few C-level
    dict updates, not a loop over 115,000 names.
    """

    __slots__ = ("names", "lengths", "starts", "t2s")

    def __init__(self, lines: list[str]) -> None:
        names: dict[str, tuple[int, int]] = {}
        lengths: dict[str, tuple[int, ...]] = {}
        starts: set[str] = set()
        self.t2s: dict[int, int] = {}
        for line in lines:
            if line.startswith("N\t"):
                _tag, mask, kind, field = line.split("\t")
                names.update(dict.fromkeys(field.split("|"), (int(mask), int(kind))))
            elif line.startswith("P\t"):
                _tag, lens, opens, field = line.split("\t")
                prefixes = field.split("|")
                lengths.update(dict.fromkeys(prefixes, tuple(map(int, lens.split(",")))))
                if opens == "1":
                    starts.update(prefixes)
            elif line.startswith("T\t"):
                _tag, trad, simp = line.split("\t")
                self.t2s = str.maketrans(trad, simp)
        if not names:
            raise RuntimeError(
                f"gazetteer pipelines/data/{_DATA} has no index rows; "
                "rebuild it with `python scripts/build_gazetteer.py`"
            )
        self.names = names
        self.lengths = lengths
        self.starts = frozenset(starts)


_lock = threading.Lock()
_gaz: _Gazetteer | None = None


def _load() -> _Gazetteer:
    global _gaz
    if _gaz is None:
        with _lock:
            if _gaz is None:
                _gaz = _Gazetteer(_read_lines())
    return _gaz


def _read_lines() -> list[str]:
    try:
        raw = resources.files("pipelines").joinpath("data", _DATA).read_bytes()
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise RuntimeError(
            f"gazetteer pipelines/data/{_DATA} is missing; "
            "rebuild it with `python scripts/build_gazetteer.py`"
        ) from exc
    return gzip.decompress(raw).decode("utf-8").split("\n")


def divisions() -> Iterator[tuple[str, int, tuple[str, ...]]]:
    """(code, level, names) for every division in the gazetteer, full simplified name first.

    Level 1 province, 2 prefecture, 3 county, 4 town; 23 marks a county-level unit directly
    under a province (仙桃市), which pages use like a prefecture. For tests and tools; not cached.
    """
    for line in _read_lines():
        if line.startswith("D\t"):
            _tag, code, level, field = line.split("\t")
            yield code, int(level), tuple(n.lstrip("~") for n in field.replace(";", "|").split("|") if n)


def place_names() -> frozenset[str]:
    """Every division name and short form, simplified and traditional (for masking elsewhere)."""
    return frozenset(_load().names)


def _chain(token: str, gaz: _Gazetteer, start_kind: int = _TOWN) -> list[int] | None:
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

    广东省深圳市南山区 is one place, 北京上海广州 three.
    """
    places = 1
    for prev, cur in zip(masks, masks[1:]):
        if cur & -cur <= prev & -prev:
            places += 1
    return places


def is_place(token: str) -> bool:
    """Can ``token`` be read entirely as a chain of division names (内蒙古锡林郭勒盟苏尼特右旗)?"""
    token = token.strip()
    if not 2 <= len(token) <= _MAX_ITEM:
        return False
    gaz = _load()
    return token[:2] in gaz.starts and _chain(token, gaz) is not None


def find_region_lists(text: str, *, min_places: int = 5) -> list[RegionRun]:
    """Spans of ``text`` that enumerate at least ``min_places`` administrative divisions.

    Items are split on list punctuation (、，,;；/|) and whitespace; consecutive items that are
    all place chains form a run; runs separated only by blank lines or a short header line are
    merged. Every span starts and ends on a place name.
    """
    gaz = _load()
    starts, raw = gaz.starts, []
    run_start = run_end = count = 0
    last_end = 0  # where the previous token ended (to spot sentence breaks between tokens)
    for m in _TOKEN.finditer(text):
        tok = m.group()
        masks = None
        if 2 <= len(tok) <= _MAX_ITEM and tok[:2] in starts:
            masks = _chain(tok, gaz)
        if masks is None and count and 2 <= len(tok) <= _MAX_ITEM:
            # Inside a list, read variant characters too: 臺州 for 台州, 黃巖 for 黄岩.
            simple = tok.translate(gaz.t2s)
            if simple != tok and simple[:2] in starts:
                masks = _chain(simple, gaz)
        if masks is None:
            if count and _NEUTRAL.fullmatch(tok) and not _BREAK.search(text, last_end, m.start()):
                last_end = m.end()
                continue
            if count:
                raw.append(RegionRun(run_start, run_end, count))
                count = 0
            last_end = m.end()
            continue
        if count and _BREAK.search(text, run_end, m.start()):
            raw.append(RegionRun(run_start, run_end, count))
            count = 0
        if not count:
            run_start = m.start()
        run_end = last_end = m.end()
        count += _count_places(masks)
    if count:
        raw.append(RegionRun(run_start, run_end, count))
    return [r for r in _merge(text, raw) if r.places >= min_places]


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


def mask_places(text: str, mask: str = "□") -> str:
    """Replace each chain of division names with one ``mask`` (for template clustering).

    A chain must open with a full name or the short form of a province, prefecture or county,
    so everyday words that happen to be town names stay.
    """
    gaz = _load()
    starts, names, lengths = gaz.starts, gaz.names, gaz.lengths
    out: list[str] = []
    i = done = 0
    n = len(text)
    while i < n - 1:
        if text[i : i + 2] not in starts:
            i += 1
            continue
        j, first = i, True
        while j < n - 1:
            for size in lengths.get(text[j : j + 2], ()):
                hit = names.get(text[j : j + size])
                if hit is not None and j + size <= n and not (first and hit[1] != _STRONG):
                    j += size
                    break
            else:
                break
            first = False
        if j == i:
            i += 1
            continue
        out.append(text[done:i])
        out.append(mask)
        i = done = j
    out.append(text[done:])
    return "".join(out)
