"""Traditional to simplified Chinese, one character for one character.

The engine's word lists are simplified; pages in traditional script (Taiwan, Hong Kong, or
simplified pages run through a converter to dodge duplicate detection) are read through this
table. Offsets are preserved, so spans found on the converted text point into the original.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    text = (resources.files("pipelines") / "data" / "t2s.tsv").read_text(encoding="utf-8")
    table: dict[int, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            trad, simp = line.split("\t")
            table[ord(trad)] = simp
    return table


@lru_cache(maxsize=1)
def _traditional() -> frozenset[str]:
    return frozenset(map(chr, _table()))


@lru_cache(maxsize=1)
def _traditional_re() -> re.Pattern[str]:
    """Traditional characters of the Basic Multilingual Plane, and any character beyond it (a
    few traditional ones are there: checked against the set). ``re`` tests a character against
    one table in C, several times faster than a set intersection building a string per char."""
    bmp = sorted(c for c in _traditional() if c <= "\uffff")
    return re.compile("[" + "".join(re.escape(c) for c in bmp) + "\U00010000-\U0010ffff]")


def _distinct_traditional(part: str) -> int:
    """``len(_traditional().intersection(part))``."""
    trad = _traditional()
    return len({c for c in _traditional_re().findall(part) if c <= "\uffff" or c in trad})


def to_simplified(text: str) -> str:
    """The same text with traditional characters mapped to simplified ones (same length)."""
    return text.translate(_table())


def simplified_view(text: str, *, sample: int = 1200, threshold: int = 5) -> str:
    """``text`` in simplified script, converting only when samples show traditional script.

    Mapping every character costs more than the rest of the analysis on long simplified pages,
    so distinct traditional characters are first counted in two samples (one regex pass each).
    """
    mid = len(text) // 2
    for part in (text[:sample], text[mid : mid + sample]):
        if _distinct_traditional(part) >= threshold:
            return to_simplified(text)
    return text
