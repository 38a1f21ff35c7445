"""Where the place names of a text are: chains of division names, as template clustering masks
them (:func:`place_spans`, :func:`mask_places`).

Unlike :mod:`pipelines.regions` (lists of places: padding), every chain counts here, wherever it
is. The crawl's analysis workers find them on every page (:func:`pipelines.templates.sign_page`)
and the store keeps them, so this is per-page work: pieces of text are remembered (issue 12).
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from functools import cache
from itertools import accumulate, compress, repeat
from operator import is_
from typing import cast

import ahocorasick_rs

from pipelines.gazetteer import STRONG, TOWN, load

__all__ = ["WHITESPACE", "mask_places", "place_spans"]

# \s spelt out (what str.isspace() holds; tests/test_regions.py checks): ``re`` then tests each
# character against one table instead of calling its whitespace test, and splits faster.
WHITESPACE = ("\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
           "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def place_spans(text: str) -> list[tuple[int, int]]:
    """Where each chain of division names is in ``text`` (start, end offsets), in order.

    A chain must open with a full name or the short form of a province, prefecture or county,
    so everyday words that happen to be town names stay. The spans are what
    :func:`mask_places` masks; the store keeps them (``pages.spans["places"]``) so that
    clustering never scans a stored page for places again.

    No chain runs across a character that no usable name holds (list punctuation, spaces), so
    the text is cut there in C and each piece's spans are remembered: farm pages repeat their
    place items page after page, and only pieces not seen yet are scanned (together, in one
    pass: :func:`_scan_places`). tests/test_engine_rewrites.py checks this against one scan.
    """
    parts = _place_split().split(text)
    items = parts[0::2]
    found: list[_Spans | None] = list(map(_PLACE_MEMO.get, items))
    if None in found:
        _scan_new(items, found)
    offsets = list(accumulate(map(len, parts), initial=0))
    out: list[tuple[int, int]] = []
    append = out.append
    for k in compress(range(len(found)), found):
        base = offsets[2 * k]
        spans = cast(_Spans, found[k])
        if len(spans) == 1:  # most pieces: one list item naming one place
            s, e = spans[0]
            append((base + s, base + e))
        else:
            out += [(base + s, base + e) for s, e in spans]
    return out


_Spans = tuple[tuple[int, int], ...]
# Where a place chain may be cut (those that no usable name holds; （） and - do).
_PLACE_SEPS = (WHITESPACE + "、，,;；|/:：。！？!?()（）【】[]<>《》「」\"'“”.．·•#*+=_~@&%-"
               + string.ascii_letters + string.digits)
# Spans of the pieces of text place_spans has seen (about 250 bytes each: ~12 MB when full).
_PLACE_MEMO: dict[str, _Spans] = {"": ()}
_PLACE_MEMO_MAX = 50_000
_PLACE_PIECE_MAX = 32  # longer pieces are prose runs: scanned, not remembered


def _scan_new(items: list[str], found: list[_Spans | None]) -> None:
    """Fill the ``None`` entries of ``found`` with the spans of those ``items``, scanning the
    distinct new pieces joined by line breaks (a separator) in one :func:`_scan_places` pass."""
    new = list(dict.fromkeys(compress(items, map(is_, found, repeat(None)))))
    starts = list(accumulate((len(t) + 1 for t in new), initial=0))
    spans: list[list[tuple[int, int]]] = [[] for _ in new]
    for s, e in _scan_places("\n".join(new)):
        k = bisect_right(starts, s) - 1
        spans[k].append((s - starts[k], e - starts[k]))
    memo = _PLACE_MEMO
    result = {t: tuple(sp) for t, sp in zip(new, spans, strict=True)}
    kept = [(t, sp) for t, sp in result.items() if len(t) <= _PLACE_PIECE_MAX]
    if len(memo) + len(kept) > _PLACE_MEMO_MAX:
        memo.clear()
        memo[""] = ()
    memo.update(kept)
    for k in compress(range(len(found)), map(is_, found, repeat(None))):
        found[k] = result[items[k]]


@cache
def _place_split() -> re.Pattern[str]:
    """Splits text (keeping the separators) at characters that no name a chain may use holds
    (a chain uses full names and short forms of kind ``TOWN`` or stronger)."""
    used = {c for name, (_mask, kind) in load().names.items() if kind <= TOWN for c in name}
    seps = "".join(c for c in _PLACE_SEPS if c not in used)
    cls = "[" + re.escape(seps) + "]"
    return re.compile(f"({cls}{cls}*)")


def _scan_places(text: str) -> list[tuple[int, int]]:
    """:func:`place_spans` by one scan of ``text`` (what the memo of pieces stands in for)."""
    gaz = load()
    names, lengths = gaz.names, gaz.lengths
    out: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    # Only positions where a chain can open are tried; one automaton pass finds them all
    # (a Python test at every character was a fifth of an analysis worker's time).
    for _, i0, _ in _opening_scanner().find_matches_as_indexes(text, overlapping=True):
        if i0 < i:
            continue
        i = i0
        j, first = i, True
        while j < n - 1:
            for size in lengths.get(text[j : j + 2], ()):
                hit = names.get(text[j : j + size])
                if hit is not None and j + size <= n and hit[1] <= (STRONG if first else TOWN):
                    j += size
                    break
            else:
                break
            first = False
        if j == i:
            continue
        out.append((i, j))
        i = j
    return out


@cache
def _opening_scanner() -> ahocorasick_rs.AhoCorasick:
    """An automaton over the gazetteer's two-character name openings (``Gazetteer.starts``)."""
    return ahocorasick_rs.AhoCorasick(sorted(s for s in load().starts if len(s) == 2),
                                      matchkind=ahocorasick_rs.MatchKind.Standard)


def mask_places(text: str, mask: str = "□") -> str:
    """Replace each chain of division names (:func:`place_spans`) with one ``mask`` (for
    template clustering)."""
    out: list[str] = []
    done = 0
    for start, end in place_spans(text):
        out.append(text[done:start])
        out.append(mask)
        done = end
    out.append(text[done:])
    return "".join(out)
