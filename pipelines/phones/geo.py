"""Place and carrier of a number, without loading every country's geocoding data.

``phonenumbers.geocoder`` imports the descriptions of all countries at once (about 110 MB per
process). Chinese numbers are nearly all the engine sees, so their prefixes come from a small
table extracted from the same data (``scripts/build_cn_geo.py``); numbers of other countries go
to ``phonenumbers`` itself, which is then loaded on first use only.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

import phonenumbers

CHINA = "中国"


@lru_cache(maxsize=1)
def _cn_table() -> tuple[dict[int, int], list[str], dict[int, str], tuple[int, ...], tuple[int, ...]]:
    """(prefix -> place index, places, prefix -> carrier, place prefix lengths, carrier lengths).

    One row per place with its prefixes (``scripts/build_cn_geo.py``): a few hundred rows to
    read, not 130,000."""
    raw = (resources.files("pipelines") / "data" / "cn_geo.tsv.gz").read_bytes()
    places: dict[int, int] = {}
    names: list[str] = []
    carriers: dict[int, str] = {}
    sizes: set[int] = set()  # of the prefixes as written: digits from 86 on, as int() reads them
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        kind, key, value = line.split("\t")
        if kind == "p":
            prefixes = value.split(",")
            sizes.update(map(len, prefixes))
            places.update(dict.fromkeys(map(int, prefixes), len(names)))
            names.append(key)
        else:
            carriers[int(key)] = value
    lengths = tuple(sorted(sizes, reverse=True))
    clengths = tuple(sorted({len(str(k)) for k in carriers}, reverse=True))
    return places, names, carriers, lengths, clengths


def _longest(digits: str, table: dict[int, object], lengths: tuple[int, ...]) -> object | None:
    for n in lengths:
        if len(digits) >= n:
            hit = table.get(int(digits[:n]))
            if hit is not None:
                return hit
    return None


def cn_place_and_carrier(e164: str) -> tuple[str, str]:
    """Place and carrier (Chinese) of a valid +86 number; the country name when no prefix
    is more precise, as ``phonenumbers``' geocoder answers."""
    places, names, carriers, lengths, clengths = _cn_table()
    digits = e164.lstrip("+")
    idx = _longest(digits, places, lengths)  # type: ignore[arg-type]
    carrier = _longest(digits, carriers, clengths)  # type: ignore[arg-type]
    return (names[idx] if isinstance(idx, int) else CHINA), (carrier if isinstance(carrier, str) else "")


def foreign_place_and_carrier(num: phonenumbers.PhoneNumber) -> tuple[str, str]:
    """Other countries: phonenumbers' own geocoder and carrier data (loaded on first use)."""
    from phonenumbers import carrier, geocoder

    place = geocoder.description_for_number(num, "zh") or geocoder.description_for_valid_number(num, "zh")
    return place, carrier.name_for_number(num, "zh")
