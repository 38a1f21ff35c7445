"""Official service numbers of impersonated brands: the shipped seed list.

``pipelines/data/official_numbers.csv`` lists numbers brands publish as their own (banks' 95xxx
codes, telecoms' 10086/10010/10000, airlines', couriers', platforms' and a few appliance makers'
400 numbers), each with its source. A page advertising the claimed brand's own number is that
brand's page (or quotes it), not a fake hotline for that number; reputation keeps these
numbers clean like the ``official_numbers`` table.

Numbers are keyed the way the engine writes them (:class:`pipelines.types.Phone`): E.164 for
full numbers (``+864006999999``), the digits for service codes (``95588``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["OfficialSeed", "is_official", "normalise", "official_for", "official_map", "seeds"]

_NON_DIGIT = re.compile(r"\D")


@dataclass(frozen=True, slots=True)
class OfficialSeed:
    brand: str
    number: str  # normalised (see :func:`normalise`)
    kind: str
    source: str


def normalise(raw: str) -> str:
    """E.164 for full Chinese numbers (400/800, mobiles, landlines with area code) and numbers
    written with ``+``; digits as written for service codes (95588, 10086, 95105888)."""
    text = raw.strip()
    digits = _NON_DIGIT.sub("", text)
    if text.startswith("+"):
        return "+" + digits
    if digits.startswith("0086"):
        digits = digits[2:]
    if digits.startswith("86") and len(digits) >= 12:
        return "+" + digits
    if len(digits) == 10 and digits[:3] in ("400", "800"):
        return "+86" + digits
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
        return "+86" + digits
    if len(digits) >= 10 and digits[0] == "0":
        return "+86" + digits[1:]
    return digits


@lru_cache(maxsize=1)
def seeds() -> tuple[OfficialSeed, ...]:
    """Every row of the shipped list (brands by their canonical dictionary name)."""
    raw = (resources.files("pipelines") / "data" / "official_numbers.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in raw.splitlines() if line and not line.startswith("#"))
    return tuple(OfficialSeed(r["brand"].strip(), normalise(r["number"]), r["kind"].strip(),
                              r["source"].strip()) for r in rows)


@lru_cache(maxsize=1)
def _by_brand() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for s in seeds():
        out.setdefault(s.brand, set()).add(s.number)
    return {b: frozenset(n) for b, n in out.items()}


@lru_cache(maxsize=1)
def _all_numbers() -> frozenset[str]:
    return frozenset(s.number for s in seeds())


def _canonical(brand: str) -> str:
    from pipelines.brand_names import canonical

    return canonical(brand.strip())


def official_for(brand: str) -> set[str]:
    """The shipped official numbers of ``brand`` (any spelling: 工行, ICBC, 中国工商银行)."""
    return set(_by_brand().get(_canonical(brand), ()))


def is_official(number: str, brand: str | None = None) -> bool:
    """Is ``number`` an official number of ``brand`` (of any shipped brand when ``None``)?"""
    n = normalise(number)
    if brand is None:
        return n in _all_numbers()
    return n in _by_brand().get(_canonical(brand), frozenset())


def official_map() -> dict[str, set[str]]:
    """Number -> brands publishing it, the shape :mod:`investigate.reputation` reads from its table."""
    out: dict[str, set[str]] = {}
    for s in seeds():
        out.setdefault(s.number, set()).add(s.brand)
    return out
