"""Traditional to simplified Chinese, one character for one character.

The engine's word lists are simplified; pages in traditional script (Taiwan, Hong Kong, or
simplified pages run through a converter to dodge duplicate detection) are read through this
table. Offsets are preserved, so spans found on the converted text point into the original.
"""

from __future__ import annotations

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


def to_simplified(text: str) -> str:
    """The same text with traditional characters mapped to simplified ones (same length)."""
    return text.translate(_table())


def simplified_view(text: str, *, sample: int = 1200, threshold: int = 5) -> str:
    """``text`` in simplified script, converting only when samples show traditional script.

    Mapping every character costs more than the rest of the analysis on long simplified pages,
    so distinct traditional characters are first counted in two samples (set operations).
    """
    trad = _traditional()
    mid = len(text) // 2
    for part in (text[:sample], text[mid : mid + sample]):
        if len(trad.intersection(part)) >= threshold:
            return to_simplified(text)
    return text
